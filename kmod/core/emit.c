// SPDX-License-Identifier: GPL-2.0
/*
 * Emitting instructions into the code cache.  Most instructions are copied
 * byte for byte; those whose meaning depends on where they sit (RIP-relative
 * operands and relative branches) are re-encoded for their new address.
 * Every function returns 0, -ENOSPC when the buffer is full (the caller
 * discards the partial block) or -ERANGE when a displacement does not fit
 * in 32 bits (the cache must lie within +-2 GiB of what it refers to) or a
 * rel8 jump cannot reach its label.
 *
 * The code the translator adds of its own (checks, prologues) is built
 * from named emitters, one per instruction form, in the shortest encoding
 * for their operands, and jumps go to labels (struct kc_label) rather
 * than over hand-counted distances.
 */
#include "emit.h"

/* Raw bytes: data after a stub's call, or code built by the host. */
int kc_emit_bytes(struct kc_emitter *e, const void *bytes, size_t n)
{
	if (e->cap - e->pos < n)
		return -ENOSPC;
	memcpy(e->buf + e->pos, bytes, n);
	e->pos += n;
	return 0;
}

static bool fits_s32(s64 v)
{
	return v >= INT32_MIN_VALUE && v <= INT32_MAX_VALUE;
}

static void put_le32(u8 *p, s32 v)
{
	u32 u = (u32)v;

	p[0] = u;
	p[1] = u >> 8;
	p[2] = u >> 16;
	p[3] = u >> 24;
}

/* A rel32 from the end of an instruction of @len bytes emitted at pc. */
static int rel32_at(const struct kc_emitter *e, unsigned int len, u64 target,
		    s32 *rel)
{
	s64 d = (s64)(target - (kc_emit_pc(e) + len));

	if (!fits_s32(d))
		return -ERANGE;
	*rel = (s32)d;
	return 0;
}

/**
 * kc_emit_copy - copy a non-branch instruction, re-basing RIP-relative memory
 * @e:     emitter
 * @insn:  the decoded instruction
 * @bytes: its original bytes (@insn->len of them)
 *
 * The copy keeps its length and layout; only a RIP-relative displacement
 * changes so that the operand still names the same absolute address.
 */
int kc_emit_copy(struct kc_emitter *e, const struct kc_insn *insn,
		 const u8 *bytes)
{
	u8 tmp[16];
	u64 abs;
	s32 rel;
	int ret;

	if (!insn->rip_rel)
		return kc_emit_bytes(e, bytes, insn->len);

	/* Zydis: raw.disp.offset is where the 32-bit displacement sits. */
	abs = insn->ip + insn->len + (s64)insn->zi.raw.disp.value;
	if (insn->zi.raw.disp.size != 32)
		return -EINVAL;
	ret = rel32_at(e, insn->len, abs, &rel);
	if (ret)
		return ret;
	memcpy(tmp, bytes, insn->len);
	put_le32(tmp + insn->zi.raw.disp.offset, rel);
	return kc_emit_bytes(e, tmp, insn->len);
}

/* An opcode of @oplen bytes followed by a rel32 to @target. */
static int emit_rel32(struct kc_emitter *e, const u8 *op, unsigned int oplen,
		      u64 target)
{
	u8 b[6];
	s32 rel;
	int ret = rel32_at(e, oplen + 4, target, &rel);

	if (ret)
		return ret;
	memcpy(b, op, oplen);
	put_le32(b + oplen, rel);
	return kc_emit_bytes(e, b, oplen + 4);
}

/* jmp rel32 */
int kc_emit_jmp(struct kc_emitter *e, u64 target)
{
	return emit_rel32(e, (const u8[]){ 0xe9 }, 1, target);
}

/* call rel32 */
int kc_emit_call(struct kc_emitter *e, u64 target)
{
	return emit_rel32(e, (const u8[]){ 0xe8 }, 1, target);
}

