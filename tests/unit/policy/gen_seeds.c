// SPDX-License-Identifier: GPL-2.0
/* Write the sample policies as fuzz seeds: gen_seeds <dir>. */
#include <stdio.h>
#include <stdlib.h>
#include "samples.h"

int main(int argc, char **argv)
{
	char path[4096];
	int i;

	if (argc != 2)
		return 2;
	for (i = 0; i < NR_SAMPLES; i++) {
		long n;
		void *b = sample_blob(i, &n);
		FILE *f;

		snprintf(path, sizeof(path), "%s/sample%d.kcp", argv[1], i);
		f = fopen(path, "wb");
		if (!f || fwrite(b, 1, n, f) != (size_t)n || fclose(f))
			return 2;
		free(b);
	}
	return 0;
}
