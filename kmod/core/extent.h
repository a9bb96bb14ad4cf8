/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an instruction writes memory: the exact bytes, as a function of
 * the registers it runs with.  The store checks (enforce/bounds.c) check
 * these ranges, and the write-coverage fuzzer (tests/unit/diff/wfuzz_one.c)
 * compares them with the bytes that really change.  An instruction that
 * writes memory in a way not listed here cannot be bounded: it is refused.
 */
#ifndef KCAGE_CORE_EXTENT_H
#define KCAGE_CORE_EXTENT_H

#include "decode.h"

/**
 * enum kc_write_kind - how an instruction writes memory
 * @KC_WRITE_OPERAND: through its explicit memory operand: the operand's
 *                    segment base plus its effective address, the
 *                    operand's full size
 * @KC_WRITE_BITOFF:  bts, btr or btc with a register bit offset and a
 *                    memory operand: the word, dword or qword holding the
 *                    bit, at ea + (offset >> log2(bits)) * bytes, the
 *                    offset signed and as wide as the operand (SDM vol. 2,
 *                    BT): it reaches 2^60 bytes either side of the operand
 * @KC_WRITE_PUSH:    the stack slot below %rsp (push, pushf, call)
 * @KC_WRITE_STRING:  stos or movs at %rdi (%es has base 0), once or %rcx
 *                    times with a rep prefix, upwards or, with DF set,
 *                    downwards
 */
enum kc_write_kind {
	KC_WRITE_OPERAND,
	KC_WRITE_BITOFF,
	KC_WRITE_PUSH,
	KC_WRITE_STRING,
};

/**
 * struct kc_write - one memory write of an instruction
 * @kind:   see &enum kc_write_kind
 * @size:   bytes written per access (per element for a string)
 * @op:     the memory operand (its address registers for a string)
 * @bitreg: %KC_WRITE_BITOFF: the register holding the bit offset
 */
struct kc_write {
	u8 kind;
	u16 size;
	const ZydisDecodedOperand *op;
	ZydisRegister bitreg;
};

#define KC_MAX_WRITES	2

/* rflags' direction flag */
#define KC_FLAG_DF	0x400

/**
 * struct kc_cpu_state - what an address depends on when the instruction runs
 * @gpr:     the general registers, by encoding number (enum kc_reg)
 * @flags:   rflags (DF decides a string's direction)
 * @gs_base: the %gs segment base
 */
struct kc_cpu_state {
	u64 gpr[16];
	u64 flags;
	u64 gs_base;
};

int kc_insn_writes(const struct kc_insn *insn, struct kc_write *w,
		   const char **why);
int kc_write_range(const struct kc_insn *insn, const struct kc_write *w,
		   const struct kc_cpu_state *s, u64 *addr, u64 *len);

#endif /* KCAGE_CORE_EXTENT_H */
