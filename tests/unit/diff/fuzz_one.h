/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One fuzz case: a sequence of instructions run natively and translated
 * from the same register state and scratch memory, compared afterwards.
 * Shared by the libFuzzer target and the deterministic driver.
 */
#ifndef KCAGE_DIFF_FUZZ_ONE_H
#define KCAGE_DIFF_FUZZ_ONE_H

#include <stdbool.h>
#include <stdio.h>
#include "regs.h"

int fuzz_setup(void);
int fuzz_one(const uint8_t *data, size_t size, char *why, size_t whylen);
int fuzz_compare(const uint8_t *code, size_t len, const struct fuzz_regs *in,
		 const uint8_t *init, char *why, size_t whylen);
void fuzz_exec(const uint8_t *code, size_t len, const struct fuzz_regs *in,
	       bool translated, struct fuzz_regs *out);
void fuzz_report(FILE *f);
uint64_t fuzz_stack_top(void);

#endif /* KCAGE_DIFF_FUZZ_ONE_H */
