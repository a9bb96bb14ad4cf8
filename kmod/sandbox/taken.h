/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_TAKEN_H
#define KCAGE_TAKEN_H

#include <linux/module.h>

struct kcage_taken;

struct kcage_taken *kcage_taken_collect(const struct module *mod);
bool kcage_taken_has(const struct kcage_taken *t, unsigned long fn);
void kcage_taken_free(struct kcage_taken *t);

#endif /* KCAGE_TAKEN_H */
