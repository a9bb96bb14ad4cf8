// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the code cache: code written through the alias runs at
 * the executable address, and a kernel function translated block by block
 * with kc_build_block() (exits linked to each other by kc_link_known(), as
 * the translator links them) computes the same results from the cache as
 * natively.
 */
#include <kunit/test.h>
#include <linux/uaccess.h>
#include "rt/cache.h"
#include "rt/symbols.h"
#include "core/block.h"
#include "core/link.h"

/* Functions to translate: branches and a loop, no calls. */
static noinline int kc_test_absdiff(int a, int b)
{
	return a > b ? a - b : b - a;
}

static noinline unsigned int kc_test_popcount_loop(unsigned long v)
{
	unsigned int n = 0;

	while (v) {
		n += v & 1;
		v >>= 1;
		barrier();
	}
	return n;
}

struct fn_xlate {
	struct kcage_cpu_cache *cache;
	unsigned long start, end;	/* native function bounds */
	struct kc_decoder dec;
	unsigned int nr_blocks;
	struct {
		u64 native, cache;
	} map[32];
};

static size_t read_code(void *ctx, u64 ip, u8 *buf, size_t len)
{
	struct fn_xlate *x = ctx;

	if (ip < x->start || ip >= x->end)
		return 0;
	len = min_t(size_t, len, x->end - ip);
	return copy_from_kernel_nofault(buf, (void *)(unsigned long)ip, len) ? 0 : len;
}

/* Test stubs: leaving the function goes native (a ret is copied as is). */
static int emit_stub(void *ctx, struct kc_emitter *e, const struct kc_block *blk,
		     const struct kc_exit *exit)
{
	if (exit->kind == KC_EXIT_BRANCH || exit->kind == KC_EXIT_FALLTHRU)
		return kc_emit_jmp(e, exit->target);
	return -EOPNOTSUPP;	/* not in these test functions */
}

static u64 translate(struct kunit *test, struct fn_xlate *x, u64 ip);

struct link_ctx {
	struct kunit *test;
	struct fn_xlate *x;
};

static bool stays_inside(const struct fn_xlate *x, const struct kc_exit *ex)
{
	return (ex->kind == KC_EXIT_BRANCH || ex->kind == KC_EXIT_FALLTHRU) &&
	       ex->target >= x->start && ex->target < x->end;
}

/* An exit that stays inside the function goes to its target's translation. */
static u64 resolve(void *ctx, const struct kc_exit *ex)
{
	struct link_ctx *l = ctx;

	return stays_inside(l->x, ex) ? translate(l->test, l->x, ex->target) : 0;
}

/*
 * Link exits that stay inside the function to their translations, as
 * the translator links a block just built (kc_link_known()).
 */
static void link_exits(struct kunit *test, struct fn_xlate *x,
		       const struct kc_block *blk, u8 *write_base)
{
	struct link_ctx l = { test, x };
	unsigned int i, inside = 0;

	for (i = 0; i < blk->nr_exits; i++)
		inside += stays_inside(x, &blk->exits[i]);
	KUNIT_ASSERT_EQ(test, kc_link_known(blk, write_base, resolve, &l), inside);
}

static u64 translate(struct kunit *test, struct fn_xlate *x, u64 ip)
{
	const struct kc_block_ops ops = {
		.read_code = read_code,
		.emit_stub = emit_stub,
		.ctx = x,
	};
	struct kc_emitter e;
	struct kc_block blk;
	unsigned int i;

	for (i = 0; i < x->nr_blocks; i++)
		if (x->map[i].native == ip)
			return x->map[i].cache;
	KUNIT_ASSERT_LT(test, x->nr_blocks, ARRAY_SIZE(x->map));

	kcage_cache_emitter(x->cache, &e);
	KUNIT_ASSERT_EQ(test, kc_build_block(&x->dec, &ops, ip, &e, &blk), 0);
	kcage_cache_commit(x->cache, &e, NULL);
	x->map[x->nr_blocks].native = ip;
	x->map[x->nr_blocks].cache = blk.cache_start;
	x->nr_blocks++;
	link_exits(test, x, &blk, e.buf);
	return blk.cache_start;
}

static void *translate_function(struct kunit *test, struct fn_xlate *x, void *fn)
{
	unsigned long size = kcage_symbol_size((unsigned long)fn, NULL);

	KUNIT_ASSERT_GT(test, size, 0ul);
	x->start = (unsigned long)fn;
	x->end = x->start + size;
	x->nr_blocks = 0;
	KUNIT_ASSERT_EQ(test, kc_decoder_init(&x->dec), 0);
	/* Translation appends to this CPU's chunk; stay on this CPU. */
	x->cache = kcage_cache_cpu(get_cpu());
	put_cpu();
	KUNIT_ASSERT_GT(test, x->cache->size, (size_t)0);
	return (void *)(unsigned long)translate(test, x, x->start);
}

