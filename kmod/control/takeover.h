/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_TAKEOVER_H
#define KCAGE_TAKEOVER_H

#include <linux/types.h>

struct module;
struct kcage_sandbox;

bool kcage_takeover_wanted(const char *name);
int kcage_takeover_create(struct module *mod);
void kcage_takeover_live(struct module *mod);
void kcage_takeover_destroy(struct module *mod);
int kcage_takeover_set_mode(const char *name, u8 mode);
bool kcage_takeover_has_fentry(const struct kcage_sandbox *sb, unsigned long ip);

#endif /* KCAGE_TAKEOVER_H */
