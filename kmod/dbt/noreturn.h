/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_NORETURN_H
#define KCAGE_NORETURN_H

#include <linux/types.h>

void kcage_noreturn_init(void);
bool kcage_noreturn(unsigned long target);
bool kcage_noreturn_crash(unsigned long target);
unsigned long kcage_noreturn_contain(unsigned long pc, unsigned long target);

#endif /* KCAGE_NORETURN_H */
