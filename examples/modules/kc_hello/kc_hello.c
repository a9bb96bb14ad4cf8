// SPDX-License-Identifier: GPL-2.0
/*
 * kc_hello: the smallest useful driver to run under kcage.  It exposes
 * /proc/kc_hello; reading it prints a checksum computed through a table of
 * function pointers (indirect calls), a switch (a jump table) and a loop,
 * so the same numbers come out natively and translated.  Writing a number
 * sets the seed; the seed= parameter sets the first one.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static u32 seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "the seed until one is written (default 1)");

static u32 mix_add(u32 h, u32 v) { return h + v * 31; }
static u32 mix_xor(u32 h, u32 v) { return (h ^ v) * 16777619u; }
static u32 mix_rot(u32 h, u32 v) { return ((h << 5) | (h >> 27)) + v; }

static u32 (*const mixers[])(u32, u32) = { mix_add, mix_xor, mix_rot };

static noinline u32 step(u32 h, u32 i)
{
	switch (i % 7) {
	case 0: return h + 1;
	case 1: return h ^ 0x5bd1e995;
	case 2: return h * 3;
	case 3: return h - i;
	case 4: return h >> 1 | h << 31;
	case 5: return ~h;
	default: return h + i * i;
	}
}

static noinline u32 checksum(u32 s, unsigned int rounds)
{
	u32 h = s;
	unsigned int i;

	for (i = 0; i < rounds; i++)
		h = mixers[i % ARRAY_SIZE(mixers)](step(h, i), i);
	return h;
}

static int kc_hello_show(struct seq_file *m, void *v)
{
	seq_printf(m, "seed=%u checksum=%08x\n", seed, checksum(seed, 1000));
	return 0;
}

static int kc_hello_open(struct inode *inode, struct file *file)
{
	return single_open(file, kc_hello_show, NULL);
}

static ssize_t kc_hello_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	int ret = kstrtou32_from_user(buf, len, 0, &seed);

	return ret ? ret : len;
}

static const struct proc_ops kc_hello_ops = {
	.proc_open = kc_hello_open,
	.proc_read = seq_read,
	.proc_write = kc_hello_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init kc_hello_init(void)
{
	if (!proc_create("kc_hello", 0644, NULL, &kc_hello_ops))
		return -ENOMEM;
	pr_info("kc_hello: loaded, checksum(1)=%08x\n", checksum(1, 1000));
	return 0;
}

static void __exit kc_hello_exit(void)
{
	remove_proc_entry("kc_hello", NULL);
}

module_init(kc_hello_init);
module_exit(kc_hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcage example driver");