/* copy_to_kernel_nofault() is not exported on 6.1; this is its core. */
static int try_write(u8 *dst, u8 val)
{
	pagefault_disable();
	__put_kernel_nofault(dst, &val, u8, fault);
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
}

static void cache_is_wx(struct kunit *test)
{
	struct kcage_cpu_cache *c = kcage_cache_cpu(raw_smp_processor_id());
	u8 probe;

	KUNIT_EXPECT_TRUE(test, kcage_cache_contains((unsigned long)c->exec));
	KUNIT_EXPECT_PTR_NE(test, (void *)c->exec, (void *)c->write);
	/* the executable address is read-only: a write through it faults */
	KUNIT_EXPECT_EQ(test, try_write(c->exec + c->size - 1, 0xcc), -EFAULT);
	KUNIT_EXPECT_EQ(test, try_write(c->write + c->size - 1, 0xcc), 0);
	probe = c->exec[c->size - 1];
	KUNIT_EXPECT_EQ(test, probe, 0xcc);	/* and the alias reaches it */
}

static void translated_function_runs(struct kunit *test)
{
	struct fn_xlate *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	int (*absdiff)(int, int);
	unsigned int (*popcount)(unsigned long);
	static const int in[][2] = { { 3, 9 }, { 9, 3 }, { -5, 5 }, { 0, 0 } };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, x);
	/* may be one block (cmov) or several, depending on the compiler */
	absdiff = translate_function(test, x, kc_test_absdiff);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		KUNIT_EXPECT_EQ(test, absdiff(in[i][0], in[i][1]),
				kc_test_absdiff(in[i][0], in[i][1]));

	/* a loop is at least two linked blocks */
	popcount = translate_function(test, x, kc_test_popcount_loop);
	KUNIT_EXPECT_GT(test, x->nr_blocks, 1u);
	KUNIT_EXPECT_EQ(test, popcount(0), 0u);
	KUNIT_EXPECT_EQ(test, popcount(0xf0f0f0f0f0f0f0f0ul), 32u);
	KUNIT_EXPECT_EQ(test, popcount(~0ul), 64u);
}

/*
 * Cache addresses map back to native ones: exactly in a block's copied
 * part, to the last instruction in the code replacing it, and from the
 * return address of a call that ends the block onwards to the native
 * return address, which is what stack traces need.
 */
static void cache_addresses_map_to_native(struct kunit *test)
{
	struct kcage_cpu_cache *c = kcage_cache_cpu(get_cpu());
	unsigned long native = (unsigned long)kc_test_absdiff;
	struct kcage_block_hdr hdr = {
		.native = (s32)native,
		.native_len = 10,	/* copied bytes */
		.last_len = 5,		/* a 5-byte call */
		.ret_tail = 7,		/* its translation returns 7 bytes in */
	};
	struct kc_emitter e;
	unsigned long b;
	static const u8 nops[30] = { [0 ... 29] = 0x90 };

	kcage_cache_emitter(c, &e);
	b = kc_emit_pc(&e);
	KUNIT_ASSERT_EQ(test, kc_emit_bytes(&e, nops, sizeof(nops)), 0);
	kcage_cache_commit(c, &e, &hdr);
	put_cpu();
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b), native);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 9), native + 9);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 10), native + 10);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 16), native + 10);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 17), native + 15);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 29), native + 15);
	KUNIT_EXPECT_EQ(test, kcage_cache_native(b + 30), 0ul);
}

static struct kunit_case kcage_cache_cases[] = {
	KUNIT_CASE(cache_is_wx),
	KUNIT_CASE(cache_addresses_map_to_native),
	KUNIT_CASE(translated_function_runs),
	{}
};

/*
 * Module suites run when the module is COMING, before kcage_init(): set up
 * the cache here (kcage_init() then finds it done; module exit frees it).
 */
static int kcage_cache_suite_init(struct kunit_suite *suite)
{
	return kcage_cache_init();
}

static struct kunit_suite kcage_cache_suite = {
	.name = "kcage_cache",
	.suite_init = kcage_cache_suite_init,
	.test_cases = kcage_cache_cases,
};

kunit_test_suite(kcage_cache_suite);
