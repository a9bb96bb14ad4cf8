/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random instruction sequences that write memory, for the write-coverage
 * fuzzer (wfuzz_one.c): every form of store kcage admits (explicit
 * operands of every width with any base, index, scale and displacement,
 * read-modify-write and locked forms, vector stores, bit strings with a
 * register bit offset, cmpxchg8b/16b, pop to memory, push and call,
 * stos and movs with rep, either direction of DF and 16/32/64-bit
 * elements), with %gs, operand-size and REX prefixes (not address-size:
 * the instruction model refuses 32-bit addressing).
 * Each store's address registers are set just before it so that it lands
 * in the arena; everything else about it is random.
 */
#ifndef KCAGE_DIFF_WGEN_H
#define KCAGE_DIFF_WGEN_H

#include "seqgen.h"

#define WGEN_ARENA	8192	/* the arena the stores land in */
#define WGEN_BASE_REG	15	/* %r15: the arena's middle */
#define WGEN_MAX_CODE	4096

/* What the CPU running the sequences has */
#define WGEN_AVX	1	/* 32-byte VEX stores */
#define WGEN_AVX512	2	/* 64-byte EVEX stores, masked */

size_t wgen_generate(struct seq_input *in, uint8_t *code, size_t cap,
		     unsigned int flags);

#endif /* KCAGE_DIFF_WGEN_H */
