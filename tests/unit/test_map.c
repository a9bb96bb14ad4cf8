// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the native-to-translation map (kmod/core/map.c), the one
 * both hosts use: the map against a deliberately naive model (a list of
 * pairs) under random inserts, finds, forgets and clears, and its limit.
 */
#include <stdlib.h>
#include "map.h"
#include "unit.h"

#define MODEL_MAX	4096

static struct kc_map_slot slots[KC_MAP_SLOTS];

/* The model: the live pairs, in no order. */
struct model {
	u64 native[MODEL_MAX];
	u64 cache[MODEL_MAX];
	unsigned int n;
};

static u64 model_find(const struct model *m, u64 native)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->native[i] == native)
			return m->cache[i];
	return 0;
}

static void model_forget(struct model *m, u64 start, u64 end)
{
	unsigned int i = 0;

	while (i < m->n) {
		if (m->native[i] >= start && m->native[i] < end) {
			m->n--;
			m->native[i] = m->native[m->n];
			m->cache[i] = m->cache[m->n];
		} else {
			i++;
		}
	}
}

static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Kernel-like addresses from a small window, so that the same native
 * comes back, probe chains collide and forgets hit live entries.
 */
static u64 some_native(u64 *s)
{
	return 0xffffffffc0000000ull + (rnd(s) % 0x8000) * 4;
}

static void check_all(const struct kc_map *map, const struct model *m,
		      u64 *s, unsigned int step)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		UNIT_EXPECT(kc_map_find(map, m->native[i]) == m->cache[i],
			    "step %u: %#llx lost", step,
			    (unsigned long long)m->native[i]);
	for (i = 0; i < 64; i++) {
		u64 n = some_native(s);

		UNIT_EXPECT(kc_map_find(map, n) == model_find(m, n),
			    "step %u: %#llx differs from the model", step,
			    (unsigned long long)n);
	}
}

/* Inserts, forgets and clears agree with the model all along. */
static void against_model(void)
{
	static struct model m;
	struct kc_map map;
	u64 s = 0x9e3779b97f4a7c15ull;
	unsigned int step;

	kc_map_init(&map, slots);
	m.n = 0;
	for (step = 0; step < 200000 && !unit_why[0]; step++) {
		u64 r = rnd(&s) % 100, n = some_native(&s), start, end;

		if (r < 70 && !model_find(&m, n) && m.n < MODEL_MAX) {
			u64 c = 0xffffffffa0000000ull + step * 16;

			if (kc_map_insert(&map, n, c) == 0) {
				m.native[m.n] = n;
				m.cache[m.n++] = c;
			}
		} else if (r < 98) {
			UNIT_EXPECT(kc_map_find(&map, n) == model_find(&m, n),
				    "step %u: find %#llx", step,
				    (unsigned long long)n);
		} else if (r < 99) {
			start = some_native(&s);
			end = start + rnd(&s) % 0x1000;
			kc_map_forget(&map, start, end);
			model_forget(&m, start, end);
		} else {
			kc_map_clear(&map);
			m.n = 0;
		}
		if (step % 10000 == 0)
			check_all(&map, &m, &s, step);
	}
	check_all(&map, &m, &s, step);
}

/* A forget drops exactly its range, and entries behind it stay found. */
static void forget_keeps_chains(void)
{
	struct kc_map map;
	const u64 base = 0xffffffffc1000000ull;
	unsigned int i;

	kc_map_init(&map, slots);
	for (i = 0; i < 20000; i++)
		UNIT_EXPECT(kc_map_insert(&map, base + i, 0x1000 + i) == 0, "insert %u", i);
	kc_map_forget(&map, base + 5000, base + 15000);
	for (i = 0; i < 20000; i++) {
		u64 want = i >= 5000 && i < 15000 ? 0 : 0x1000 + i;

		UNIT_EXPECT(kc_map_find(&map, base + i) == want, "find %u", i);
	}
	/* forgotten slots are reused */
	for (i = 5000; i < 15000; i++)
		UNIT_EXPECT(kc_map_insert(&map, base + i, 0x9000 + i) == 0, "reinsert %u", i);
	for (i = 0; i < 20000; i++) {
		u64 want = i >= 5000 && i < 15000 ? 0x9000 + i : 0x1000 + i;

		UNIT_EXPECT(kc_map_find(&map, base + i) == want, "refind %u", i);
	}
}

/* The map takes 3/4 of its slots, then says -ENOSPC until cleared. */
static void full_until_cleared(void)
{
	const unsigned int max = KC_MAP_SLOTS / 4 * 3;
	struct kc_map map;
	unsigned int i;

	kc_map_init(&map, slots);
	for (i = 0; i < max; i++)
		UNIT_EXPECT(kc_map_insert(&map, 0x400000 + 16 * i, 1 + i) == 0, "insert %u", i);
	UNIT_EXPECT(kc_map_insert(&map, 0x10, 0x20) == -ENOSPC, "one too many");
	UNIT_EXPECT(kc_map_find(&map, 0x400000 + 16 * (max - 1)) == max, "last one");
	UNIT_EXPECT(kc_map_find(&map, 0x10) == 0, "refused one");
	kc_map_clear(&map);
	UNIT_EXPECT(kc_map_find(&map, 0x400000) == 0, "cleared");
	UNIT_EXPECT(kc_map_insert(&map, 0x10, 0x20) == 0, "after clear");
	UNIT_EXPECT(kc_map_find(&map, 0x10) == 0x20, "found after clear");
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "against_model", against_model },
		{ "forget_keeps_chains", forget_keeps_chains },
		{ "full_until_cleared", full_until_cleared },
		{ NULL, NULL },
	};

	return unit_run("map", cases);
}
