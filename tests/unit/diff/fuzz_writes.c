// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the write-coverage fuzzer (wfuzz_one.h): each input
 * becomes registers, an arena and a sequence of stores, translated with a
 * probe before each store; a changed byte no probe approved aborts with
 * the case printed.  "make -C tests/unit fuzz" builds and runs it.
 */
#include <stdlib.h>
#include "wfuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char why[200];

	if (!ready) {
		if (wfuzz_setup()) {
			fprintf(stderr, "fuzz_writes: no code cache near the binary\n");
			abort();
		}
		ready = 1;
	}
	if (wfuzz_one(data, size, why, sizeof(why))) {
		fprintf(stderr, "fuzz_writes: %s\n", why);
		wfuzz_report(stderr);
		abort();
	}
	return 0;
}
