/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_KHEAP_H
#define KCAGE_KHEAP_H

#include <linux/types.h>

void kcage_kheap_init(void);
bool kcage_kheap_available(void);
bool kcage_kheap_percpu_allows(unsigned long off, unsigned long end);
bool kcage_kheap_allows(unsigned long a, unsigned long end, unsigned long *lo,
			unsigned long *hi);

#endif /* KCAGE_KHEAP_H */
