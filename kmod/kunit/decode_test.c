// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kcage's decoder (core/decode.c over Zydis), run inside the
 * kernel against known byte sequences and against real kernel functions.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <asm/nospec-branch.h>
#include "core/decode.h"
#include "core/decode_cases.h"
#include "rt/symbols.h"

static void decode_known_bytes(struct kunit *test)
{
	const u64 ip = 0xffffffffc0001000ull;
	struct kc_decoder dec;
	struct kc_insn *insn;
	unsigned int i;

	insn = kunit_kzalloc(test, sizeof(*insn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, insn);
	KUNIT_ASSERT_EQ(test, kc_decoder_init(&dec), 0);

	for (i = 0; i < ARRAY_SIZE(kc_decode_cases); i++) {
		const struct kc_decode_case *k = &kc_decode_cases[i];

		KUNIT_ASSERT_EQ_MSG(test, kc_decode(&dec, k->bytes, k->len, ip, insn),
				    0, "%s", k->what);
		KUNIT_EXPECT_EQ_MSG(test, insn->len, k->len, "%s", k->what);
		KUNIT_EXPECT_STREQ_MSG(test, kc_insn_kind_name(insn->kind),
				       kc_insn_kind_name(k->kind), "%s", k->what);
		KUNIT_EXPECT_EQ_MSG(test, insn->rip_rel, k->rip_rel, "%s", k->what);
		if (k->kind == KC_INSN_CALL || k->kind == KC_INSN_JMP ||
		    k->kind == KC_INSN_JCC)
			KUNIT_EXPECT_EQ_MSG(test, insn->target, ip + k->rel_target,
					    "%s", k->what);
	}
}

static void decode_rejects_bad_bytes(struct kunit *test)
{
	static const u8 push_es[] = { 0x06 };		/* invalid in 64-bit */
	static const u8 cut_call[] = { 0xe8, 0x00 };	/* truncated */
	struct kc_decoder dec;
	struct kc_insn *insn;

	insn = kunit_kzalloc(test, sizeof(*insn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, insn);
	KUNIT_ASSERT_EQ(test, kc_decoder_init(&dec), 0);
	KUNIT_EXPECT_EQ(test, kc_decode(&dec, push_es, 1, 0, insn), -EINVAL);
	KUNIT_EXPECT_EQ(test, kc_decode(&dec, cut_call, 2, 0, insn), -EINVAL);
}

struct sweep {
	unsigned int insns;
	unsigned int return_thunk_jumps;
	unsigned int rets;
	u8 first_len;
	u8 first_kind;
};

/*
 * Linear sweep over a whole kernel function: every byte must decode, and
 * the instructions must tile the function exactly.
 */
static void sweep_function(struct kunit *test, unsigned long start,
			   struct sweep *sw)
{
	unsigned long size = kcage_symbol_size(start, NULL), off = 0;
	struct kc_decoder dec;
	struct kc_insn *insn;

	KUNIT_ASSERT_GT(test, size, 0ul);
	insn = kunit_kzalloc(test, sizeof(*insn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, insn);
	KUNIT_ASSERT_EQ(test, kc_decoder_init(&dec), 0);
	memset(sw, 0, sizeof(*sw));
	while (off < size) {
		size_t avail = min_t(unsigned long, size - off, 15);

		KUNIT_ASSERT_EQ_MSG(test, kc_decode(&dec, (u8 *)start + off, avail,
						    start + off, insn),
				    0, "%ps+0x%lx", (void *)start, off);
		if (!sw->insns) {
			sw->first_len = insn->len;
			sw->first_kind = insn->kind;
		}
		if (insn->kind == KC_INSN_JMP &&
		    insn->target == (u64)(unsigned long)__x86_return_thunk)
			sw->return_thunk_jumps++;
		if (insn->kind == KC_INSN_RET)
			sw->rets++;
		sw->insns++;
		off += insn->len;
	}
	KUNIT_EXPECT_EQ(test, off, size);
}

static void decode_printk(struct kunit *test)
{
	struct sweep sw;

	sweep_function(test, (unsigned long)_printk, &sw);
	KUNIT_EXPECT_GT(test, sw.insns, 10u);
	/* _printk starts at its ftrace site: a 5-byte nop while not traced */
	KUNIT_EXPECT_EQ(test, sw.first_len, 5);
	KUNIT_EXPECT_EQ(test, sw.first_kind, KC_INSN_PLAIN);
	/*
	 * It returns: by jmp __x86_return_thunk (RETHUNK=y), or by a plain
	 * ret where the alternatives patched the thunk away at boot.
	 */
	KUNIT_EXPECT_GT(test, sw.return_thunk_jumps + sw.rets, 0u);
}

static void decode_own_functions(struct kunit *test)
{
	struct sweep sw;

	sweep_function(test, (unsigned long)kc_decode, &sw);
	KUNIT_EXPECT_GT(test, sw.insns, 10u);
	sweep_function(test, (unsigned long)kc_decoder_init, &sw);
	KUNIT_EXPECT_GT(test, sw.insns, 2u);
}

static struct kunit_case kcage_decode_cases[] = {
	KUNIT_CASE(decode_known_bytes),
	KUNIT_CASE(decode_rejects_bad_bytes),
	KUNIT_CASE(decode_printk),
	KUNIT_CASE(decode_own_functions),
	{}
};

static struct kunit_suite kcage_decode_suite = {
	.name = "kcage_decode",
	.test_cases = kcage_decode_cases,
};

kunit_test_suite(kcage_decode_suite);
