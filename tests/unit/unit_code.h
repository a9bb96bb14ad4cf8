/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native code for the block builder to read in user-space unit tests: a
 * byte array standing at a native address, read through the builder's
 * read_code hook with the struct unit_code as its context.
 */
#ifndef KCAGE_UNIT_CODE_H
#define KCAGE_UNIT_CODE_H

#include "host.h"

/**
 * struct unit_code - native code under test
 * @bytes: the code
 * @len:   its length
 * @at:    the native address it stands at
 */
struct unit_code {
	const u8 *bytes;
	size_t len;
	u64 at;
};

/* A &kc_block_ops.read_code: nothing readable outside the code. */
static inline size_t unit_read_code(void *ctx, u64 ip, u8 *buf, size_t len)
{
	const struct unit_code *c = ctx;
	size_t off = ip - c->at;

	if (ip < c->at || off >= c->len)
		return 0;
	if (len > c->len - off)
		len = c->len - off;
	memcpy(buf, c->bytes + off, len);
	return len;
}

#endif /* KCAGE_UNIT_CODE_H */