/* jcc rel32 with condition code @cc */
int kc_emit_jcc(struct kc_emitter *e, enum kc_cc cc, u64 target)
{
	return emit_rel32(e, (const u8[]){ 0x0f, 0x80 | (cc & 0xf) }, 2, target);
}

/**
 * kc_emit_align_rel32 - pad so that an instruction with an opcode of
 * @oplen bytes emitted next has its rel32 on a 4-byte boundary
 * @e:     emitter; its base must be 4-byte aligned at pos 0 mod 4
 * @oplen: opcode bytes before the rel32
 *
 * An aligned rel32 is rewritten with one atomic store when a branch is
 * linked, while other CPUs may be executing it.  The padding runs on
 * every pass through the branch, so it is one instruction: the SDM's
 * recommended nop of 1, 2 or 3 bytes.
 */
int kc_emit_align_rel32(struct kc_emitter *e, unsigned int oplen)
{
	static const u8 nops[3][3] = {
		{ 0x90 },		/* nop */
		{ 0x66, 0x90 },		/* xchg %ax,%ax */
		{ 0x0f, 0x1f, 0x00 },	/* nopl (%rax) */
	};
	unsigned int pad = (4 - ((kc_emit_pc(e) + oplen) & 3)) & 3;

	return pad ? kc_emit_bytes(e, nops[pad - 1], pad) : 0;
}

/**
 * kc_emit_push_target - push the target of an indirect call or jump
 * @e:     emitter
 * @insn:  a decoded "call *X" (FF /2) or "jmp *X" (FF /4)
 * @bytes: its original bytes
 *
 * "push X" is FF /6 with the same operand encoding, so the instruction is
 * copied with only the ModRM reg field changed (and a RIP-relative X
 * re-based).  push computes an RSP-based address before it decrements RSP,
 * exactly as call does, so "call *8(%rsp)" keeps its meaning.
 */
int kc_emit_push_target(struct kc_emitter *e, const struct kc_insn *insn,
			const u8 *bytes)
{
	u8 tmp[16];
	u8 off = insn->zi.raw.modrm.offset;

	if (insn->zi.opcode != 0xff ||
	    !(insn->zi.attributes & ZYDIS_ATTRIB_HAS_MODRM) ||
	    insn->len > sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, bytes, insn->len);
	tmp[off] = (tmp[off] & 0xc7) | (6 << 3);
	return kc_emit_copy(e, insn, tmp);
}

/* push %reg */
int kc_emit_push_reg(struct kc_emitter *e, enum kc_reg reg)
{
	if (reg < 8)
		return kc_emit_bytes(e, (const u8[]){ 0x50 + reg }, 1);
	return kc_emit_bytes(e, (const u8[]){ 0x41, 0x50 + (reg - 8) }, 2);
}

/* movabs $@imm, %reg (10 bytes) for a register number 0..15 */
int kc_emit_mov_imm64(struct kc_emitter *e, unsigned int reg, u64 imm)
{
	u8 b[10] = { 0x48 | (reg >= 8 ? 1 : 0), 0xb8 + (reg & 7) };

	memcpy(b + 2, &imm, 8);
	return kc_emit_bytes(e, b, sizeof(b));
}

/* pushq @addr(%rip): push the 8 bytes at absolute address @addr */
int kc_emit_push_mem(struct kc_emitter *e, u64 addr)
{
	return emit_rel32(e, (const u8[]){ 0xff, 0x35 }, 2, addr);
}

static int emit_cmp_mem_zero(struct kc_emitter *e, u64 addr, bool wide)
{
	u8 b[8] = { 0x48, 0x83, 0x3d };
	u8 *insn = wide ? b : b + 1;
	size_t len = wide ? 8 : 7;
	s32 rel;
	int ret = rel32_at(e, len, addr, &rel);

	if (ret)
		return ret;
	put_le32(insn + len - 5, rel);	/* the rel32, then the imm8 */
	return kc_emit_bytes(e, insn, len);
}

/* cmpl $0, @addr(%rip): compare the signed 32-bit value at @addr with 0 */
int kc_emit_cmp_mem32_zero(struct kc_emitter *e, u64 addr)
{
	return emit_cmp_mem_zero(e, addr, false);
}

