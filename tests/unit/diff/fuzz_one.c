// SPDX-License-Identifier: GPL-2.0
/*
 * Running one fuzz case (see fuzz_one.h).  The sequence is written into an
 * executable buffer near the test binary (a W^X pair, like the cache), run
 * natively, then translated by the user-space host, each time from the
 * same registers, flags, stack and scratch buffer; every general register,
 * the arithmetic flags and DF, and the scratch buffer must end up the same.
 */
#include <stdlib.h>
#include "fuzz_one.h"
#include "seqgen.h"
#include "uxlate.h"
#include "xmem.h"

#define STACK_SIZE (512 * 1024)	/* the translator runs on it too */

static struct xmem native;
static uint8_t stack[STACK_SIZE] __attribute__((aligned(64)));
static uint8_t scratch[SEQ_SCRATCH] __attribute__((aligned(64)));
static uint8_t want_scratch[SEQ_SCRATCH];

/* The last case, for fuzz_report(). */
static uint8_t last_code[SEQ_MAX_CODE];
static size_t last_len;
static struct fuzz_regs last_in, last_native, last_xlated;

static const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/**
 * fuzz_setup - map the native code buffer and the cache
 *
 * Return: 0 or -1.
 */
int fuzz_setup(void)
{
	if (xmem_map_near(&native, 1 << 16, (void *)fuzz_setup))
		return -1;
	return uxlate_init(4 << 20, (void *)fuzz_setup);
}

/* The stack every case starts on: %rsp before the call that enters it. */
uint64_t fuzz_stack_top(void)
{
	return (uint64_t)(stack + STACK_SIZE);
}

/* Run @code (len bytes) from @in, natively or translated, into @out. */
void fuzz_exec(const uint8_t *code, size_t len, const struct fuzz_regs *in,
	       bool translated, struct fuzz_regs *out)
{
	struct fuzz_regs regs = *in;
	uint64_t entry = (uint64_t)native.rx;

	memcpy(native.rw, code, len);
	regs.r[4] = fuzz_stack_top();
	if (translated) {
		uxlate_reset();
		uxlate_set_range(entry, entry + len);
		entry = uxlate_entry(entry);
	}
	fuzz_run(entry, &regs, out);
}

static bool same_regs(const struct fuzz_regs *a, const struct fuzz_regs *b,
		      char *why, size_t whylen)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (a->r[i] != b->r[i]) {
			snprintf(why, whylen, "%%%s: translated %#llx, native %#llx",
				 reg_names[i], (unsigned long long)a->r[i],
				 (unsigned long long)b->r[i]);
			return false;
		}
	}
	if ((a->flags ^ b->flags) & FUZZ_FLAGS_MASK) {
		snprintf(why, whylen, "flags: translated %#llx, native %#llx",
			 (unsigned long long)(a->flags & FUZZ_FLAGS_MASK),
			 (unsigned long long)(b->flags & FUZZ_FLAGS_MASK));
		return false;
	}
	return true;
}

/**
 * fuzz_compare - run @code natively and translated and compare the results
 * @code:    the sequence, ending in ret
 * @len:     its length
 * @in:      registers and flags to start from (%rsp and %r15 are set here)
 * @init:    SEQ_SCRATCH bytes, the scratch buffer's initial contents
 * @why:     on a difference, what differs
 * @whylen:  its size
 *
 * Return: 0 if both runs agree, 1 if not.
 */
int fuzz_compare(const uint8_t *code, size_t len, const struct fuzz_regs *in,
		 const uint8_t *init, char *why, size_t whylen)
{
	struct fuzz_regs regs = *in;

	regs.r[SEQ_BASE_REG] = (uint64_t)scratch;
	regs.r[4] = fuzz_stack_top();
	memcpy(last_code, code, len);
	last_len = len;
	last_in = regs;
	memcpy(scratch, init, SEQ_SCRATCH);
	fuzz_exec(code, len, &regs, false, &last_native);
	memcpy(want_scratch, scratch, SEQ_SCRATCH);
	memcpy(scratch, init, SEQ_SCRATCH);
	fuzz_exec(code, len, &regs, true, &last_xlated);
	if (!same_regs(&last_xlated, &last_native, why, whylen))
		return 1;
	if (memcmp(scratch, want_scratch, SEQ_SCRATCH)) {
		snprintf(why, whylen, "scratch memory differs");
		return 1;
	}
	return 0;
}

/* Register values worth more than their share of random ones. */
static uint64_t reg_value(struct seq_input *in)
{
	static const uint64_t special[] = {
		0, 1, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
		0x80000000ull, 0xffffffffull, 0x7fffffff, 0x8000, 0xff, 63, 64,
	};
	uint8_t sel = seq_take(in, 1);

	if (sel < 2 * sizeof(special) / sizeof(special[0]))
		return special[sel / 2];
	return seq_take(in, 8);
}

/**
 * fuzz_one - derive a case from @data and run it
 *
 * The input gives, in order: the registers, the flags, the scratch
 * buffer's seed, then the sequence (seqgen.c).
 *
 * Return: 0 if native and translated runs agree, 1 if not (@why says how).
 */
int fuzz_one(const uint8_t *data, size_t size, char *why, size_t whylen)
{
	static uint8_t code[SEQ_MAX_CODE];
	struct seq_input in = { data, size };
	struct fuzz_regs regs = { 0 };
	uint8_t init[SEQ_SCRATCH];
	uint64_t s;
	size_t len, i;

	for (i = 0; i < 16; i++)
		regs.r[i] = reg_value(&in);
	regs.flags = seq_take(&in, 2);
	s = seq_take(&in, 8) | 1;
	for (i = 0; i < SEQ_SCRATCH; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		init[i] = s >> 24;
	}
	len = seq_generate(&in, code, sizeof(code));
	return fuzz_compare(code, len, &regs, init, why, whylen);
}

static void print_regs(FILE *f, const char *what, const struct fuzz_regs *r)
{
	int i;

	fprintf(f, "%s:", what);
	for (i = 0; i < 16; i++)
		fprintf(f, " %s=%#llx", reg_names[i], (unsigned long long)r->r[i]);
	fprintf(f, " flags=%#llx\n", (unsigned long long)r->flags);
}

/* Print the last case: its code, and its state before and after. */
void fuzz_report(FILE *f)
{
	size_t i;

	fprintf(f, "code (%zu bytes):", last_len);
	for (i = 0; i < last_len; i++)
		fprintf(f, " %02x", last_code[i]);
	fprintf(f, "\n");
	print_regs(f, "in", &last_in);
	print_regs(f, "native", &last_native);
	print_regs(f, "translated", &last_xlated);
}
