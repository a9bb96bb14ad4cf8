// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic driver of the write-coverage fuzzer (wfuzz_one.h):
 * exact extents of chosen forms, the forms extent.c must refuse, a fixed
 * number of seeded random cases, the harness's own negative check, and
 * the kept inputs named on the command line (diff/wregress/).
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "../unit.h"
#include "kept.h"
#include "extent.h"
#include "wfuzz_one.h"

#define CASES 200000	/* about 20 s; WFUZZ_CASES= sets another number */
#define CASE_BYTES 600

static unsigned long cases;
static char **kept;
static const char *replaying;
static struct kc_decoder dec;

static int decode_hex(const char *hex, struct kc_insn *insn, uint8_t *buf)
{
	unsigned int v, n = 0;

	while (sscanf(hex, "%2x", &v) == 1) {
		buf[n++] = v;
		hex += 2;
		while (*hex == ' ')
			hex++;
	}
	return kc_decode(&dec, buf, n, 0x1000, insn);
}

/* Forms whose writes extent.c cannot bound, and must refuse. */
static void refuses(void)
{
	static const char *const forms[] = {
		"66 0f f7 c1",		/* maskmovdqu: hidden store at %rdi */
		"c5 f9 f7 c1",		/* vmaskmovdqu */
		"0f f7 c1",		/* maskmovq */
		"66 0f 38 f8 07",	/* movdir64b: hidden store at %rax */
		"f2 0f 38 f8 07",	/* enqcmd */
		"c8 10 00 01",		/* enter */
		"0f ae 27",		/* xsave */
		"48 0f c7 2f",		/* xsaves64 */
		"0f ae 37",		/* xsaveopt */
		"64 48 89 07",		/* mov %rax, %fs:(%rdi) */
		"62 f2 7d 49 a0 0c 87",	/* vpscatterdd: vector index */
	};
	struct kc_write w[KC_MAX_WRITES];
	struct kc_insn insn;
	const char *why;
	uint8_t buf[16];
	unsigned int i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		UNIT_EXPECT(!decode_hex(forms[i], &insn, buf), "%s: undecodable", forms[i]);
		UNIT_EXPECT(kc_insn_writes(&insn, w, &why) < 0, "%s: not refused", forms[i]);
	}
}