/* cmpq $0, @addr(%rip): compare the 64-bit value at @addr with 0 */
int kc_emit_cmp_mem64_zero(struct kc_emitter *e, u64 addr)
{
	return emit_cmp_mem_zero(e, addr, true);
}

/*
 * Labels.  A jump to a label not yet bound is emitted with a zero
 * displacement and remembered; binding the label fills in every one.
 */
static int put_rel(struct kc_emitter *e, u32 at, bool rel8, size_t target)
{
	long d = (long)target - (long)(at + (rel8 ? 1 : 4));

	if (!rel8) {
		put_le32(e->buf + at, (s32)d);
		return 0;
	}
	if (d < -128 || d > 127)
		return -ERANGE;
	e->buf[at] = (u8)d;
	return 0;
}

/* A jump, @op8 (1 byte) or @op32 (@n32 bytes) then the displacement, to @l. */
static int emit_label_jump(struct kc_emitter *e, u8 op8, const u8 *op32,
			   size_t n32, struct kc_label *l)
{
	u8 b[6] = { op8 };
	size_t n = 2;
	u32 at;
	int ret;

	if (!l->bound && l->nr == KC_LABEL_REFS)
		return -EINVAL;
	if (!l->rel8) {
		memcpy(b, op32, n32);
		memset(b + n32, 0, 4);
		n = n32 + 4;
	}
	ret = kc_emit_bytes(e, b, n);
	if (ret)
		return ret;
	at = e->pos - (l->rel8 ? 1 : 4);
	if (l->bound)
		return put_rel(e, at, l->rel8, l->pos);
	l->refs[l->nr++] = at;
	return 0;
}

/* jmp to @l */
int kc_emit_jmp_label(struct kc_emitter *e, struct kc_label *l)
{
	return emit_label_jump(e, 0xeb, (const u8[]){ 0xe9 }, 1, l);
}

/* j<cc> to @l */
int kc_emit_jcc_label(struct kc_emitter *e, enum kc_cc cc, struct kc_label *l)
{
	return emit_label_jump(e, 0x70 | (cc & 0xf),
			       (const u8[]){ 0x0f, 0x80 | (cc & 0xf) }, 2, l);
}

/**
 * kc_label_bind - place @l at the current position
 * @e: the emitter
 * @l: the label
 *
 * Return: 0, or -ERANGE if a rel8 jump emitted before cannot reach it
 * (the caller emits the code again with rel32 labels).
 */
