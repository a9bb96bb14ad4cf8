// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU code cache.  The executable area (cache_area.S) is mapped
 * read-only by the module loader; kcage writes it through a second mapping
 * of the same pages (vmap with PAGE_KERNEL), never through the executable
 * address.
 *
 * The area is cut into chunks.  Each CPU appends to a chunk of its own,
 * with interrupts off, so the common translation path takes no lock; only
 * when its chunk is nearly full does a CPU take a free chunk under a
 * spinlock.  A CPU with much to translate thus grows into the space others
 * do not need, whatever the number of CPUs.
 *
 * When free chunks run low, flush.c stops the machine and frees every
 * chunk no stack refers to (kcage_cache_flush()); chunks still referred
 * to, and those holding entry stubs (which native text jumps to), are
 * retired: kept, never appended to, and their exits into freed chunks
 * unlinked.  Every block is preceded by a header saying where its exits
 * are, which is what makes that possible.
 */
#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
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
#define KCAGE_HDR_MAGIC		0x4b43424bu	/* "KBCK" */


/* Smaller caches exercise flushing; the area itself stays allocated. */
static unsigned int cache_kib = KCAGE_CACHE_SIZE >> 10;
module_param(cache_kib, uint, 0444);
MODULE_PARM_DESC(cache_kib, "code cache to use, in KiB (at most the built-in 8192)");

enum chunk_state { CHUNK_FREE, CHUNK_OWNED, CHUNK_RETIRED };

/**
 * struct kcage_chunk - bookkeeping of one chunk
 * @state:  &enum chunk_state.  Changed under &chunks_lock: FREE to OWNED
 *          when a CPU takes the chunk, OWNED to RETIRED or FREE by a flush.
 * @pinned: Holds entry stubs, so it lives as long as the sandboxes do.
 *          Set by the chunk's owner (a CPU's translator with interrupts
 *          off, or the holder of &stub_lock); cleared only by a flush once
 *          no sandbox is left (kcage_cache_unpin_all()).
 * @owner:  The CPU appending to it (OWNED), else -1.  Written under
 *          &chunks_lock with WRITE_ONCE(); read locklessly, with
 *          READ_ONCE(), to decide who may link an exit in it.
 */
struct kcage_chunk {
	u8 state;
	bool pinned;
	int owner;
};

static u8 *cache_alias;
/* Entry stubs get chunks of their own, so they pin no translated blocks. */
static struct kcage_cpu_cache stub_cache = { .cpu = -1 };
static DEFINE_MUTEX(stub_lock);
static DEFINE_PER_CPU(struct kcage_cpu_cache, cpu_cache);
static DEFINE_SPINLOCK(chunks_lock);
static struct kcage_chunk chunks[KCAGE_NR_CHUNKS];
static unsigned int nr_chunks;		/* usable: cache_kib's worth */
static unsigned int nr_free;		/* under chunks_lock */
static unsigned int nr_free_after_flush;	/* likewise */

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

static u8 *chunk_exec(unsigned int i)
{
	return kcage_cache_area + (size_t)i * KCAGE_CHUNK_SIZE;
}

static u8 *chunk_write(unsigned int i)
{
	return cache_alias + (size_t)i * KCAGE_CHUNK_SIZE;
}

/* Bytes a committed block of @len bytes of code takes, header included. */
static size_t block_span(size_t len)
{
	return ALIGN(KCAGE_BLOCK_HDR_SIZE + len, 8);
}

/* Give @c (CPU @cpu's) a free chunk.  Return: 0 or -ENOSPC. */
static int take_chunk(struct kcage_cpu_cache *c, int cpu)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&chunks_lock, flags);
	for (i = 0; i < nr_chunks; i++)
		if (chunks[i].state == CHUNK_FREE)
			break;
	if (i < nr_chunks) {
		chunks[i].state = CHUNK_OWNED;
		WRITE_ONCE(chunks[i].owner, cpu);
		nr_free--;
	}
	spin_unlock_irqrestore(&chunks_lock, flags);
	if (i == nr_chunks)
		return -ENOSPC;
	c->exec = chunk_exec(i);
	c->write = chunk_write(i);
	c->size = KCAGE_CHUNK_SIZE;
	c->used = 0;
	return 0;
}

