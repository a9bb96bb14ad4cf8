// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fptr_kfunc: a function pointer overwritten with commit_creds, a
 * kernel function the policy denies, then called.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include "attack.h"

static int (*volatile handler)(struct cred *);

static int attack(struct file *f)
{
	handler = commit_creds;
	/* refused: the call returns -EPERM and the module goes on */
	handler(NULL);
	return 0;
}
