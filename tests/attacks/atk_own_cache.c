// SPDX-License-Identifier: GPL-2.0
/*
 * atk_own_cache: stores into kcage's code cache (target=
 * kcage_cache_area) through the direct-map alias of its page: the cache
 * lies in kcage's module image, whose pages are vmalloc()ed, so the
 * alias is an ordinary page to the kernel_heap decision its policy
 * allows.  It stores the word already there.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "attack.h"

static int attack(struct file *f)
{
	struct page *page = vmalloc_to_page((void *)target);
	unsigned long *p;

	if (!page)
		return -ENOENT;
	p = (unsigned long *)((char *)page_address(page) + (target & ~PAGE_MASK));
	WRITE_ONCE(*p, READ_ONCE(*p));
	return 0;
}