/* Every online CPU starts with a chunk; the others take one when they need it. */
static void deal_chunks(void)
{
	unsigned int i;
	int cpu;

	/* at init, or in KUnit's suite_init: nothing translates yet */
	for (i = 0; i < KCAGE_NR_CHUNKS; i++)
		chunks[i] = (struct kcage_chunk){ .state = CHUNK_FREE, .owner = -1 };
	nr_free = nr_chunks;
	nr_free_after_flush = nr_chunks;
	stub_cache.size = stub_cache.used = 0;
	for_each_possible_cpu(cpu) {
		struct kcage_cpu_cache *c = per_cpu_ptr(&cpu_cache, cpu);

		c->cpu = cpu;
		c->size = c->used = 0;
		if (cpu_online(cpu))
			take_chunk(c, cpu);
	}
}

/*
 * kcage's KUnit suites run at MODULE_STATE_COMING, before the module's
 * parameters are parsed and before kcage_init(), and set the cache up
 * themselves (see cache_test.c).  kcage_init() calls this again, when
 * nothing runs from the cache, to start over with cache_kib applied.
 */
int kcage_cache_init(void)
{
	unsigned int least = 2 * num_possible_cpus() + 2;

	BUILD_BUG_ON(KCAGE_CACHE_SIZE % KCAGE_CHUNK_SIZE);
	BUILD_BUG_ON(KCAGE_CHUNK_SIZE % PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct kcage_block_hdr) != KCAGE_BLOCK_HDR_SIZE);
	BUILD_BUG_ON(KC_BLOCK_MAX_EXITS > 3);	/* nr_exits : 2 */
	if (WARN_ON_ONCE(kcage_cache_area_end - kcage_cache_area != KCAGE_CACHE_SIZE ||
			 !PAGE_ALIGNED(kcage_cache_area)))
		return -EINVAL;
	nr_chunks = clamp_t(unsigned int, (cache_kib << 10) / KCAGE_CHUNK_SIZE,
			    min_t(unsigned int, least, KCAGE_NR_CHUNKS),
			    KCAGE_NR_CHUNKS);
	if (!cache_alias)
		cache_alias = map_alias();
	if (!cache_alias)
		return -ENOMEM;
	deal_chunks();
	pr_info("code cache %u KiB at %px, %u chunks of %d KiB\n",
		nr_chunks * (KCAGE_CHUNK_SIZE >> 10), kcage_cache_area,
		nr_chunks, KCAGE_CHUNK_SIZE >> 10);
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

/*
 * An emitter over the unused rest of @c's chunk, past room for the block's
 * header: writes via the alias.  Call with interrupts off on @c's CPU.  If
 * the chunk has no room for a whole block, @c moves to a fresh chunk
 * first; if none is left, the emitter is as small as what remains and
 * building into it fails with -ENOSPC.
 */
void kcage_cache_emitter(struct kcage_cpu_cache *c, struct kc_emitter *e)
{
	if (c->size - c->used < KCAGE_BLOCK_ROOM)
		take_chunk(c, c->cpu);
	e->buf = c->write + c->used + KCAGE_BLOCK_HDR_SIZE;
	e->base = (u64)(unsigned long)(c->exec + c->used + KCAGE_BLOCK_HDR_SIZE);
	e->cap = c->size - min(c->size, c->used + KCAGE_BLOCK_HDR_SIZE);
	e->pos = 0;
}

/*
 * Keep what @e emitted (call only after the block was built completely),
 * described by @hdr (NULL: code without exits).
 */
void kcage_cache_commit(struct kcage_cpu_cache *c, const struct kc_emitter *e,
			const struct kcage_block_hdr *hdr)
{
	struct kcage_block_hdr *h = (void *)(c->write + c->used);
	unsigned int i;

	if (hdr)
		*h = *hdr;
	else
		memset(h, 0, sizeof(*h));
	h->magic = KCAGE_HDR_MAGIC;
	h->len = e->pos;
	if (h->pinned) {
		i = (c->exec - kcage_cache_area) / KCAGE_CHUNK_SIZE;
		chunks[i].pinned = true;	/* only this CPU writes an OWNED chunk */
	}
	c->used += block_span(e->pos);
	if (c->used > c->size)
		c->used = c->size;
	/* end the chunk's list of blocks here, whatever was there before */
	if (c->used + KCAGE_BLOCK_HDR_SIZE <= c->size)
		((struct kcage_block_hdr *)(c->write + c->used))->magic = 0;
}

