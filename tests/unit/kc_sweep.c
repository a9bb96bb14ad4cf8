// SPDX-License-Identifier: GPL-2.0
/*
 * kc_sweep: linear-sweep decode of a raw code file with kcage's decoder,
 * printing "offset length kind" per instruction.  decode_vs_objdump.py
 * compares its output with binutils' objdump on real kernel modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include "decode.h"

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	struct kc_decoder dec;
	struct kc_insn insn;
	unsigned char *code;
	size_t len, off = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: kc_sweep <raw code file>\n");
		return 2;
	}
	code = read_file(argv[1], &len);
	if (!code) {
		perror(argv[1]);
		return 2;
	}
	if (kc_decoder_init(&dec))
		return 2;
	while (off < len) {
		if (kc_decode(&dec, code + off, len - off, off, &insn)) {
			printf("%zx bad\n", off);
			off++;
			continue;
		}
		printf("%zx %u %s\n", off, insn.len, kc_insn_kind_name(insn.kind));
		off += insn.len;
	}
	free(code);
	return 0;
}
