/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_OKPAGE_H
#define KCAGE_OKPAGE_H

#include <linux/types.h>

/* Pages remembered per sandbox and CPU, in consecutive words. */
#define KCAGE_OKPAGE_WAYS	2

int kcage_okpage_get(void);
void kcage_okpage_put(int slot);
bool kcage_okpage_offset(int slot, u32 *off);
void kcage_okpage_fill(int slot, unsigned long page);

#endif /* KCAGE_OKPAGE_H */
