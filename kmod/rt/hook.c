// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers on kernel functions (fixup.c, unwind.c), with ftrace: the
 * functions kcage needs to see are traceable on 6.1 (docs/exception-handling.md lists them).
 */
#include <linux/string.h>
#include "hook.h"

static int hook(const struct kcage_hook *h)
{
	struct ftrace_ops *ops = h->ops;
	int ret;

	ret = ftrace_set_filter(ops, (unsigned char *)h->func, strlen(h->func), 1);
	if (!ret)
		ret = register_ftrace_function(ops);
	if (ret) {
		ftrace_free_filter(ops);
		pr_err("cannot hook %s: %d\n", h->func, ret);
	}
	return ret;
}

static void unhook(const struct kcage_hook *h)
{
	unregister_ftrace_function(h->ops);
	ftrace_free_filter(h->ops);
}

/* Attach every handler of @hooks, or none. */
int kcage_hook_all(const struct kcage_hook *hooks, int n)
{
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = hook(&hooks[i]);
	if (ret)
		kcage_unhook_all(hooks, i - 1);
	return ret;
}

void kcage_unhook_all(const struct kcage_hook *hooks, int n)
{
	while (n-- > 0)
		unhook(&hooks[n]);
}