bool kcage_cache_contains(unsigned long addr)
{
	return addr >= (unsigned long)kcage_cache_area &&
	       addr < (unsigned long)kcage_cache_area_end;
}

/*
 * The chunk holding @addr, or -1 if @addr is not in the part of the cache
 * in use (cache_kib= may use less than the area; a stale stack word from
 * an earlier load with a bigger cache may point past it).
 */
int kcage_cache_chunk(unsigned long addr)
{
	unsigned long i;

	if (!kcage_cache_contains(addr))
		return -1;
	i = (addr - (unsigned long)kcage_cache_area) / KCAGE_CHUNK_SIZE;
	return i < nr_chunks ? i : -1;
}

/*
 * The committed block of chunk @i at offset *@pos, or NULL past the last
 * one; *@block is set to where its code executes, *@pos moves past it.
 */
static const struct kcage_block_hdr *next_block(unsigned int i, size_t *pos,
						unsigned long *block)
{
	const struct kcage_block_hdr *h;

	if (*pos + KCAGE_BLOCK_HDR_SIZE > KCAGE_CHUNK_SIZE)
		return NULL;
	h = (const void *)(chunk_write(i) + *pos);
	if (READ_ONCE(h->magic) != KCAGE_HDR_MAGIC)
		return NULL;
	*block = (unsigned long)chunk_exec(i) + *pos + KCAGE_BLOCK_HDR_SIZE;
	*pos += block_span(h->len);
	return h;
}

/*
 * The native address of the instruction at @addr in the cache: exact in
 * the copied part of a block; in the code that replaces the block's last
 * instruction, that instruction, or, from the return address of a call
 * onwards, the native return address (so a return address on a stack maps
 * to the native one); 0 if no block holds @addr.  Walks the chunk's
 * blocks: for faults and stack traces, not for the fast path.
 */
unsigned long kcage_cache_native(unsigned long addr)
{
	int i = kcage_cache_chunk(addr);
	const struct kcage_block_hdr *h;
	unsigned long block, native;
	size_t pos = 0, off;

	if (i < 0)
		return 0;
	while ((h = next_block(i, &pos, &block))) {
		if (addr < block || addr >= block + h->len)
			continue;
		native = (unsigned long)(long)h->native;
		off = addr - block;
		if (off < h->pro_len)	/* checks of the first instruction */
			return native;
		off -= h->pro_len;
		if (off < h->native_len)
			return native + off;
		/* the rewritten last instruction, its exits and their stubs */
		native += h->native_len;
		if (h->ret_tail && off >= h->native_len + h->ret_tail)
			native += h->last_len;	/* where the call returns */
		return native;
	}
	return 0;
}

/*
 * The native address of the block that starts at @block in the cache,
 * read from its header just before it, or 0 if no block starts there.
 * For the translations the gate enters (kept in gate records), whose
 * native function grants name: no walk.
 */
unsigned long kcage_cache_block_native(unsigned long block)
{
	unsigned long at = block - KCAGE_BLOCK_HDR_SIZE;
	const struct kcage_block_hdr *h;
	int i = kcage_cache_chunk(at);

	if (i < 0 || kcage_cache_chunk(block) != i)
		return 0;
	h = kcage_cache_alias(at);
	if (READ_ONCE(h->magic) != KCAGE_HDR_MAGIC)
		return 0;
	return (unsigned long)(long)h->native;
}

/* The CPU whose chunk holds @addr and may link its exits, or -1. */
int kcage_cache_owner(unsigned long addr)
{
	int i = kcage_cache_chunk(addr);

	return i < 0 ? -1 : READ_ONCE(chunks[i].owner);
}

/* The writable alias of @addr (in the cache). */
void *kcage_cache_alias(unsigned long addr)
{
	return cache_alias + (addr - (unsigned long)kcage_cache_area);
}

