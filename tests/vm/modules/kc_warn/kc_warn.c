// SPDX-License-Identifier: GPL-2.0
/*
 * kc_warn: a module that WARNs when loaded.  Used by tests/vm/broken/ to
 * prove that the VM harness fails a test on an unexpected kernel splat.
 */
#include <linux/module.h>

static int __init kc_warn_init(void)
{
	WARN(1, "kc_warn: deliberate warning");
	return 0;
}

static void __exit kc_warn_exit(void)
{
}

module_init(kc_warn_init);
module_exit(kc_warn_exit);
MODULE_LICENSE("GPL");
