// SPDX-License-Identifier: GPL-2.0
/*
 * atk_smc: self-modifying code.  smc_value() is "mov $1, %eax; ret"; the
 * attack rewrites its immediate to 2 and calls it again, expecting the
 * new code to run.
 */
#include <linux/fs.h>
#include <linux/linkage.h>
#include "attack.h"

int smc_value(void);
asm(".pushsection .text\n"
    ".globl smc_value\n"
    ".type smc_value, @function\n"
    "smc_value:\n"
    "	movl $1, %eax\n"
    "	" ASM_RET
    ".size smc_value, . - smc_value\n"
    ".popsection\n");

static int attack(struct file *f)
{
	u8 *imm = (u8 *)smc_value + 1;

	if (smc_value() != 1)
		return -EINVAL;
	WRITE_ONCE(*imm, 2);
	return smc_value() == 2 ? 0 : -EINVAL;
}
