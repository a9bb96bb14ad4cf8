// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_extable_sp: an __ex_table entry of handler type EX_TYPE_IMM_REG
 * (which modules' get_user() fixups use) whose register is 4: in
 * pt_regs_nr()'s numbering that is %rsp, so a fault at the instruction
 * would set the module's stack pointer to the entry's immediate (here 0,
 * a double fault), with no check of kcage's.  EX_TYPE_POP_REG, which adds
 * 8 to it on each fault (a loop of faults climbs into the kernel
 * callers' frames), is refused the same way.
 */
#include "attack.h"

asm(".pushsection .text\n"
    "atk_ld_extable_sp_insn: ret\n"
    ".popsection\n"
    ".pushsection __ex_table, \"a\"\n"
    "	.balign 4\n"
    "	.long atk_ld_extable_sp_insn - .\n"	/* insn */
    "	.long atk_ld_extable_sp_insn - .\n"	/* fixup */
    "	.long 17 | (4 << 8)\n"			/* EX_TYPE_IMM_REG, %rsp, imm 0 */
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
