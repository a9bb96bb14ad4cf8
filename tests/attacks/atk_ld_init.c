// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_init: the module's struct module (.gnu.linkonce.this_module)
 * names a kernel function (dump_stack) as its init: do_init_module()
 * would call it.  The build points the relocation of mod->init at
 * dump_stack (patch-init.py), as a hand-made ELF file can.
 */
#include <linux/printk.h>
#include "attack.h"

static int attack(struct file *f)
{
	dump_stack();	/* dump_stack: an import the relocation can name */
	return 0;
}
