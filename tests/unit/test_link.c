// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of exit stubs and linking (kmod/core/link.c), as both hosts
 * use them: a stub calls the host's exit dispatcher and holds a record
 * from which the dispatcher finds the exit's target, kind and rel32;
 * linking points that rel32 at a translation, from the record or, for a
 * block just built, from what the host already knows.
 */
#include "block.h"
#include "link.h"
#include "unit.h"
#include "unit_code.h"

#define NATIVE		0xffffffffc0001000ull
#define CACHE		0xffffffffc0801000ull
#define DISPATCH	(CACHE - 0x1000)

static struct kc_decoder dec;
static struct unit_code code;

static int emit_stub(void *ctx, struct kc_emitter *e, const struct kc_block *blk,
		     const struct kc_exit *x)
{
	return kc_emit_exit_stub(e, blk, x, DISPATCH);
}

static const struct kc_block_ops ops = {
	.read_code = unit_read_code,
	.emit_stub = emit_stub,
	.ctx = &code,
};

static int build(const u8 *c, size_t n, u64 at, u8 *buf, size_t cap,
		 struct kc_block *blk)
{
	struct kc_emitter e = { buf, CACHE, cap, 0 };

	code.bytes = c;
	code.len = n;
	code.at = at;
	return kc_build_block(&dec, &ops, at, &e, blk);
}

static s32 rel32_at(const u8 *p)
{
	s32 v;

	memcpy(&v, p, 4);
	return v;
}

/* Where the exit's rel32 branches to now. */
static u64 exit_goes(const u8 *buf, const struct kc_block *blk,
		     const struct kc_exit *x)
{
	return blk->cache_start + x->rel_off + 4 + rel32_at(buf + x->rel_off);
}

/* test %rcx, %rcx ; je +5 ; (5 bytes of nop) */
static const u8 jcc[] = { 0x48, 0x85, 0xc9, 0x74, 0x05 };

/*
 * Each stub is "call DISPATCH" and a record whose target and kind are the
 * exit's and whose rel_back leads from the record to the exit's rel32.
 */
