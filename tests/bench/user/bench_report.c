// SPDX-License-Identifier: GPL-2.0
/*
 * What bench_user prints (a table on stdout) and saves (JSON, which
 * run.py merges with the runs under valgrind and qemu-user).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_user.h"

#define NOT_ENFORCED \
	"translate-only: the enforcement instrumentation (kmod/enforce/bounds.c, " \
	"kmod/enforce/shadow.c, kmod/enforce/enforce.c) needs kernel headers and is not " \
	"built in user space, so no enforced figure is measured here; " \
	"make bench measures it in the VM"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t bench_median(const uint64_t *v, unsigned int n)
{
	uint64_t s[BENCH_MAX_REPS];

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u64);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double per_call_us(uint64_t ns, uint64_t calls)
{
	return ns / 1e3 / calls;
}

static void print_group(const struct bench_run *run, const struct bench_group *g)
{
	printf("%-10s %10" PRIu64 " %12.3f", g->name, g->calls,
	       per_call_us(g->native_med, g->calls));
	if (!run->native_only)
		printf(" %12.3f %8.2fx %9.1f %5" PRIu64,
		       per_call_us(g->xlate_med, g->calls),
		       (double)g->xlate_med / g->native_med,
		       (double)g->indirect / g->calls, g->late_blocks);
	printf("  %s\n", g->ok ? "same" : "DIFFERENT");
}

static void print_cold(const struct bench_run *run)
{
	const struct bench_cold *c = &run->cold;

	printf("\ntranslation cost, cold run of the whole corpus (cache emptied, "
	       "every entry point on %u seeds), median of %u:\n", c->seeds, run->reps);
	printf("  %" PRIu64 " blocks, %" PRIu64 " native bytes -> %" PRIu64
	       " cache bytes: %.2f cache bytes per native byte\n",
	       c->blocks, c->native_bytes, c->cache_bytes,
	       (double)c->cache_bytes / c->native_bytes);
	printf("  building blocks: %.1f us, %.2f MB of native code per second, "
	       "%.2f us per block\n", c->build_med / 1e3,
	       c->native_bytes * 1e3 / c->build_med,
	       c->build_med / 1e3 / c->blocks);
	printf("  the cold run took %.1f us, the same calls warm %.1f us\n",
	       c->cold_med / 1e3, c->warm_med / 1e3);
}

void bench_print(const struct bench_run *run)
{
	unsigned int i;

	printf("# bench_user: tests/unit/diff corpus, %s\n",
	       run->native_only ? "native only" :
	       "native vs kcage translate-only (tests/unit/diff/uxlate.c)");
	printf("# medians of %u repetitions (CLOCK_MONOTONIC) after a warm-up; ",
	       run->reps);
	if (run->calibrated)
		printf("loops calibrated to ~%u ms natively\n", run->target_ms);
	else
		printf("loop counts given by --calls\n");
	if (!run->native_only)
		printf("# " NOT_ENFORCED "\n");
	printf("%-10s %10s %12s", "group", "calls/rep", "native us");
	if (!run->native_only)
		printf(" %12s %9s %9s %5s", "xlated us", "ratio", "ind/call", "late");
	printf("  result\n");
	for (i = 0; i < run->nr_groups; i++)
		print_group(run, &run->groups[i]);
	if (!run->native_only) {
		printf("(us per call: one call of the entry point, or of each of them "
		       "for \"corpus\"; ind/call: indirect branches dispatched per\n"
		       " call, each through the host's dispatcher, which, unlike "
		       "the kernel's (kmod/dbt/ibl.c), has no lookup table;\n"
		       " late: blocks built while timing)\n");
		print_cold(run);
	}
}

static void json_samples(FILE *f, const char *key, const uint64_t *v, unsigned int n)
{
	unsigned int i;

	fprintf(f, "\"%s\": [", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%" PRIu64, i ? ", " : "", v[i]);
	fprintf(f, "]");
}

static void json_group(FILE *f, const struct bench_run *run, const struct bench_group *g)
{
	fprintf(f, "    {\"name\": \"%s\", \"entries\": %u, \"calls\": %" PRIu64
		", \"same_result\": %s, \"result\": \"%016" PRIx64 "\",\n     ",
		g->name, g->nr, g->calls, g->ok ? "true" : "false", g->result);
	fprintf(f, "\"native_median_ns\": %" PRIu64 ", ", g->native_med);
	json_samples(f, "native_ns", g->native, run->reps);
	if (!run->native_only) {
		fprintf(f, ",\n     \"translated_median_ns\": %" PRIu64
			", \"ratio\": %.4f, \"late_blocks\": %" PRIu64
			", \"indirect_per_rep\": %" PRIu64 ",\n     ",
			g->xlate_med, (double)g->xlate_med / g->native_med,
			g->late_blocks, g->indirect);
		json_samples(f, "translated_ns", g->xlate, run->reps);
	}
	fprintf(f, "}");
}

static void json_cold(FILE *f, const struct bench_run *run)
{
	const struct bench_cold *c = &run->cold;

	fprintf(f, "  \"translation\": {\"blocks\": %" PRIu64 ", \"native_bytes\": %"
		PRIu64 ", \"cache_bytes\": %" PRIu64 ", \"cache_per_native\": %.4f,\n",
		c->blocks, c->native_bytes, c->cache_bytes,
		(double)c->cache_bytes / c->native_bytes);
	fprintf(f, "    \"build_median_ns\": %" PRIu64 ", \"native_bytes_per_s\": %.0f,"
		" \"cold_median_ns\": %" PRIu64 ", \"warm_median_ns\": %" PRIu64 ",\n    ",
		c->build_med, c->native_bytes * 1e9 / c->build_med, c->cold_med,
		c->warm_med);
	json_samples(f, "build_ns", c->build, run->reps);
	fprintf(f, "},\n");
}

int bench_write_json(const struct bench_run *run, const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (!f)
		return -1;
	fprintf(f, "{\n  \"mode\": \"%s\", \"reps\": %u, \"target_ms\": %u, "
		"\"calibrated\": %s, \"clock\": \"CLOCK_MONOTONIC\",\n",
		run->native_only ? "native-only" : "kcage-translate-only",
		run->reps, run->target_ms, run->calibrated ? "true" : "false");
	fprintf(f, "  \"enforced\": null, \"enforced_note\": \"%s\",\n", NOT_ENFORCED);
	if (!run->native_only)
		json_cold(f, run);
	fprintf(f, "  \"groups\": [\n");
	for (i = 0; i < run->nr_groups; i++) {
		json_group(f, run, &run->groups[i]);
		fprintf(f, "%s\n", i + 1 < run->nr_groups ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -1 : 0;
}
