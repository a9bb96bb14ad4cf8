// SPDX-License-Identifier: GPL-2.0
/*
 * kcage's own memory: where kcage keeps its state (sandbox records,
 * policies, heap records, translation maps, lookup tables, per-CPU
 * state), in memory the access checks can tell apart from the kernel's
 * heap, so that no sandboxed module can write it, whatever its policy
 * (kernel_heap included: kheap.c refuses all of it).
 *
 *  - Objects up to 8 KiB come from kcage's own slab caches, one per size
 *    class.  Each has a constructor, which keeps SLUB from merging it
 *    with a kernel cache of the same size: a page of such a cache holds
 *    only kcage's objects, and its struct slab names the cache, which
 *    kheap.c refuses (kcage_own_slab()).
 *  - Larger ones are vmalloc()ed and their pages marked PG_reserved: the
 *    kernel_heap decision refuses reserved pages, through the direct map
 *    and through their struct page alike (so the struct page cannot be
 *    rewritten to make them look like something else), and nothing but
 *    kcage maps them elsewhere.  The marks are cleared before the pages
 *    are freed (the page allocator refuses reserved pages).
 *  - kcage's own image (text, the code cache inside it, data, .bss) gets
 *    the same marks at init: its pages are plain vmalloc pages, whose
 *    direct-map aliases would otherwise count as heap.
 *  - Dynamic per-CPU data (alloc_percpu()) is allocated here and its
 *    range remembered: kheap.c refuses those offsets, through %gs and
 *    through per_cpu_ptr().  kcage's static per-CPU variables are in the
 *    first chunk's reserved part, which kernel_heap never allows.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "rt/heap.h"
#include "rt/own.h"

#define NR_CLASSES	8	/* 64 bytes .. 8 KiB */
#define MIN_SHIFT	6

static struct kmem_cache *classes[NR_CLASSES];
static DEFINE_MUTEX(own_lock);

/* A vmalloc()ed allocation: its size, to unmark its pages when freed. */
struct own_big {
	struct list_head node;
	const void *p;
	size_t size;
};

/* Under own_lock. */
static LIST_HEAD(bigs);
static const char *const class_names[NR_CLASSES] = {
	"kcage_own_64", "kcage_own_128", "kcage_own_256", "kcage_own_512",
	"kcage_own_1k", "kcage_own_2k", "kcage_own_4k", "kcage_own_8k",
};

/* Only there to keep SLUB from merging the cache with another. */
static void no_ctor(void *obj)
{
}

static int class_of(size_t size)
{
	int c;

	for (c = 0; c < NR_CLASSES; c++)
		if (size <= (1ul << (MIN_SHIFT + c)))
			return c;
	return -1;
}

/**
 * kcage_own_slab - is @s one of kcage's own slab caches?
 * @s: the cache a slab page belongs to
 *
 * Any context.
 */
bool kcage_own_slab(const struct kmem_cache *s)
{
	int c;

	for (c = 0; c < NR_CLASSES; c++)
		if (s && s == READ_ONCE(classes[c]))
			return true;
	return false;
}

/*
 * Mark or unmark the pages of vmalloc memory at @a; when marking, also
 * end any module's ownership of their direct-map bytes (heap.c).
 */
static void mark_reserved(const void *a, size_t size, bool reserve)
{
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		struct page *page = vmalloc_to_page(a + off);
		unsigned long direct;

		if (!page)
			continue;
		if (!reserve) {
			ClearPageReserved(page);
			continue;
		}
		SetPageReserved(page);
		direct = (unsigned long)page_address(page);
		kcage_heap_drop(direct, direct + PAGE_SIZE);
	}
}

/**
 * kcage_own_zalloc - zeroed memory for kcage's own state
 * @size: bytes
 * @gfp:  allocation flags; above 8 KiB only GFP_KERNEL works
 *
 * Return: the memory, or NULL.  Free it with kcage_own_free().
 */
void *kcage_own_zalloc(size_t size, gfp_t gfp)
{
	int c = class_of(size);
	struct own_big *big;
	void *p;

	if (c >= 0) {
		p = kmem_cache_alloc(classes[c], gfp & ~__GFP_ZERO);
		if (p) {
			memset(p, 0, size);
			/* its slab page may have held an object a module owned */
			kcage_heap_drop((unsigned long)p,
					(unsigned long)p + (1ul << (MIN_SHIFT + c)));
		}
		return p;
	}
	if ((gfp & GFP_KERNEL) != GFP_KERNEL)
		return NULL;
	big = kmem_cache_alloc(classes[class_of(sizeof(*big))], GFP_KERNEL);
	p = big ? vzalloc(size) : NULL;
	if (!p) {
		kfree(big);
		return NULL;
	}
	mark_reserved(p, size, true);
	big->p = p;
	big->size = size;
	mutex_lock(&own_lock);
	list_add(&big->node, &bigs);
	mutex_unlock(&own_lock);
	return p;
}

/**
 * kcage_own_free - free what kcage_own_zalloc() gave
 * @p: the memory, or NULL
 *
 * Process context above 8 KiB (vmalloc memory); any context for the rest.
 */
