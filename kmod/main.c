// SPDX-License-Identifier: GPL-2.0
/*
 * kcage: run untrusted kernel modules through dynamic binary translation
 * and enforce a policy on them.  This file only wires the parts together.
 */
#include <linux/module.h>
#include "enforce/access.h"
#include "enforce/api.h"
#include "enforce/learn.h"
#include "rt/cache.h"
#include "dbt/contain.h"
#include "rt/zone.h"
#include "control/debugfs.h"
#include "control/loader.h"
#include "sandbox/events.h"
#include "dbt/fixup.h"
#include "control/netlink.h"
#include "control/poison.h"
#include "dbt/noreturn.h"
#include "dbt/flush.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"
#include "dbt/unwind.h"
#include "control/watch.h"
#include "rt/kheap.h"
#include "rt/kstack.h"
#include "rt/own.h"
#include "rt/symbols.h"
#include "dbt/xlate.h"

static int __init kcage_init(void)
{
	int ret;

	ret = kcage_own_init();
	if (ret)
		return ret;
	ret = kcage_kstack_init();
	if (ret)
		goto err_own;
	kcage_contain_init();
	kcage_zone_init();
	kcage_noreturn_init();
	kcage_kheap_init();
	kcage_access_init();
	kcage_api_init();
	kcage_learn_init();
	ret = kcage_symbols_init();
	if (ret)
		goto err_kstack;
	ret = kcage_cache_init();
	if (ret)
		goto err_symbols;
	ret = kcage_xlate_init();
	if (ret)
		goto err_cache;
	ret = kcage_poison_init();
	if (ret)
		goto err_xlate;
	ret = kcage_fixup_init();
	if (ret)
		goto err_sandbox;
	ret = kcage_unwind_init();
	if (ret)
		goto err_fixup;
	ret = kcage_events_init();
	if (ret)
		goto err_unwind;
	ret = kcage_netlink_init();
	if (ret)
		goto err_events;
	ret = kcage_loader_init();
	if (ret)
		goto err_netlink;
	ret = kcage_watch_init();
	if (ret)
		goto err_loader;
	kcage_debugfs_init();
	pr_info("loaded\n");
	return 0;

err_loader:
	kcage_loader_exit();
err_netlink:
	kcage_netlink_exit();
err_events:
	kcage_events_exit();
err_unwind:
	kcage_unwind_exit();
err_fixup:
	kcage_fixup_exit();
err_sandbox:
	kcage_poison_exit();
err_xlate:
	kcage_xlate_exit();
err_cache:
	kcage_cache_exit();
err_symbols:
	kcage_symbols_exit();
err_kstack:
	kcage_kstack_exit();
err_own:
	kcage_own_exit();
	return ret;
}

static void __exit kcage_exit(void)
{
	kcage_debugfs_exit();
	kcage_watch_exit();
	kcage_loader_exit();
	kcage_netlink_exit();
	kcage_events_exit();
	kcage_policy_exit();
	kcage_unwind_exit();
	kcage_fixup_exit();
	kcage_poison_exit();
	kcage_flush_cancel();
	kcage_xlate_exit();
	kcage_cache_exit();
	kcage_symbols_exit();
	kcage_kstack_exit();
	kcage_own_exit();
	pr_info("unloaded\n");
}

module_init(kcage_init);
module_exit(kcage_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Dynamic binary translation sandbox for kernel modules");
