/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The corpus of the differential test: driver-like C code compiled into its
 * own page-aligned text (kc_corpus_start .. kc_corpus_end), which the test
 * runs both natively and translated.  Each entry point takes an arena of
 * CORPUS_ARENA bytes, filled with the same pseudo-random bytes for both
 * runs and at the same address, and a seed; it returns a value and leaves
 * its results in the arena, and both must match exactly.
 */
#ifndef KCAGE_DIFF_CORPUS_H
#define KCAGE_DIFF_CORPUS_H

#include <stdint.h>

#define CORPUS_ARENA (64 * 1024)

typedef uint64_t (*corpus_fn)(uint8_t *arena, uint64_t seed);

extern const char kc_corpus_start[], kc_corpus_end[];

uint64_t corpus_strings(uint8_t *arena, uint64_t seed);
uint64_t corpus_list(uint8_t *arena, uint64_t seed);
uint64_t corpus_hash(uint8_t *arena, uint64_t seed);
uint64_t corpus_rbtree(uint8_t *arena, uint64_t seed);
uint64_t corpus_bitops(uint8_t *arena, uint64_t seed);
uint64_t corpus_switch(uint8_t *arena, uint64_t seed);
uint64_t corpus_recursion(uint8_t *arena, uint64_t seed);
uint64_t corpus_fnptr(uint8_t *arena, uint64_t seed);
uint64_t corpus_crc32(uint8_t *arena, uint64_t seed);
uint64_t corpus_sha256(uint8_t *arena, uint64_t seed);
uint64_t corpus_simd(uint8_t *arena, uint64_t seed);
uint64_t corpus_math(uint8_t *arena, uint64_t seed);
uint64_t corpus_varargs(uint8_t *arena, uint64_t seed);
uint64_t corpus_goto(uint8_t *arena, uint64_t seed);
uint64_t corpus_libc(uint8_t *arena, uint64_t seed);

#endif /* KCAGE_DIFF_CORPUS_H */
