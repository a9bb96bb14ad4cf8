// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_policy: follows kcage's registry of sandboxes (target= the
 * list head, "sandboxes" in kcage.ko) to its own sandbox record and
 * stores into it, where its mode, actions and policy live: the first
 * step of switching itself to audit mode or to another policy.  Its
 * policy allows kernel_heap, under which a store into any other slab
 * object goes through.  Reads are not checked (no check_reads), so the
 * walk itself is allowed.  It stores the word already there (the
 * record's first word): a store that got through shows as a missing
 * violation, not as a broken test VM.
 */
#include <linux/fs.h>
#include <linux/list.h>
#include "attack.h"

/*
 * struct kcage_sandbox starts with two words (quarantined, stats), then
 * its registry node, then the module (kmod/sandbox/sandbox_priv.h).
 */
#define NODE_OFFSET	16

static int attack(struct file *f)
{
	struct list_head *head = (struct list_head *)target, *n;
	int i = 0;

	for (n = READ_ONCE(head->next); n != head && i < 1000;
	     n = READ_ONCE(n->next), i++) {
		unsigned long *rec = (unsigned long *)((char *)n - NODE_OFFSET);
		struct module *mod = *(struct module **)((char *)n + sizeof(*n));

		if (mod != THIS_MODULE)
			continue;
		WRITE_ONCE(rec[0], READ_ONCE(rec[0]));
		return 0;
	}
	return -ENOENT;
}
