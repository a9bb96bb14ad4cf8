// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fc_static: a call through a pointer to debugfs_u64_set(), a static
 * function of the kernel's debugfs that stores a u64 wherever its first
 * argument points.  Its kallsyms name matches the policy's "debugfs_*",
 * meant for the exported debugfs API; a module cannot link against it,
 * and its address comes from /proc/kallsyms (target=).
 */
#include <linux/fs.h>
#include "attack.h"

static u64 victim;

static int attack(struct file *f)
{
	int (*set)(void *data, u64 val) = (void *)target;

	/* refused: the call returns -EPERM and the module goes on */
	set(&victim, 0x4141414141414141ull);
	return 0;
}
