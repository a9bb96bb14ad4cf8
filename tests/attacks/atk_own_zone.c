// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_zone: stores into kcage's zone at the bottom of its task's
 * kernel stack (shadow stack, gate records, grant cache: kmod/rt/zone.h)
 * through the direct-map alias of the stack's first page, which the
 * stack checks do not see: the stack is vmalloc()ed, the alias is a
 * plain page, and its policy allows kernel_heap.  It stores the shadow
 * stack's top back as it is.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "attack.h"

#define ZONE_TOP	72	/* KCAGE_SS_TOP */

static int attack(struct file *f)
{
	struct page *page = vmalloc_to_page(current->stack);
	unsigned long *top;

	if (!page)
		return -ENOENT;
	top = (unsigned long *)((char *)page_address(page) + ZONE_TOP);
	WRITE_ONCE(*top, READ_ONCE(*top));
	return 0;
}
