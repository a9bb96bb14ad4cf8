// SPDX-License-Identifier: GPL-2.0
/*
 * atk_memset: memset() through the kernel API over a 64-byte heap object
 * it owns, but 128 bytes long: the second half is someone else's.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "attack.h"

static size_t volatile len = 128;
static void *volatile laundered;

static int attack(struct file *f)
{
	void *obj = kmalloc(64, GFP_KERNEL);

	if (!obj)
		return -ENOMEM;
	/*
	 * Through a volatile: FORTIFY_SOURCE knows kmalloc's size and would
	 * call fortify_panic() itself; the attack is on memset.
	 */
	laundered = obj;
	/* refused: memset does not run and the module goes on */
	memset(laundered, 0x41, len);
	kfree(obj);
	return 0;
}
