/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emitting translated code into a code-cache buffer.  The buffer is written
 * through one address (@buf, a writable alias) and will execute at another
 * (@base), which is how kcage keeps the cache W^X; all displacements are
 * computed against @base.
 */
#ifndef KCAGE_CORE_EMIT_H
#define KCAGE_CORE_EMIT_H

#include "decode.h"

/**
 * struct kc_emitter - a cursor in a code-cache buffer
 * @buf:  where bytes are written (writable alias of the cache)
 * @base: the address @buf[0] executes at
 * @cap:  bytes available
 * @pos:  bytes written so far
 */
struct kc_emitter {
	u8 *buf;
	u64 base;
	size_t cap;
	size_t pos;
};

static inline u64 kc_emit_pc(const struct kc_emitter *e)
{
	return e->base + e->pos;
}

/**
 * enum kc_cc - a condition, the low nibble of a jcc's opcode (70+cc rel8,
 * 0f 80+cc rel32); B, AE, BE, A compare unsigned, L, GE, LE, G signed.
 * A condition and its negation differ in bit 0 (kc_cc_not()).
 * @KC_CC_O:   overflow
 * @KC_CC_NO:  no overflow
 * @KC_CC_B:   below (unsigned <), carry
 * @KC_CC_AE:  above or equal (unsigned >=)
 * @KC_CC_E:   equal, zero
 * @KC_CC_NE:  not equal
 * @KC_CC_BE:  below or equal (unsigned <=)
 * @KC_CC_A:   above (unsigned >)
 * @KC_CC_S:   sign
 * @KC_CC_NS:  no sign
 * @KC_CC_P:   parity
 * @KC_CC_NP:  no parity
 * @KC_CC_L:   less (signed <)
 * @KC_CC_GE:  greater or equal (signed >=)
 * @KC_CC_LE:  less or equal (signed <=)
 * @KC_CC_G:   greater (signed >)
 */
enum kc_cc {
	KC_CC_O, KC_CC_NO, KC_CC_B, KC_CC_AE, KC_CC_E, KC_CC_NE, KC_CC_BE, KC_CC_A,
	KC_CC_S, KC_CC_NS, KC_CC_P, KC_CC_NP, KC_CC_L, KC_CC_GE, KC_CC_LE, KC_CC_G,
};

static inline enum kc_cc kc_cc_not(enum kc_cc cc)
{
	return (enum kc_cc)(cc ^ 1);
}

/**
 * struct kc_mem - a memory operand: [%gs:] disp(base, index, scale)
 * @base:  a register, or KC_NOREG: then @disp is an absolute address
 *         (sign-extended), as for per-CPU variables with @gs
 * @index: a register other than %rsp, or KC_NOREG
 * @scale: 1, 2, 4 or 8 (of @index)
 * @gs:    with a %gs segment prefix
 * @disp:  the displacement; encoded in 8 bits when it fits, else in 32
 *
 * Build one with KC_MEM(), KC_MEM_INDEX() or KC_MEM_GS().
 */
struct kc_mem {
	s8 base;
	s8 index;
	u8 scale;
	bool gs;
	s32 disp;
};

#define KC_MEM(b, d) \
	((struct kc_mem){ .base = (b), .index = KC_NOREG, .scale = 1, .disp = (d) })
#define KC_MEM_INDEX(b, i, d) \
	((struct kc_mem){ .base = (b), .index = (i), .scale = 1, .disp = (d) })
#define KC_MEM_GS(addr) \
	((struct kc_mem){ .base = KC_NOREG, .index = KC_NOREG, .scale = 1, \
			  .gs = true, .disp = (s32)(unsigned long)(addr) })

#define KC_LABEL_REFS	8

/**
 * struct kc_label - a place in the code that jumps name before it is known
 * @rel8:  jumps to it are rel8 (2 bytes), else rel32; binding fails with
 *         -ERANGE when a rel8 cannot reach it
 * @bound: @pos is known
 * @nr:    jumps emitted before it was bound
 * @pos:   its buffer offset
 * @refs:  the buffer offsets of those jumps' displacements
 *
 * Initialise with kc_label_init(); kc_label_bind() at the place patches
 * the jumps emitted so far, and later ones are emitted complete.
 */
struct kc_label {
	bool rel8;
	bool bound;
	u8 nr;
	u32 pos;
	u32 refs[KC_LABEL_REFS];
};

static inline void kc_label_init(struct kc_label *l, bool rel8)
{
	*l = (struct kc_label){ .rel8 = rel8 };
}

