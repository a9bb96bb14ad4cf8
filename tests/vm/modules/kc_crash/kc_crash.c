// SPDX-License-Identifier: GPL-2.0
/*
 * kc_crash: a module that crashes on request, to show that kcage contains
 * its crashes.  Files in /sys/kernel/debug/kc_crash/:
 *
 *   ok        read: "ok <n>" where n counts reads; proves the module runs
 *   bug       write: BUG()
 *   null      write: read through a NULL pointer
 *   gpf       write: read through a non-canonical pointer (#GP)
 *   locked    write: BUG() with interrupts and preemption off
 *   nested    write: sorts a list whose compare function BUGs on its first
 *             call; the sort (kernel code) goes on, and the write succeeds
 *             once the sort returns into the module
 *   timer     write: arms a timer whose callback reads through NULL
 *   trace     write: dump_stack() three calls deep; returns the length
 *
 * With crash_in_init=1 its init function BUGs after creating the files.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/list_sort.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

static bool crash_in_init;
module_param(crash_in_init, bool, 0444);

static struct dentry *dir;
static atomic_t reads;
static struct timer_list timer;
static int * volatile null_ptr;
static unsigned long volatile bad_addr = 0xdead000000000000ul;

static ssize_t ok_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	char msg[32];
	int n = snprintf(msg, sizeof(msg), "ok %d\n", atomic_inc_return(&reads));

	return simple_read_from_buffer(buf, len, pos, msg, n);
}

static ssize_t bug_write(struct file *f, const char __user *buf, size_t len,
			 loff_t *pos)
{
	BUG();
	return len;
}

static ssize_t null_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	return len + *null_ptr;
}

static ssize_t gpf_write(struct file *f, const char __user *buf, size_t len,
			 loff_t *pos)
{
	return len + *(int *)bad_addr;
}

static ssize_t locked_write(struct file *f, const char __user *buf, size_t len,
			    loff_t *pos)
{
	local_irq_disable();
	preempt_disable();
	BUG();
	preempt_enable();
	local_irq_enable();
	return len;
}

struct item {
	struct list_head node;
	int key;
};

static int compares;

static int compare(void *priv, const struct list_head *a,
		   const struct list_head *b)
{
	if (compares++ == 0)
		BUG();
	return list_entry(a, struct item, node)->key -
	       list_entry(b, struct item, node)->key;
}

static ssize_t nested_write(struct file *f, const char __user *buf, size_t len,
			    loff_t *pos)
{
	struct item items[8];
	LIST_HEAD(list);
	int i;

	for (i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].key = (i * 5) % 8;
		list_add_tail(&items[i].node, &list);
	}
	compares = 0;
	list_sort(NULL, &list, compare);
	return len;
}

static void timer_fn(struct timer_list *t)
{
	pr_info("kc_crash: timer read %d\n", *null_ptr);
}

static ssize_t timer_write(struct file *f, const char __user *buf, size_t len,
			   loff_t *pos)
{
	mod_timer(&timer, jiffies + 1);
	return len;
}

static noinline int trace_depth3(int x)
{
	dump_stack();
	return x + 3;
}

static noinline int trace_depth2(int x)
{
	return trace_depth3(x + 2) + 1;
}

static noinline int trace_depth1(int x)
{
	return trace_depth2(x + 1) + 1;
}

static ssize_t trace_write(struct file *f, const char __user *buf, size_t len,
			   loff_t *pos)
{
	return trace_depth1(0) > 0 ? len : -EINVAL;
}

#define FOPS(name, op) \
	static const struct file_operations name##_fops = { .op = name##_##op }

FOPS(ok, read);
FOPS(bug, write);
FOPS(null, write);
FOPS(gpf, write);
FOPS(locked, write);
FOPS(nested, write);
FOPS(timer, write);
FOPS(trace, write);

static int __init kc_crash_init(void)
{
	dir = debugfs_create_dir("kc_crash", NULL);
	debugfs_create_file("ok", 0444, dir, NULL, &ok_fops);
	debugfs_create_file("bug", 0200, dir, NULL, &bug_fops);
	debugfs_create_file("null", 0200, dir, NULL, &null_fops);
	debugfs_create_file("gpf", 0200, dir, NULL, &gpf_fops);
	debugfs_create_file("locked", 0200, dir, NULL, &locked_fops);
	debugfs_create_file("nested", 0200, dir, NULL, &nested_fops);
	debugfs_create_file("timer", 0200, dir, NULL, &timer_fops);
	debugfs_create_file("trace", 0200, dir, NULL, &trace_fops);
	timer_setup(&timer, timer_fn, 0);
	BUG_ON(crash_in_init);
	return 0;
}

static void __exit kc_crash_exit(void)
{
	del_timer_sync(&timer);
	debugfs_remove_recursive(dir);
}

module_init(kc_crash_init);
module_exit(kc_crash_exit);
MODULE_LICENSE("GPL");
