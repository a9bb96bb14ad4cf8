// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/kcage: counters for tests and for curious humans.
 * Not an ABI; the netlink family is.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "enforce/access.h"
#include "rt/cache.h"
#include "debugfs.h"
#include "poison.h"
#include "enforce/enforce.h"
#include "dbt/fixup.h"
#include "dbt/flush.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"
#include "watch.h"
#include "sandbox/violation.h"
#include "dbt/xlate.h"

static struct dentry *kcage_dir;

DEFINE_SHOW_ATTRIBUTE(kcage_watch);
DEFINE_SHOW_ATTRIBUTE(kcage_sandbox);

/* "stats": the translator's counters summed over CPUs, one key=value a line. */
static int kcage_stats_show(struct seq_file *m, void *unused)
{
	struct kcage_xlate_stats s;
	unsigned int chunks, total;
	unsigned long flushes, freed;

	kcage_xlate_stats(&s);
	chunks = kcage_cache_chunks(&total);
	seq_printf(m, "blocks=%llu\nnative_bytes=%llu\ncache_bytes=%llu\n",
		   s.blocks, s.native_bytes, s.cache_bytes);
	seq_printf(m, "entries=%llu\nexits=%llu\nlinks=%llu\n",
		   s.entries, s.exits, s.links);
	seq_printf(m, "indirect=%llu\nindirect_new=%llu\nnative_execs=%ld\n",
		   s.indirect, s.indirect_new, kcage_poison_native_execs());
	seq_printf(m, "cache_chunks=%u\ncache_chunks_total=%u\n", chunks, total);
	kcage_flush_stats(&flushes, &freed);
	seq_printf(m, "flushes=%lu\nflushed_chunks=%lu\n", flushes, freed);
	seq_printf(m, "fixups=%lu\n", kcage_fixup_count());
	seq_printf(m, "refused=%llu\nviolations=%lu\n", s.refused,
		   kcage_violation_count());
	seq_printf(m, "xlate_ns=%llu\nchecks_slow=%lu\nchecks_coalesced=%lu\n",
		   s.xlate_ns, kcage_access_slow_count(),
		   kcage_bounds_coalesced_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kcage_stats);
DEFINE_SHOW_ATTRIBUTE(kcage_policy);

/*
 * "release": write a module name to lift its quarantine, even against its
 * policy's "release: false": the test VM's cleanup between tests.  The
 * interface for administrators is netlink (kcage release).
 */
static ssize_t release_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	char name[MODULE_NAME_LEN];
	int ret;

	if (!len || len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, buf, len))
		return -EFAULT;
	name[len] = '\0';
	ret = kcage_sandbox_release(strim(name), true);
	return ret ? ret : len;
}

static const struct file_operations release_fops = {
	.owner = THIS_MODULE,
	.write = release_write,
};

void kcage_debugfs_init(void)
{
	/* debugfs failures are not fatal and need no checking */
	kcage_dir = debugfs_create_dir("kcage", NULL);
	debugfs_create_file("modules", 0400, kcage_dir, NULL, &kcage_watch_fops);
	debugfs_create_file("sandboxes", 0400, kcage_dir, NULL, &kcage_sandbox_fops);
	debugfs_create_file("stats", 0400, kcage_dir, NULL, &kcage_stats_fops);
	debugfs_create_file("policies", 0400, kcage_dir, NULL, &kcage_policy_fops);
	debugfs_create_file("release", 0200, kcage_dir, NULL, &release_fops);
}

void kcage_debugfs_exit(void)
{
	debugfs_remove(kcage_dir);
}
