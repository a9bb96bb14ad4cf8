/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One case of the write-coverage fuzzer: a random sequence of stores
 * (wgen.c) translated with a probe before each store, as kcage puts its
 * store checks there; each probe records the bytes core/extent.c says
 * the store writes (the range a check would approve), and afterwards
 * every byte of the arena that changed must lie in a recorded range.
 */
#ifndef KCAGE_DIFF_WFUZZ_ONE_H
#define KCAGE_DIFF_WFUZZ_ONE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct wfuzz_stats - what the cases so far did
 * @cases:   cases run
 * @stores:  stores probed (each executed store once)
 * @changed: arena bytes that changed, all inside approved ranges
 */
struct wfuzz_stats {
	uint64_t cases;
	uint64_t stores;
	uint64_t changed;
};

extern struct wfuzz_stats wfuzz_stats;

int wfuzz_setup(void);
int wfuzz_one(const uint8_t *data, size_t size, char *why, size_t whylen);
void wfuzz_report(FILE *f);

#endif /* KCAGE_DIFF_WFUZZ_ONE_H */