int kc_label_bind(struct kc_emitter *e, struct kc_label *l)
{
	unsigned int i;
	int ret;

	l->pos = e->pos;
	l->bound = true;
	for (i = 0; i < l->nr; i++) {
		ret = put_rel(e, l->refs[i], l->rel8, l->pos);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Instructions with a ModRM operand.  @rex holds REX.W (0x08) for a
 * 64-bit operation; the R, X and B bits are added for registers %r8 and
 * up, and the prefix is left out when no bit is set.  @reg is the ModRM
 * reg field: a register, or the opcode extension of the "/digit" forms.
 */
#define REX_W	0x08

static u8 rex_of(u8 rex, int reg, int index, int base)
{
	return rex | (reg >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0);
}

static size_t put_imm(u8 *p, s32 imm, size_t len)
{
	if (len == 1)
		*p = (u8)imm;
	else if (len == 4)
		put_le32(p, imm);
	return len;
}

/* <op> with register operand @rm (ModRM mod 11), then @immlen bytes of @imm */
static int emit_rm_reg(struct kc_emitter *e, u8 rex, const u8 *op, size_t oplen,
		       int reg, int rm, s32 imm, size_t immlen)
{
	u8 b[12];
	size_t n = 0;

	rex = rex_of(rex, reg, KC_NOREG, rm);
	if (rex)
		b[n++] = 0x40 | rex;
	memcpy(b + n, op, oplen);
	n += oplen;
	b[n++] = 0xc0 | (reg & 7) << 3 | (rm & 7);
	n += put_imm(b + n, imm, immlen);
	return kc_emit_bytes(e, b, n);
}

static int scale_bits(u8 scale)
{
	switch (scale) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	default: return -1;
	}
}

/*
 * <op> with memory operand @m, then @immlen bytes of @imm, in the
 * shortest form: no displacement when it is 0 (but %rbp and %r13 as a
 * base need one), else disp8 when it fits; a SIB byte only for an index,
 * no base, or %rsp or %r12 as the base.  With no base the SIB form gives
 * an absolute disp32 (mod 00 r/m 101 alone would be RIP-relative).
 */
static int emit_rm_mem(struct kc_emitter *e, u8 rex, const u8 *op, size_t oplen,
		       int reg, struct kc_mem m, s32 imm, size_t immlen)
{
	bool sib = m.base == KC_NOREG || m.index != KC_NOREG || (m.base & 7) == KC_RSP;
	int ss = scale_bits(m.scale), mod;
	u8 b[16];
	size_t n = 0;

	if (ss < 0 || m.index == KC_RSP)
		return -EINVAL;
	if (m.base == KC_NOREG || (m.disp == 0 && (m.base & 7) != KC_RBP))
		mod = 0;
	else if (m.disp == (s8)m.disp)
		mod = 1;
	else
		mod = 2;
	if (m.gs)
		b[n++] = 0x65;
	rex = rex_of(rex, reg, m.index, m.base);
	if (rex)
		b[n++] = 0x40 | rex;
	memcpy(b + n, op, oplen);
	n += oplen;
	b[n++] = mod << 6 | (reg & 7) << 3 | (sib ? 4 : m.base & 7);
	if (sib)
		b[n++] = ss << 6 | (m.index == KC_NOREG ? 4 : m.index & 7) << 3 |
			 (m.base == KC_NOREG ? 5 : m.base & 7);
	n += put_imm(b + n, m.disp, mod == 1 ? 1 : mod == 2 || m.base == KC_NOREG ? 4 : 0);
	n += put_imm(b + n, imm, immlen);
	return kc_emit_bytes(e, b, n);
}

#define OP(...)	(const u8[]){ __VA_ARGS__ }, sizeof((const u8[]){ __VA_ARGS__ })

/* pushfq */
int kc_emit_pushf(struct kc_emitter *e)
{
	return kc_emit_bytes(e, OP(0x9c));
}

/* popfq */
int kc_emit_popf(struct kc_emitter *e)
{
	return kc_emit_bytes(e, OP(0x9d));
}

/* pop %reg */
int kc_emit_pop_reg(struct kc_emitter *e, enum kc_reg reg)
{
	if (reg < 8)
		return kc_emit_bytes(e, OP(0x58 + reg));
	return kc_emit_bytes(e, OP(0x41, 0x58 + (reg - 8)));
}

/* pushq @m (ff /6; 64-bit operand size without REX.W) */
int kc_emit_push_ld(struct kc_emitter *e, struct kc_mem m)
{
	return emit_rm_mem(e, 0, OP(0xff), 6, m, 0, 0);
}

/* jmp over the next @len bytes (jmp rel8) */
int kc_emit_jmp_over(struct kc_emitter *e, u8 len)
{
	if (len > 127)
		return -EINVAL;
	return kc_emit_bytes(e, OP(0xeb, len));
}

/* pushq $imm (sign-extended to 64 bits) */
int kc_emit_push_imm32(struct kc_emitter *e, s32 imm)
{
	u8 b[5] = { 0x68 };

	put_le32(b + 1, imm);
	return kc_emit_bytes(e, b, sizeof(b));
}

/* mov %src, %dst */
int kc_emit_mov_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, REX_W, OP(0x89), src, dst, 0, 0);
}

/* mov %src32, %dst32 (which zeroes the upper half of %dst) */
int kc_emit_mov32_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, 0, OP(0x89), src, dst, 0, 0);
}

