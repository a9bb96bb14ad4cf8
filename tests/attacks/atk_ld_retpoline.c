// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_retpoline: a .retpoline_sites entry naming a kernel function
 * (print_hex_dump): apply_retpolines() would rewrite the "indirect call" it
 * expects there in the kernel's text (or WARN on finding none).
 */
#include "attack.h"

asm(".pushsection .retpoline_sites, \"a\"\n"
    "	.long print_hex_dump - .\n"
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
