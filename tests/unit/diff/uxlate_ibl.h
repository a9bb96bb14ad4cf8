/* SPDX-License-Identifier: GPL-2.0 */
/* The user-space host's indirect-branch lookup table (uxlate.c, dispatch.S). */
#ifndef KCAGE_DIFF_UXLATE_IBL_H
#define KCAGE_DIFF_UXLATE_IBL_H

#define UXLATE_IBL_BITS		10
#define UXLATE_IBL_ENTRIES	(1 << UXLATE_IBL_BITS)
#define UXLATE_IBL_SHIFT	4

#endif /* KCAGE_DIFF_UXLATE_IBL_H */
