/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_POLICY_H
#define KCAGE_POLICY_H

#include <linux/types.h>

struct seq_file;

int kcage_policy_load(const void __user *ubuf, size_t len);
int kcage_policy_show(struct seq_file *m, void *unused);
struct kcp_view;
int kcage_policy_copy(const char *module, void **blob, struct kcp_view *view);
void kcage_policy_exit(void);

#endif /* KCAGE_POLICY_H */
