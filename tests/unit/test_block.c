// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit tests of kmod/core/block.c: blocks are cut at control
 * transfers, their bodies mean what the native code meant, and each exit's
 * branch reaches its stub, or its linked target after kc_link_exit().
 * Indirect branches, retpoline thunks and patched sites enter the host's
 * dispatchers; emitted code is checked by decoding it again.
 */
#include "block.h"
#include "link.h"
#include "unit.h"
#include "unit_code.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NATIVE 0xffffffffc0001000ull
#define CACHE 0xffffffffc0801000ull
#define ICALL 0xffffffffc0010000ull	/* the host's dispatchers */
#define IJMP 0xffffffffc0010100ull
#define THUNKS 0xffffffffc0002000ull	/* __x86_indirect_thunk_array */
#define KEY 0xffffffffc0003000ull	/* a static key's enable count */
#define FUNCP 0xffffffffc0003008ull	/* a static call's function pointer */

static struct kc_decoder dec;
static struct unit_code code = { .at = NATIVE };
static unsigned int instrumented;
static u64 site_ip;			/* the one patched site, 0 for none */
static struct kc_site site_desc;

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

static int count_insns(void *ctx, struct kc_emitter *e, const struct kc_insn *insn,
		       const struct kc_block *blk)
{
	instrumented++;
	return 0;
}

/* __x86_indirect_thunk_r sits at THUNKS + 32 * r, as in the kernel. */
static int host_thunk_reg(void *ctx, u64 target)
{
	if (target < THUNKS || target >= THUNKS + 16 * 32 || (target - THUNKS) % 32)
		return -1;
	return (target - THUNKS) / 32;
}

static bool host_site(void *ctx, u64 ip, struct kc_site *site)
{
	if (!site_ip || ip != site_ip)
		return false;
	*site = site_desc;
	return true;
}

static struct kc_block_ops ops = {
	.read_code = unit_read_code,
	.emit_stub = emit_stub,
	.thunk_reg = host_thunk_reg,
	.site = host_site,
	.icall_entry = ICALL,
	.ijmp_entry = IJMP,
	.ctx = &code,
};

/* Build the block at NATIVE into @buf, starting @start bytes in. */
static int build_at(const u8 *c, size_t n, u8 *buf, size_t cap, size_t start,
		    struct kc_block *blk)
{
	struct kc_emitter e = { buf, CACHE, cap, start };

	code.bytes = c;
	code.len = n;
	return kc_build_block(&dec, &ops, NATIVE, &e, blk);
}

static int build(const u8 *c, size_t n, u8 *buf, size_t cap, struct kc_block *blk)
{
	return build_at(c, n, buf, cap, 0, blk);
}

/* Build with @c being a patched site described by @site. */
static int build_site(const u8 *c, size_t n, const struct kc_site *site,
		      u8 *buf, size_t cap, struct kc_block *blk)
{
	int ret;

	site_ip = NATIVE;
	site_desc = *site;
	ret = build(c, n, buf, cap, blk);
	site_ip = 0;
	return ret;
}

/* Fill @c with an @oplen-byte opcode and a rel32 from @ip to @target. */
static size_t branch_bytes(u8 *c, const u8 *op, size_t oplen, u64 ip, u64 target)
{
	s32 rel = (s32)(target - (ip + oplen + 4));

	memcpy(c, op, oplen);
	memcpy(c + oplen, &rel, 4);
	return oplen + 4;
}

/* Decode the translation at offset @off of a cache buffer of @len bytes. */
static int insn_at(const u8 *buf, size_t len, size_t off, struct kc_insn *in)
{
	if (off >= len)
		return -EINVAL;
	return kc_decode(&dec, buf + off, len - off, CACHE + off, in);
}

