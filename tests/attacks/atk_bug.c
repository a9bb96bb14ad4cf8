// SPDX-License-Identifier: GPL-2.0
/* atk_bug: BUG(), which natively kills the writing task with an oops. */
#include <linux/bug.h>
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	BUG();
	return 0;
}
