/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replaying the fuzzers' kept inputs, shared by their deterministic
 * drivers (test_fuzz.c, test_wfuzz.c); include it after ../unit.h, whose
 * UNIT_EXPECT() it reports through.
 */
#ifndef KCAGE_DIFF_KEPT_H
#define KCAGE_DIFF_KEPT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Run one input; nonzero if it failed (having said why). */
typedef int (*kept_one_fn)(const char *path, const uint8_t *data, size_t n);

/*
 * One kept file: a single input (a failing case libFuzzer wrote), or, if
 * its name ends in ".pack", a corpus packed by diff/pack_corpus.py: each
 * input as a 4-byte little-endian length and its bytes.  Adds the inputs
 * run to *@runs; returns nonzero on the first failure.
 */
static int kept_replay(const char *path, unsigned long *runs, kept_one_fn one)
{
	static uint8_t data[1 << 20];
	size_t n, len = strlen(path), off = 0;
	FILE *f = fopen(path, "rb");

	UNIT_EXPECT(f, "%s: cannot open", path);
	if (!f)
		return 1;
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	UNIT_EXPECT(n < sizeof(data), "%s: larger than %zu bytes", path, sizeof(data));
	if (len < 5 || strcmp(path + len - 5, ".pack")) {
		++*runs;
		return one(path, data, n);
	}
	while (off + 4 <= n) {
		uint32_t size = data[off] | data[off + 1] << 8 |
				data[off + 2] << 16 | (uint32_t)data[off + 3] << 24;

		off += 4;
		UNIT_EXPECT(size <= n - off, "%s: truncated at byte %zu", path, off);
		if (size > n - off)
			return 1;
		++*runs;
		if (one(path, data + off, size))
			return 1;
		off += size;
	}
	UNIT_EXPECT(off == n, "%s: %zu stray bytes at the end", path, n - off);
	return off != n;
}

#endif /* KCAGE_DIFF_KEPT_H */
