// SPDX-License-Identifier: GPL-2.0
/*
 * The write-coverage fuzzer's case (see wfuzz_one.h).  The probe the
 * instrumentation puts before a store is
 *
 *	mov %rsp, wprobe_rsp ; mov wprobe_stack_top, %rsp
 *	pushfq ; push $pc ; call wprobe_stub ; lea 8(%rsp), %rsp
 *	popfq ; mov wprobe_rsp, %rsp
 *
 * so it runs on a stack of its own and changes nothing the store sees.
 * A store that is not the first instruction of its block starts a new
 * block, as kcage's checks do (bounds.c).  wprobe_record() decodes the
 * store again, as the kernel's slow path does, and asks core/extent.c
 * for the ranges; a store extent.c refuses, or a range it cannot bound,
 * fails the case: the generator must produce only admitted forms.
 */
#include <asm/prctl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "extent.h"
#include "regs.h"
#include "uxlate.h"
#include "wfuzz_one.h"
#include "wgen.h"
#include "xmem.h"

#define STACK_SIZE	(512 * 1024)	/* the translator runs on it too */
#define PROBE_STACK	(64 * 1024)
#define MAX_RANGES	4096

struct range {
	uint64_t lo, hi;
	uint64_t pc;
};

struct wfuzz_stats wfuzz_stats;

/* wprobe.S */
void wprobe_stub(void);
extern uint64_t wprobe_regs[16];
uint64_t wprobe_rsp, wprobe_stack_top;

static struct kc_decoder decoder;
static struct xmem native;
static unsigned int cpu_flags;
static uint64_t gs_base;
static uint8_t stack[STACK_SIZE] __attribute__((aligned(64)));
static uint8_t probe_stack[PROBE_STACK] __attribute__((aligned(64)));
static uint8_t arena[WGEN_ARENA] __attribute__((aligned(64)));
static uint8_t before[WGEN_ARENA];
static struct range ranges[MAX_RANGES];
static unsigned int nr_ranges;
static char probe_error[160];

static uint8_t last_code[WGEN_MAX_CODE];
static size_t last_len;

void wprobe_record(uint64_t pc, uint64_t flags);
void wprobe_record(uint64_t pc, uint64_t flags)
{
	struct kc_write w[KC_MAX_WRITES];
	struct kc_cpu_state s;
	struct kc_insn insn;
	const char *why = "";
	uint64_t addr, len;
	int i, n;

	wfuzz_stats.stores++;
	if (kc_decode(&decoder, (const u8 *)pc, 15, pc, &insn)) {
		snprintf(probe_error, sizeof(probe_error), "undecodable store at %#llx",
			 (unsigned long long)pc);
		return;
	}
	n = kc_insn_writes(&insn, w, &why);
	if (n < 0) {
		snprintf(probe_error, sizeof(probe_error),
			 "store at +%#llx refused by extent.c: %s",
			 (unsigned long long)(pc - (uint64_t)native.rx), why);
		return;
	}
	memcpy(s.gpr, wprobe_regs, sizeof(s.gpr));
	s.gpr[KC_RSP] = wprobe_rsp;
	s.flags = flags;
	s.gs_base = gs_base;
	for (i = 0; i < n; i++) {
		if (kc_write_range(&insn, &w[i], &s, &addr, &len)) {
			snprintf(probe_error, sizeof(probe_error),
				 "store at +%#llx: range not bounded",
				 (unsigned long long)(pc - (uint64_t)native.rx));
			return;
		}
		if (nr_ranges == MAX_RANGES) {
			snprintf(probe_error, sizeof(probe_error), "too many stores");
			return;
		}
		ranges[nr_ranges++] = (struct range){ addr, addr + len, pc };
	}
}

static int probe_instrument(void *ctx, struct kc_emitter *e,
			    const struct kc_insn *insn, const struct kc_block *blk)
{
	struct kc_write w[KC_MAX_WRITES];
	const char *why;
	int ret;

	if (!kc_insn_writes(insn, w, &why))
		return 0;
	if (blk->nr_insns)
		return KC_INSTRUMENT_SPLIT;
	ret = kc_emit_mov_st(e, KC_MEM(KC_NOREG, (s32)(uintptr_t)&wprobe_rsp), KC_RSP);
	ret = ret ?: kc_emit_mov_ld(e, KC_RSP,
				    KC_MEM(KC_NOREG, (s32)(uintptr_t)&wprobe_stack_top));
	ret = ret ?: kc_emit_pushf(e);
	ret = ret ?: kc_emit_push_imm32(e, (s32)insn->ip);
	ret = ret ?: kc_emit_call(e, (u64)wprobe_stub);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 8));
	ret = ret ?: kc_emit_popf(e);
	return ret ?: kc_emit_mov_ld(e, KC_RSP,
				     KC_MEM(KC_NOREG, (s32)(uintptr_t)&wprobe_rsp));
}

