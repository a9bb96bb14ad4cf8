// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_std: std, then rep stosb from the start of a buffer: with DF
 * set the string store runs downwards, below the start a check of
 * [%rdi, %rdi + %rcx) would allow.  std is never allowed: refused, the
 * deny skips it and the stores run upwards inside the buffer.  The module
 * checks the bytes below its buffer itself: -EINVAL had they changed.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include "attack.h"

static struct {
	char below[64];
	char buf[64];
} area;

static int attack(struct file *f)
{
	void *dst = area.buf;
	unsigned long n = sizeof(area.buf);
	unsigned int i;

	asm volatile("std\n\t"
		     "rep stosb\n\t"
		     "cld"
		     : "+D"(dst), "+c"(n) : "a"(0x41) : "memory");
	for (i = 0; i < sizeof(area.below); i++)
		if (READ_ONCE(area.below[i]))
			return -EINVAL;
	return 0;
}
