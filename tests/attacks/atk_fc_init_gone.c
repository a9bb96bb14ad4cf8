// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fc_init_gone: a pointer to an __init function, kept after init
 * finished and its text was freed, called through when the attack runs.
 * The address is no longer the module's (its init text is gone from its
 * sandbox and from kallsyms), so nothing may attribute it to a function:
 * natively the call would run whatever now lies at that address.
 */
#include <linux/fs.h>
#include <linux/init.h>
#include "attack.h"

static noinline int __init gone(void)
{
	return 0;
}

/* written before init, kept after: the section mismatch is the attack */
static int (*stale)(void) __refdata = gone;

static int attack(struct file *f)
{
	int (*volatile fn)(void) = stale;

	/* refused: the call returns -EPERM and the module goes on */
	fn();
	return 0;
}
