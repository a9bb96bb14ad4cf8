/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_FIXUP_H
#define KCAGE_FIXUP_H

#include <linux/types.h>

struct pt_regs;

int kcage_fixup_init(void);
void kcage_fixup_exit(void);
bool kcage_fixup_resume(struct pt_regs *regs);
unsigned long kcage_fixup_count(void);

#endif /* KCAGE_FIXUP_H */