/* The first offset at or after @off that is not nop padding (1-3 bytes). */
static size_t skip_nops(const u8 *buf, size_t len, size_t off)
{
	if (off + 3 <= len && !memcmp(buf + off, "\x0f\x1f\x00", 3))
		return off + 3;
	if (off + 2 <= len && !memcmp(buf + off, "\x66\x90", 2))
		return off + 2;
	if (off < len && buf[off] == 0x90)
		return off + 1;
	return off;
}

/* Absolute address named by @in's RIP-relative memory operand @op. */
static u64 rip_abs(const struct kc_insn *in, unsigned int op)
{
	return in->ip + in->len + in->ops[op].mem.disp.value;
}

static bool is_rip_mem(const struct kc_insn *in, unsigned int op)
{
	return in->ops[op].type == ZYDIS_OPERAND_TYPE_MEMORY &&
	       in->ops[op].mem.base == ZYDIS_REGISTER_RIP;
}

static ZydisRegister gpr(unsigned int r)
{
	return ZydisRegisterEncode(ZYDIS_REGCLASS_GPR64, r);
}

/* Check the number of exits; the caller stops on a mismatch. */
static bool has_exits(const struct kc_block *blk, unsigned int n)
{
	UNIT_EXPECT(blk->nr_exits == n, "nr_exits %u, want %u", blk->nr_exits, n);
	return blk->nr_exits == n;
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

/*
 * Control transfers the translator does not run, and what the instruction
 * model refuses, end the block in a trap.
 */
static void unsupported_is_trap(void)
{
	static const struct { u8 len; u8 b[8]; const char *what; } cases[] = {
		{ 2, { 0xff, 0x1f }, "lcall *(%rdi)" },
		{ 2, { 0xff, 0x2f }, "ljmp *(%rdi)" },
		{ 1, { 0xcb }, "lret" },
		{ 6, { 0xc7, 0xf8, 0, 0, 0, 0 }, "xbegin" },
		{ 3, { 0x66, 0xff, 0xd0 }, "callw *%ax" },
		{ 2, { 0x66, 0xc3 }, "retw" },
		{ 3, { 0xc2, 0x08, 0x00 }, "ret $8" },
		{ 3, { 0x0f, 0xae, 0x27 }, "xsave (%rdi)" },
		{ 4, { 0x64, 0x48, 0x89, 0x07 }, "mov %rax,%fs:(%rdi)" },
	};
	struct kc_block blk;
	u8 c[16], buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		c[0] = 0x90;
		memcpy(c + 1, cases[i].b, cases[i].len);
		UNIT_EXPECT(build(c, 1 + cases[i].len, buf, sizeof(buf), &blk) == 0,
			    "%s: build", cases[i].what);
		UNIT_EXPECT(blk.nr_exits == 1 && blk.exits[0].kind == KC_EXIT_TRAP &&
			    blk.exits[0].target == NATIVE + 1, "%s: trap", cases[i].what);
	}
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

/* At @off: "call icall_entry" (@call) or "jmp ijmp_entry". */
static void expect_dispatch(const u8 *buf, size_t len, size_t off, bool call)
{
	struct kc_insn in;

	UNIT_EXPECT(!insn_at(buf, len, off, &in), "no dispatch at %zu", off);
	UNIT_EXPECT(in.kind == (call ? KC_INSN_CALL : KC_INSN_JMP) && in.len == 5,
		    "dispatch at %zu: kind %s", off, kc_insn_kind_name(in.kind));
	UNIT_EXPECT(in.target == (call ? ICALL : IJMP), "dispatch at %zu: target %llx",
		    off, (unsigned long long)in.target);
}

/*
 * Exit @i of a block built at CACHE is the FALLTHRU to native @next, and
 * code reaching @from (a return address, the end of a skipped sequence)
 * runs only nops up to its jmp, which goes to the exit's stub.
 */
static void expect_fallthru(const u8 *buf, size_t len, const struct kc_block *blk,
			    unsigned int i, size_t from, u64 next)
{
	const struct kc_exit *x = &blk->exits[i];
	size_t jmp_off = x->rel_off - 1;
	struct kc_insn in;

	UNIT_EXPECT(x->kind == KC_EXIT_FALLTHRU && x->target == next,
		    "exit %u: kind %u target %llx", i, x->kind,
		    (unsigned long long)x->target);
	UNIT_EXPECT(skip_nops(buf, len, from) == jmp_off,
		    "from %zu only nops lead to the FALLTHRU jmp at %zu", from, jmp_off);
	UNIT_EXPECT(!insn_at(buf, len, jmp_off, &in) && in.kind == KC_INSN_JMP &&
		    in.len == 5 && in.target == CACHE + x->stub_off,
		    "FALLTHRU jmp reaches its stub");
}

/*
 * Decode the body of @blk linearly from its start (in a buffer at CACHE);
 * true if an instruction ends with exit @x's rel32 and branches to @dest.
 */
static bool branch_reaches(const u8 *buf, size_t len, const struct kc_block *blk,
			   const struct kc_exit *x, u64 dest)
{
	size_t base = blk->cache_start - CACHE;
	size_t end = base + blk->exits[0].stub_off;
	size_t off = base;
	struct kc_insn in;

	if (end > len)
		return false;
	while (off < end) {
		if (insn_at(buf, end, off, &in))
			return false;
		off += in.len;
		if (off == base + x->rel_off + 4)
			return (in.kind == KC_INSN_JMP || in.kind == KC_INSN_JCC ||
				in.kind == KC_INSN_CALL) && in.target == dest;
	}
	return false;
}

/*
 * A direct call becomes an aligned "call rel32" to the CALL exit's stub;
 * the return address it pushes is in the cache, and from there only nop
 * padding leads to the FALLTHRU exit's jmp.
 */
static void direct_call(void)
{
	static const u8 c[] = { 0x90, 0xe8, 0x00, 0x01, 0x00, 0x00, 0xc3 };
	struct kc_block blk;
	struct kc_insn in;
	size_t call_off;
	u8 buf[64];
	int ret;

	ret = build(c, sizeof(c), buf, sizeof(buf), &blk);
	UNIT_EXPECT(ret == 0, "build: %d", ret);
	if (ret || !has_exits(&blk, 2))
		return;
	UNIT_EXPECT(blk.nr_insns == 2 && blk.native_end == NATIVE + 6, "ends after the call");
	UNIT_EXPECT(blk.exits[0].kind == KC_EXIT_CALL &&
		    blk.exits[0].target == NATIVE + 6 + 0x100, "call exit");
	UNIT_EXPECT(buf[0] == 0x90, "nop copied");
	UNIT_EXPECT((CACHE + blk.exits[0].rel_off) % 4 == 0, "call rel32 aligned");
	call_off = blk.exits[0].rel_off - 1;
	UNIT_EXPECT(skip_nops(buf, sizeof(buf), 1) == call_off, "only padding before the call");
	UNIT_EXPECT(!insn_at(buf, sizeof(buf), call_off, &in) && in.kind == KC_INSN_CALL &&
		    in.len == 5 && in.target == CACHE + blk.exits[0].stub_off,
		    "call rel32 reaches the CALL stub");
	expect_fallthru(buf, sizeof(buf), &blk, 1, call_off + 5, NATIVE + 6);
	UNIT_EXPECT(buf[blk.exits[0].stub_off + 2] == KC_EXIT_CALL, "CALL stub");
	UNIT_EXPECT(buf[blk.exits[1].stub_off + 2] == KC_EXIT_FALLTHRU, "FALLTHRU stub");
}

/*
 * A ret is copied as it is: no exit, nothing appended.  (ret $imm is
 * refused by the instruction model: unsupported_is_trap.)
 */
static void ret_copied(void)
{
	static const u8 c1[] = { 0x90, 0xc3 };
	struct kc_block blk;
	u8 buf[64];

	UNIT_EXPECT(build(c1, sizeof(c1), buf, sizeof(buf), &blk) == 0, "build ret");
	UNIT_EXPECT(blk.nr_exits == 0 && blk.last.kind == KC_INSN_RET, "ret: no exit");
	UNIT_EXPECT(blk.cache_len == 2 && !memcmp(buf, c1, 2), "ret copied");
	UNIT_EXPECT(blk.native_end == NATIVE + 2, "native_end");
}

/*
 * "call *%rax" and "call *%r11" become "push <reg>; call icall_entry"
 * and a FALLTHRU exit to the next instruction.
 */
static void icall_reg(void)
{
	static const struct { u8 len; u8 b[3]; unsigned int reg; } cases[] = {
		{ 2, { 0xff, 0xd0 }, 0 },		/* call *%rax */
		{ 3, { 0x41, 0xff, 0xd3 }, 11 },	/* call *%r11 */
	};
	struct kc_block blk;
	struct kc_insn in;
	u8 buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 n = cases[i].len;

		UNIT_EXPECT(build(cases[i].b, n, buf, sizeof(buf), &blk) == 0, "case %zu", i);
		if (!has_exits(&blk, 1))
			return;
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH && in.len == n &&
			    in.ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER &&
			    in.ops[0].reg.value == gpr(cases[i].reg), "case %zu: push reg", i);
		expect_dispatch(buf, sizeof(buf), n, true);
		expect_fallthru(buf, sizeof(buf), &blk, 0, n + 5, NATIVE + n);
	}
}

