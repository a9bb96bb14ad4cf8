// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_percpu: stores into kcage's dynamic per-CPU data through %gs,
 * as this_cpu_write() would: its own sandbox's per-CPU statistics, which
 * kcage allocated with alloc_percpu(), found through kcage's registry
 * (target= its list head, "sandboxes") like atk_own_policy.  Its policy
 * allows kernel_heap, which covers what alloc_percpu() hands out.  It
 * stores the word already there.
 */
#include <linux/fs.h>
#include <linux/list.h>
#include "attack.h"

/* struct kcage_sandbox: quarantined, stats, node, mod (sandbox_priv.h) */
#define NODE_OFFSET	16

static int attack(struct file *f)
{
	struct list_head *head = (struct list_head *)target, *n;
	int i = 0;

	for (n = READ_ONCE(head->next); n != head && i < 1000;
	     n = READ_ONCE(n->next), i++) {
		unsigned long *rec = (unsigned long *)((char *)n - NODE_OFFSET);
		struct module *mod = *(struct module **)((char *)n + sizeof(*n));
		unsigned long off = rec[1], v;

		if (mod != THIS_MODULE)
			continue;
		asm volatile("movq %%gs:(%1), %0\n\t"
			     "movq %0, %%gs:(%1)"
			     : "=&r" (v) : "r" (off) : "memory");
		return 0;
	}
	return -ENOENT;
}
