// SPDX-License-Identifier: GPL-2.0
/*
 * Emitting instructions into the code cache.  Most instructions are copied
 * byte for byte; those whose meaning depends on where they sit (RIP-relative
 * operands and relative branches) are re-encoded for their new address.
 * Every function returns 0, -ENOSPC when the buffer is full (the caller
 * discards the partial block) or -ERANGE when a displacement does not fit
 * in 32 bits (the cache must lie within +-2 GiB of what it refers to).
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

/* jcc rel32 with condition code @cc (the low nibble of the opcode) */
int kc_emit_jcc(struct kc_emitter *e, u8 cc, u64 target)
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
 * linked, while other CPUs may be executing it.
 */
int kc_emit_align_rel32(struct kc_emitter *e, unsigned int oplen)
{
	while ((kc_emit_pc(e) + oplen) & 3) {
		int ret = kc_emit_bytes(e, (const u8[]){ 0x90 }, 1);

		if (ret)
			return ret;
	}
	return 0;
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

/* push %reg for a general-purpose register number 0..15 */
int kc_emit_push_reg(struct kc_emitter *e, unsigned int reg)
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

/* j<cc> rel8 over the next @skip bytes */
int kc_emit_jcc8(struct kc_emitter *e, u8 cc, u8 skip)
{
	return kc_emit_bytes(e, (const u8[]){ 0x70 | (cc & 0xf), skip }, 2);
}

/*
 * Point the 2-byte jump (jcc8 or jmp8) at buffer offset @at to offset
 * @target.  Return: 0, or -ERANGE if @target is out of its reach.
 */
int kc_patch_jump8(struct kc_emitter *e, size_t at, size_t target)
{
	long d = (long)target - (long)(at + 2);

	if (d < -128 || d > 127)
		return -ERANGE;
	e->buf[at + 1] = (u8)d;
	return 0;
}

/**
 * kc_emit_jump_fwd - a forward jump to be pointed later by kc_patch_jump()
 * @e:    the emitter
 * @cc:   condition code 0-15 of a jcc, or -1 for a jmp
 * @near: rel8 (2 bytes), else rel32
 * @at:   gets the jump's buffer offset
 */
int kc_emit_jump_fwd(struct kc_emitter *e, int cc, bool near, size_t *at)
{
	*at = e->pos;
	if (near)
		return kc_emit_bytes(e, (const u8[]){ cc < 0 ? 0xeb : 0x70 | cc, 0 }, 2);
	if (cc < 0)
		return kc_emit_bytes(e, (const u8[]){ 0xe9, 0, 0, 0, 0 }, 5);
	return kc_emit_bytes(e, (const u8[]){ 0x0f, 0x80 | cc, 0, 0, 0, 0 }, 6);
}

/*
 * Point the jump at buffer offset @at, rel8 or rel32 (kc_emit_jump_fwd()),
 * to offset @target.  Return: 0, or -ERANGE if a rel8 cannot reach it.
 */
int kc_patch_jump(struct kc_emitter *e, size_t at, size_t target)
{
	u8 op = e->buf[at];
	size_t len = op == 0xe9 ? 5 : op == 0x0f ? 6 : 2;
	s32 d = (long)target - (long)(at + len);

	if (len == 2)
		return kc_patch_jump8(e, at, target);
	memcpy(e->buf + at + len - 4, &d, 4);
	return 0;
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
