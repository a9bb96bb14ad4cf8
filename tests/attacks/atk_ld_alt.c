// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_alt: an .altinstructions entry whose instruction is the first
 * five bytes of a kernel function (print_hex_dump), for a feature every
 * CPU has: apply_alternatives() would copy the replacement over the
 * kernel's text while loading the module, before any notifier sees it.
 */
#include "attack.h"

asm(".pushsection .altinstr_replacement, \"ax\"\n"
    "atk_ld_alt_repl: .byte 0xb8, 0x00, 0x00, 0x00, 0x00\n"	/* mov $0, %eax */
    ".popsection\n"
    ".pushsection .altinstructions, \"a\"\n"
    "	.long print_hex_dump - .\n"		/* instr_offset */
    "	.long atk_ld_alt_repl - .\n"	/* repl_offset */
    "	.word 3 * 32 + 21\n"		/* X86_FEATURE_ALWAYS */
    "	.byte 5\n"			/* instrlen */
    "	.byte 5\n"			/* replacementlen */
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
