/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_SANDBOX_H
#define KCAGE_SANDBOX_H

#include <linux/types.h>
#include <linux/module.h>
#include "core/block.h"
#include "policy/kcp.h"

struct module;
struct seq_file;
struct bug_entry;
struct kcage_sandbox;
struct kcp_view;
struct kcage_api;
struct kcage_learn;

/* A sandbox, as netlink reports it. */
struct kcage_sandbox_info {
	char module[MODULE_NAME_LEN];
	bool has_policy;
	u8 mode;
	u32 policy_crc;
	bool quarantined;
	u64 entries;
	u64 blocks;
	u64 native_bytes;
	u64 cache_bytes;
	u64 heap_objects;
	u64 text_size;
	u64 violations[KCP_NR_KINDS];
};

int kcage_sandbox_show(struct seq_file *m, void *unused);
int kcage_sandbox_release(const char *name, bool force);
int kcage_sandbox_info(unsigned int index, struct kcage_sandbox_info *info);
int kcage_sandbox_info_by_name(const char *name,
			       struct kcage_sandbox_info *info);
unsigned int kcage_sandbox_count(void);

/* For the translator; call with interrupts off or under rcu_read_lock(). */
const struct kcage_sandbox *kcage_sandbox_find(unsigned long ip);
size_t kcage_sandbox_read(const struct kcage_sandbox *sb, u64 ip, u8 *buf,
			  size_t len);
bool kcage_sandbox_site(const struct kcage_sandbox *sb, u64 ip,
			struct kc_site *site);
const char *kcage_sandbox_name(const struct kcage_sandbox *sb);
bool kcage_sandbox_has_extable(unsigned long ip);
bool kcage_sandbox_is_fixup(unsigned long ip);
bool kcage_sandbox_quarantined(const struct kcage_sandbox *sb);
const struct kcp_view *kcage_sandbox_policy(const struct kcage_sandbox *sb);
struct kcage_api *kcage_sandbox_api(const struct kcage_sandbox *sb);
struct kcage_learn *kcage_sandbox_learn(const struct kcage_sandbox *sb);
bool kcage_sandbox_taken(const struct kcage_sandbox *sb, unsigned long fn);
const struct kcage_metadata *kcage_sandbox_metadata(const struct kcage_sandbox *sb);
int kcage_sandbox_okpage(const struct kcage_sandbox *sb);
bool kcage_sandbox_any_policy(void);
bool kcage_sandbox_all(bool (*fn)(const struct kcage_sandbox *sb, void *arg),
		       void *arg);
struct module *kcage_sandbox_module(const struct kcage_sandbox *sb);
u8 kcage_sandbox_mode(const struct kcage_sandbox *sb);
void kcage_sandbox_count_entry(const struct kcage_sandbox *sb);
void kcage_sandbox_count_block(const struct kcage_sandbox *sb,
			       unsigned long native_bytes,
			       unsigned long cache_bytes);
u8 kcage_sandbox_count_violation(const struct kcage_sandbox *sb, u8 kind);
void kcage_sandbox_quarantine(const struct kcage_sandbox *sb);
struct bug_entry *kcage_sandbox_bug(const struct kcage_sandbox *sb,
				    unsigned long ip);

#endif /* KCAGE_SANDBOX_H */