/* movzwl %src16, %dst32 */
int kc_emit_movzwl_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, 0, OP(0x0f, 0xb7), dst, src, 0, 0);
}

/* mov @m, %dst */
int kc_emit_mov_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x8b), dst, m, 0, 0);
}

/* mov %src, @m */
int kc_emit_mov_st(struct kc_emitter *e, struct kc_mem m, enum kc_reg src)
{
	return emit_rm_mem(e, REX_W, OP(0x89), src, m, 0, 0);
}

/* movq $imm, @m; the imm32 is the instruction's last 4 bytes */
int kc_emit_mov_st_imm32(struct kc_emitter *e, struct kc_mem m, s32 imm)
{
	return emit_rm_mem(e, REX_W, OP(0xc7), 0, m, imm, 4);
}

/* lea @m, %dst */
int kc_emit_lea(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x8d), dst, m, 0, 0);
}

/* add %src, %dst */
int kc_emit_add_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, REX_W, OP(0x01), src, dst, 0, 0);
}

/* sub %src, %dst */
int kc_emit_sub_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, REX_W, OP(0x29), src, dst, 0, 0);
}

/* xor %src, %dst */
int kc_emit_xor_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, REX_W, OP(0x31), src, dst, 0, 0);
}

/* sub @m, %dst */
int kc_emit_sub_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x2b), dst, m, 0, 0);
}

/* xor @m, %dst */
int kc_emit_xor_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x33), dst, m, 0, 0);
}

/* cmp @m, %reg: the flags of %reg - @m */
int kc_emit_cmp_ld(struct kc_emitter *e, enum kc_reg reg, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x3b), reg, m, 0, 0);
}

/* cmp %reg, @m: the flags of @m - %reg */
int kc_emit_cmp_st(struct kc_emitter *e, struct kc_mem m, enum kc_reg reg)
{
	return emit_rm_mem(e, REX_W, OP(0x39), reg, m, 0, 0);
}

/*
 * The group-1 arithmetic (add, or, adc, sbb, and, sub, xor, cmp: /0../7)
 * with an immediate, sign-extended: 83 /digit ib when it fits 8 bits, the
 * one-byte-shorter %rax (or %eax) form 05+8*digit id, else 81 /digit id.
 */
static int emit_alu_imm(struct kc_emitter *e, u8 rex, int digit,
			enum kc_reg reg, s32 imm)
{
	u8 b[6];
	size_t n = 0;

	if (imm == (s8)imm)
		return emit_rm_reg(e, rex, OP(0x83), digit, reg, imm, 1);
	if (reg != KC_RAX)
		return emit_rm_reg(e, rex, OP(0x81), digit, reg, imm, 4);
	if (rex)
		b[n++] = 0x40 | rex;
	b[n++] = 0x05 | digit << 3;
	n += put_imm(b + n, imm, 4);
	return kc_emit_bytes(e, b, n);
}

static int emit_alu_mem_imm(struct kc_emitter *e, int digit, struct kc_mem m,
			    s32 imm)
{
	if (imm == (s8)imm)
		return emit_rm_mem(e, REX_W, OP(0x83), digit, m, imm, 1);
	return emit_rm_mem(e, REX_W, OP(0x81), digit, m, imm, 4);
}

enum { ALU_ADD = 0, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };

/* add $imm, %reg */
int kc_emit_add_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, REX_W, ALU_ADD, reg, imm);
}

/* sub $imm, %reg */
int kc_emit_sub_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, REX_W, ALU_SUB, reg, imm);
}

/* cmp $imm, %reg: the flags of %reg - imm */
int kc_emit_cmp_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, REX_W, ALU_CMP, reg, imm);
}

/* cmp $imm, %reg32 */
int kc_emit_cmp32_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, 0, ALU_CMP, reg, imm);
}

/* and $imm, %reg32 (which zeroes the upper half of %reg) */
int kc_emit_and32_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, 0, ALU_AND, reg, imm);
}

/* shr $n, %reg */
int kc_emit_shr_imm(struct kc_emitter *e, enum kc_reg reg, u8 n)
{
	return emit_rm_reg(e, REX_W, OP(0xc1), 5, reg, n, 1);
}

