// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic driver of the instruction-sequence fuzzer: checks the
 * register harness itself, then runs a fixed number of seeded random cases
 * through fuzz_one(), the function the libFuzzer target calls, and replays
 * the inputs named on the command line: the kept corpus (diff/regress/),
 * with every input a libFuzzer run ever failed on.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "../unit.h"
#include "kept.h"
#include "fuzz_one.h"
#include "seqgen.h"
#include "uxlate.h"

#define CASES 100000
#define CASE_BYTES 800
#define MIN_BLOCKS (2 * CASES)

static unsigned long cases;
static char **kept;	/* input files to replay, NULL-terminated */
static const char *replaying;
static const uint8_t ret_only[] = { 0xc3 };

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void random_regs(struct fuzz_regs *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 16; i++)
		r->r[i] = rnd(&seed);
	r->flags = rnd(&seed) & FUZZ_FLAGS_MASK & ~0x400ull;
}

/* Every register but those in @changed comes back as it went in. */
static void expect_kept(const struct fuzz_regs *in, const struct fuzz_regs *out,
			unsigned int changed, const char *how)
{
	int i;

	for (i = 0; i < 16; i++)
		if (i != 4 && !(changed & (1u << i)))
			UNIT_EXPECT(out->r[i] == in->r[i], "%s: register %d changed", how, i);
	UNIT_EXPECT(out->r[4] == fuzz_stack_top(), "%s: %%rsp %#llx, want %#llx",
		    how, (unsigned long long)out->r[4],
		    (unsigned long long)fuzz_stack_top());
}

/* A sequence of just ret leaves every register and flag as it was. */
static void harness_ret(void)
{
	struct fuzz_regs in, out;
	int t, k;

	for (k = 0; k < 64; k++) {
		for (t = 0; t < 2; t++) {
			random_regs(&in, k + 1);
			in.flags |= k & 1 ? 0x400 : 0;	/* DF too */
			fuzz_exec(ret_only, 1, &in, t, &out);
			expect_kept(&in, &out, 0, t ? "translated ret" : "ret");
			UNIT_EXPECT(!((out.flags ^ in.flags) & FUZZ_FLAGS_MASK),
				    "flags %#llx, want %#llx",
				    (unsigned long long)out.flags,
				    (unsigned long long)in.flags);
		}
	}
}

/* The harness sees a write to each register and to each flag it compares. */
static void harness_sees_writes(void)
{
	static const uint8_t flag_ops[][2] = { { 0xf9, 0xc3 }, { 0xf8, 0xc3 } };
	struct fuzz_regs in, out;
	uint8_t code[16];
	int r, t;

	for (r = 0; r < 16; r++) {
		if (r == 4)
			continue;
		for (t = 0; t < 2; t++) {
			code[0] = 0x48 | (r >> 3);	/* movabs $imm, %r */
			code[1] = 0xb8 + (r & 7);
			memcpy(code + 2, &(uint64_t){ 0x1122334455667700ull + r }, 8);
			code[10] = 0xc3;
			random_regs(&in, 100 + r);
			fuzz_exec(code, 11, &in, t, &out);
			expect_kept(&in, &out, 1u << r, "movabs");
			UNIT_EXPECT(out.r[r] == 0x1122334455667700ull + r,
				    "register %d not written", r);
		}
	}
	for (t = 0; t < 4; t++) {	/* stc, clc */
		random_regs(&in, 7);
		fuzz_exec(flag_ops[t & 1], 2, &in, t >> 1, &out);
		UNIT_EXPECT((out.flags & 1) == !(t & 1), "CF after %s",
			    t & 1 ? "clc" : "stc");
	}
}

/*
 * Negative check: "call 1f; 1: pop %rax" sees the return address, a cache
 * address when translated (the design's documented difference), so the
 * comparison must report it; it also shows the translation really ran.
 */
