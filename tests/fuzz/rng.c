// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's only source of randomness: one seed replays a run (the
 * kernel's answers do not feed back into what is generated).
 */
#include <string.h>
#include "nlfuzz.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;

void rng_seed(uint64_t seed)
{
	/* splitmix64 of the seed: small seeds still give a busy state */
	seed += 0x9e3779b97f4a7c15ull;
	seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9ull;
	seed = (seed ^ (seed >> 27)) * 0x94d049bb133111ebull;
	state = (seed ^ (seed >> 31)) | 1;
}

uint64_t rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

uint32_t below(uint32_t n)
{
	return n ? (uint32_t)((rnd() >> 32) % n) : 0;
}

bool one_in(uint32_t n)
{
	return below(n) == 0;
}

void rnd_fill(void *p, size_t n)
{
	uint8_t *d = p;
	uint64_t r;

	while (n >= 8) {
		r = rnd();
		memcpy(d, &r, 8);
		d += 8;
		n -= 8;
	}
	r = rnd();
	memcpy(d, &r, n);
}
