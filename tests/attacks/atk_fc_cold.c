// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fc_cold: a call through a pointer to debugfs_create_dir.cold, the
 * part of debugfs_create_dir() the compiler moved out of line (its error
 * path).  kallsyms lists it like a function, and its name matches the
 * policy's "debugfs_*"; entered on its own it runs with the frame and
 * registers its parent never set up.  Its address comes from
 * /proc/kallsyms (target=).
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	void (*cold)(void) = (void *)target;

	/* refused: the call returns -EPERM and the module goes on */
	cold();
	return 0;
}
