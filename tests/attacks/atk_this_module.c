// SPDX-License-Identifier: GPL-2.0
/*
 * atk_this_module: after load, stores a kernel function (target=
 * emergency_sync) into THIS_MODULE->exit, which delete_module() calls
 * natively at unload.  Its struct module (.gnu.linkonce.this_module) lies
 * in its writable data and holds what the kernel and kcage read of it
 * later: exit, the tables' addresses and counts, its layout.
 */
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("mov %1, %0" : "=m" (THIS_MODULE->exit) : "r" (target));
	return 0;
}
