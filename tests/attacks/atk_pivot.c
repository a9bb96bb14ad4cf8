// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot: a stack pivot: %rsp pointed at a buffer of the module's own
 * (where a ROP chain would be), and back.  Nothing is pushed while %rsp
 * is away, so natively it is harmless.
 */
#include <linux/fs.h>
#include "attack.h"

static u8 fake_stack[512] __aligned(16);

static int attack(struct file *f)
{
	unsigned long saved;

	asm volatile("mov %%rsp, %0\n\t"
		     "lea %1, %%rsp\n\t"
		     "mov %0, %%rsp"
		     : "=&r"(saved) : "m"(fake_stack[256]) : "memory");
	return 0;
}
