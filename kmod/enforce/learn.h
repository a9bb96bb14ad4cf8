/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_LEARN_H
#define KCAGE_LEARN_H

#include <linux/types.h>

struct kcage_learn;
struct kcage_sandbox;
struct kcage_violation;

struct kcage_learn *kcage_learn_alloc(void);
void kcage_learn_free(struct kcage_learn *l);
void kcage_learn_init(void);
const char *kcage_priv_name_at(const struct kcage_sandbox *sb, unsigned long pc);

#endif /* KCAGE_LEARN_H */