/*
 * "call *0x2000(%rip)" becomes "push" of the same slot: the displacement
 * is re-based so it names the same absolute address from the cache.
 */
static void icall_rip(void)
{
	static const u8 c[] = { 0x90, 0xff, 0x15, 0x00, 0x20, 0x00, 0x00 };
	const u64 slot = NATIVE + sizeof(c) + 0x2000;
	struct kc_block blk;
	struct kc_insn in;
	u8 buf[64];

	UNIT_EXPECT(build(c, sizeof(c), buf, sizeof(buf), &blk) == 0, "build");
	if (!has_exits(&blk, 1))
		return;
	UNIT_EXPECT(buf[0] == 0x90, "nop copied");
	UNIT_EXPECT(!insn_at(buf, sizeof(buf), 1, &in) &&
		    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH && in.len == 6 &&
		    is_rip_mem(&in, 0) && in.ops[0].size == 64, "push mem");
	UNIT_EXPECT(rip_abs(&in, 0) == slot, "push names %llx, want %llx",
		    (unsigned long long)rip_abs(&in, 0), (unsigned long long)slot);
	expect_dispatch(buf, sizeof(buf), 7, true);
	expect_fallthru(buf, sizeof(buf), &blk, 0, 12, NATIVE + sizeof(c));
}

