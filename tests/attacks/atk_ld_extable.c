// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_extable: an __ex_table entry of handler type EX_TYPE_BPF for an
 * instruction of its own: on a fault there, ex_handler_bpf() would clear
 * the word at an offset from the saved registers that the entry's fixup
 * field chooses (fixup >> 8: here a little below them, on the stack; any
 * offset within 8 MiB either way is as easy).  The fixup also reads as an
 * address in the module's text, so only the type gives it away.
 */
#include "attack.h"

asm(".pushsection .text\n"
    "atk_ld_extable_insn: ret\n"
    ".popsection\n"
    ".pushsection __ex_table, \"a\"\n"
    "	.balign 4\n"
    "	.long atk_ld_extable_insn - .\n"	/* insn */
    "	.long atk_ld_extable_insn - .\n"	/* fixup */
    "	.long 7\n"				/* EX_TYPE_BPF */
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
