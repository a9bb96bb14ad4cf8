// SPDX-License-Identifier: GPL-2.0
/*
 * atk_noreturn: a call the policy refuses to a kernel function that never
 * returns (module_put_and_kthread_exit(), from a task that is not the
 * module's thread).  A refused call normally returns -EPERM to the
 * module, but the compiler put nothing after this call: going on would
 * run whatever bytes follow.  kcage abandons the module's entry instead.
 */
#include <linux/fs.h>
#include <linux/kthread.h>
#include "attack.h"

static int volatile go = 1;

static int attack(struct file *f)
{
	if (go)
		module_put_and_kthread_exit(0);
	return 0;
}
