/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_HOOK_H
#define KCAGE_HOOK_H

#include <linux/ftrace.h>

/* A handler and the kernel function it attaches to. */
struct kcage_hook {
	struct ftrace_ops *ops;
	const char *func;
};

int kcage_hook_all(const struct kcage_hook *hooks, int n);
void kcage_unhook_all(const struct kcage_hook *hooks, int n);

#endif /* KCAGE_HOOK_H */
