// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU code cache.  The executable area (cache_area.S) is mapped
 * read-only by the module loader; kcage writes it through a second mapping
 * of the same pages (vmap with PAGE_KERNEL), never through the executable
 * address.
 *
 * The area is cut into chunks.  Each CPU appends to a chunk of its own,
 * with interrupts off, so the common translation path takes no lock; only
 * when its chunk is nearly full does a CPU take the next free chunk from
 * the area under a spinlock.  A CPU with much to translate thus grows into
 * the space others do not need, whatever the number of CPUs.  Chunks are
 * never reused while any sandbox exists (a task may be running, or
 * sleeping with return addresses, in any of them); when the last sandbox
 * goes, kcage_cache_reset() returns them all.
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "cache.h"
#include "cache_size.h"

#define KCAGE_CHUNK_SIZE	(64 * 1024)
#define KCAGE_NR_CHUNKS		(KCAGE_CACHE_SIZE / KCAGE_CHUNK_SIZE)
/* More than any block needs (64 instructions and two exit stubs). */
#define KCAGE_BLOCK_ROOM	4096

extern u8 kcage_cache_area[], kcage_cache_area_end[];

static u8 *cache_alias;
static DEFINE_PER_CPU(struct kcage_cpu_cache, cpu_cache);
static DEFINE_SPINLOCK(chunks_lock);
static unsigned int next_chunk;			/* under chunks_lock */
static int chunk_owner[KCAGE_NR_CHUNKS];	/* CPU, or -1 */

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

/* Give @c (CPU @cpu's) the next free chunk.  Return: 0 or -ENOSPC. */
static int take_chunk(struct kcage_cpu_cache *c, int cpu)
{
	unsigned long flags;
	int i = -1;

	spin_lock_irqsave(&chunks_lock, flags);
	if (next_chunk < KCAGE_NR_CHUNKS) {
		i = next_chunk++;
		WRITE_ONCE(chunk_owner[i], cpu);
	}
	spin_unlock_irqrestore(&chunks_lock, flags);
	if (i < 0)
		return -ENOSPC;
	c->exec = kcage_cache_area + (size_t)i * KCAGE_CHUNK_SIZE;
	c->write = cache_alias + (size_t)i * KCAGE_CHUNK_SIZE;
	c->size = KCAGE_CHUNK_SIZE;
	c->used = 0;
	return 0;
}

/* Every CPU starts with a chunk (as long as there are enough). */
static void deal_chunks(void)
{
	int cpu;

	next_chunk = 0;
	memset(chunk_owner, 0xff, sizeof(chunk_owner));
	for_each_possible_cpu(cpu) {
		struct kcage_cpu_cache *c = per_cpu_ptr(&cpu_cache, cpu);

		c->cpu = cpu;
		c->size = c->used = 0;
		take_chunk(c, cpu);
	}
}

/*
 * Idempotent: kcage's KUnit suites run at MODULE_STATE_COMING, before
 * kcage_init(), and set the cache up themselves (see cache_test.c).
 */
int kcage_cache_init(void)
{
	if (cache_alias)
		return 0;
	BUILD_BUG_ON(KCAGE_CACHE_SIZE % KCAGE_CHUNK_SIZE);
	BUILD_BUG_ON(KCAGE_CHUNK_SIZE % PAGE_SIZE);
	if (WARN_ON_ONCE(kcage_cache_area_end - kcage_cache_area != KCAGE_CACHE_SIZE ||
			 !PAGE_ALIGNED(kcage_cache_area)))
		return -EINVAL;
	cache_alias = map_alias();
	if (!cache_alias)
		return -ENOMEM;
	deal_chunks();
	pr_info("kcage: code cache %d KiB at %px, %d chunks of %d KiB\n",
		KCAGE_CACHE_SIZE >> 10, kcage_cache_area, KCAGE_NR_CHUNKS,
		KCAGE_CHUNK_SIZE >> 10);
	return 0;
}

/*
 * Empty the cache.  Only when nothing can run from it or translate into
 * it: no sandbox exists, and every CPU's translator state is reset.
 */
void kcage_cache_reset(void)
{
	deal_chunks();
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

/*
 * An emitter over the unused rest of @c's chunk: writes via the alias.  Call
 * with interrupts off on @c's CPU.  If the chunk has no room for a whole
 * block, @c moves to a fresh chunk first; if none is left, the emitter
 * is as small as what remains and building into it fails with -ENOSPC.
 */
void kcage_cache_emitter(struct kcage_cpu_cache *c, struct kc_emitter *e)
{
	if (c->size - c->used < KCAGE_BLOCK_ROOM)
		take_chunk(c, c->cpu);
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

/* The CPU whose chunk holds @addr (in the cache), or -1. */
int kcage_cache_owner(unsigned long addr)
{
	if (!kcage_cache_contains(addr))
		return -1;
	return READ_ONCE(chunk_owner[(addr - (unsigned long)kcage_cache_area) /
				     KCAGE_CHUNK_SIZE]);
}

/* The writable alias of @addr (in the cache). */
void *kcage_cache_alias(unsigned long addr)
{
	return cache_alias + (addr - (unsigned long)kcage_cache_area);
}

/* Chunks handed out, of how many. */
unsigned int kcage_cache_chunks(unsigned int *total)
{
	*total = KCAGE_NR_CHUNKS;
	return READ_ONCE(next_chunk);
}