/*
 * "jmp *0x8(%rsp)" (SIB, RSP base) and a jump table "jmp *T(,%rax,8)"
 * become "push <the same operand>; jmp ijmp_entry", with no exit.
 */
static void ijmp_mem(void)
{
	static const struct { u8 len; u8 b[7]; } cases[] = {
		{ 4, { 0xff, 0x64, 0x24, 0x08 } },
		{ 7, { 0xff, 0x24, 0xc5, 0x00, 0x30, 0x00, 0xc0 } },
	};
	struct kc_insn orig, in;
	struct kc_block blk;
	u8 buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const ZydisDecodedOperandMem *m = &in.ops[0].mem;
		u8 n = cases[i].len;

		kc_decode(&dec, cases[i].b, n, NATIVE, &orig);
		UNIT_EXPECT(orig.kind == KC_INSN_JMP_IND, "case %zu: jmp *X", i);
		UNIT_EXPECT(build(cases[i].b, n, buf, sizeof(buf), &blk) == 0, "case %zu", i);
		UNIT_EXPECT(blk.nr_exits == 0 && blk.cache_len == n + 5u,
			    "case %zu: no exit, len %u", i, blk.cache_len);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH && in.len == n &&
			    in.ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY, "case %zu: push", i);
		UNIT_EXPECT(m->base == orig.ops[0].mem.base &&
			    m->index == orig.ops[0].mem.index &&
			    m->scale == orig.ops[0].mem.scale &&
			    m->disp.value == orig.ops[0].mem.disp.value,
			    "case %zu: same operand", i);
		expect_dispatch(buf, sizeof(buf), n, false);
	}
}