/* Chunks not free, of how many usable. */
unsigned int kcage_cache_chunks(unsigned int *total)
{
	*total = nr_chunks;
	return nr_chunks - READ_ONCE(nr_free);
}

/*
 * Few chunks left, and fewer than the last flush left: time to ask for a
 * flush.  (If the last flush could not free more, another would not.)
 */
bool kcage_cache_low(void)
{
	unsigned int free = READ_ONCE(nr_free);

	return free < max(4u, nr_chunks / 4) &&
	       free < READ_ONCE(nr_free_after_flush);
}

/* An emitter for an entry stub; process context.  Pair with ..._commit. */
void kcage_cache_stub_emitter(struct kc_emitter *e)
{
	mutex_lock(&stub_lock);
	kcage_cache_emitter(&stub_cache, e);
}

/* Keep the stub @e emitted if @keep, and let the next one be emitted. */
void kcage_cache_stub_commit(const struct kc_emitter *e, bool keep,
			     unsigned long native)
{
	/* a stub maps back to the function it enters, for stack traces */
	const struct kcage_block_hdr pinned = { .pinned = 1, .native = (s32)native };

	lockdep_assert_held(&stub_lock);
	if (keep)
		kcage_cache_commit(&stub_cache, e, &pinned);
	mutex_unlock(&stub_lock);
}

/* Point every exit of the blocks in chunk @i that goes into a freed chunk back at its stub. */
static void unlink_dead_exits(unsigned int i)
{
	const struct kcage_block_hdr *h;
	unsigned long block;
	size_t pos = 0;
	unsigned int x;

	lockdep_assert_held(&chunks_lock);
	while ((h = next_block(i, &pos, &block))) {
		for (x = 0; x < h->nr_exits && x < KC_BLOCK_MAX_EXITS; x++) {
			unsigned long rel32 = block + h->rel_off[x];
			s32 *w = kcage_cache_alias(rel32);
			int to = kcage_cache_chunk(rel32 + 4 + *w);

			if (to >= 0 && chunks[to].state == CHUNK_FREE)
				*w = (s32)(block + h->stub_off[x] - (rel32 + 4));
		}
	}
}

/*
 * No sandbox is left: entry stubs are unreachable, so their chunks need
 * not stay.  Called with every other CPU stopped.
 */
void kcage_cache_unpin_all(void)
{
	unsigned int i;

	lockdep_assert_irqs_disabled();	/* in stop_machine() */
	for (i = 0; i < nr_chunks; i++)
		chunks[i].pinned = false;
	stub_cache.size = stub_cache.used = 0;
}

/**
 * kcage_cache_flush - free the chunks nothing refers to
 * @live: bitmap of chunks some stack refers to
 *
 * Called with every other CPU stopped, after every CPU's map and lookup
 * table were emptied.  Every CPU starts over in a fresh chunk.
 *
 * Return: the number of chunks freed.
 */
unsigned int kcage_cache_flush(const unsigned long *live)
{
	unsigned int i, freed = 0;
	int cpu;

	lockdep_assert_irqs_disabled();	/* in stop_machine() */
	spin_lock(&chunks_lock);
	for (i = 0; i < nr_chunks; i++) {
		struct kcage_chunk *ch = &chunks[i];

		if (ch->state == CHUNK_FREE)
			continue;
		ch->owner = -1;
		if (test_bit(i, live) || ch->pinned) {
			ch->state = CHUNK_RETIRED;
			continue;
		}
		ch->state = CHUNK_FREE;
		freed++;
	}
	nr_free += freed;
	/* what will be free once the online CPUs have each taken a chunk */
	nr_free_after_flush = nr_free - min(nr_free, num_online_cpus());
	for (i = 0; i < nr_chunks; i++)
		if (chunks[i].state == CHUNK_RETIRED)
			unlink_dead_exits(i);
	spin_unlock(&chunks_lock);
	for_each_possible_cpu(cpu) {
		struct kcage_cpu_cache *c = per_cpu_ptr(&cpu_cache, cpu);

		c->size = c->used = 0;	/* takes a chunk when it next translates */
	}
	return freed;
}

unsigned int kcage_cache_nr_chunks(void)
{
	return nr_chunks;
}
