// SPDX-License-Identifier: GPL-2.0
/*
 * kc_faults: accesses that fault and are fixed up through the module's own
 * exception table (unsafe_get_user()/unsafe_put_user() are inline asm with
 * entries in it), and through the kernel's (__get_user(), copy_from_user(),
 * get_kernel_nofault(), strncpy_from_user() call into the kernel).
 * Reading /proc/kc_faults prints what each returned; natively and
 * translated the answers must be the same, with nothing in the log.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <asm/msr.h>

/* Unmapped: the first user page, and the guard hole below the direct map. */
#define BAD_USER	((void __user *)0x10)
#define BAD_KERNEL	((u32 *)0xffff800000000000ul)

/* Inline user accesses: the fault lands in this module's own code. */
static noinline int inline_get(u32 __user *p, u32 *val)
{
	if (!user_access_begin(p, sizeof(*p)))
		return -EFAULT;
	unsafe_get_user(*val, p, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static noinline int inline_put(u32 __user *p, u32 val)
{
	if (!user_access_begin(p, sizeof(*p)))
		return -EFAULT;
	unsafe_put_user(val, p, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static int kc_faults_show(struct seq_file *m, void *v)
{
	u32 val = 0x5a5a5a5a, lo, hi;
	u8 buf[8];
	int ret;

	ret = inline_get((u32 __user *)BAD_USER, &val);
	seq_printf(m, "unsafe_get_user=%d\n", ret);
	ret = inline_put((u32 __user *)BAD_USER, val);
	seq_printf(m, "unsafe_put_user=%d\n", ret);
	ret = __get_user(val, (u32 __user *)BAD_USER);
	seq_printf(m, "__get_user=%d val=%x\n", ret, val);
	ret = __put_user(val, (u32 __user *)BAD_USER);
	seq_printf(m, "__put_user=%d\n", ret);
	seq_printf(m, "copy_from_user=%lu\n", copy_from_user(buf, BAD_USER, sizeof(buf)));
	ret = get_kernel_nofault(val, BAD_KERNEL);
	seq_printf(m, "get_kernel_nofault=%d\n", ret);
	ret = rdmsr_safe(0xdeadbeef, &lo, &hi);
	seq_printf(m, "rdmsr_safe=%d\n", ret);
	ret = strncpy_from_user(buf, BAD_USER, sizeof(buf));
	seq_printf(m, "strncpy_from_user=%d\n", ret);
	return 0;
}

static int kc_faults_open(struct inode *inode, struct file *file)
{
	return single_open(file, kc_faults_show, NULL);
}

static const struct proc_ops kc_faults_ops = {
	.proc_open = kc_faults_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init kc_faults_init(void)
{
	return proc_create("kc_faults", 0444, NULL, &kc_faults_ops) ? 0 : -ENOMEM;
}

static void __exit kc_faults_exit(void)
{
	remove_proc_entry("kc_faults", NULL);
}

module_init(kc_faults_init);
module_exit(kc_faults_exit);
MODULE_LICENSE("GPL");