/*
 * A call or jmp to __x86_indirect_thunk_r is an indirect branch through
 * r: "push %r", then the dispatcher, as for "call *%r" / "jmp *%r".  A
 * call elsewhere in the thunk page stays a direct call.
 */
static void thunk_call_and_jmp(void)
{
	struct kc_block blk;
	struct kc_insn in;
	u8 c[5], buf[64];

	branch_bytes(c, (const u8[]){ 0xe8 }, 1, NATIVE, THUNKS + 11 * 32);
	UNIT_EXPECT(build(c, 5, buf, sizeof(buf), &blk) == 0, "build call");
	if (!has_exits(&blk, 1))
		return;
	UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) && in.len == 2 &&
		    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH &&
		    in.ops[0].reg.value == ZYDIS_REGISTER_R11, "push %%r11");
	expect_dispatch(buf, sizeof(buf), 2, true);
	expect_fallthru(buf, sizeof(buf), &blk, 0, 7, NATIVE + 5);

	branch_bytes(c, (const u8[]){ 0xe9 }, 1, NATIVE, THUNKS);
	UNIT_EXPECT(build(c, 5, buf, sizeof(buf), &blk) == 0, "build jmp");
	UNIT_EXPECT(blk.nr_exits == 0 && blk.cache_len == 6, "tail call: no exit");
	UNIT_EXPECT(buf[0] == 0x50, "push %%rax");
	expect_dispatch(buf, sizeof(buf), 1, false);

	branch_bytes(c, (const u8[]){ 0xe8 }, 1, NATIVE, THUNKS + 8);
	UNIT_EXPECT(build(c, 5, buf, sizeof(buf), &blk) == 0, "build non-thunk");
	UNIT_EXPECT(blk.nr_exits == 2 && blk.exits[0].kind == KC_EXIT_CALL &&
		    blk.exits[0].target == THUNKS + 8, "not a thunk: direct call");
}

/*
 * "jne __x86_indirect_thunk_r" is a conditional tail call: "je over;
 * push %r; jmp ijmp_entry; over:" and then the FALLTHRU exit.
 */
static void thunk_jcc(void)
{
	static const unsigned int regs[] = { 0, 11 };
	struct kc_block blk;
	struct kc_insn in;
	u8 c[6], buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		size_t push_len = regs[i] < 8 ? 1 : 2;
		size_t over = 2 + push_len + 5;

		branch_bytes(c, (const u8[]){ 0x0f, 0x85 }, 2, NATIVE, THUNKS + 32 * regs[i]);
		UNIT_EXPECT(build(c, 6, buf, sizeof(buf), &blk) == 0, "r%u: build", regs[i]);
		if (!has_exits(&blk, 1))
			return;
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) && in.len == 2 &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_JZ &&
			    in.target == CACHE + over, "r%u: je over the dispatch", regs[i]);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 2, &in) && in.len == push_len &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH &&
			    in.ops[0].reg.value == gpr(regs[i]), "r%u: push", regs[i]);
		expect_dispatch(buf, sizeof(buf), 2 + push_len, false);
		expect_fallthru(buf, sizeof(buf), &blk, 0, over, NATIVE + 6);
	}
}

/*
 * A jump-label site, whatever its bytes today (nop or jmp), becomes
 * "cmpl $0, count(%rip)" and jg (jump if enabled) or jle to a BRANCH
 * exit for the site's target, then a FALLTHRU exit.
 */
