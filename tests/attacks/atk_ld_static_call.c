// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_static_call: a .static_call_sites entry whose call site is the
 * start of a kernel function (print_hex_dump) and whose key is the
 * module's own static call: static_call_add_module() would patch "call
 * atk_ld_sc_fn" into the kernel function at MODULE_STATE_COMING.
 */
#include <linux/static_call.h>
#include "attack.h"

static int atk_ld_sc_fn(void)
{
	return 0;
}

DEFINE_STATIC_CALL(atk_ld_sc, atk_ld_sc_fn);

asm(".pushsection .static_call_sites, \"aw\"\n"
    "	.long print_hex_dump - .\n"			/* addr */
    "	.long __SCK__atk_ld_sc - .\n"		/* key */
    ".popsection\n");

static int attack(struct file *f)
{
	return static_call(atk_ld_sc)();
}
