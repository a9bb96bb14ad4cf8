// SPDX-License-Identifier: GPL-2.0
/*
 * atk_heap_oob: a store just past the end of a 64-byte heap object the
 * module allocated, into whatever the slab put next to it.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "attack.h"

static u64 *obj;

static int attack(struct file *f)
{
	if (obj)	/* the object of an earlier run */
		kfree(obj);
	obj = kmalloc(64, GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	/* in asm: the compiler and a KASAN kernel would report it first */
	asm volatile("movq %1, %0" : "=m"(obj[8]) : "r"(0x4141414141414141UL));
	return 0;
}