static void compare_detects_difference(void)
{
	static const uint8_t code[] = { 0xe8, 0, 0, 0, 0, 0x58, 0xc3 };
	uint8_t init[SEQ_SCRATCH] = { 0 };
	struct fuzz_regs in;
	char why[160] = "";

	random_regs(&in, 3);
	UNIT_EXPECT(fuzz_compare(code, sizeof(code), &in, init, why, sizeof(why)) == 1,
		    "a translated return address went unnoticed");
	UNIT_EXPECT(!strncmp(why, "%rax", 4), "reported \"%s\"", why);
	UNIT_EXPECT(!fuzz_compare(ret_only, 1, &in, init, why, sizeof(why)),
		    "ret alone differs: %s", why);
}

static void seeded(void)
{
	static uint8_t data[CASE_BYTES];
	uint64_t s = 0x6b63616765ull;	/* "kcage" */
	char why[200];
	size_t i;

	memset(&uxlate_stats, 0, sizeof(uxlate_stats));
	for (cases = 0; cases < CASES; cases++) {
		for (i = 0; i < CASE_BYTES; i++)
			data[i] = rnd(&s) >> 32;
		if (fuzz_one(data, CASE_BYTES, why, sizeof(why))) {
			UNIT_EXPECT(0, "case %lu: %s", cases, why);
			printf("# unit/fuzz: failing case %lu:\n", cases);
			fuzz_report(stdout);
			break;
		}
	}
}

/* One input; 0 if it runs alike natively and translated. */
static int replay_one(const char *path, const uint8_t *data, size_t n)
{
	char why[200];

	if (!fuzz_one(data, n, why, sizeof(why)))
		return 0;
	UNIT_EXPECT(0, "%s: %s", path, why);
	printf("# unit/fuzz: failing input in %s:\n", path);
	fuzz_report(stdout);
	return 1;
}


static void regress(void)
{
	unsigned long n = 0;
	char **p;

	for (p = kept; p && *p; p++) {
		replaying = *p;
		if (kept_replay(*p, &n, replay_one))
			break;
	}
	replaying = NULL;
	printf("# unit/fuzz: %lu kept inputs replayed\n", n);
	UNIT_EXPECT(n > 0, "no kept inputs given (diff/regress/)");
}

static void counters(void)
{
	const struct uxlate_stats *s = &uxlate_stats;

	printf("# unit/fuzz: %lu cases, %llu blocks translated (%llu native -> "
	       "%llu cache bytes), %llu exits linked, %llu exit stubs taken, "
	       "%llu indirect branches dispatched\n", cases,
	       (unsigned long long)s->blocks, (unsigned long long)s->native_bytes,
	       (unsigned long long)s->cache_bytes, (unsigned long long)s->links,
	       (unsigned long long)s->exits, (unsigned long long)s->indirect);
	UNIT_EXPECT(s->blocks >= MIN_BLOCKS, "only %llu blocks translated",
		    (unsigned long long)s->blocks);
	UNIT_EXPECT(s->links > 0 && s->exits > 0 && s->indirect > 0,
		    "links, exits or indirect branches missing");
}

/* uxlate aborts when it cannot translate: say which case did it. */
static void on_abort(int sig)
{
	if (replaying)
		printf("FAIL unit/fuzz/regress: translation failed on %s\n",
		       replaying);
	else
		printf("FAIL unit/fuzz/seeded: translation failed in case %lu\n",
		       cases);
	fuzz_report(stdout);
	fflush(stdout);
	_exit(1);
}

int main(int argc, char **argv)
{
	static const struct unit_case tests[] = {
		{ "harness_ret", harness_ret },
		{ "harness_sees_writes", harness_sees_writes },
		{ "compare_detects_difference", compare_detects_difference },
		{ "seeded", seeded },
		{ "counters", counters },
		{ "regress", regress },
		{ NULL, NULL },
	};

	kept = argc > 1 ? argv + 1 : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fuzz_setup()) {
		printf("FAIL unit/fuzz/setup: no code cache near the binary\n");
		return 1;
	}
	signal(SIGABRT, on_abort);
	return unit_run("fuzz", tests);
}
