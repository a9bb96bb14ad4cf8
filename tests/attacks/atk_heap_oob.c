// SPDX-License-Identifier: GPL-2.0
/*
 * atk_heap_oob: a store just past the end of a 64-byte heap object the
 * module allocated, into whatever the slab put next to it.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "attack.h"

static u64 *obj;

/*
 * keep=1: store back the neighbour's own bytes.  For a policy that lets
 * the store through (kernel_heap, tests/vm/tests/kernel_heap.sh): the
 * neighbour may be a live object.
 */
static bool keep;
module_param(keep, bool, 0);

static int attack(struct file *f)
{
	u64 v = 0x4141414141414141UL;

	if (obj)	/* the object of an earlier run */
		kfree(obj);
	obj = kmalloc(64, GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	/* in asm: the compiler and a KASAN kernel would report it first */
	if (keep)
		asm volatile("movq %1, %0" : "=r"(v) : "m"(obj[8]));
	asm volatile("movq %1, %0" : "=m"(obj[8]) : "r"(v));
	return 0;
}
