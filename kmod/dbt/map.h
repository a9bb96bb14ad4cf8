/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_MAP_H
#define KCAGE_MAP_H

#include <linux/types.h>

/**
 * struct kcage_map - one CPU's map from native addresses to translations
 * @slots: open-addressed table of KCAGE_MAP_SLOTS entries
 * @used:  slots that are live or tombstones
 *
 * Only its own CPU touches it, with interrupts off, so it needs no lock.
 */
struct kcage_map {
	struct kcage_map_slot *slots;
	unsigned int used;
};

int kcage_map_alloc(struct kcage_map *m);
void kcage_map_free(struct kcage_map *m);
unsigned long kcage_map_find(const struct kcage_map *m, unsigned long native);
int kcage_map_insert(struct kcage_map *m, unsigned long native,
		     unsigned long cache);
void kcage_map_forget(struct kcage_map *m, unsigned long start,
		      unsigned long end);
void kcage_map_clear(struct kcage_map *m);

#endif /* KCAGE_MAP_H */
