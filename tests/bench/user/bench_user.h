/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space benchmark of the translator core (see README): what one
 * run of bench_user measured, shared by the measuring code (bench_user.c)
 * and the code that prints and saves it (bench_report.c).
 */
#ifndef KCAGE_BENCH_USER_H
#define KCAGE_BENCH_USER_H

#include <stdbool.h>
#include <stdint.h>

#define BENCH_MAX_REPS 64

/**
 * struct bench_group - one timed group of corpus entry points
 * @name:      its name: an entry point's, or "corpus" for all of them
 * @first:     index of its first entry point
 * @nr:        how many entry points, from @first on
 * @calls:     loop iterations per repetition; one iteration calls each of
 *             the group's entry points once, with the same seed
 * @native:    nanoseconds of each repetition run natively
 * @xlate:     the same run translated (empty with --native-only)
 * @native_med, @xlate_med: their medians
 * @late_blocks: blocks built during timed repetitions (0 unless the
 *             warm-up run missed a path)
 * @indirect:  indirect branches dispatched per translated repetition:
 *             each is a full trip through the host's dispatcher, which
 *             has no lookup table (the kernel's has, kmod/dbt/ibl.c)
 * @result:    hash of the return values and of the arena they leave,
 *             identical for every repetition in both modes
 * @ok:        every repetition, native or translated, gave @result
 */
struct bench_group {
	const char *name;
	unsigned int first;
	unsigned int nr;
	uint64_t calls;
	uint64_t native[BENCH_MAX_REPS];
	uint64_t xlate[BENCH_MAX_REPS];
	uint64_t native_med;
	uint64_t xlate_med;
	uint64_t late_blocks;
	uint64_t indirect;
	uint64_t result;
	bool ok;
};

/**
 * struct bench_cold - translation cost of a cold run of the whole corpus
 * @seeds:     calls of each entry point in a cold run
 * @blocks, @native_bytes, @cache_bytes: what one cold run translated
 * @build:     nanoseconds spent building blocks, per repetition
 * @cold:      nanoseconds of the whole cold run (building and running)
 * @warm:      the same calls again, everything translated already
 * @build_med, @cold_med, @warm_med: their medians
 */
struct bench_cold {
	unsigned int seeds;
	uint64_t blocks;
	uint64_t native_bytes;
	uint64_t cache_bytes;
	uint64_t build[BENCH_MAX_REPS];
	uint64_t cold[BENCH_MAX_REPS];
	uint64_t warm[BENCH_MAX_REPS];
	uint64_t build_med;
	uint64_t cold_med;
	uint64_t warm_med;
};

/**
 * struct bench_run - everything one run of bench_user measured
 * @native_only: only native runs (for valgrind and qemu-user)
 * @reps:        repetitions per measurement
 * @target_ms:   what a native repetition is calibrated to last
 * @calibrated:  whether @calls came from calibration (not from --calls)
 * @groups, @nr_groups: the timed groups, "corpus" last
 * @cold:        translation cost (not with --native-only)
 */
struct bench_run {
	bool native_only;
	unsigned int reps;
	unsigned int target_ms;
	bool calibrated;
	struct bench_group *groups;
	unsigned int nr_groups;
	struct bench_cold cold;
};

uint64_t bench_median(const uint64_t *v, unsigned int n);
void bench_print(const struct bench_run *run);
int bench_write_json(const struct bench_run *run, const char *path);

#endif /* KCAGE_BENCH_USER_H */
