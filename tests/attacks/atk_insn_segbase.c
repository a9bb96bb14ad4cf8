// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_segbase: wrgsbase to 0, moving the kernel's per-CPU area (and
 * with it current, the preempt count and the stack canary) to an address
 * the attacker picks.  Never allowed: refused, the deny skips it.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("wrgsbase %0" : : "r"(0UL) : "memory");
	return 0;
}
