// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pcpu_tail: a %gs-relative store near the end of this CPU's unit of
 * the first per-CPU chunk (target= is pcpu_unit_size, which the module
 * reads).  Past the static, module and dynamic parts, the unit's tail was
 * handed back to the page allocator at boot and holds any page it gave
 * out since (a cred_jar slab, a page table): not per-CPU data.  The store
 * is "lock orb $0", which changes nothing if it runs.
 */
#include <linux/fs.h>
#include <linux/preempt.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long off = *(int *)target - 64;

	preempt_disable();
	asm volatile("lock orb $0, %%gs:(%0)" : : "r"(off) : "memory");
	preempt_enable();
	return 0;
}
