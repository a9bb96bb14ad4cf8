// SPDX-License-Identifier: GPL-2.0
/*
 * readbench: read a file one byte per read(2), for make bench's
 * crossing-heavy workload (tests/bench/vm/crossing.sh): on
 * /dev/kc_cross every read is one crossing kernel -> module -> kernel.
 *
 *   readbench FILE COUNT     ->  "readbench: 100000 reads sum=89abcdef"
 *
 * The sum (FNV-1a of the bytes) must be the same natively and translated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uint32_t sum = 0x811c9dc5;
	long count, i;
	uint8_t b;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: readbench FILE COUNT\n");
		return 2;
	}
	count = strtol(argv[2], NULL, 0);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "readbench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (read(fd, &b, 1) != 1) {
			fprintf(stderr, "readbench: read %ld: %s\n", i, strerror(errno));
			return 1;
		}
		sum = (sum ^ b) * 16777619u;
	}
	printf("readbench: %ld reads sum=%08x\n", count, sum);
	return 0;
}
