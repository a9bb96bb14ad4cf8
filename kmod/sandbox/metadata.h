/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_METADATA_H
#define KCAGE_METADATA_H

#include <linux/module.h>

struct kcage_metadata;

struct kcage_metadata *kcage_metadata_collect(const struct module *mod);
void kcage_metadata_free(struct kcage_metadata *m);
bool kcage_metadata_hits(const struct kcage_metadata *m, unsigned long a,
			 unsigned long end);
bool kcage_metadata_data(const struct kcage_metadata *m, unsigned long a,
			 unsigned long end, unsigned long *lo, unsigned long *hi);
void kcage_metadata_fast(const struct kcage_metadata *m, unsigned int i,
			 unsigned long *lo, unsigned long *hi);
void kcage_metadata_bounds(const struct kcage_metadata *m, unsigned long *lo,
			   unsigned long *hi);

#endif /* KCAGE_METADATA_H */
