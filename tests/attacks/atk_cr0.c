// SPDX-License-Identifier: GPL-2.0
/*
 * atk_cr0: mov to %cr0 of a value without CR0.WP, which would let the
 * kernel write read-only memory (its text, its page tables...).
 */
#include <linux/fs.h>
#include "attack.h"

static unsigned long volatile cr0 = 0x80040033;	/* PG AM NE ET MP PE, no WP */

static int attack(struct file *f)
{
	asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	return 0;
}
