/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shape every attack module shares: a debugfs directory named after
 * the module with one write-only file, "run".  Writing it runs the attack
 * once; the write returns the attack's error, or the length written when
 * the attack returns 0 (it went on after a refused call, or ran through).
 *
 * A module includes this header and defines
 *
 *	static int attack(struct file *f);
 *
 * A module that leaves something registered with the kernel defines
 * ATTACK_CLEANUP before including this header and
 *
 *	static void attack_cleanup(void);
 *
 * which its exit calls first.  Attacks that need an address the
 * module cannot link against take it as the parameter target=0x...,
 * which the test reads from /proc/kallsyms.
 */
#ifndef ATTACK_H
#define ATTACK_H

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>

static unsigned long target;
module_param(target, ulong, 0);
MODULE_PARM_DESC(target, "address the attack aims at (from /proc/kallsyms)");

static struct dentry *attack_dir;

static int attack(struct file *f);
#ifdef ATTACK_CLEANUP
static void attack_cleanup(void);
#endif

static ssize_t run_write(struct file *f, const char __user *buf, size_t len,
			 loff_t *pos)
{
	int ret = attack(f);

	return ret ? ret : len;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static int __init attack_init(void)
{
	attack_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0200, attack_dir, NULL, &run_fops);
	return 0;
}

static void __exit attack_exit(void)
{
#ifdef ATTACK_CLEANUP
	attack_cleanup();
#endif
	debugfs_remove_recursive(attack_dir);
}

module_init(attack_init);
module_exit(attack_exit);
MODULE_LICENSE("GPL");

#endif /* ATTACK_H */