int kc_emit_bytes(struct kc_emitter *e, const void *bytes, size_t n);
int kc_emit_copy(struct kc_emitter *e, const struct kc_insn *insn,
		 const u8 *bytes);
int kc_emit_jmp(struct kc_emitter *e, u64 target);
int kc_emit_call(struct kc_emitter *e, u64 target);
int kc_emit_jcc(struct kc_emitter *e, enum kc_cc cc, u64 target);
int kc_emit_align_rel32(struct kc_emitter *e, unsigned int oplen);
int kc_emit_push_target(struct kc_emitter *e, const struct kc_insn *insn,
			const u8 *bytes);
int kc_emit_push_reg(struct kc_emitter *e, enum kc_reg reg);
int kc_emit_mov_imm64(struct kc_emitter *e, unsigned int reg, u64 imm);
int kc_emit_push_mem(struct kc_emitter *e, u64 addr);
int kc_emit_push_ld(struct kc_emitter *e, struct kc_mem m);
int kc_emit_jmp_over(struct kc_emitter *e, u8 len);
int kc_emit_cmp_mem32_zero(struct kc_emitter *e, u64 addr);
int kc_emit_cmp_mem64_zero(struct kc_emitter *e, u64 addr);

int kc_label_bind(struct kc_emitter *e, struct kc_label *l);
int kc_emit_jmp_label(struct kc_emitter *e, struct kc_label *l);
int kc_emit_jcc_label(struct kc_emitter *e, enum kc_cc cc, struct kc_label *l);

int kc_emit_pushf(struct kc_emitter *e);
int kc_emit_popf(struct kc_emitter *e);
int kc_emit_pop_reg(struct kc_emitter *e, enum kc_reg reg);
int kc_emit_push_imm32(struct kc_emitter *e, s32 imm);
int kc_emit_mov_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_mov32_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_movzwl_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_mov_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_mov_st(struct kc_emitter *e, struct kc_mem m, enum kc_reg src);
int kc_emit_mov_st_imm32(struct kc_emitter *e, struct kc_mem m, s32 imm);
int kc_emit_lea(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_add_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_sub_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_xor_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_sub_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_xor_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_cmp_ld(struct kc_emitter *e, enum kc_reg reg, struct kc_mem m);
int kc_emit_cmp_st(struct kc_emitter *e, struct kc_mem m, enum kc_reg reg);
int kc_emit_add_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_sub_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_cmp_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_cmp32_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_and32_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_shr_imm(struct kc_emitter *e, enum kc_reg reg, u8 n);
int kc_emit_and_imm(struct kc_emitter *e, enum kc_reg reg, s32 imm);
int kc_emit_and_reg(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src);
int kc_emit_add_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_and_ld(struct kc_emitter *e, enum kc_reg dst, struct kc_mem m);
int kc_emit_neg(struct kc_emitter *e, enum kc_reg reg);
int kc_emit_sar_imm(struct kc_emitter *e, enum kc_reg reg, u8 n);
int kc_emit_movsx(struct kc_emitter *e, enum kc_reg dst, enum kc_reg src,
		  unsigned int bits);
int kc_emit_add_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm);
int kc_emit_sub_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm);
int kc_emit_cmp_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm);
int kc_emit_xor_mem_imm(struct kc_emitter *e, struct kc_mem m, s32 imm);
int kc_emit_inc_mem(struct kc_emitter *e, struct kc_mem m);
int kc_emit_ret(struct kc_emitter *e);
int kc_emit_lea_op(struct kc_emitter *e, enum kc_reg dst,
		   const struct kc_insn *insn, const ZydisDecodedOperand *op,
		   int rsp_bias);
int kc_emit_mov_op(struct kc_emitter *e, enum kc_reg dst,
		   const struct kc_insn *insn, const ZydisDecodedOperand *op,
		   int rsp_bias);

/**
 * enum kc_arith - an arithmetic operation on a register (a pivot's)
 * @KC_ARITH_ADD: add
 * @KC_ARITH_SUB: sub
 * @KC_ARITH_AND: and
 */
enum kc_arith { KC_ARITH_ADD, KC_ARITH_SUB, KC_ARITH_AND };

int kc_jcc_cc(const struct kc_insn *insn);
int kc_emit_branch(struct kc_emitter *e, const struct kc_insn *insn,
		   const u8 *bytes, u64 target);

#endif /* KCAGE_CORE_EMIT_H */
