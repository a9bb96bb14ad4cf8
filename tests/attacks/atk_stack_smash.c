// SPDX-License-Identifier: GPL-2.0
/*
 * atk_stack_smash: a stack buffer overflow over the stack protector's
 * canary.  The function's epilogue sees the canary changed and calls
 * __stack_chk_fail(), which natively panics the kernel.  kcage contains
 * the call as a crash of the module: the smashed frame never returns.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include "attack.h"

static size_t volatile len = 64;

static noinline int smash(char *buf, size_t n)
{
	size_t i;

	/* byte by byte: no memset() call, the stores are the module's own */
	for (i = 0; i < n; i++)
		((volatile char *)buf)[i] = 0x41;
	return buf[0];
}

static int attack(struct file *f)
{
	char buf[16];

	return smash(buf, len) == 0x41 ? 0 : -EINVAL;
}
