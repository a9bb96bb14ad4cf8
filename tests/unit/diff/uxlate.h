/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user-space host for kmod/core, as kmod/dbt/xlate.c is the kernel's:
 * code inside one native range (the "corpus") runs only from a code
 * cache, translated block by block on first use; anything outside it
 * (libc, the test driver) runs natively.  Translated calls push cache
 * return addresses, so native callees return into the cache.
 * Single-threaded: one map, one cache, no locks.
 *
 * Exit records hold a target as a sign-extended s32 (core/link.h), as
 * the kernel's module text in the top 2 GiB needs; here the code must be
 * in the bottom 2 GiB, so programs using this host are linked non-PIE.
 */
#ifndef KCAGE_DIFF_UXLATE_H
#define KCAGE_DIFF_UXLATE_H

#include "block.h"

/**
 * struct uxlate_stats - what the translator did since the last reset
 * @blocks:       blocks built
 * @cache_bytes:  bytes of cache they take, stubs included
 * @native_bytes: native bytes they translate
 * @exits:        exit stubs taken (each enters the dispatcher)
 * @links:        exits linked to their target's translation
 * @indirect:     indirect calls and jumps the lookup table missed
 * @build_ns:     wall-clock nanoseconds spent building blocks (decoding,
 *                emitting, linking), not running them: the translation
 *                cost that tests/bench/user reports
 */
struct uxlate_stats {
	u64 blocks;
	u64 cache_bytes;
	u64 native_bytes;
	u64 exits;
	u64 links;
	u64 indirect;
	u64 build_ns;
};

extern struct uxlate_stats uxlate_stats;

/* The instrumentation stage of the blocks this host builds (block.h). */
typedef int (*uxlate_instrument_fn)(void *ctx, struct kc_emitter *e,
				    const struct kc_insn *insn,
				    const struct kc_block *blk);

int uxlate_init(size_t cache_size, const void *near);
void uxlate_set_range(u64 lo, u64 hi);
void uxlate_reset(void);
void uxlate_set_instrument(uxlate_instrument_fn fn);
u64 uxlate_entry(u64 native);
bool uxlate_in_cache(u64 addr);

#endif /* KCAGE_DIFF_UXLATE_H */
