// SPDX-License-Identifier: GPL-2.0
/*
 * kc_hammer: a character device that sleeps in every way a driver does,
 * for a test that hammers it from many tasks while CPUs go offline and
 * online.  A read of /dev/kc_hammer fills the buffer with bytes that
 * depend only on the file position, so readers can check what they get;
 * on the way it takes a mutex, a spinlock with interrupts off, waits on
 * a wait queue that a timer (interrupt context, also translated) wakes,
 * and sleeps in msleep() now and then.  /sys/kernel/debug/kc_hammer
 * counts reads, and reads that woke up on another CPU than they slept on.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

static DEFINE_MUTEX(lock);
static DEFINE_SPINLOCK(stats_lock);
static DECLARE_WAIT_QUEUE_HEAD(tick_wq);
static struct timer_list tick_timer;
static atomic_t ticks;
static atomic_t readers;
static u64 nr_reads, nr_migrated, nr_ticks;
static struct dentry *stats_file;

static void tick(struct timer_list *t)
{
	atomic_inc(&ticks);
	wake_up_all(&tick_wq);
	if (atomic_read(&readers))
		mod_timer(&tick_timer, jiffies + 1);
}

static u8 byte_at(loff_t pos)
{
	return (u8)(pos * 31 + (pos >> 8) + 7);
}

static void fill(u8 *buf, size_t len, loff_t pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = byte_at(pos + i);
}

/* Wait for the next timer tick, as a driver waits for its device. */
static void wait_tick(void)
{
	int seen = atomic_read(&ticks);

	atomic_inc(&readers);
	mod_timer(&tick_timer, jiffies + 1);
	wait_event_timeout(tick_wq, atomic_read(&ticks) != seen, HZ / 10);
	atomic_dec(&readers);
}

static ssize_t hammer_read(struct file *f, char __user *ubuf, size_t len,
			   loff_t *pos)
{
	u8 buf[256];
	unsigned long flags;
	int cpu = raw_smp_processor_id();
	bool moved;

	len = min(len, sizeof(buf));
	mutex_lock(&lock);
	fill(buf, len, *pos);
	mutex_unlock(&lock);
	wait_tick();
	if (byte_at(*pos) % 8 == 0)
		msleep(1);
	else
		cond_resched();
	moved = raw_smp_processor_id() != cpu;
	spin_lock_irqsave(&stats_lock, flags);
	nr_reads++;
	nr_migrated += moved;
	nr_ticks = atomic_read(&ticks);
	spin_unlock_irqrestore(&stats_lock, flags);
	if (copy_to_user(ubuf, buf, len))
		return -EFAULT;
	*pos += len;
	return len;
}

static const struct file_operations hammer_fops = {
	.owner = THIS_MODULE,
	.read = hammer_read,
	.llseek = default_llseek,
};

static struct miscdevice hammer_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kc_hammer",
	.fops = &hammer_fops,
};

static int stats_show(struct seq_file *m, void *v)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	seq_printf(m, "reads=%llu\nmigrated=%llu\nticks=%llu\n",
		   nr_reads, nr_migrated, nr_ticks);
	spin_unlock_irqrestore(&stats_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init kc_hammer_init(void)
{
	timer_setup(&tick_timer, tick, 0);
	stats_file = debugfs_create_file("kc_hammer", 0444, NULL, NULL,
					 &stats_fops);
	return misc_register(&hammer_dev);
}

static void __exit kc_hammer_exit(void)
{
	misc_deregister(&hammer_dev);
	debugfs_remove(stats_file);
	del_timer_sync(&tick_timer);
}

module_init(kc_hammer_init);
module_exit(kc_hammer_exit);
MODULE_LICENSE("GPL");
