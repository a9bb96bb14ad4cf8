// SPDX-License-Identifier: GPL-2.0
/*
 * User-space benchmark of kcage's translator core: the corpus of the
 * differential test (tests/unit/diff/corpus.c) run natively and through
 * the user-space host (uxlate.c), which translates only: no policy, no
 * bounds or CFI checks (those need kernel headers; see README).
 *
 *   bench_user [--native-only] [--reps N] [--target-ms MS]
 *              [--calls name=N,...] [--json PATH]
 *
 * Every group of entry points runs a loop of calls, calibrated so that a
 * native repetition takes about --target-ms, repeated --reps times in
 * each mode after an untimed warm-up (which also translates); medians are
 * reported.  Every repetition starts from the same arena and calls with
 * the same seeds, so each must leave the same result (return values and
 * arena), natively and translated.  --native-only skips the translator,
 * for running this binary under valgrind or qemu-user; --calls then gives
 * it the loop counts of an in-process run so that both do the same work.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "corpus.h"
#include "uxlate.h"
#include "bench_user.h"

#define COLD_SEEDS 64		/* calls per entry point in a cold run */

static const struct {
	const char *name;
	corpus_fn fn;
} entries[] = {
	{ "strings", corpus_strings },	 { "list", corpus_list },
	{ "hash", corpus_hash },	 { "rbtree", corpus_rbtree },
	{ "bitops", corpus_bitops },	 { "switch", corpus_switch },
	{ "recursion", corpus_recursion }, { "fnptr", corpus_fnptr },
	{ "crc32", corpus_crc32 },	 { "sha256", corpus_sha256 },
	{ "simd", corpus_simd },	 { "math", corpus_math },
	{ "varargs", corpus_varargs },	 { "goto", corpus_goto },
	{ "libc", corpus_libc },
};

#define NR_ENTRIES (sizeof(entries) / sizeof(entries[0]))

static struct bench_group groups[NR_ENTRIES + 1];
static corpus_fn native_fns[NR_ENTRIES];
static corpus_fn xlate_fns[NR_ENTRIES];
static u8 *arena;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static u64 mix(u64 h, u64 v)
{
	return (h ^ v) * 0x9e3779b97f4a7c15ull + (h >> 29);
}

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(2);
}

/* The same bytes at the start of every repetition, as test_diff.c does. */
static void fill_arena(void)
{
	u64 s = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < CORPUS_ARENA; i += 8) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		memcpy(arena + i, &s, 8);
	}
}

static u64 hash_arena(u64 h)
{
	size_t i;
	u64 w;

	for (i = 0; i < CORPUS_ARENA; i += 8) {
		memcpy(&w, arena + i, 8);
		h = mix(h, w);
	}
	return h;
}

/*
 * The corpus's native text is not executable while translated code runs
 * (as in test_diff.c), so a translation that escaped to native corpus code
 * would crash the benchmark instead of timing native code.
 */
static void corpus_exec(bool on)
{
	if (mprotect((void *)kc_corpus_start, kc_corpus_end - kc_corpus_start,
		     PROT_READ | (on ? PROT_EXEC : 0)))
		die("mprotect");
}

/* The timed loop, the same code for native and translated entry points. */
static u64 run_loop(corpus_fn const *fns, unsigned int nr, u64 calls)
{
	u64 h = 0, i;
	unsigned int j;

	for (i = 0; i < calls; i++)
		for (j = 0; j < nr; j++)
			h = mix(h, fns[j](arena, i));
	return h;
}

/* One repetition; returns its result and stores its time in @ns. */
static u64 one_rep(const struct bench_group *g, bool xlate, u64 calls, u64 *ns)
{
	corpus_fn const *fns = (xlate ? xlate_fns : native_fns) + g->first;
	u64 t0, h;

	fill_arena();
	if (xlate)
		corpus_exec(false);
	t0 = now_ns();
	h = run_loop(fns, g->nr, calls);
	*ns = now_ns() - t0;
	if (xlate)
		corpus_exec(true);
	return hash_arena(h);
}

/*
 * The fastest of three native repetitions: on a busy machine one can be
 * preempted for milliseconds, which would make calibration settle on a
 * loop far too short.
 */
static u64 fastest_rep(const struct bench_group *g, u64 calls)
{
	u64 best = UINT64_MAX, ns;
	int i;

	for (i = 0; i < 3; i++) {
		one_rep(g, false, calls, &ns);
		if (ns < best)
			best = ns;
	}
	return best;
}

/*
 * Loop count for a native repetition of about @target_ms.  Calls take
 * seeds 0..calls-1 and work grows with some seeds, so this is only close;
 * runs under other tools are given the same counts (--calls).
 */
static u64 calibrate(const struct bench_group *g, unsigned int target_ms)
{
	u64 target = (u64)target_ms * 1000000, calls = 1, ns;

	for (;;) {
		ns = fastest_rep(g, calls);
		if (ns >= target / 8 || calls >= (1ull << 30))
			break;
		calls *= 2;
	}
	calls = calls * target / (ns ? ns : 1);
	return calls ? calls : 1;
}

static void time_group(struct bench_run *run, struct bench_group *g)
{
	u64 ns, blocks, indirect;
	unsigned int r;

	/* warm-up: caches, branch predictors, and (translated) the cache */
	g->result = one_rep(g, false, g->calls, &ns);
	g->ok = true;
	if (!run->native_only)
		g->ok = one_rep(g, true, g->calls, &ns) == g->result;
	blocks = uxlate_stats.blocks;
	indirect = uxlate_stats.indirect;
	for (r = 0; r < run->reps; r++) {
		if (one_rep(g, false, g->calls, &g->native[r]) != g->result)
			g->ok = false;
		if (!run->native_only &&
		    one_rep(g, true, g->calls, &g->xlate[r]) != g->result)
			g->ok = false;
	}
	g->late_blocks = uxlate_stats.blocks - blocks;
	g->indirect = (uxlate_stats.indirect - indirect) / run->reps;
	g->native_med = bench_median(g->native, run->reps);
	if (!run->native_only)
		g->xlate_med = bench_median(g->xlate, run->reps);
}