static unsigned int cpu_features(void)
{
	unsigned int a, b, c, d, flags = 0;
	uint32_t xcr0;

	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)) || !(c & (1u << 28)))	/* OSXSAVE, AVX */
		return 0;
	__asm__("xgetbv" : "=a"(xcr0) : "c"(0) : "edx");
	if ((xcr0 & 6) != 6)
		return 0;
	flags |= WGEN_AVX;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	if ((b & (1u << 16)) && (xcr0 & 0xe0) == 0xe0)	/* AVX512F, ZMM state */
		flags |= WGEN_AVX512;
	return flags;
}

/**
 * wfuzz_setup - the decoder, the code buffer and the cache; what the CPU has
 *
 * Return: 0 or -1.
 */
int wfuzz_setup(void)
{
	if (kc_decoder_init(&decoder) || xmem_map_near(&native, 1 << 16, (void *)wfuzz_setup))
		return -1;
	if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs_base))
		gs_base = 0;
	cpu_flags = cpu_features();
	wprobe_stack_top = (uint64_t)(probe_stack + PROBE_STACK);
	return uxlate_init(4 << 20, (void *)wfuzz_setup);
}

static bool approved(uint64_t a)
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return true;
	return false;
}

/* The bytes of @data as registers, the arena's contents and a sequence. */
static size_t derive(struct seq_input *in, struct fuzz_regs *regs, uint8_t *code)
{
	uint64_t s;
	size_t i;

	for (i = 0; i < 16; i++)
		regs->r[i] = seq_take(in, 8);
	regs->flags = seq_take(in, 2) & FUZZ_FLAGS_MASK & ~0x400ull;
	regs->r[WGEN_BASE_REG] = (uint64_t)arena + WGEN_ARENA / 2;
	regs->r[KC_RSP] = (uint64_t)(stack + STACK_SIZE);
	s = seq_take(in, 8) | 1;
	for (i = 0; i < WGEN_ARENA; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		before[i] = s >> 24;
	}
	return wgen_generate(in, code, WGEN_MAX_CODE, cpu_flags);
}

/**
 * wfuzz_one - derive a case from @data, run it translated with probes
 * @data, @size: the input
 * @why, @whylen: on a failure, what failed
 *
 * Return: 0 if every changed byte was approved, 1 if not.
 */
int wfuzz_one(const uint8_t *data, size_t size, char *why, size_t whylen)
{
	struct seq_input in = { data, size };
	struct fuzz_regs regs, out;
	uint64_t entry = (uint64_t)native.rx;
	size_t i;

	last_len = derive(&in, &regs, last_code);
	memcpy(native.rw, last_code, last_len);
	memcpy(arena, before, WGEN_ARENA);
	nr_ranges = 0;
	probe_error[0] = 0;
	uxlate_reset();
	uxlate_set_range(entry, entry + last_len);
	uxlate_set_instrument(probe_instrument);
	fuzz_run(uxlate_entry(entry), &regs, &out);
	uxlate_set_instrument(NULL);
	wfuzz_stats.cases++;
	if (probe_error[0]) {
		snprintf(why, whylen, "%s", probe_error);
		return 1;
	}
	for (i = 0; i < WGEN_ARENA; i++) {
		if (arena[i] == before[i])
			continue;
		if (!approved((uint64_t)&arena[i])) {
			snprintf(why, whylen, "arena byte %zu changed, no store approved it", i);
			return 1;
		}
		wfuzz_stats.changed++;
	}
	return 0;
}

/* Print the last case: its code and the ranges its probes approved. */
void wfuzz_report(FILE *f)
{
	unsigned int i;
	size_t k;

	fprintf(f, "code (%zu bytes):", last_len);
	for (k = 0; k < last_len; k++)
		fprintf(f, " %02x", last_code[k]);
	fprintf(f, "\narena at %p; approved:\n", (void *)arena);
	for (i = 0; i < nr_ranges; i++)
		fprintf(f, "  +%#llx: [%#llx, %#llx)\n",
			(unsigned long long)(ranges[i].pc - (uint64_t)native.rx),
			(unsigned long long)ranges[i].lo, (unsigned long long)ranges[i].hi);
}
