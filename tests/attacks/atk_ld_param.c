// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_param: a parameter whose operations are the module's, with a
 * kernel function for ->set: loading the module with evil=... makes
 * parse_args() call panic("...") before the module's init.
 */
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include "attack.h"

static int atk_ld_param_store;

static const struct kernel_param_ops atk_ld_param_ops = {
	.set = (void *)panic,
};
module_param_cb(evil, &atk_ld_param_ops, &atk_ld_param_store, 0);

static int attack(struct file *f)
{
	return 0;
}
