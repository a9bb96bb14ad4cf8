// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU map from a native address to where its translation (or, for
 * code outside any sandbox, the native address itself) is: the lookup on
 * every indirect call, indirect jump and unlinked exit.  Open addressing
 * with linear probing keeps a lookup to a few cache lines; forgetting a
 * module's entries leaves tombstones so probe chains stay intact.
 */
#include <linux/hash.h>
#include <linux/vmalloc.h>
#include "map.h"

#define KCAGE_MAP_BITS	15
#define KCAGE_MAP_SLOTS	(1u << KCAGE_MAP_BITS)
/* Keep at most 3/4 of the slots used, so probe chains stay short. */
#define KCAGE_MAP_MAX	(KCAGE_MAP_SLOTS / 4 * 3)

#define SLOT_EMPTY	0ul
#define SLOT_TOMB	1ul	/* never a code address */

struct kcage_map_slot {
	unsigned long native;
	unsigned long cache;
};

int kcage_map_alloc(struct kcage_map *m)
{
	m->slots = vzalloc(array_size(KCAGE_MAP_SLOTS, sizeof(*m->slots)));
	m->used = 0;
	return m->slots ? 0 : -ENOMEM;
}

void kcage_map_free(struct kcage_map *m)
{
	vfree(m->slots);
	m->slots = NULL;
}

static unsigned int first_slot(unsigned long native)
{
	return hash_long(native, KCAGE_MAP_BITS);
}

/* Return: the translation of @native, or 0 if there is none yet. */
unsigned long kcage_map_find(const struct kcage_map *m, unsigned long native)
{
	unsigned int i = first_slot(native), n;

	for (n = 0; n < KCAGE_MAP_SLOTS; n++) {
		const struct kcage_map_slot *s = &m->slots[i];

		if (s->native == native)
			return s->cache;
		if (s->native == SLOT_EMPTY)
			return 0;
		i = (i + 1) & (KCAGE_MAP_SLOTS - 1);
	}
	return 0;
}

/* Return: 0, or -ENOSPC when the map is as full as it may get. */
int kcage_map_insert(struct kcage_map *m, unsigned long native,
		     unsigned long cache)
{
	unsigned int i = first_slot(native);

	if (m->used >= KCAGE_MAP_MAX)
		return -ENOSPC;
	while (m->slots[i].native != SLOT_EMPTY &&
	       m->slots[i].native != SLOT_TOMB)
		i = (i + 1) & (KCAGE_MAP_SLOTS - 1);
	if (m->slots[i].native == SLOT_EMPTY)
		m->used++;
	m->slots[i].cache = cache;
	m->slots[i].native = native;
	return 0;
}

/* Drop every entry for a native address in [@start, @end). */
void kcage_map_forget(struct kcage_map *m, unsigned long start,
		      unsigned long end)
{
	unsigned int i;

	for (i = 0; i < KCAGE_MAP_SLOTS; i++) {
		struct kcage_map_slot *s = &m->slots[i];

		if (s->native >= start && s->native < end)
			s->native = SLOT_TOMB;
	}
}

void kcage_map_clear(struct kcage_map *m)
{
	memset(m->slots, 0, array_size(KCAGE_MAP_SLOTS, sizeof(*m->slots)));
	m->used = 0;
}
