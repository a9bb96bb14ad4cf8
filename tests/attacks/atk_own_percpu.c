// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_percpu: stores into kcage's per-CPU indirect-branch lookup
 * table (target= kcage_ibl_table, the table's per-CPU offset) through
 * %gs, as this_cpu_write() would: an entry's key and translation are
 * what a translated indirect branch jumps to without a check.  Its
 * policy allows kernel_heap, whose dynamic per-CPU data (alloc_percpu())
 * the table was allocated as.  It stores the first entry's key back
 * as it is.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long off = READ_ONCE(*(unsigned long *)target), v;

	asm volatile("movq %%gs:(%1), %0\n\t"
		     "movq %0, %%gs:(%1)"
		     : "=&r" (v) : "r" (off) : "memory");
	return 0;
}
