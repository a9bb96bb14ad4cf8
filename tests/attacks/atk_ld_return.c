// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_return: a .return_sites entry naming a kernel function
 * (print_hex_dump): apply_returns() would rewrite the return-thunk jump it
 * expects there in the kernel's text (or WARN on finding none).
 */
#include "attack.h"

asm(".pushsection .return_sites, \"a\"\n"
    "	.long print_hex_dump - .\n"
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