static void jump_label_site(void)
{
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const u64 target = NATIVE + 0x40;
	struct kc_site site = { .kind = KC_SITE_JUMP_LABEL, .addr = KEY,
				.target = target };
	struct kc_block blk;
	struct kc_insn in;
	u8 jmp5[5], buf[64];
	size_t jcc_off;
	int enabled;

	branch_bytes(jmp5, (const u8[]){ 0xe9 }, 1, NATIVE, target);
	for (enabled = 0; enabled < 2; enabled++) {
		site.jump_if_enabled = enabled;
		UNIT_EXPECT(build_site(enabled ? nop5 : jmp5, 5, &site, buf,
				       sizeof(buf), &blk) == 0, "build %d", enabled);
		if (!has_exits(&blk, 2))
			return;
		UNIT_EXPECT(blk.nr_insns == 1 && blk.native_end == NATIVE + 5, "one insn");
		UNIT_EXPECT(blk.exits[0].kind == KC_EXIT_BRANCH &&
			    blk.exits[0].target == target, "%d: BRANCH exit", enabled);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_CMP && in.len == 7 &&
			    is_rip_mem(&in, 0) && rip_abs(&in, 0) == KEY &&
			    in.ops[0].size == 32 &&
			    in.ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
			    in.ops[1].imm.value.u == 0, "%d: cmpl $0, key", enabled);
		jcc_off = blk.exits[0].rel_off - 2;
		UNIT_EXPECT(skip_nops(buf, sizeof(buf), 7) == jcc_off, "%d: padding", enabled);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), jcc_off, &in) && in.len == 6 &&
			    in.zi.mnemonic == (enabled ? ZYDIS_MNEMONIC_JNLE : ZYDIS_MNEMONIC_JLE) &&
			    in.target == CACHE + blk.exits[0].stub_off, "%d: jg/jle", enabled);
		expect_fallthru(buf, sizeof(buf), &blk, 1, jcc_off + 6, NATIVE + 5);
	}
}

/*
 * A static-call site becomes a test of the key's function pointer (NULL,
 * from static_call_cond(), makes the call a no-op), "pushq func(%rip)" and
 * the dispatcher: call icall_entry and a FALLTHRU exit, or for a tail call
 * jmp ijmp_entry and a ret for the NULL case.  The trampoline the native
 * bytes name is never an exit.
 */
static void static_call_site(void)
{
	const u64 tramp = NATIVE + 0x80;
	struct kc_site site = { .kind = KC_SITE_STATIC_CALL, .addr = FUNCP };
	struct kc_block blk;
	struct kc_insn in;
	u8 c[5], buf[64];
	int tail;

	for (tail = 0; tail < 2; tail++) {
		site.tail = tail;
		branch_bytes(c, (const u8[]){ tail ? 0xe9 : 0xe8 }, 1, NATIVE, tramp);
		UNIT_EXPECT(build_site(c, 5, &site, buf, sizeof(buf), &blk) == 0,
			    "build %d", tail);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 0, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_CMP && in.len == 8 &&
			    is_rip_mem(&in, 0) && in.ops[0].size == 64 &&
			    rip_abs(&in, 0) == FUNCP &&
			    in.ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
			    in.ops[1].imm.value.u == 0, "%d: cmpq $0, func", tail);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 8, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_JZ && in.len == 2 &&
			    in.target == CACHE + 21, "%d: je past the dispatch", tail);
		UNIT_EXPECT(!insn_at(buf, sizeof(buf), 10, &in) &&
			    in.zi.mnemonic == ZYDIS_MNEMONIC_PUSH && in.len == 6 &&
			    is_rip_mem(&in, 0) && in.ops[0].size == 64 &&
			    rip_abs(&in, 0) == FUNCP, "%d: pushq func(%%rip)", tail);
		expect_dispatch(buf, sizeof(buf), 16, !tail);
		if (tail) {
			UNIT_EXPECT(blk.nr_exits == 0 && blk.cache_len == 22 &&
				    buf[21] == 0xc3, "tail: a ret for NULL, no exit");
			continue;
		}
		if (!has_exits(&blk, 1))
			return;
		expect_fallthru(buf, sizeof(buf), &blk, 0, 21, NATIVE + 5);
	}
}

