// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the policy decoder (make fuzz; built with ASan and
 * UBSan): any bytes at all must be refused or give a view whose every
 * name and record lies inside the blob.
 */
#include <stdlib.h>
#include "samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcp_error err;
	struct kcp_view v;
	void *exact;

	/* an exact-size heap copy (glibc's malloc is 16-byte aligned), so
	 * ASan sees any read past the end */
	exact = malloc(size ? size : 1);
	if (!exact)
		return 0;
	memcpy(exact, data, size);
	if (!kcp_decode(exact, size, &v, &err))
		walk_view(&v);
	free(exact);
	return 0;
}
