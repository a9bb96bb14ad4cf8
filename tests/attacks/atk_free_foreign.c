// SPDX-License-Identifier: GPL-2.0
/*
 * atk_free_foreign: frees an object the module does not own: the struct
 * file the kernel passed it, which the kernel goes on using.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "attack.h"

static int attack(struct file *f)
{
	/* refused: kfree does not run and the module goes on */
	kfree(f);
	return 0;
}
