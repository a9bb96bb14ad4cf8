// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers on kernel functions (fixup.c, unwind.c), with ftrace: the
 * functions kcage needs to see are traceable on 6.1 (README lists them).
 */
#include <linux/ftrace.h>
#include <linux/string.h>
#include "hook.h"

/* Attach @ops to the kernel function named @func. */
int kcage_hook(struct ftrace_ops *ops, const char *func)
{
	int ret = ftrace_set_filter(ops, (unsigned char *)func, strlen(func), 1);

	if (!ret)
		ret = register_ftrace_function(ops);
	if (ret) {
		ftrace_free_filter(ops);
		pr_err("kcage: cannot hook %s: %d\n", func, ret);
	}
	return ret;
}

void kcage_unhook(struct ftrace_ops *ops)
{
	unregister_ftrace_function(ops);
	ftrace_free_filter(ops);
}
