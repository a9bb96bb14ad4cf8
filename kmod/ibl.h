/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_IBL_H
#define KCAGE_IBL_H

/*
 * The indirect-branch lookup table: per CPU, direct-mapped, probed by the
 * assembly fast path of the dispatchers (dispatch.S) with no call into C.
 * Entry i holds a native target hashing to i and its translation.
 */
#define KCAGE_IBL_BITS		10
#define KCAGE_IBL_ENTRIES	(1 << KCAGE_IBL_BITS)
#define KCAGE_IBL_SHIFT		4	/* low bits of code addresses vary little */
#define KCAGE_IBL_ENTRY_SIZE	16

#ifndef __ASSEMBLY__
#include <linux/types.h>

int kcage_ibl_init(void);
void kcage_ibl_exit(void);
void kcage_ibl_insert(unsigned long native, unsigned long cache);
void kcage_ibl_forget(int cpu, unsigned long start, unsigned long end);
#endif

#endif /* KCAGE_IBL_H */
