// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space translator host (see uxlate.h).  Only what is host
 * specific is here; what runs in the kernel runs here too: the block
 * builder (core/block.c), the exit stubs and their records, linking
 * (core/link.c) and the native-to-translation map (core/map.c), as
 * kmod/dbt/xlate.c uses them.  Indirect branches go through this host's
 * dispatchers (dispatch.S).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "link.h"
#include "map.h"
#include "uxlate.h"
#include "uxlate_ibl.h"
#include "xmem.h"

/* dispatch.S */
void uxlate_dispatch_icall(void);
void uxlate_dispatch_ijmp(void);
void uxlate_dispatch_exit(void);

struct uxlate_stats uxlate_stats;
static struct kc_decoder decoder;
static struct xmem cache;
static size_t cache_used;
static struct kc_map_slot map_slots[KC_MAP_SLOTS];
static struct kc_map map;
static u64 range_lo, range_hi;	/* the translated range */
static struct kc_block blk;
static uxlate_instrument_fn instrument;

static bool in_range(u64 native)
{
	return native >= range_lo && native < range_hi;
}

static size_t read_code(void *ctx, u64 ip, u8 *buf, size_t len)
{
	if (!in_range(ip))
		return 0;
	if (len > range_hi - ip)
		len = range_hi - ip;
	memcpy(buf, (const void *)ip, len);
	return len;
}

/* User space has no retpoline thunks: every call is what it says. */
static int thunk_reg(void *ctx, u64 target)
{
	return -1;
}

static int emit_stub(void *ctx, struct kc_emitter *e, const struct kc_block *b,
		     const struct kc_exit *exit)
{
	return kc_emit_exit_stub(e, b, exit, (u64)uxlate_dispatch_exit);
}

/*
 * Where an exit's target runs, without translating: its translation,
 * itself when it is outside the range, 0 when it is inside but not
 * translated yet.
 */
static u64 resolve_exit(void *ctx, const struct kc_exit *ex)
{
	if (!in_range(ex->target))
		return ex->target;
	return kc_map_find(&map, ex->target);
}

static u8 *writable(u64 exec)
{
	return cache.rw + (exec - (u64)cache.rx);
}

/* Nothing sound can run when translation fails: stop the test. */
static void __attribute__((noreturn)) fatal(const char *what, u64 native, int err)
{
	fprintf(stderr, "uxlate: %s at %#llx (%d)\n", what,
		(unsigned long long)native, err);
	abort();
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static u64 build(u64 native)
{
	const struct kc_block_ops ops = {
		.read_code = read_code,
		.emit_stub = emit_stub,
		.thunk_reg = thunk_reg,
		.icall_entry = (u64)uxlate_dispatch_icall,
		.ijmp_entry = (u64)uxlate_dispatch_ijmp,
		.instrument = instrument,
	};
	struct kc_emitter e = {
		.buf = cache.rw + cache_used,
		.base = (u64)cache.rx + cache_used,
		.cap = cache.size - cache_used,
	};
	u64 t0 = now_ns();
	int ret = kc_build_block(&decoder, &ops, native, &e, &blk);

	if (!ret)
		ret = kc_map_insert(&map, native, blk.cache_start);
	if (ret)
		fatal("cannot translate", native, ret);
	cache_used += e.pos;
	uxlate_stats.blocks++;
	uxlate_stats.native_bytes += blk.native_end - blk.native_start;
	uxlate_stats.cache_bytes += blk.cache_len;
	uxlate_stats.links += kc_link_known(&blk, writable(blk.cache_start),
					    resolve_exit, NULL);
	uxlate_stats.build_ns += now_ns() - t0;
	return blk.cache_start;
}

static u64 translate(u64 native)
{
	u64 t = kc_map_find(&map, native);

	if (t)
		return t;
	if (in_range(native))
		return build(native);
	if (kc_map_insert(&map, native, native))
		fatal("map full", native, -ENOSPC);
	return native;
}

/* Point the rel32 of @r's exit at @t. */
static void link_from(const struct kc_exit_record *r, u64 t)
{
	u64 rel32 = kc_exit_record_rel32(r);

	if (uxlate_in_cache(rel32) && !kc_link_rel32(rel32, writable(rel32), t))
		uxlate_stats.links++;
}

/* Called by uxlate_dispatch_exit with the exit's record. */
u64 uxlate_exit_target(const struct kc_exit_record *r);
u64 uxlate_exit_target(const struct kc_exit_record *r)
{
	u64 native = kc_exit_record_target(r);
	u64 t;

	if (r->kind == KC_EXIT_TRAP)
		fatal("trapping instruction reached", native, 0);
	uxlate_stats.exits++;
	t = translate(native);
	link_from(r, t);
	return t;
}

/*
 * The indirect-branch lookup table dispatch.S probes inline, as
 * kmod/dbt/ibl.c's: direct-mapped, native target -> translation.
 */
struct uxlate_ibl_entry {
	u64 native;
	u64 cache;
};

struct uxlate_ibl_entry uxlate_ibl[UXLATE_IBL_ENTRIES];

/* Called by uxlate_dispatch_icall/ijmp with a target the table missed. */
u64 uxlate_indirect_target(u64 native);
u64 uxlate_indirect_target(u64 native)
{
	struct uxlate_ibl_entry *e;
	u64 t;

	/* Let a call through NULL fault at 0, as it would natively. */
	if (!native)
		return 0;
	uxlate_stats.indirect++;
	t = translate(native);
	e = &uxlate_ibl[(native >> UXLATE_IBL_SHIFT) & (UXLATE_IBL_ENTRIES - 1)];
	e->native = native;
	e->cache = t;
	return t;
}

/**
 * uxlate_entry - where to run native @native from
 * @native: an address in the translated range, or outside it
 *
 * Return: its translation, built if need be, or @native itself if it is
 * outside the range.
 */
u64 uxlate_entry(u64 native)
{
	return translate(native);
}

bool uxlate_in_cache(u64 addr)
{
	return addr >= (u64)cache.rx && addr < (u64)cache.rx + cache_used;
}

/*
 * Instrument every block built from now on with @fn (NULL: none), as
 * the kernel host instruments a sandbox with a policy (the write-coverage
 * fuzzer puts its probes in with it).
 */
void uxlate_set_instrument(uxlate_instrument_fn fn)
{
	instrument = fn;
}

/* Translate [@lo, @hi) from now on; call uxlate_reset() first if it moved. */
void uxlate_set_range(u64 lo, u64 hi)
{
	range_lo = lo;
	range_hi = hi;
}

/* Forget every translation and empty the cache; counters keep counting. */
void uxlate_reset(void)
{
	kc_map_init(&map, map_slots);
	memset(uxlate_ibl, 0, sizeof(uxlate_ibl));
	cache_used = 0;
}

/**
 * uxlate_init - set up the decoder and a cache of @cache_size bytes
 * within rel32 reach of @near (code translated blocks call, such as the
 * dispatchers and the PLT)
 *
 * Return: 0 or -1.
 */
int uxlate_init(size_t cache_size, const void *near)
{
	if (kc_decoder_init(&decoder))
		return -1;
	if (xmem_map_near(&cache, cache_size, near))
		return -1;
	uxlate_reset();
	return 0;
}
