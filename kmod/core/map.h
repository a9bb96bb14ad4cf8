/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The map from a native address to where its translation (or, for code
 * the host runs natively, the native address itself) is: the lookup on
 * every indirect call, indirect jump and unlinked exit.
 */
#ifndef KCAGE_CORE_MAP_H
#define KCAGE_CORE_MAP_H

#include "host.h"

#define KC_MAP_BITS	15
#define KC_MAP_SLOTS	(1u << KC_MAP_BITS)

/**
 * struct kc_map_slot - one entry of a map
 * @native: the native address, or 0 (empty) or 1 (a forgotten entry)
 * @cache:  where @native runs
 */
struct kc_map_slot {
	u64 native;
	u64 cache;
};

/* Bytes of storage a host provides for one map's slots. */
#define KC_MAP_BYTES	(KC_MAP_SLOTS * sizeof(struct kc_map_slot))

/**
 * struct kc_map - a map from native addresses to translations
 * @slots: open-addressed table of KC_MAP_SLOTS entries, owned by the host
 * @used:  slots that are live or tombstones
 *
 * Not locked: the host uses each map from one context at a time (the
 * kernel gives each CPU its own, touched with interrupts off).
 */
struct kc_map {
	struct kc_map_slot *slots;
	unsigned int used;
};

void kc_map_init(struct kc_map *m, struct kc_map_slot *slots);
u64 kc_map_find(const struct kc_map *m, u64 native);
int kc_map_insert(struct kc_map *m, u64 native, u64 cache);
void kc_map_forget(struct kc_map *m, u64 start, u64 end);
void kc_map_clear(struct kc_map *m);

#endif /* KCAGE_CORE_MAP_H */
