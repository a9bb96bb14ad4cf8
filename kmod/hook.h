/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_HOOK_H
#define KCAGE_HOOK_H

struct ftrace_ops;

int kcage_hook(struct ftrace_ops *ops, const char *func);
void kcage_unhook(struct ftrace_ops *ops);

#endif /* KCAGE_HOOK_H */
