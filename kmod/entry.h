/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_ENTRY_H
#define KCAGE_ENTRY_H

struct kcage_sandbox;

int kcage_entry_hook(struct kcage_sandbox *sb);
void kcage_entry_init_done(struct kcage_sandbox *sb);
void kcage_entry_unhook(struct kcage_sandbox *sb);

#endif /* KCAGE_ENTRY_H */