/*
 * Every exit's rel32 is 4-byte aligned where it executes, whatever the
 * block's start alignment, and ends an instruction (found by decoding the
 * body linearly, padding included) that branches to the exit's stub.
 */
static void exits_aligned(void)
{
	static const struct { u8 len; bool site; u8 b[8]; } cases[] = {
		{ 2, false, { 0x74, 0x05 } },				/* je */
		{ 5, false, { 0x48, 0x89, 0xf8, 0x74, 0x05 } },		/* mov; je */
		{ 6, false, { 0x0f, 0x8f, 0x00, 0x01, 0x00, 0x00 } },	/* jg rel32 */
		{ 2, false, { 0xeb, 0x10 } },				/* jmp */
		{ 6, false, { 0x90, 0xe8, 0x00, 0x01, 0x00, 0x00 } },	/* nop; call */
		{ 2, false, { 0xe3, 0x10 } },				/* jrcxz */
		{ 3, false, { 0x67, 0xe3, 0x10 } },			/* jecxz */
		{ 2, false, { 0xe2, 0xf0 } },				/* loop */
		{ 3, false, { 0x41, 0xff, 0xd3 } },			/* call *%r11 */
		{ 3, false, { 0x90, 0x0f, 0x0b } },			/* nop; ud2 */
		{ 5, true, { 0x0f, 0x1f, 0x44, 0x00, 0x00 } },		/* jump label */
		{ 6, false, { 0x0f, 0x85, 0xfa, 0x0f, 0x00, 0x00 } },	/* jne thunk_rax */
	};
	const struct kc_site site = { .kind = KC_SITE_JUMP_LABEL, .addr = KEY,
				      .target = NATIVE + 0x40 };
	struct kc_block blk;
	u8 buf[128];
	size_t i, start;
	unsigned int j;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (start = 0; start < 8; start++) {
			memset(buf, 0xcc, sizeof(buf));
			site_ip = cases[i].site ? NATIVE : 0;
			site_desc = site;
			ret = build_at(cases[i].b, cases[i].len, buf, sizeof(buf), start, &blk);
			site_ip = 0;
			UNIT_EXPECT(ret == 0 && blk.nr_exits > 0, "case %zu@%zu: %d", i, start, ret);
			UNIT_EXPECT(blk.cache_start == CACHE + start, "case %zu@%zu: start", i, start);
			for (j = 0; !ret && j < blk.nr_exits; j++) {
				const struct kc_exit *x = &blk.exits[j];

				UNIT_EXPECT((blk.cache_start + x->rel_off) % 4 == 0,
					    "case %zu@%zu: exit %u rel32 at %llx", i, start, j,
					    (unsigned long long)(blk.cache_start + x->rel_off));
				UNIT_EXPECT(branch_reaches(buf, sizeof(buf), &blk, x,
							   blk.cache_start + x->stub_off),
					    "case %zu@%zu: exit %u reaches its stub", i, start, j);
			}
		}
	}
}

/*
 * kc_link_exit() rewrites an exit's rel32, through the writable alias the
 * host computes from rel_off, so the branch goes straight to a translated
 * target; it can re-point it later, and refuses (leaving the branch alone)
 * a target out of rel32 reach.  Also for a block that does not start at
 * the emitter's first byte, and without touching the other exit.
 */
