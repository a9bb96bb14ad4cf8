// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU code cache.  The executable area (cache_area.S) is mapped
 * read-only by the module loader; kcage writes it through a second mapping
 * of the same pages (vmap with PAGE_KERNEL), never through the executable
 * address.  Each possible CPU owns an equal, page-aligned share, so the
 * common translation path needs no lock: a CPU only ever appends to its own
 * share, with preemption disabled while it does.
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "cache.h"
#include "cache_size.h"

extern u8 kcage_cache_area[], kcage_cache_area_end[];

static u8 *cache_alias;
static DEFINE_PER_CPU(struct kcage_cpu_cache, cpu_cache);

static u8 *map_alias(void)
{
	unsigned int i, nr = KCAGE_CACHE_SIZE >> PAGE_SHIFT;
	struct page **pages;
	u8 *alias;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < nr; i++)
		pages[i] = vmalloc_to_page(kcage_cache_area + i * PAGE_SIZE);
	alias = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return alias;
}

/*
 * Idempotent: kcage's KUnit suites run at MODULE_STATE_COMING, before
 * kcage_init(), and set the cache up themselves (see cache_test.c).
 */
int kcage_cache_init(void)
{
	size_t share;
	int cpu, i = 0;

	if (cache_alias)
		return 0;
	BUILD_BUG_ON(KCAGE_CACHE_SIZE % PAGE_SIZE);
	if (WARN_ON_ONCE(kcage_cache_area_end - kcage_cache_area != KCAGE_CACHE_SIZE ||
			 !PAGE_ALIGNED(kcage_cache_area)))
		return -EINVAL;
	cache_alias = map_alias();
	if (!cache_alias)
		return -ENOMEM;

	share = (KCAGE_CACHE_SIZE / num_possible_cpus()) & PAGE_MASK;
	for_each_possible_cpu(cpu) {
		struct kcage_cpu_cache *c = per_cpu_ptr(&cpu_cache, cpu);

		c->exec = kcage_cache_area + i * share;
		c->write = cache_alias + i * share;
		c->size = share;
		c->used = 0;
		i++;
	}
	pr_info("kcage: code cache %d KiB at %px, %zu KiB per CPU\n",
		KCAGE_CACHE_SIZE >> 10, kcage_cache_area, share >> 10);
	return 0;
}

void kcage_cache_exit(void)
{
	vunmap(cache_alias);
	cache_alias = NULL;
}

struct kcage_cpu_cache *kcage_cache_cpu(int cpu)
{
	return per_cpu_ptr(&cpu_cache, cpu);
}

/* An emitter over the unused rest of @c: writes via the alias. */
void kcage_cache_emitter(struct kcage_cpu_cache *c, struct kc_emitter *e)
{
	e->buf = c->write + c->used;
	e->base = (u64)(unsigned long)(c->exec + c->used);
	e->cap = c->size - c->used;
	e->pos = 0;
}

/* Keep what @e emitted (call only after the block was built completely). */
void kcage_cache_commit(struct kcage_cpu_cache *c, const struct kc_emitter *e)
{
	c->used += ALIGN(e->pos, 16);
	if (c->used > c->size)
		c->used = c->size;
}

bool kcage_cache_contains(unsigned long addr)
{
	return addr >= (unsigned long)kcage_cache_area &&
	       addr < (unsigned long)kcage_cache_area_end;
}
