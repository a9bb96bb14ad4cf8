// SPDX-License-Identifier: GPL-2.0
/*
 * atk_cred: writes the current task's credentials in place: its uid and
 * euid, to 1234 (the test shell runs as root, so a change shows).
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "attack.h"

static int attack(struct file *f)
{
	/* not current_cred(): its lockdep check is a call on debug kernels */
	struct cred *cred = (struct cred *)rcu_access_pointer(current->cred);

	WRITE_ONCE(cred->uid.val, 1234);
	WRITE_ONCE(cred->euid.val, 1234);
	return 0;
}
