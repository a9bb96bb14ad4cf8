/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_POISON_H
#define KCAGE_POISON_H

struct kcage_sandbox;

int kcage_poison_text(struct kcage_sandbox *sb, int i);
long kcage_poison_native_execs(void);
int kcage_poison_init(void);
void kcage_poison_exit(void);

#endif /* KCAGE_POISON_H */