/* All entry points on COLD_SEEDS seeds each, from the arena's start. */
static u64 cold_loop(bool xlate)
{
	u64 h = 0, seed;
	unsigned int i;

	fill_arena();
	for (i = 0; i < NR_ENTRIES; i++) {
		corpus_fn fn = entries[i].fn;

		if (xlate)
			fn = (corpus_fn)uxlate_entry((u64)fn);
		for (seed = 0; seed < COLD_SEEDS; seed++)
			h = mix(h, fn(arena, seed));
	}
	return hash_arena(h);
}

/*
 * Translation cost: the cache emptied, the whole corpus run once (every
 * block it reaches is built), then once more warm.  Building time comes
 * from uxlate_stats.build_ns, accumulated around the block builder only.
 */
static int time_cold(struct bench_run *run)
{
	struct bench_cold *c = &run->cold;
	u64 want = cold_loop(false), t0;
	struct uxlate_stats s0;
	unsigned int r;
	int bad = 0;

	c->seeds = COLD_SEEDS;
	for (r = 0; r < run->reps; r++) {
		uxlate_reset();
		s0 = uxlate_stats;
		corpus_exec(false);
		t0 = now_ns();
		bad |= cold_loop(true) != want;
		c->cold[r] = now_ns() - t0;
		c->build[r] = uxlate_stats.build_ns - s0.build_ns;
		c->blocks = uxlate_stats.blocks - s0.blocks;
		c->native_bytes = uxlate_stats.native_bytes - s0.native_bytes;
		c->cache_bytes = uxlate_stats.cache_bytes - s0.cache_bytes;
		t0 = now_ns();
		bad |= cold_loop(true) != want;
		c->warm[r] = now_ns() - t0;
		corpus_exec(true);
	}
	c->build_med = bench_median(c->build, run->reps);
	c->cold_med = bench_median(c->cold, run->reps);
	c->warm_med = bench_median(c->warm, run->reps);
	return bad ? -1 : 0;
}

/* "name=N,name=N": loop counts from an in-process run. */
static int parse_calls(char *arg)
{
	char *tok, *eq, *end;
	unsigned int i;

	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		for (i = 0; i <= NR_ENTRIES; i++)
			if (!strcmp(groups[i].name, tok))
				break;
		if (i > NR_ENTRIES)
			return -1;
		groups[i].calls = strtoull(eq + 1, &end, 10);
		if (*end || !groups[i].calls)
			return -1;
	}
	return 0;
}

static void init_groups(void)
{
	unsigned int i;

	for (i = 0; i < NR_ENTRIES; i++) {
		groups[i].name = entries[i].name;
		groups[i].first = i;
		groups[i].nr = 1;
		native_fns[i] = entries[i].fn;
	}
	groups[NR_ENTRIES].name = "corpus";
	groups[NR_ENTRIES].first = 0;
	groups[NR_ENTRIES].nr = NR_ENTRIES;
}

/* The corpus text alone is translated; anything it calls runs natively. */
static int init_xlate(void)
{
	if (uxlate_init(16 << 20, kc_corpus_start))
		return -1;
	uxlate_set_range((u64)kc_corpus_start, (u64)kc_corpus_end);
	return 0;
}

/* After the last uxlate_reset(): translations before it are gone. */
static void xlate_entries(void)
{
	unsigned int i;

	for (i = 0; i < NR_ENTRIES; i++)
		xlate_fns[i] = (corpus_fn)uxlate_entry((u64)entries[i].fn);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_user [--native-only] [--reps N] "
		"[--target-ms MS] [--calls name=N,...] [--json PATH]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "native-only", no_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "target-ms", required_argument, NULL, 't' },
		{ "calls", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_run run = {
		.reps = 15, .target_ms = 15, .calibrated = true,
		.groups = groups, .nr_groups = NR_ENTRIES + 1,
	};
	const char *json = NULL;
	unsigned int i;
	int c, rc = 0;

	init_groups();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			run.native_only = true;
			break;
		case 'r':
			run.reps = atoi(optarg);
			if (!run.reps || run.reps > BENCH_MAX_REPS)
				usage();
			break;
		case 't':
			run.target_ms = atoi(optarg);
			if (!run.target_ms)
				usage();
			break;
		case 'c':
			if (parse_calls(optarg))
				usage();
			run.calibrated = false;
			break;
		case 'j':
			json = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* the same address for every repetition, in both modes */
	arena = mmap(NULL, CORPUS_ARENA, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED)
		die("mmap");
	if (!run.native_only && init_xlate()) {
		fprintf(stderr, "bench_user: no code cache within reach of the corpus\n");
		return 2;
	}
	if (!run.native_only) {
		if (time_cold(&run)) {
			fprintf(stderr, "bench_user: cold run: translated result differs\n");
			rc = 1;
		}
		xlate_entries();
	}
	for (i = 0; i < run.nr_groups; i++) {
		if (!groups[i].calls)
			groups[i].calls = calibrate(&groups[i], run.target_ms);
		time_group(&run, &groups[i]);
		if (!groups[i].ok) {
			fprintf(stderr, "bench_user: %s: results differ between runs\n",
				groups[i].name);
			rc = 1;
		}
	}
	bench_print(&run);
	if (json && bench_write_json(&run, json))
		die(json);
	return rc;
}
