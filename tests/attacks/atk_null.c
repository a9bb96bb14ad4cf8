// SPDX-License-Identifier: GPL-2.0
/*
 * atk_null: a NULL pointer dereference, natively an oops.  A load: its
 * policy does not check loads, so it faults and is contained (a store
 * through NULL is refused by the store check before it can fault).
 */
#include <linux/fs.h>
#include "attack.h"

static int *volatile ptr;

static int attack(struct file *f)
{
	return READ_ONCE(*ptr);
}
