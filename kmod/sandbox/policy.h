/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_POLICY_H
#define KCAGE_POLICY_H

#include <linux/module.h>
#include <linux/types.h>

struct seq_file;
struct kcp_view;
struct kcp_error;

/* A loaded policy, as netlink reports it. */
struct kcage_policy_info {
	char module[MODULE_NAME_LEN];
	u8 mode;
	u32 size;
	u32 crc;
};

int kcage_policy_load(void *blob, size_t len, int mode, bool replace,
		      struct kcp_error *err);
int kcage_policy_remove(const char *module);
bool kcage_policy_exists(const char *module);
int kcage_policy_info(unsigned int index, struct kcage_policy_info *info);
int kcage_policy_get(const char *module, struct kcage_policy_info *info,
		     void **blob);
unsigned int kcage_policy_count(void);
int kcage_policy_show(struct seq_file *m, void *unused);
int kcage_policy_copy(const char *module, void **blob, struct kcp_view *view,
		      u8 *mode);
void kcage_policy_exit(void);

#endif /* KCAGE_POLICY_H */
