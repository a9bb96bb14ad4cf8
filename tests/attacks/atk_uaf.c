// SPDX-License-Identifier: GPL-2.0
/*
 * atk_uaf: a store into a heap object after the module freed it (the
 * slab may already have handed it to someone else).
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "attack.h"

static u64 *volatile stale;

static int attack(struct file *f)
{
	stale = kmalloc(64, GFP_KERNEL);
	if (!stale)
		return -ENOMEM;
	kfree(stale);
	/* in asm: a KASAN kernel's own check would report it first */
	asm volatile("movq %1, %0" : "=m"(stale[1]) : "r"(0x4141414141414141UL));
	return 0;
}
