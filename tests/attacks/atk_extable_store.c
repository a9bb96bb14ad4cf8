// SPDX-License-Identifier: GPL-2.0
/*
 * atk_extable_store: a store with an exception-table entry of the
 * module's own (as put_user() has), aimed at modprobe_path (target=).
 * The module writes its exception table: the entry must not exempt the
 * store from its check.
 */
#include <linux/fs.h>
#include <asm/asm.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("1: mov %0, (%1)\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : : "r"(evil), "r"(target) : "memory");
	return 0;
}
