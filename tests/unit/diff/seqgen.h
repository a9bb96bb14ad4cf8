/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random instruction sequences for the fuzzer: unprivileged register and
 * flag arithmetic, loads and stores through a base register, RIP-relative
 * operands, short forward branches, calls to local subroutines (direct and
 * indirect), ending in ret.  Everything is derived from an input byte
 * string, so libFuzzer's mutations steer it and a failing input replays.
 */
#ifndef KCAGE_DIFF_SEQGEN_H
#define KCAGE_DIFF_SEQGEN_H

#include <stddef.h>
#include <stdint.h>

#define SEQ_BASE_REG	15	/* %r15 holds the scratch buffer's address */
#define SEQ_SCRATCH	256	/* bytes the sequence may load and store */
#define SEQ_MAX_CODE	4096

/* The input, consumed front to back; zeros once it runs out. */
struct seq_input {
	const uint8_t *p;
	size_t n;
};

uint64_t seq_take(struct seq_input *in, unsigned int bytes);
size_t seq_generate(struct seq_input *in, uint8_t *code, size_t cap);

#endif /* KCAGE_DIFF_SEQGEN_H */
