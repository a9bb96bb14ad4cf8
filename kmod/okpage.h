/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_OKRANGE_H
#define KCAGE_OKRANGE_H

#include <linux/types.h>

int kcage_okpage_get(void);
void kcage_okpage_put(int slot);
bool kcage_okpage_offset(int slot, u32 *off);
void kcage_okpage_fill(int slot, unsigned long page);

#endif /* KCAGE_OKRANGE_H */
