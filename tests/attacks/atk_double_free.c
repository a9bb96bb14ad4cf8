// SPDX-License-Identifier: GPL-2.0
/*
 * atk_double_free: frees a heap object twice (the second free would
 * corrupt the slab's free list).
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "attack.h"

static void *volatile obj;

static int attack(struct file *f)
{
	obj = kmalloc(64, GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	kfree(obj);
	/* refused: kfree does not run and the module goes on */
	kfree(obj);
	return 0;
}
