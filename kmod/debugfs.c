// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/kcage: counters for tests and for curious humans.
 * Not an ABI; the netlink family is.
 */
#include <linux/debugfs.h>
#include "debugfs.h"
#include "watch.h"

static struct dentry *kcage_dir;

DEFINE_SHOW_ATTRIBUTE(kcage_watch);

void kcage_debugfs_init(void)
{
	/* debugfs failures are not fatal and need no checking */
	kcage_dir = debugfs_create_dir("kcage", NULL);
	debugfs_create_file("modules", 0400, kcage_dir, NULL, &kcage_watch_fops);
}

void kcage_debugfs_exit(void)
{
	debugfs_remove(kcage_dir);
}
