// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_param_arg: a parameter with the kernel's own int operations whose
 * storage is a kernel variable (panic_timeout): loading the module with
 * evil=N makes parse_args() write N into the kernel.
 */
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include "attack.h"

module_param_named(evil, panic_timeout, int, 0);

static int attack(struct file *f)
{
	return 0;
}
