/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction decoding for kcage: a thin layer over Zydis that decodes one
 * x86-64 instruction and classifies it by what the translator must do with
 * it (copy it, rewrite a control transfer, or trap), as the instruction
 * model (model.h) says.
 */
#ifndef KCAGE_CORE_DECODE_H
#define KCAGE_CORE_DECODE_H

#include "host.h"
#include <Zydis/Decoder.h>
#include <Zydis/Utils.h>
#include "model.h"

/**
 * enum kc_insn_kind - what an instruction means to the translator
 * @KC_INSN_PLAIN:     no control transfer, admitted by the model; copied
 *                     (RIP-relative operands are re-based when copied)
 * @KC_INSN_JMP:       direct unconditional jump, target known
 * @KC_INSN_JCC:       direct conditional jump (incl. jrcxz/loop), target known
 * @KC_INSN_CALL:      direct call, target known
 * @KC_INSN_JMP_IND:   indirect jump through a register or memory
 * @KC_INSN_CALL_IND:  indirect call through a register or memory
 * @KC_INSN_RET:       near return
 * @KC_INSN_INT3:      breakpoint (padding between functions, or a kprobe)
 * @KC_INSN_UD2:       ud2, used by BUG()/WARN() with a bug-table entry
 * @KC_INSN_PRIV:      privileged or system instruction (cli, wrmsr, mov cr,
 *                     lidt, in/out, iret, popf, stac, swapgs, ...): the
 *                     policy decides by &struct kc_insn.priv
 * @KC_INSN_REFUSED:   an instruction the model refuses (its effects cannot
 *                     be checked: xsave, maskmovdqu, an %fs operand, far
 *                     and 16-bit branches, xbegin, ...); never run: its
 *                     block ends with a trap exit and reaching it is a
 *                     violation
 * @KC_INSN_NR_KINDS:  the number of kinds
 */
enum kc_insn_kind {
	KC_INSN_PLAIN,
	KC_INSN_JMP,
	KC_INSN_JCC,
	KC_INSN_CALL,
	KC_INSN_JMP_IND,
	KC_INSN_CALL_IND,
	KC_INSN_RET,
	KC_INSN_INT3,
	KC_INSN_UD2,
	KC_INSN_PRIV,
	KC_INSN_REFUSED,
	KC_INSN_NR_KINDS,
};

/**
 * struct kc_insn - one decoded instruction
 * @ip:      address the instruction was decoded at (its native address)
 * @len:     length in bytes
 * @kind:    classification, see &enum kc_insn_kind
 * @rip_rel: true if an operand is addressed relative to RIP
 * @target:  for direct branches and calls, the absolute target address
 * @facts:   the model's KC_FACT_* bits (model.h) for enforcement
 * @priv:    for %KC_INSN_PRIV, the policy's name of the instruction, or
 *           "never"; NULL otherwise
 * @why:     the model's rule that decided (for %KC_INSN_REFUSED reports)
 * @zi:      the full Zydis decoding, for the rewriting stages
 * @ops:     Zydis operands (visible ones first)
 */
struct kc_insn {
	u64 ip;
	u8 len;
	u8 kind;
	bool rip_rel;
	u64 target;
	u8 facts;
	const char *priv;
	const char *why;
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
};

/**
 * struct kc_decoder - decoder state; initialise once with kc_decoder_init()
 * @zd: the Zydis decoder configured for 64-bit long mode
 */
struct kc_decoder {
	ZydisDecoder zd;
};

/**
 * enum kc_reg - a general-purpose register, by its number in the ModRM,
 * SIB and REX fields of an encoding (%r8..%r15 set a REX bit)
 * @KC_NOREG: no register (an operand without a base or an index)
 * @KC_RAX: %rax
 * @KC_RCX: %rcx
 * @KC_RDX: %rdx
 * @KC_RBX: %rbx
 * @KC_RSP: %rsp
 * @KC_RBP: %rbp
 * @KC_RSI: %rsi
 * @KC_RDI: %rdi
 * @KC_R8:  %r8
 * @KC_R9:  %r9
 * @KC_R10: %r10
 * @KC_R11: %r11
 * @KC_R12: %r12
 * @KC_R13: %r13
 * @KC_R14: %r14
 * @KC_R15: %r15
 */
enum kc_reg {
	KC_NOREG = -1,
	KC_RAX, KC_RCX, KC_RDX, KC_RBX, KC_RSP, KC_RBP, KC_RSI, KC_RDI,
	KC_R8, KC_R9, KC_R10, KC_R11, KC_R12, KC_R13, KC_R14, KC_R15,
};

/* The arithmetic flags, as Zydis's ZydisCPUFlags bits. */
#define KC_STATUS_FLAGS	(ZYDIS_CPUFLAG_CF | ZYDIS_CPUFLAG_PF | ZYDIS_CPUFLAG_AF | \
			 ZYDIS_CPUFLAG_ZF | ZYDIS_CPUFLAG_SF | ZYDIS_CPUFLAG_OF)

/**
 * struct kc_flag_use - how one instruction uses the arithmetic flags
 * @tested:  the KC_STATUS_FLAGS it may read (all of them when unknown)
 * @written: those it sets, clears or leaves undefined
 * @branch:  it may transfer control (the flags may be read at its target)
 */
struct kc_flag_use {
	u32 tested;
	u32 written;
	bool branch;
};

int kc_decoder_init(struct kc_decoder *dec);
int kc_decode(const struct kc_decoder *dec, const u8 *buf, size_t len,
	      u64 ip, struct kc_insn *insn);
const char *kc_insn_kind_name(enum kc_insn_kind kind);
int kc_decode_flag_use(const struct kc_decoder *dec, const u8 *buf,
		       size_t len, u8 *insn_len, struct kc_flag_use *use);
void kc_insn_flag_use(const struct kc_insn *insn, struct kc_flag_use *use);
enum kc_reg kc_reg_num(ZydisRegister reg);
bool kc_insn_has_rep(const struct kc_insn *insn);
bool kc_insn_writes_reg(const struct kc_insn *insn, ZydisRegister reg);
const ZydisDecodedOperand *kc_insn_mem_operand(const struct kc_insn *insn,
					       bool store);

#endif /* KCAGE_CORE_DECODE_H */
