// SPDX-License-Identifier: GPL-2.0
/*
 * kc_bytes: prints the bytes of kernel memory at addr= (len= of them, at
 * most 64) as "kc_bytes: <addr> <hex>", for tests that check a load did
 * not change the kernel's text.  It stays loaded doing nothing else.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/uaccess.h>

static unsigned long addr;
module_param(addr, ulong, 0);
static unsigned int len = 16;
module_param(len, uint, 0);

static int __init kc_bytes_init(void)
{
	u8 buf[64];

	len = min_t(unsigned int, len, sizeof(buf));
	if (!addr || copy_from_kernel_nofault(buf, (void *)addr, len))
		return -EFAULT;
	pr_info("kc_bytes: %lx %*phN\n", addr, len, buf);
	return 0;
}

static void __exit kc_bytes_exit(void)
{
}

module_init(kc_bytes_init);
module_exit(kc_bytes_exit);
MODULE_LICENSE("GPL");
