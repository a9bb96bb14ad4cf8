// SPDX-License-Identifier: GPL-2.0
/*
 * kc_raid6bench: RAID-6 syndrome generation through raid6_pq, the way md
 * calls it, for make bench.  Writing N to /sys/kernel/debug/kc_raid6bench
 * runs raid6_call.gen_syndrome N times over a stripe of 6 data pages and
 * the P and Q pages; reading it gives the algorithm raid6_pq chose and a
 * checksum of P and Q.  This module stays native; sandboxed, raid6_pq's
 * code runs from kcage's code cache, entered through raid6_call's
 * function pointers.
 */
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/raid/pq.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#define DATA_DISKS 6
#define DISKS (DATA_DISKS + 2)
#define WORDS (PAGE_SIZE / sizeof(u64))

/*
 * The stripe: data pages, then P and Q.  A global symbol, because the
 * raid6_pq policy of the benchmark (tests/bench/policies/raid6_pq.yaml)
 * names P and Q as the memory raid6_pq may write, and a policy region is
 * a symbol.  kcage resolves regions when raid6_pq loads, so this module
 * loads first and finds raid6_pq when it runs (symbol_get), not through
 * a link-time dependency.
 */
u8 kc_raid6bench_stripe[DISKS][PAGE_SIZE] __aligned(PAGE_SIZE);

static DEFINE_MUTEX(lock);
static char result[96];
static struct dentry *file;

/* The same data for every run: a linear congruential sequence. */
static void fill_data(void)
{
	u32 x = 1;
	unsigned int d, i;

	for (d = 0; d < DATA_DISKS; d++) {
		for (i = 0; i < PAGE_SIZE; i++) {
			x = x * 1103515245 + 12345;
			kc_raid6bench_stripe[d][i] = x >> 16;
		}
	}
}

static int run(unsigned int n)
{
	struct raid6_calls *calls = symbol_get(raid6_call);
	void *ptrs[DISKS];
	unsigned int i;
	u64 *p;
	u32 sum;

	if (!calls)
		return -ENOENT;
	if (!calls->gen_syndrome) {	/* raid6_pq's init found no algorithm */
		symbol_put(raid6_call);
		return -ENODEV;
	}
	fill_data();
	for (i = 0; i < DISKS; i++)
		ptrs[i] = kc_raid6bench_stripe[i];
	p = ptrs[DATA_DISKS];
	for (i = 0; i < n; i++) {
		calls->gen_syndrome(DISKS, PAGE_SIZE, ptrs);
		/*
		 * Feed a word of P back into the data, so that the last
		 * syndrome depends on what every call computed.
		 */
		((u64 *)ptrs[i % DATA_DISKS])[i % WORDS] ^= p[i % WORDS] + i;
		if (!(i & 1023))
			cond_resched();
	}
	sum = crc32_le(~0, ptrs[DATA_DISKS], 2 * PAGE_SIZE);
	snprintf(result, sizeof(result), "algo=%s calls=%u sum=%08x\n",
		 calls->name, n, sum);
	symbol_put(raid6_call);
	return 0;
}

static ssize_t bench_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	unsigned int n;
	int ret = kstrtouint_from_user(buf, len, 0, &n);

	if (ret)
		return ret;
	mutex_lock(&lock);
	ret = run(n);
	mutex_unlock(&lock);
	return ret ? ret : len;
}

static ssize_t bench_read(struct file *f, char __user *buf, size_t len,
			  loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&lock);
	ret = simple_read_from_buffer(buf, len, pos, result, strlen(result));
	mutex_unlock(&lock);
	return ret;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.read = bench_read,
	.write = bench_write,
	.llseek = default_llseek,
};

static int __init kc_raid6bench_init(void)
{
	file = debugfs_create_file("kc_raid6bench", 0600, NULL, NULL,
				   &bench_fops);
	return 0;
}

static void __exit kc_raid6bench_exit(void)
{
	debugfs_remove(file);
}

module_init(kc_raid6bench_init);
module_exit(kc_raid6bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcage benchmark: RAID-6 syndromes through raid6_pq");
