// SPDX-License-Identifier: GPL-2.0
/*
 * atk_cache: writes kcage's code cache (target=kcage_cache_area), where
 * the translations the module runs live.  It stores the word already
 * there: a store that got through would show as a missing violation, not
 * as a broken test VM.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long *p = (unsigned long *)target;

	WRITE_ONCE(*p, READ_ONCE(*p));
	return 0;
}
