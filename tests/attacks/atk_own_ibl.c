// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_ibl: stores into kcage's indirect-branch lookup table, whose
 * entries a translated indirect branch jumps through without a check:
 * through %gs into the per-CPU pointer to this CPU's table (target=
 * kcage_ibl_base, its per-CPU offset), and, if that were let through,
 * into the table's first entry itself.  Its policy allows kernel_heap.
 * It stores the words already there.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long table, v;

	asm volatile("movq %%gs:(%1), %0\n\t"
		     "movq %0, %%gs:(%1)"
		     : "=&r" (table) : "r" (target) : "memory");
	v = READ_ONCE(*(unsigned long *)table);
	WRITE_ONCE(*(unsigned long *)table, v);
	return 0;
}