static void stub_and_record(void)
{
	struct kc_block blk;
	u8 buf[256];
	unsigned int j;

	UNIT_EXPECT(build(jcc, sizeof(jcc), NATIVE, buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_exits == 2, "%u exits", blk.nr_exits);
	for (j = 0; j < blk.nr_exits && !unit_why[0]; j++) {
		const struct kc_exit *x = &blk.exits[j];
		const u8 *stub = buf + x->stub_off;
		const struct kc_exit_record *r = (const void *)(stub + 5);

		UNIT_EXPECT(exit_goes(buf, &blk, x) == blk.cache_start + x->stub_off,
			    "exit %u reaches its stub", j);
		UNIT_EXPECT(stub[0] == 0xe8, "exit %u: stub starts %02x", j, stub[0]);
		UNIT_EXPECT(CACHE + x->stub_off + 5 + rel32_at(stub + 1) == DISPATCH,
			    "exit %u: stub calls the dispatcher", j);
		UNIT_EXPECT(kc_exit_record_target(r) == x->target, "exit %u: target", j);
		UNIT_EXPECT(r->kind == x->kind, "exit %u: kind", j);
		/* buf stands for the cache: the record finds the rel32 in it */
		UNIT_EXPECT(kc_exit_record_rel32(r) == (u64)(uintptr_t)(buf + x->rel_off),
			    "exit %u: rel_back", j);
	}
	UNIT_EXPECT(sizeof(struct kc_exit_record) == 7, "record of %zu bytes",
		    sizeof(struct kc_exit_record));
	UNIT_EXPECT(blk.cache_len == blk.exits[1].stub_off + 5 + 7, "block of %u bytes",
		    blk.cache_len);
}

/* A target that does not fit the record's s32 cannot get a stub. */
static void far_target_refused(void)
{
	struct kc_block blk;
	u8 buf[256];

	UNIT_EXPECT(build(jcc, sizeof(jcc), 0x100000000ull, buf, sizeof(buf), &blk) == -ERANGE,
		    "a target above 4 GiB");
	UNIT_EXPECT(build(jcc, sizeof(jcc), 0x7ffff000ull, buf, sizeof(buf), &blk) == 0,
		    "a target below 2 GiB");
}

/* What the dispatcher does: link the exit it came through, from its record. */
static void link_from_record(void)
{
	struct kc_block blk;
	u8 buf[256];
	unsigned int j;

	UNIT_EXPECT(build(jcc, sizeof(jcc), NATIVE, buf, sizeof(buf), &blk) == 0, "build");
	for (j = 0; j < blk.nr_exits && !unit_why[0]; j++) {
		const struct kc_exit *x = &blk.exits[j];
		const struct kc_exit_record *r = (const void *)(buf + x->stub_off + 5);
		u64 rel32 = kc_exit_record_rel32(r);
		/* as an address in buf's stand-in cache */
		u64 exec = CACHE + (rel32 - (u64)(uintptr_t)buf);

		UNIT_EXPECT(kc_link_rel32(exec, (u8 *)(uintptr_t)rel32, CACHE + 0x4000) == 0,
			    "exit %u: link", j);
		UNIT_EXPECT(exit_goes(buf, &blk, x) == CACHE + 0x4000, "exit %u: linked", j);
		UNIT_EXPECT(kc_link_rel32(exec, (u8 *)(uintptr_t)rel32,
					  CACHE - 0x100000000ull) == -ERANGE,
			    "exit %u: far", j);
		UNIT_EXPECT(exit_goes(buf, &blk, x) == CACHE + 0x4000,
			    "exit %u: unchanged by -ERANGE", j);
	}
}

struct resolved {
	unsigned int calls;
	u64 to[KC_BLOCK_MAX_EXITS];
};

static u64 resolve(void *ctx, const struct kc_exit *x)
{
	struct resolved *r = ctx;

	return r->to[r->calls++];
}

/* Exits resolved to a translation are linked; the others keep their stubs. */
static void link_known_some(void)
{
	struct resolved res = { 0, { CACHE + 0x4000, 0 } };
	struct kc_block blk;
	u8 buf[256];

	UNIT_EXPECT(build(jcc, sizeof(jcc), NATIVE, buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(kc_link_known(&blk, buf, resolve, &res) == 1, "one linked");
	UNIT_EXPECT(res.calls == 2, "%u exits resolved", res.calls);
	UNIT_EXPECT(exit_goes(buf, &blk, &blk.exits[0]) == CACHE + 0x4000, "exit 0 linked");
	UNIT_EXPECT(exit_goes(buf, &blk, &blk.exits[1]) ==
		    blk.cache_start + blk.exits[1].stub_off, "exit 1 at its stub");
}

/* A trap exit is never linked: its host must see the trap every time. */
static void trap_never_linked(void)
{
	static const u8 ud2[] = { 0x0f, 0x0b };
	struct resolved res = { 0, { CACHE + 0x4000, CACHE + 0x4000 } };
	struct kc_block blk;
	u8 buf[256];

	UNIT_EXPECT(build(ud2, sizeof(ud2), NATIVE, buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_TRAP, "a trap exit");
	UNIT_EXPECT(kc_link_known(&blk, buf, resolve, &res) == 0, "none linked");
	UNIT_EXPECT(res.calls == 0, "trap resolved");
	UNIT_EXPECT(exit_goes(buf, &blk, &blk.exits[0]) ==
		    blk.cache_start + blk.exits[0].stub_off, "trap at its stub");
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "stub_and_record", stub_and_record },
		{ "far_target_refused", far_target_refused },
		{ "link_from_record", link_from_record },
		{ "link_known_some", link_known_some },
		{ "trap_never_linked", trap_never_linked },
		{ NULL, NULL },
	};

	kc_decoder_init(&dec);
	return unit_run("link", cases);
}
