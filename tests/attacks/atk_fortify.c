// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fortify: memset() 128 bytes into a 64-byte heap object where
 * FORTIFY_SOURCE sees the object's size: the compiled-in check calls
 * fortify_panic(), which natively BUG()s in kernel code and kills the
 * task.  kcage contains the call as a crash of the module.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "attack.h"

static size_t volatile len = 128;

static int attack(struct file *f)
{
	char *obj = kmalloc(64, GFP_KERNEL);

	if (!obj)
		return -ENOMEM;
	memset(obj, 0x41, len);
	kfree(obj);
	return 0;
}
