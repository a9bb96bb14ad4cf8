// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space translator host (see uxlate.h).  Its shape follows
 * kmod/xlate.c so that what runs here is what runs in the kernel: the
 * same block builder, exit stubs "call uxlate_dispatch_exit" + a record,
 * exits linked by rewriting their aligned rel32, indirect branches
 * through dispatchers (dispatch.S).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "uxlate.h"
#include "uxlate_ibl.h"
#include "xmem.h"

#define MAP_BITS 16
#define MAP_SIZE (1u << MAP_BITS)

/* dispatch.S */
void uxlate_dispatch_icall(void);
void uxlate_dispatch_ijmp(void);
void uxlate_dispatch_exit(void);

/* Follows "call uxlate_dispatch_exit" in a stub, as in kmod/xlate.c. */
struct exit_record {
	u64 target;
	u32 rel_back;	/* record address - exec address of the exit's rel32 */
	u8 kind;
} __attribute__((packed));

struct map_entry {
	u64 native;
	u64 cache;
};

struct uxlate_stats uxlate_stats;
static struct kc_decoder decoder;
static struct xmem cache;
static size_t cache_used;
static struct map_entry map[MAP_SIZE];
static unsigned int map_used;
static u64 range_lo, range_hi;	/* the translated range */
static struct kc_block blk;

static unsigned int slot(u64 native)
{
	return (unsigned int)((native * 0x9e3779b97f4a7c15ull) >> (64 - MAP_BITS));
}

static u64 map_find(u64 native)
{
	unsigned int i;

	for (i = slot(native); map[i].native; i = (i + 1) % MAP_SIZE)
		if (map[i].native == native)
			return map[i].cache;
	return 0;
}

static int map_insert(u64 native, u64 t)
{
	unsigned int i;

	if (map_used >= MAP_SIZE / 2)
		return -ENOSPC;
	for (i = slot(native); map[i].native; i = (i + 1) % MAP_SIZE)
		;
	map[i].native = native;
	map[i].cache = t;
	map_used++;
	return 0;
}

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
	struct exit_record r = { .target = exit->target, .kind = exit->kind };
	int ret = kc_emit_call(e, (u64)uxlate_dispatch_exit);

	if (ret)
		return ret;
	r.rel_back = kc_emit_pc(e) - (b->cache_start + exit->rel_off);
	return kc_emit_bytes(e, &r, sizeof(r));
}

/*
 * Where @native runs, without translating: its translation, itself when
 * it is outside the range, 0 when it is inside but not translated yet.
 */
static u64 known(u64 native)
{
	if (!in_range(native))
		return native;
	return map_find(native);
}

static u8 *writable(u64 exec)
{
	return cache.rw + (exec - (u64)cache.rx);
}

static void link_known(const struct kc_block *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_exits; i++) {
		const struct kc_exit *ex = &b->exits[i];
		u64 t;

		if (ex->kind == KC_EXIT_TRAP)
			continue;
		t = known(ex->target);
		if (t && !kc_link_exit(b, i, t, writable(b->cache_start + ex->rel_off)))
			uxlate_stats.links++;
	}
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
	};
	struct kc_emitter e = {
		.buf = cache.rw + cache_used,
		.base = (u64)cache.rx + cache_used,
		.cap = cache.size - cache_used,
	};
	u64 t0 = now_ns();
	int ret = kc_build_block(&decoder, &ops, native, &e, &blk);

	if (!ret)
		ret = map_insert(native, blk.cache_start);
	if (ret)
		fatal("cannot translate", native, ret);
	cache_used += e.pos;
	uxlate_stats.blocks++;
	uxlate_stats.native_bytes += blk.native_end - blk.native_start;
	uxlate_stats.cache_bytes += blk.cache_len;
	link_known(&blk);
	uxlate_stats.build_ns += now_ns() - t0;
	return blk.cache_start;
}

static u64 translate(u64 native)
{
	u64 t = map_find(native);

	if (t)
		return t;
	if (in_range(native))
		return build(native);
	if (map_insert(native, native))
		fatal("map full", native, -ENOSPC);
	return native;
}

/* Point the rel32 of @r's exit at @t. */
static void link_from(const struct exit_record *r, u64 t)
{
	u64 rel32 = (u64)r - r->rel_back;
	s64 d = (s64)(t - (rel32 + 4));

	if (!uxlate_in_cache(rel32) || d != (s32)d)
		return;
	*(volatile s32 *)writable(rel32) = (s32)d;
	uxlate_stats.links++;
}

/* Called by uxlate_dispatch_exit with the exit's record. */
u64 uxlate_exit_target(const struct exit_record *r);
u64 uxlate_exit_target(const struct exit_record *r)
{
	u64 t;

	if (r->kind == KC_EXIT_TRAP)
		fatal("trapping instruction reached", r->target, 0);
	uxlate_stats.exits++;
	t = translate(r->target);
	link_from(r, t);
	return t;
}

/*
 * The indirect-branch lookup table dispatch.S probes inline, as
 * kmod/ibl.c's: direct-mapped, native target -> translation.
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

/* Translate [@lo, @hi) from now on; call uxlate_reset() first if it moved. */
void uxlate_set_range(u64 lo, u64 hi)
{
	range_lo = lo;
	range_hi = hi;
}

/* Forget every translation and empty the cache; counters keep counting. */
void uxlate_reset(void)
{
	memset(map, 0, sizeof(map));
	memset(uxlate_ibl, 0, sizeof(uxlate_ibl));
	map_used = 0;
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
