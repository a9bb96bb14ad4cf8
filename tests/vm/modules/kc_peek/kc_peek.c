// SPDX-License-Identifier: GPL-2.0
/*
 * kc_peek: reads the native bytes of another module's exported function
 * (default kc_forms_probe) and calls it directly, as any module may.  A
 * test compares a native load with a sandboxed one: under kcage the bytes
 * after the ftrace site must all be int3, and the call must still return
 * the native answer, which it can only do through translation.
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/uaccess.h>

static char *sym = "kc_forms_probe";
module_param(sym, charp, 0444);

/* The symbol's size from "name+0xoff/0xsize [mod]" (sprint_symbol). */
static unsigned long symbol_size(void *addr)
{
	char buf[KSYM_SYMBOL_LEN], *slash;
	unsigned long size;

	sprint_symbol(buf, (unsigned long)addr);
	slash = strchr(buf, '/');
	if (!slash)
		return 0;
	*strchrnul(slash, ' ') = '\0';
	return kstrtoul(slash + 1, 16, &size) ? 0 : size;
}

static int __init kc_peek_init(void)
{
	u32 (*fn)(u32) = __symbol_get(sym);
	unsigned long size, i, int3 = 0;
	u8 bytes[512];

	if (!fn)
		return -ENOENT;
	size = min(symbol_size(fn), sizeof(bytes));
	if (size <= 5 || copy_from_kernel_nofault(bytes, fn, size)) {
		symbol_put_addr(fn);
		return -EINVAL;
	}
	/* the first 5 bytes are the ftrace site, which the kernel patches */
	for (i = 5; i < size; i++)
		int3 += bytes[i] == 0xcc;
	pr_info("kc_peek: %s size=%lu int3=%lu/%lu result=%08x\n",
		sym, size, int3, size - 5, fn(7));
	symbol_put_addr(fn);
	return 0;
}

static void __exit kc_peek_exit(void)
{
}

module_init(kc_peek_init);
module_exit(kc_peek_exit);
MODULE_LICENSE("GPL");
