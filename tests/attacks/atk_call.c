// SPDX-License-Identifier: GPL-2.0
/*
 * atk_call: a direct call to call_usermodehelper(), which the policy
 * denies: it would run "touch /tmp/atk_pwned" as root.
 */
#include <linux/fs.h>
#include <linux/umh.h>
#include "attack.h"

static int attack(struct file *f)
{
	static char *argv[] = { "/bin/busybox", "touch", "/tmp/atk_pwned", NULL };
	static char *envp[] = { "PATH=/bin", NULL };

	/* refused: the call returns -EPERM and the module goes on */
	call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
	return 0;
}
