// SPDX-License-Identifier: GPL-2.0
/*
 * kc_cross: a misc device that does as little as a driver can.  A read
 * of /dev/kc_cross returns one byte, a function of the file position, and
 * advances the position: with read(fd, buf, 1) in a loop
 * (tests/bench/tools/readbench.c) every byte is one crossing from the
 * kernel into the module and back, so a benchmark of it measures what a
 * crossing costs under kcage (the entry gate, the shadow stack, the
 * checked call to put_user) rather than any work of the module's own.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

/* Bytes readers can check: the same natively and translated. */
static u8 byte_at(loff_t pos)
{
	return (u8)(pos * 131 + (pos >> 9) + 7);
}

static ssize_t cross_read(struct file *f, char __user *ubuf, size_t len,
			  loff_t *pos)
{
	if (!len)
		return 0;
	if (put_user(byte_at(*pos), ubuf))
		return -EFAULT;
	*pos += 1;
	return 1;
}

static const struct file_operations cross_fops = {
	.owner = THIS_MODULE,
	.read = cross_read,
	.llseek = default_llseek,
};

static struct miscdevice cross_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kc_cross",
	.fops = &cross_fops,
};

static int __init kc_cross_init(void)
{
	return misc_register(&cross_dev);
}

static void __exit kc_cross_exit(void)
{
	misc_deregister(&cross_dev);
}

module_init(kc_cross_init);
module_exit(kc_cross_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcage benchmark: one byte per read");
