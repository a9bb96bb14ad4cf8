/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CACHE_H
#define KCAGE_CACHE_H

#include "core/emit.h"

/**
 * struct kcage_cpu_cache - the chunk of the code cache a CPU appends to
 * @exec:  where its code executes (inside kcage's text)
 * @write: writable alias of @exec
 * @size:  bytes in the chunk (0: none yet)
 * @used:  bytes handed out so far; only this CPU's translator moves it
 * @cpu:   the CPU
 */
struct kcage_cpu_cache {
	u8 *exec;
	u8 *write;
	size_t size;
	size_t used;
	int cpu;
};

int kcage_cache_init(void);
void kcage_cache_exit(void);
struct kcage_cpu_cache *kcage_cache_cpu(int cpu);
void kcage_cache_emitter(struct kcage_cpu_cache *c, struct kc_emitter *e);
void kcage_cache_commit(struct kcage_cpu_cache *c, const struct kc_emitter *e);
bool kcage_cache_contains(unsigned long addr);
int kcage_cache_owner(unsigned long addr);
void *kcage_cache_alias(unsigned long addr);
void kcage_cache_reset(void);
unsigned int kcage_cache_chunks(unsigned int *total);

#endif /* KCAGE_CACHE_H */
