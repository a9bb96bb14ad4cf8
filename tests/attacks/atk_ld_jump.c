// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_jump: a __jump_table entry whose code is the start of a kernel
 * function (print_hex_dump), its target this module's code and its key
 * the module's own: enabling the key (run) would make the kernel's
 * jump-label code patch "jmp target" into the kernel function (where the
 * function starts with a 5-byte nop, its ftrace site; elsewhere it
 * BUG()s on the unexpected bytes).
 */
#include <linux/jump_label.h>
#include "attack.h"

DEFINE_STATIC_KEY_FALSE(atk_ld_jump_key);

asm(".pushsection .text\n"
    ".globl atk_ld_jump_target\n"
    "atk_ld_jump_target: ret\n"
    ".popsection\n"
    ".pushsection __jump_table, \"aw\"\n"
    "	.balign 8\n"
    "	.long print_hex_dump - .\n"			/* code */
    "	.long atk_ld_jump_target - .\n"		/* target */
    "	.quad atk_ld_jump_key - .\n"		/* key */
    ".popsection\n");

static int attack(struct file *f)
{
	static_branch_enable(&atk_ld_jump_key);
	return 0;
}
