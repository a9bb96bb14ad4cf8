// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the translator core: each input becomes a register
 * state and an instruction sequence (fuzz_one.c), run natively and
 * translated; a difference aborts with the case printed.  Build it with
 * "make -C tests/unit fuzz" (needs clang), run it as
 *	build/user/fuzz/fuzz_xlate [corpus dir] [-max_total_time=60]
 */
#include <stdlib.h>
#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char why[200];

	if (!ready) {
		if (fuzz_setup()) {
			fprintf(stderr, "fuzz_xlate: no code cache near the binary\n");
			abort();
		}
		ready = 1;
	}
	if (fuzz_one(data, size, why, sizeof(why))) {
		fprintf(stderr, "fuzz_xlate: translated run differs: %s\n", why);
		fuzz_report(stderr);
		abort();
	}
	return 0;
}
