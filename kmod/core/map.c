// SPDX-License-Identifier: GPL-2.0
/*
 * The native-to-translation map (see map.h).  Open addressing with linear
 * probing keeps a lookup to a few cache lines; forgetting a module's
 * entries leaves tombstones so probe chains stay intact.  The host owns
 * the storage, so the map is the same in the kernel and in user space.
 */
#include "map.h"

/* Keep at most 3/4 of the slots used, so probe chains stay short. */
#define KC_MAP_MAX	(KC_MAP_SLOTS / 4 * 3)

#define SLOT_EMPTY	0ull
#define SLOT_TOMB	1ull	/* never a code address */

/* The kernel's hash_64(): the top bits of a multiply by the golden ratio. */
#define GOLDEN_RATIO_64	0x61C8864680B583EBull

/**
 * kc_map_init - start an empty map in @slots
 * @m:     the map
 * @slots: KC_MAP_BYTES of storage, which the host keeps until it is done
 *         with the map and then frees
 */
void kc_map_init(struct kc_map *m, struct kc_map_slot *slots)
{
	m->slots = slots;
	kc_map_clear(m);
}

static unsigned int first_slot(u64 native)
{
	return (unsigned int)((native * GOLDEN_RATIO_64) >> (64 - KC_MAP_BITS));
}

/* Return: the translation of @native, or 0 if there is none yet. */
u64 kc_map_find(const struct kc_map *m, u64 native)
{
	unsigned int i = first_slot(native), n;

	for (n = 0; n < KC_MAP_SLOTS; n++) {
		const struct kc_map_slot *s = &m->slots[i];

		if (s->native == native)
			return s->cache;
		if (s->native == SLOT_EMPTY)
			return 0;
		i = (i + 1) & (KC_MAP_SLOTS - 1);
	}
	return 0;
}

/* Return: 0, or -ENOSPC when the map is as full as it may get. */
int kc_map_insert(struct kc_map *m, u64 native, u64 cache)
{
	unsigned int i = first_slot(native);

	if (m->used >= KC_MAP_MAX)
		return -ENOSPC;
	while (m->slots[i].native != SLOT_EMPTY &&
	       m->slots[i].native != SLOT_TOMB)
		i = (i + 1) & (KC_MAP_SLOTS - 1);
	if (m->slots[i].native == SLOT_EMPTY)
		m->used++;
	m->slots[i].cache = cache;
	m->slots[i].native = native;
	return 0;
}

/* Drop every entry for a native address in [@start, @end). */
void kc_map_forget(struct kc_map *m, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < KC_MAP_SLOTS; i++) {
		struct kc_map_slot *s = &m->slots[i];

		if (s->native >= start && s->native < end)
			s->native = SLOT_TOMB;
	}
}

void kc_map_clear(struct kc_map *m)
{
	memset(m->slots, 0, KC_MAP_BYTES);
	m->used = 0;
}