static void link_exit_repoints(void)
{
	static const u8 c[] = { 0x48, 0x85, 0xc9, 0x74, 0x05 };	/* test; je */
	static const size_t starts[] = { 0, 5 };
	const u64 far = CACHE - 0x100000000ull;
	struct kc_block blk;
	u8 buf[128], *w;
	size_t i;
	unsigned int j;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		memset(buf, 0xcc, sizeof(buf));
		UNIT_EXPECT(build_at(c, sizeof(c), buf, sizeof(buf), starts[i], &blk) == 0,
			    "build@%zu", starts[i]);
		if (!has_exits(&blk, 2))
			return;
		w = buf + (blk.cache_start - CACHE);	/* the block's write alias */
		for (j = 0; j < 2; j++) {
			const struct kc_exit *x = &blk.exits[j];
			const struct kc_exit *other = &blk.exits[!j];
			u8 *rel32 = w + x->rel_off;

			UNIT_EXPECT(kc_link_exit(&blk, j, CACHE + 0x4000, rel32) == 0, "link");
			UNIT_EXPECT(branch_reaches(buf, sizeof(buf), &blk, x, CACHE + 0x4000),
				    "@%zu: exit %u linked", starts[i], j);
			UNIT_EXPECT(kc_link_exit(&blk, j, CACHE - 0x200, rel32) == 0, "relink");
			UNIT_EXPECT(branch_reaches(buf, sizeof(buf), &blk, x, CACHE - 0x200),
				    "@%zu: exit %u re-pointed", starts[i], j);
			UNIT_EXPECT(kc_link_exit(&blk, j, far, rel32) == -ERANGE, "far");
			UNIT_EXPECT(branch_reaches(buf, sizeof(buf), &blk, x, CACHE - 0x200),
				    "@%zu: exit %u unchanged by -ERANGE", starts[i], j);
			if (j == 0)
				UNIT_EXPECT(branch_reaches(buf, sizeof(buf), &blk, other,
							   blk.cache_start + other->stub_off),
					    "@%zu: exit 1 still at its stub", starts[i]);
		}
	}
}

/*
 * Without dispatchers an indirect branch cannot be translated; without a
 * thunk_reg hook a call to a thunk is an ordinary direct call.
 */
static void hooks_missing(void)
{
	static const u8 icall[] = { 0xff, 0xd0 };
	struct kc_block blk;
	u8 c[5], buf[64];

	ops.icall_entry = 0;
	UNIT_EXPECT(build(icall, sizeof(icall), buf, sizeof(buf), &blk) == -EOPNOTSUPP,
		    "no icall_entry");
	ops.icall_entry = CACHE - 0x100000000ull;
	UNIT_EXPECT(build(icall, sizeof(icall), buf, sizeof(buf), &blk) == -ERANGE,
		    "icall_entry out of reach");
	ops.icall_entry = ICALL;
	ops.thunk_reg = NULL;
	branch_bytes(c, (const u8[]){ 0xe8 }, 1, NATIVE, THUNKS);
	UNIT_EXPECT(build(c, 5, buf, sizeof(buf), &blk) == 0 && blk.nr_exits == 2 &&
		    blk.exits[0].kind == KC_EXIT_CALL, "thunk call without the hook");
	ops.thunk_reg = host_thunk_reg;
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "jcc_block", jcc_block },
		{ "direct_call", direct_call },
		{ "ret_copied", ret_copied },
		{ "icall_reg", icall_reg },
		{ "icall_rip", icall_rip },
		{ "ijmp_mem", ijmp_mem },
		{ "thunk_call_and_jmp", thunk_call_and_jmp },
		{ "thunk_jcc", thunk_jcc },
		{ "jump_label_site", jump_label_site },
		{ "static_call_site", static_call_site },
		{ "exits_aligned", exits_aligned },
		{ "link_exit_repoints", link_exit_repoints },
		{ "hooks_missing", hooks_missing },
		{ "privileged_copied_traps_end", privileged_copied_traps_end },
		{ "undecodable_is_trap", undecodable_is_trap },
		{ "unsupported_is_trap", unsupported_is_trap },
		{ "long_block_split", long_block_split },
		{ "errors", errors },
		{ NULL, NULL },
	};

	kc_decoder_init(&dec);
	return unit_run("block", cases);
}
