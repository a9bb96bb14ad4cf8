// SPDX-License-Identifier: GPL-2.0
/*
 * atk_cr4: mov to %cr4 of a value without SMEP and SMAP, which would let
 * the kernel run and read user memory.
 */
#include <linux/fs.h>
#include "attack.h"

static unsigned long volatile cr4 = 0x000006f0;	/* PSE PAE MCE PGE OSFXSR OSXMMEXCPT */

static int attack(struct file *f)
{
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	return 0;
}
