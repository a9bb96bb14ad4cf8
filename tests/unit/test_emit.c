// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit tests of kmod/core/emit.c: an instruction copied to a
 * different address must mean the same thing there.  Each emitted
 * instruction is decoded again and compared with the original.
 */
#include "emit.h"
#include "unit.h"

static const u64 native_ip = 0xffffffffc0001000ull;
static const u64 cache_base = 0xffffffffc0801000ull;	/* 8 MiB away */

static struct kc_decoder dec;

static int decode_at(const u8 *b, size_t n, u64 ip, struct kc_insn *insn)
{
	return kc_decode(&dec, b, n, ip, insn);
}

/* Absolute address named by the first RIP-relative memory operand. */
static u64 rip_target(const struct kc_insn *insn)
{
	return insn->ip + insn->len + (s64)insn->zi.raw.disp.value;
}

static void rip_relative_rebased(void)
{
	static const u8 cases[][15] = {
		{ 7, 0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00 },   /* mov 0x10(%rip),%rax */
		{ 8, 0x66, 0x0f, 0x6f, 0x05, 0xf0, 0xff, 0xff, 0xff }, /* movdqa */
		{ 10, 0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00 }, /* movl $42,0x100(%rip) */
		{ 8, 0xc5, 0xfd, 0x6f, 0x0d, 0x44, 0x33, 0x22, 0x11 }, /* vmovdqa ymm1 */
		{ 7, 0x48, 0x8d, 0x3d, 0x00, 0x00, 0x00, 0x80 },   /* lea -2G(%rip),%rdi */
	};
	struct kc_insn orig, copy;
	u8 buf[64];
	size_t i;

	kc_decoder_init(&dec);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kc_emitter e = { buf, cache_base, sizeof(buf), 0 };
		const u8 *b = cases[i] + 1;
		u8 n = cases[i][0];
		int ret;

		UNIT_EXPECT(!decode_at(b, n, native_ip, &orig), "case %zu decodes", i);
		UNIT_EXPECT(orig.rip_rel && orig.len == n, "case %zu rip-rel", i);
		ret = kc_emit_copy(&e, &orig, b);
		/* lea -2G from native is out of reach from 8 MiB further up */
		if (i == 4) {
			UNIT_EXPECT(ret == -ERANGE, "case 4: %d, want -ERANGE", ret);
			continue;
		}
		UNIT_EXPECT(ret == 0 && e.pos == n, "case %zu emitted %d", i, ret);
		UNIT_EXPECT(!decode_at(buf, e.pos, cache_base, &copy), "case %zu redecodes", i);
		UNIT_EXPECT(copy.zi.mnemonic == orig.zi.mnemonic, "case %zu mnemonic", i);
		UNIT_EXPECT(rip_target(&copy) == rip_target(&orig),
			    "case %zu: target %llx, want %llx", i,
			    (unsigned long long)rip_target(&copy),
			    (unsigned long long)rip_target(&orig));
		/* the immediate of movl $42 must survive */
		if (i == 2)
			UNIT_EXPECT(copy.ops[1].imm.value.u == 42, "imm kept");
	}
}

static void plain_copied_verbatim(void)
{
	static const u8 b[] = { 0xf0, 0x48, 0x0f, 0xb1, 0x17 };	/* lock cmpxchg */
	struct kc_emitter e;
	struct kc_insn insn;
	u8 buf[16];

	e = (struct kc_emitter){ buf, cache_base, sizeof(buf), 0 };
	decode_at(b, sizeof(b), native_ip, &insn);
	UNIT_EXPECT(kc_emit_copy(&e, &insn, b) == 0, "copy");
	UNIT_EXPECT(e.pos == sizeof(b) && !memcmp(buf, b, sizeof(b)), "verbatim");
}

/* Every jcc form becomes a branch to the new target with the same condition. */
static void branches_widened(void)
{
	static const u8 cases[][8] = {
		{ 2, 0x74, 0x05 },			/* je rel8 */
		{ 6, 0x0f, 0x8f, 0x00, 0x01, 0x00, 0x00 },	/* jg rel32 */
		{ 2, 0xeb, 0x10 },			/* jmp rel8 */
		{ 2, 0xe3, 0x10 },			/* jrcxz */
		{ 3, 0x67, 0xe3, 0x10 },		/* jecxz */
		{ 2, 0xe2, 0xf0 },			/* loop */
	};
	const u64 target = cache_base + 0x4000;
	struct kc_insn orig, out;
	size_t i;
	u8 buf[32];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kc_emitter e = { buf, cache_base, sizeof(buf), 0 };
		const u8 *b = cases[i] + 1;
		u64 last;

		decode_at(b, cases[i][0], native_ip, &orig);
		UNIT_EXPECT(kc_emit_branch(&e, &orig, b, target) == 0, "case %zu", i);
		UNIT_EXPECT(!decode_at(buf, e.pos, cache_base, &out), "case %zu redecode", i);
		UNIT_EXPECT(out.zi.mnemonic == orig.zi.mnemonic, "case %zu mnemonic", i);
		if (orig.zi.opcode >= 0xe0 && orig.zi.opcode <= 0xe3) {
			/* <op> +2 ; jmp +5 ; jmp target */
			last = cache_base + e.pos - 5;
			UNIT_EXPECT(out.target == cache_base + out.len + 2,
				    "case %zu: skips to the far jump", i);
			decode_at(buf + e.pos - 5, 5, last, &out);
			UNIT_EXPECT(out.kind == KC_INSN_JMP && out.target == target,
				    "case %zu: far jump", i);
		} else {
			UNIT_EXPECT(out.target == target, "case %zu: target", i);
			UNIT_EXPECT(out.len == (orig.kind == KC_INSN_JMP ? 5 : 6),
				    "case %zu: rel32 form", i);
		}
	}
}

static void full_buffer_refused(void)
{
	static const u8 b[] = { 0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00 };
	struct kc_emitter e;
	struct kc_insn insn;
	u8 buf[8];

	e = (struct kc_emitter){ buf, cache_base, 6, 0 };
	decode_at(b, sizeof(b), native_ip, &insn);
	UNIT_EXPECT(kc_emit_copy(&e, &insn, b) == -ENOSPC, "copy into 6 bytes");
	UNIT_EXPECT(e.pos == 0, "nothing written");
	e.cap = 4;
	UNIT_EXPECT(kc_emit_jmp(&e, cache_base) == -ENOSPC, "jmp into 4 bytes");
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "rip_relative_rebased", rip_relative_rebased },
		{ "plain_copied_verbatim", plain_copied_verbatim },
		{ "branches_widened", branches_widened },
		{ "full_buffer_refused", full_buffer_refused },
		{ NULL, NULL },
	};

	kc_decoder_init(&dec);
	return unit_run("emit", cases);
}