/* and $imm, %reg (64 bits, @imm sign-extended) */
int kc_emit_and_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm)
{
	return emit_alu_imm(e, REX_W, ALU_AND, reg, imm);
}

/* and %src, %dst */
int kc_emit_and_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src)
{
	return emit_rm_reg(e, REX_W, OP(0x21), src, dst, 0, 0);
}

/* add @m, %dst */
int kc_emit_add_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x03), dst, m, 0, 0);
}

/* and @m, %dst */
int kc_emit_and_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0x23), dst, m, 0, 0);
}

/* neg %reg */
int kc_emit_neg(struct kc_emitter *e, enum kc_reg reg)
{
	return emit_rm_reg(e, REX_W, OP(0xf7), 3, reg, 0, 0);
}

/* sar $n, %reg (arithmetic: the sign is kept) */
int kc_emit_sar_imm(struct kc_emitter *e, enum kc_reg reg, u8 n)
{
	return emit_rm_reg(e, REX_W, OP(0xc1), 7, reg, n, 1);
}

/*
 * movswq %src16, %dst or movslq %src32, %dst: the low @bits (16 or 32)
 * of %src, sign-extended to 64 bits.
 */
int kc_emit_movsx(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src,
		  unsigned int bits)
{
	if (bits == 16)
		return emit_rm_reg(e, REX_W, OP(0x0f, 0xbf), dst, src, 0, 0);
	if (bits == 32)
		return emit_rm_reg(e, REX_W, OP(0x63), dst, src, 0, 0);
	return -EINVAL;
}

/* addq $imm, @m */
int kc_emit_add_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm)
{
	return emit_alu_mem_imm(e, ALU_ADD, m, imm);
}

/* subq $imm, @m */
int kc_emit_sub_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm)
{
	return emit_alu_mem_imm(e, ALU_SUB, m, imm);
}

/* cmpq $imm, @m: the flags of @m - imm */
int kc_emit_cmp_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm)
{
	return emit_alu_mem_imm(e, ALU_CMP, m, imm);
}

/* xorq $imm, @m */
int kc_emit_xor_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm)
{
	return emit_alu_mem_imm(e, ALU_XOR, m, imm);
}

/* ret */
int kc_emit_ret(struct kc_emitter *e)
{
	return kc_emit_bytes(e, (const u8[]){ 0xc3 }, 1);
}

/* incq @m */
int kc_emit_inc_mem(struct kc_emitter *e, struct kc_mem m)
{
	return emit_rm_mem(e, REX_W, OP(0xff), 0, m, 0, 0);
}

/*
 * <@opcode> <op>, %dst for @insn's memory operand @op, as seen after the
 * code before it pushed @rsp_bias bytes: an %rsp base's offset grows by
 * that much, and a RIP-relative operand is re-based.  The operand is
 * always encoded in its longest form, SIB (or RIP) and disp32, so the
 * length depends only on whether it is RIP-relative.
 */
static int emit_op(struct kc_emitter *e, u8 opcode, enum kc_reg dst,
		   const struct kc_insn *insn, const ZydisDecodedOperand *op,
		   int rsp_bias)
{
	u8 b[8] = { 0x48 | (dst >= 8 ? 4 : 0), opcode };
	enum kc_reg base, index;
	s64 disp = op->mem.disp.value;
	int ss = scale_bits(op->mem.scale ?: 1);
	size_t n;

	if (insn->zi.address_width != 64 || ss < 0)
		return -EOPNOTSUPP;
	if (op->mem.base == ZYDIS_REGISTER_RIP) {
		disp = (s64)(insn->ip + insn->len + disp) - (s64)(kc_emit_pc(e) + 7);
		b[2] = 0x05 | (dst & 7) << 3;
		n = 3;
	} else {
		base = kc_reg_num(op->mem.base);
		index = kc_reg_num(op->mem.index);
		if ((base == KC_NOREG && op->mem.base != ZYDIS_REGISTER_NONE) ||
		    (index == KC_NOREG && op->mem.index != ZYDIS_REGISTER_NONE))
			return -EOPNOTSUPP;
		if (base == KC_RSP)
			disp += rsp_bias;
		b[0] |= rex_of(0, 0, index, base);
		b[2] = (base == KC_NOREG ? 0x04 : 0x84) | (dst & 7) << 3;
		b[3] = ss << 6 | (index == KC_NOREG ? 4 : index & 7) << 3 |
		       (base == KC_NOREG ? 5 : base & 7);
		n = 4;
	}
	if (disp != (s32)disp)
		return -ERANGE;
	put_le32(b + n, (s32)disp);
	return kc_emit_bytes(e, b, n + 4);
}

