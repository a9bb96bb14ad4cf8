// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the translator core: every corpus entry point
 * (corpus.c) runs natively and then translated through the user-space host
 * (uxlate.c), on many seeded pseudo-random inputs, and the return values
 * and the arenas they leave must be identical.  While translated code runs,
 * the corpus's native text is not executable, so a translation that
 * escaped to native corpus code would fault instead of passing.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "corpus.h"
#include "../unit.h"
#include "uxlate.h"

#define SEEDS 300		/* inputs per entry point */
#define MIN_BLOCKS 400		/* the corpus has ~540 blocks with GCC 12 */
#define MIN_LINKS 400

static u8 *arena;		/* the same address for both runs */
static u8 ref[CORPUS_ARENA];	/* the native run's arena */
static unsigned long inputs;
static const char *running = "setup";
static volatile sig_atomic_t expect_fault;
static sigjmp_buf fault_jmp;

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
}

/* Only async-signal-safe calls: the state translated code left is unknown. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	if (expect_fault)
		siglongjmp(fault_jmp, 1);
	say("FAIL unit/diff/");
	say(running);
	say(sig == SIGSEGV ? ": SIGSEGV" : ": SIGBUS");
	say(" (native corpus code ran, or translated code crashed)\n");
	_exit(1);
}

/* Make the corpus's native text executable or not. */
static void corpus_exec(bool on)
{
	if (mprotect((void *)kc_corpus_start, kc_corpus_end - kc_corpus_start,
		     PROT_READ | (on ? PROT_EXEC : 0))) {
		perror("mprotect");
		exit(1);
	}
}

static void fill_arena(u64 seed)
{
	u64 s = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	for (i = 0; i < CORPUS_ARENA; i += 8) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		memcpy(arena + i, &s, 8);
	}
}

static u64 run_translated(corpus_fn fn, u64 seed)
{
	corpus_fn t = (corpus_fn)uxlate_entry((u64)fn);
	u64 r;

	corpus_exec(false);
	r = t(arena, seed);
	corpus_exec(true);
	return r;
}

/* One entry point on SEEDS inputs. */
static void diff_run(const char *name, corpus_fn fn)
{
	u64 seed;

	running = name;
	for (seed = 0; seed < SEEDS && !unit_why[0]; seed++) {
		u64 want, got;

		fill_arena(seed);
		want = fn(arena, seed);
		memcpy(ref, arena, CORPUS_ARENA);
		fill_arena(seed);
		got = run_translated(fn, seed);
		inputs++;
		UNIT_EXPECT(got == want, "seed %llu: returned %#llx, native %#llx",
			    (unsigned long long)seed, (unsigned long long)got,
			    (unsigned long long)want);
		UNIT_EXPECT(!memcmp(arena, ref, CORPUS_ARENA),
			    "seed %llu: arena differs from the native run",
			    (unsigned long long)seed);
	}
}

#define DIFF_CASE(n) static void diff_##n(void) { diff_run(#n, corpus_##n); }
DIFF_CASE(strings)
DIFF_CASE(list)
DIFF_CASE(hash)
DIFF_CASE(rbtree)
DIFF_CASE(bitops)
DIFF_CASE(switch)
DIFF_CASE(recursion)
DIFF_CASE(fnptr)
DIFF_CASE(crc32)
DIFF_CASE(sha256)
DIFF_CASE(simd)
DIFF_CASE(math)
DIFF_CASE(varargs)
DIFF_CASE(goto)
DIFF_CASE(libc)

static const corpus_fn entries[] = {
	corpus_strings, corpus_list, corpus_hash, corpus_rbtree, corpus_bitops,
	corpus_switch, corpus_recursion, corpus_fnptr, corpus_crc32,
	corpus_sha256, corpus_simd, corpus_math, corpus_varargs, corpus_goto,
	corpus_libc,
};

#define NR_ENTRIES (sizeof(entries) / sizeof(entries[0]))

