/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a piece of code from an exact register state and capturing the
 * state it returns with (regs.S), for the instruction-sequence fuzzer.
 */
#ifndef KCAGE_DIFF_REGS_H
#define KCAGE_DIFF_REGS_H

#include <stdint.h>

/* The arithmetic flags (CF PF AF ZF SF OF) and DF. */
#define FUZZ_FLAGS_MASK 0xcd5ull

/**
 * struct fuzz_regs - a register state
 * @r:     general registers by x86 number: rax rcx rdx rbx rsp rbp rsi rdi
 *         r8 .. r15; @r[4] is the stack the code runs on (its top before
 *         the call that enters the code, 16-byte aligned)
 * @flags: rflags; only FUZZ_FLAGS_MASK bits are loaded, IF and bit 1 are
 *         kept set
 */
struct fuzz_regs {
	uint64_t r[16];
	uint64_t flags;
};

void fuzz_run(uint64_t code, const struct fuzz_regs *in, struct fuzz_regs *out);

#endif /* KCAGE_DIFF_REGS_H */