/* The exact ranges of chosen forms, against the SDM. */
static void exact(void)
{
	static const struct {
		const char *hex;
		uint64_t rdi, rax, rcx, flags;
		uint64_t addr, len;
	} cases_[] = {
		/* bts %rax,(%rdi): qword ea + 8 * (rax >> 6), signed */
		{ "48 0f ab 07", 0x10000, 64 * 1000, 0, 0, 0x10000 + 8000, 8 },
		{ "48 0f ab 07", 0x10000, -65, 0, 0, 0x10000 - 16, 8 },
		{ "0f b3 07", 0x10000, 0x7fffffff, 0, 0, 0x10000 + 4 * 0x3ffffff, 4 },
		{ "0f bb 07", 0x10000, 0xffffffffffffffe0ull, 0, 0, 0x10000 - 4, 4 },
		/* btsw %ax,(%rdi): %ax = -16, the word before */
		{ "66 0f ab 07", 0x10000, 0x12345fff0ull, 0, 0, 0x10000 - 2, 2 },
		/* bts $200,(%rdi): the immediate stays in the operand */
		{ "48 0f ba 2f c8", 0x10000, 0, 0, 0, 0x10000, 8 },
		/* rep stosq up and down, and with %rcx = 0 */
		{ "f3 48 ab", 0x10000, 0, 3, 0, 0x10000, 24 },
		{ "f3 48 ab", 0x10000, 0, 3, 0x400, 0x10000 - 16, 24 },
		{ "f3 aa", 0x10000, 0, 0, 0x400, 0x10000, 0 },
		{ "aa", 0x10000, 0, 99, 0x400, 0x10000, 1 },
		/* 32-bit addresses wrap at 4 GiB */
		{ "67 89 07", 0x1fffffffcull, 0, 0, 0, 0xfffffffc, 4 },
		{ "67 89 04 87", 0x10, 0x40000000, 0, 0, 0x10, 4 },
		/* push and call write below %rsp (%rsp 0x8000 here) */
		{ "50", 0, 0, 0, 0, 0x8000 - 8, 8 },
		{ "66 50", 0, 0, 0, 0, 0x8000 - 2, 2 },
		{ "9c", 0, 0, 0, 0, 0x8000 - 8, 8 },
		/* cmpxchg16b, vmovdqu64 zmm: the full width */
		{ "48 0f c7 0f", 0x10000, 0, 0, 0, 0x10000, 16 },
		{ "62 f1 fe 48 7f 07", 0x10000, 0, 0, 0, 0x10000, 64 },
		/* %gs: the base counts (0x100000 here) */
		{ "65 48 89 07", 0x10, 0, 0, 0, 0x100010, 8 },
	};
	struct kc_write w[KC_MAX_WRITES];
	struct kc_cpu_state s;
	struct kc_insn insn;
	uint64_t addr, len;
	const char *why;
	uint8_t buf[16];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(cases_) / sizeof(cases_[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.gpr[KC_RDI] = cases_[i].rdi;
		s.gpr[KC_RAX] = cases_[i].rax;
		s.gpr[KC_RCX] = cases_[i].rcx;
		s.gpr[KC_RSP] = 0x8000;
		s.flags = cases_[i].flags;
		s.gs_base = 0x100000;
		UNIT_EXPECT(!decode_hex(cases_[i].hex, &insn, buf), "%s: undecodable",
			    cases_[i].hex);
		n = kc_insn_writes(&insn, w, &why);
		UNIT_EXPECT(n == 1, "%s: %d writes", cases_[i].hex, n);
		if (n != 1)
			continue;
		UNIT_EXPECT(!kc_write_range(&insn, &w[0], &s, &addr, &len),
			    "%s: no range", cases_[i].hex);
		UNIT_EXPECT(addr == cases_[i].addr && len == cases_[i].len,
			    "%s: [%#llx, +%llu), want [%#llx, +%llu)", cases_[i].hex,
			    (unsigned long long)addr, (unsigned long long)len,
			    (unsigned long long)cases_[i].addr,
			    (unsigned long long)cases_[i].len);
	}
}

/* A string whose range wraps around the address space is not bounded. */
static void wraps(void)
{
	struct kc_write w[KC_MAX_WRITES];
	struct kc_cpu_state s = { .gpr = { [KC_RCX] = 1ull << 62, [KC_RDI] = 0x10 } };
	struct kc_insn insn;
	uint64_t addr, len;
	const char *why;
	uint8_t buf[16];

	UNIT_EXPECT(!decode_hex("f3 48 ab", &insn, buf), "undecodable");
	UNIT_EXPECT(kc_insn_writes(&insn, w, &why) == 1, "rep stosq not one write");
	UNIT_EXPECT(kc_write_range(&insn, &w[0], &s, &addr, &len) == -ERANGE,
		    "2^62 quadwords bounded");
	s.gpr[KC_RCX] = 4;
	s.flags = KC_FLAG_DF;
	UNIT_EXPECT(kc_write_range(&insn, &w[0], &s, &addr, &len) == -ERANGE,
		    "a downward string below 0 bounded");
}

static void seeded(void)
{
	static uint8_t data[CASE_BYTES];
	uint64_t s = 0x7772697465ull;	/* "write" */
	const char *env = getenv("WFUZZ_CASES");
	unsigned long n = env ? strtoul(env, NULL, 0) : CASES;
	char why[200];
	size_t i;

	for (cases = 0; cases < n; cases++) {
		for (i = 0; i < CASE_BYTES; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			data[i] = s >> 32;
		}
		if (wfuzz_one(data, CASE_BYTES, why, sizeof(why))) {
			UNIT_EXPECT(0, "case %lu: %s", cases, why);
			printf("# unit/wfuzz: failing case %lu:\n", cases);
			wfuzz_report(stdout);
			break;
		}
	}
	printf("# unit/wfuzz: %llu cases, %llu stores probed, %llu arena bytes changed, "
	       "every one inside an approved range\n",
	       (unsigned long long)wfuzz_stats.cases,
	       (unsigned long long)wfuzz_stats.stores,
	       (unsigned long long)wfuzz_stats.changed);
	UNIT_EXPECT(wfuzz_stats.stores > 10 * n, "only %llu stores probed",
		    (unsigned long long)wfuzz_stats.stores);
}

static int replay_one(const char *path, const uint8_t *data, size_t n)
{
	char why[200];

	if (!wfuzz_one(data, n, why, sizeof(why)))
		return 0;
	UNIT_EXPECT(0, "%s: %s", path, why);
	wfuzz_report(stdout);
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
	printf("# unit/wfuzz: %lu kept inputs replayed\n", n);
	UNIT_EXPECT(n > 0, "no kept inputs given (diff/wregress/)");
}

static void on_abort(int sig)
{
	printf("FAIL unit/wfuzz/%s: translation failed%s%s (case %lu)\n",
	       replaying ? "regress" : "seeded", replaying ? " on " : "",
	       replaying ? replaying : "", cases);
	wfuzz_report(stdout);
	fflush(stdout);
	_exit(1);
}

int main(int argc, char **argv)
{
	static const struct unit_case tests[] = {
		{ "refuses", refuses },
		{ "exact", exact },
		{ "wraps", wraps },
		{ "seeded", seeded },
		{ "regress", regress },
		{ NULL, NULL },
	};

	kept = argc > 1 ? argv + 1 : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (kc_decoder_init(&dec) || wfuzz_setup()) {
		printf("FAIL unit/wfuzz/setup: no code cache near the binary\n");
		return 1;
	}
	signal(SIGABRT, on_abort);
	signal(SIGSEGV, on_abort);
	return unit_run("wfuzz", tests);
}