/* The corpus sits in its own pages, so protecting them hits nothing else. */
static void corpus_bounds(void)
{
	unsigned int i;

	running = "corpus_bounds";
	UNIT_EXPECT(!((uintptr_t)kc_corpus_start & 4095) &&
		    !((uintptr_t)kc_corpus_end & 4095) &&
		    (uintptr_t)kc_corpus_end > (uintptr_t)kc_corpus_start,
		    "corpus text %p..%p not page aligned", kc_corpus_start,
		    kc_corpus_end);
	for (i = 0; i < NR_ENTRIES; i++)
		UNIT_EXPECT((const char *)entries[i] >= kc_corpus_start &&
			    (const char *)entries[i] < kc_corpus_end,
			    "entry %u at %p outside the corpus", i, entries[i]);
}

/* Negative check: translation gives cache code, not the native function. */
static void entry_in_cache(void)
{
	unsigned int i;

	running = "entry_in_cache";
	for (i = 0; i < NR_ENTRIES; i++) {
		u64 t = uxlate_entry((u64)entries[i]);

		UNIT_EXPECT(t != (u64)entries[i] && uxlate_in_cache(t),
			    "entry %u: translation %#llx is not in the cache", i,
			    (unsigned long long)t);
	}
	UNIT_EXPECT(uxlate_entry((u64)abort) == (u64)abort,
		    "code outside the corpus must run natively");
}

/* Negative check of the check: native corpus code does fault when run. */
static void native_text_protected(void)
{
	running = "native_text_protected";
	expect_fault = 1;
	if (!sigsetjmp(fault_jmp, 1)) {
		corpus_exec(false);
		corpus_strings(arena, 1);
		UNIT_EXPECT(0, "native corpus code ran while not executable");
	}
	expect_fault = 0;
	corpus_exec(true);
}

/* Translated code really ran: blocks were built, exits linked. */
static void counters(void)
{
	const struct uxlate_stats *s = &uxlate_stats;

	printf("# unit/diff: %zu entry points, %lu inputs, %llu blocks translated "
	       "(%llu native -> %llu cache bytes), %llu exits linked, "
	       "%llu exit stubs taken, %llu indirect branches dispatched\n",
	       NR_ENTRIES, inputs, (unsigned long long)s->blocks,
	       (unsigned long long)s->native_bytes,
	       (unsigned long long)s->cache_bytes, (unsigned long long)s->links,
	       (unsigned long long)s->exits, (unsigned long long)s->indirect);
	UNIT_EXPECT(inputs == NR_ENTRIES * SEEDS, "%lu inputs ran", inputs);
	UNIT_EXPECT(s->blocks >= MIN_BLOCKS, "only %llu blocks translated",
		    (unsigned long long)s->blocks);
	UNIT_EXPECT(s->links >= MIN_LINKS, "only %llu exits linked",
		    (unsigned long long)s->links);
	UNIT_EXPECT(s->indirect > 0, "no indirect branch dispatched");
}

static int setup(void)
{
	/* its own stack: a runaway translation may have used up the main one */
	static u8 sigstack[64 * 1024];
	stack_t ss = { .ss_sp = sigstack, .ss_size = sizeof(sigstack) };
	struct sigaction sa = {
		.sa_sigaction = on_segv,
		.sa_flags = SA_SIGINFO | SA_ONSTACK,
	};

	arena = mmap(NULL, CORPUS_ARENA, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || sigaltstack(&ss, NULL) ||
	    sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -1;
	if (uxlate_init(16 << 20, kc_corpus_start))
		return -1;
	uxlate_set_range((u64)kc_corpus_start, (u64)kc_corpus_end);
	return 0;
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "corpus_bounds", corpus_bounds },
		{ "entry_in_cache", entry_in_cache },
		{ "native_text_protected", native_text_protected },
		{ "strings", diff_strings },
		{ "list", diff_list },
		{ "hash", diff_hash },
		{ "rbtree", diff_rbtree },
		{ "bitops", diff_bitops },
		{ "switch", diff_switch },
		{ "recursion", diff_recursion },
		{ "fnptr", diff_fnptr },
		{ "crc32", diff_crc32 },
		{ "sha256", diff_sha256 },
		{ "simd", diff_simd },
		{ "math", diff_math },
		{ "varargs", diff_varargs },
		{ "goto", diff_goto },
		{ "libc", diff_libc },
		{ "counters", counters },
		{ NULL, NULL },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup()) {
		printf("FAIL unit/diff/setup: no code cache within reach of the corpus\n");
		return 1;
	}
	return unit_run("diff", cases);
}
