// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit tests of kmod/core/block.c: blocks are cut at control
 * transfers, their bodies mean what the native code meant, and each exit's
 * branch reaches its stub, or its linked target after kc_link_exit().
 */
#include "block.h"
#include "unit.h"

#define NATIVE 0xffffffffc0001000ull
#define CACHE 0xffffffffc0801000ull

static struct kc_decoder dec;
static const u8 *code;
static size_t code_len;
static unsigned int instrumented;

static size_t read_code(void *ctx, u64 ip, u8 *buf, size_t len)
{
	size_t off = ip - NATIVE;

	if (ip < NATIVE || off >= code_len)
		return 0;
	if (len > code_len - off)
		len = code_len - off;
	memcpy(buf, code + off, len);
	return len;
}

/* A recognisable stub: ud2 followed by the exit kind. */
static int emit_stub(void *ctx, struct kc_emitter *e, const struct kc_block *blk,
		     const struct kc_exit *x)
{
	u8 b[3] = { 0x0f, 0x0b, x->kind };

	if (e->cap - e->pos < sizeof(b))
		return -ENOSPC;
	memcpy(e->buf + e->pos, b, sizeof(b));
	e->pos += sizeof(b);
	return 0;
}

static int count_insns(void *ctx, struct kc_emitter *e, const struct kc_insn *insn)
{
	instrumented++;
	return 0;
}

static struct kc_block_ops ops = { read_code, NULL, emit_stub, NULL };

static int build(const u8 *c, size_t n, u8 *buf, size_t cap, struct kc_block *blk)
{
	struct kc_emitter e = { buf, CACHE, cap, 0 };

	code = c;
	code_len = n;
	return kc_build_block(&dec, &ops, NATIVE, &e, blk);
}

/* Where the branch whose rel32 sits at @rel_off goes. */
static u64 branch_dest(const u8 *buf, u32 rel_off)
{
	s32 rel;

	memcpy(&rel, buf + rel_off, 4);
	return CACHE + rel_off + 4 + rel;
}

static void jcc_block(void)
{
	static const u8 c[] = {
		0x48, 0x89, 0xf8,			/* mov %rdi,%rax */
		0x48, 0x8b, 0x0d, 0x00, 0x10, 0x00, 0x00, /* mov 0x1000(%rip),%rcx */
		0x48, 0x85, 0xc9,			/* test %rcx,%rcx */
		0x74, 0x05,				/* je +5 */
		0xc3,					/* (next block) */
	};
	struct kc_block blk;
	struct kc_insn in;
	u8 buf[128];

	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_insns == 4, "nr_insns %u", blk.nr_insns);
	UNIT_EXPECT(blk.native_end == NATIVE + 15, "native_end");
	UNIT_EXPECT(blk.nr_exits == 2, "nr_exits %u", blk.nr_exits);
	UNIT_EXPECT(blk.exits[0].kind == KC_EXIT_BRANCH &&
		    blk.exits[0].target == NATIVE + 20, "taken exit");
	UNIT_EXPECT(blk.exits[1].kind == KC_EXIT_FALLTHRU &&
		    blk.exits[1].target == NATIVE + 15, "fallthrough exit");
	/* body: the copies, then je <stub0>, jmp <stub1> */
	UNIT_EXPECT(!memcmp(buf, c, 3), "mov copied");
	kc_decode(&dec, buf + 3, 7, CACHE + 3, &in);
	UNIT_EXPECT(CACHE + 10 + (s32)in.zi.raw.disp.value == NATIVE + 10 + 0x1000,
		    "rip-relative operand re-based");
	UNIT_EXPECT(branch_dest(buf, blk.exits[0].rel_off) == CACHE + blk.exits[0].stub_off,
		    "je reaches stub 0");
	UNIT_EXPECT(branch_dest(buf, blk.exits[1].rel_off) == CACHE + blk.exits[1].stub_off,
		    "jmp reaches stub 1");
	UNIT_EXPECT(buf[blk.exits[1].stub_off + 2] == KC_EXIT_FALLTHRU, "stub content");

	UNIT_EXPECT(kc_link_exit(&blk, 0, CACHE + 0x4000, buf + blk.exits[0].rel_off) == 0,
		    "link");
	UNIT_EXPECT(branch_dest(buf, blk.exits[0].rel_off) == CACHE + 0x4000, "linked");
}

static void call_and_ret_blocks(void)
{
	static const u8 c[] = { 0x90, 0xe8, 0x00, 0x01, 0x00, 0x00, 0xc3 };
	struct kc_block blk;
	u8 buf[64];

	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_CALL, "call exit");
	UNIT_EXPECT(blk.exits[0].target == NATIVE + 6 + 0x100, "call target");
	UNIT_EXPECT(blk.exits[0].ret == NATIVE + 6, "return address");
	UNIT_EXPECT(build(c + 6, 1, buf, sizeof(buf), &blk) == 0, "ret block");
	UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_INDIRECT, "ret exit");
}

static void privileged_copied_traps_end(void)
{
	static const u8 c[] = { 0xfa, 0xfb, 0x0f, 0x0b };	/* cli; sti; ud2 */
	struct kc_block blk;
	u8 buf[64];

	instrumented = 0;
	ops.instrument = count_insns;
	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	ops.instrument = NULL;
	UNIT_EXPECT(buf[0] == 0xfa && buf[1] == 0xfb, "cli/sti copied");
	UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_TRAP &&
		    blk.exits[0].target == NATIVE + 2, "ud2 is a trap exit");
	UNIT_EXPECT(instrumented == 3, "instrument stage saw %u insns", instrumented);
}

static void undecodable_is_trap(void)
{
	static const u8 c[] = { 0x90, 0x06 };	/* nop; (invalid) */
	struct kc_block blk;
	u8 buf[64];

	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_TRAP &&
		    blk.exits[0].target == NATIVE + 1, "trap at the bad byte");
}

static void long_block_split(void)
{
	u8 c[KC_BLOCK_MAX_INSNS + 10];
	struct kc_block blk;
	u8 buf[256];

	memset(c, 0x90, sizeof(c));
	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	UNIT_EXPECT(blk.nr_insns == KC_BLOCK_MAX_INSNS, "split at the limit");
	UNIT_EXPECT(blk.exits[0].kind == KC_EXIT_FALLTHRU &&
		    blk.exits[0].target == NATIVE + KC_BLOCK_MAX_INSNS, "continues");
}

static void errors(void)
{
	static const u8 c[] = { 0x48, 0x89, 0xf8, 0x48, 0x89, 0xf8, 0xc3 };
	struct kc_block blk;
	u8 buf[64];

	UNIT_EXPECT(build(c, sizeof(c), buf, 5, &blk) == -ENOSPC, "cache full");
	UNIT_EXPECT(build(c, 3, buf, sizeof(buf), &blk) == -EFAULT, "runs off the text");
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "jcc_block", jcc_block },
		{ "call_and_ret_blocks", call_and_ret_blocks },
		{ "privileged_copied_traps_end", privileged_copied_traps_end },
		{ "undecodable_is_trap", undecodable_is_trap },
		{ "long_block_split", long_block_split },
		{ "errors", errors },
		{ NULL, NULL },
	};

	kc_decoder_init(&dec);
	return unit_run("block", cases);
}