/* lea <op>, %dst: see emit_op() */
int kc_emit_lea_op(struct kc_emitter *e, enum kc_reg dst,
		   const struct kc_insn *insn, const ZydisDecodedOperand *op,
		   int rsp_bias)
{
	return emit_op(e, 0x8d, dst, insn, op, rsp_bias);
}

/* mov <op>, %dst, with the operand's %gs prefix: see emit_op() */
int kc_emit_mov_op(struct kc_emitter *e, enum kc_reg dst,
		   const struct kc_insn *insn, const ZydisDecodedOperand *op,
		   int rsp_bias)
{
	if (op->mem.segment == ZYDIS_REGISTER_GS && kc_emit_bytes(e, OP(0x65)))
		return -ENOSPC;
	return emit_op(e, 0x8b, dst, insn, op, rsp_bias);
}

/* The condition code of a Jcc (70..7f or 0f 80..8f); -1 for loop/jrcxz. */
int kc_jcc_cc(const struct kc_insn *insn)
{
	u8 op = insn->zi.opcode;

	if (insn->kind != KC_INSN_JCC)
		return -1;
	if (insn->zi.opcode_map == ZYDIS_OPCODE_MAP_0F || (op >= 0x70 && op <= 0x7f))
		return op & 0xf;
	return -1;
}

/*
 * jrcxz/jecxz and loop/loope/loopne exist only with rel8.  Emit
 *	<op> +2 ; jmp +5 ; jmp rel32 target
 * so the taken path reaches the far target and the other path falls
 * through after the sequence.  Flags and registers behave as the original.
 */
static int emit_rel8_only(struct kc_emitter *e, const u8 *bytes,
			  unsigned int prefix_len, u64 target)
{
	u8 b[4];
	int ret;

	memcpy(b, bytes, prefix_len + 1);	/* prefixes (0x67) + opcode */
	b[prefix_len + 1] = 2;
	ret = kc_emit_bytes(e, b, prefix_len + 2);
	if (ret)
		return ret;
	ret = kc_emit_bytes(e, (const u8[]){ 0xeb, 0x05 }, 2);
	if (ret)
		return ret;
	return kc_emit_jmp(e, target);
}

/**
 * kc_emit_branch - emit a direct jmp/jcc that goes to @target
 * @e:      emitter
 * @insn:   a decoded KC_INSN_JMP or KC_INSN_JCC
 * @bytes:  its original bytes
 * @target: where the translated branch goes (a cache address)
 *
 * Branches are always widened to rel32, so a block can be placed anywhere
 * within +-2 GiB of its targets.
 */
int kc_emit_branch(struct kc_emitter *e, const struct kc_insn *insn,
		   const u8 *bytes, u64 target)
{
	u8 op = insn->zi.opcode;

	if (insn->kind == KC_INSN_JMP)
		return kc_emit_jmp(e, target);
	if (insn->kind != KC_INSN_JCC)
		return -EINVAL;
	if (kc_jcc_cc(insn) >= 0)
		return kc_emit_jcc(e, kc_jcc_cc(insn), target);
	if (op >= 0xe0 && op <= 0xe3)			/* loop*, jrcxz */
		return emit_rel8_only(e, bytes, insn->len - 2, target);
	return -EINVAL;
}