void kcage_own_free(const void *p)
{
	struct own_big *big;

	if (!p)
		return;
	if (!is_vmalloc_addr(p)) {
		kfree(p);
		return;
	}
	mutex_lock(&own_lock);
	list_for_each_entry(big, &bigs, node) {
		if (big->p == p) {
			list_del(&big->node);
			mutex_unlock(&own_lock);
			mark_reserved(p, big->size, false);
			vfree(p);
			kfree(big);
			return;
		}
	}
	mutex_unlock(&own_lock);
	/* not ours: leaking it beats freeing pages that may be marked reserved */
	pr_err_once("freeing memory that is not kcage's own: leaked\n");
}

/**
 * kcage_own_alloc_pages - 2^@order zeroed pages of the direct map for
 * kcage's own state, where vmalloc memory does not do: a KASAN kernel
 * without KASAN_VMALLOC maps vmalloc's shadow read-only, so a stack there
 * faults at its first instrumented frame (kstack.c)
 * @order: the allocation order
 *
 * Process context.  The pages are marked reserved, as vmalloc()ed
 * ones (see above).  Return: their address, or NULL.
 */
void *kcage_own_alloc_pages(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	unsigned long a, i;

	if (!page)
		return NULL;
	a = (unsigned long)page_address(page);
	for (i = 0; i < (1ul << order); i++)
		SetPageReserved(page + i);
	kcage_heap_drop(a, a + (PAGE_SIZE << order));
	return (void *)a;
}

/* Free what kcage_own_alloc_pages(@order) gave (@p may be NULL). */
void kcage_own_free_pages(void *p, unsigned int order)
{
	struct page *page;
	unsigned long i;

	if (!p)
		return;
	page = virt_to_page(p);
	for (i = 0; i < (1ul << order); i++)
		ClearPageReserved(page + i);
	__free_pages(page, order);
}

/*
 * kcage's dynamic per-CPU allocations: [start, end) as per-CPU offsets.
 * Written under own_lock, read locklessly by kheap.c in any context: a
 * range is published only after its memory is allocated and removed
 * before it is freed.
 */
#define NR_PERCPU	512

static struct {
	unsigned long start;
	unsigned long end;
} pcpu[NR_PERCPU];
static unsigned int nr_pcpu;	/* high-water mark of pcpu */

/**
 * kcage_own_alloc_percpu - per-CPU memory for kcage's own state
 * @size:  bytes per CPU
 * @align: alignment
 *
 * Process context.  Return: the per-CPU pointer, or NULL (also when
 * there is no room to remember it: then it could not be protected).
 */
void __percpu *kcage_own_alloc_percpu(size_t size, size_t align)
{
	void __percpu *p = __alloc_percpu(size, align);
	unsigned int i;

	if (!p)
		return NULL;
	mutex_lock(&own_lock);
	for (i = 0; i < NR_PERCPU; i++) {
		if (pcpu[i].end)
			continue;
		WRITE_ONCE(pcpu[i].start, (unsigned long)p);
		smp_wmb();
		WRITE_ONCE(pcpu[i].end, (unsigned long)p + size);
		if (i >= nr_pcpu)
			WRITE_ONCE(nr_pcpu, i + 1);
		mutex_unlock(&own_lock);
		return p;
	}
	mutex_unlock(&own_lock);
	free_percpu(p);
	return NULL;
}

/**
 * kcage_own_free_percpu - free what kcage_own_alloc_percpu() gave
 * @p: the per-CPU pointer, or NULL
 *
 * Process context.
 */
void kcage_own_free_percpu(void __percpu *p)
{
	unsigned int i;

	if (!p)
		return;
	mutex_lock(&own_lock);
	for (i = 0; i < nr_pcpu; i++)
		if (pcpu[i].end && pcpu[i].start == (unsigned long)p) {
			WRITE_ONCE(pcpu[i].end, 0);
			WRITE_ONCE(pcpu[i].start, 0);
		}
	mutex_unlock(&own_lock);
	free_percpu(p);
}

/**
 * kcage_own_percpu_overlaps - do per-CPU offsets [@off, @end) touch
 * kcage's own per-CPU data?
 * @off: first offset (a __percpu pointer's value)
 * @end: past the last
 *
 * Any context.
 */
bool kcage_own_percpu_overlaps(unsigned long off, unsigned long end)
{
	unsigned int i, n = READ_ONCE(nr_pcpu);

	for (i = 0; i < n; i++) {
		unsigned long e = READ_ONCE(pcpu[i].end), s;

		smp_rmb();
		s = READ_ONCE(pcpu[i].start);
		if (e && off < e && s < end)
			return true;
	}
	return false;
}

static void mark_image(bool reserve)
{
	mark_reserved(THIS_MODULE->core_layout.base,
		      THIS_MODULE->core_layout.size, reserve);
}

/*
 * Process context, first thing at load; a second call does nothing (the
 * KUnit suites run before kcage_init() and set it up first).
 */
int kcage_own_init(void)
{
	int c;

	if (classes[NR_CLASSES - 1])
		return 0;
	for (c = 0; c < NR_CLASSES; c++) {
		classes[c] = kmem_cache_create(class_names[c], 1u << (MIN_SHIFT + c),
					       0, 0, no_ctor);
		if (!classes[c]) {
			kcage_own_exit();
			return -ENOMEM;
		}
	}
	mark_image(true);
	return 0;
}

/* Last thing at unload: the image's pages are about to be freed. */
void kcage_own_exit(void)
{
	int c;

	mark_image(false);
	/* heap records go through call_rcu() */
	rcu_barrier();
	for (c = 0; c < NR_CLASSES; c++) {
		kmem_cache_destroy(classes[c]);
		classes[c] = NULL;
	}
}
