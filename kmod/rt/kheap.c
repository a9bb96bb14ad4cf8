// SPDX-License-Identifier: GPL-2.0
/*
 * The "kernel_heap" builtin region (policy memory.builtin): the kernel's
 * dynamically allocated objects, for drivers such as filesystems that
 * legitimately write objects the kernel hands them (inodes, buffer
 * heads, page-cache pages, superblocks) and that no per-object grant can
 * name.
 *
 * Writable under kernel_heap: bytes of one allocated page (or compound
 * page) of the direct map that is
 *  - a slab page, unless its cache holds credentials or tasks (the
 *    caches an attacker goes for: cred_jar, task_struct_cachep), the
 *    caches' own descriptors (kmem_cache, kmem_cache_node), or is one of
 *    kcage's own (own.c); or
 *  - any other page that is neither reserved (the kernel image, firmware
 *    areas, kcage's own pages: PageReserved), a page table, free
 *    (PageBuddy), nor the bottom page of a task's stack holding kcage's
 *    zone (zone_page()), nor a page of the current task's stack
 *    (current_stack_page());
 *  - the struct page of such a page (outside slab), whose flags
 *    filesystems and block drivers set inline;
 *  - per-CPU data from alloc_percpu(), through %gs or per_cpu_ptr(): the
 *    dynamic part of the first chunk, and the chunks made later in
 *    vmalloc space, but not kcage's own (own.c).
 *
 * Not writable: the kernel's and other modules' images (text, data,
 * .bss, read-only-after-init), vmalloc and module space, page tables,
 * free pages, struct cred / task_struct objects, and kcage's own state.
 * SECURITY.md says what this does not protect (every other heap object).
 *
 * A slab page's cache is read from its struct slab, which 6.1 keeps in
 * mm/slab.h, out of the headers modules see: kcage_kheap_init() checks
 * the field's offset on a cache of its own before anything relies on it,
 * and if the layout differs kernel_heap is unavailable and policies that
 * name it are refused.
 */
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task_stack.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>
#include "kheap.h"
#include "own.h"
#include "symbols.h"
#include "zone.h"

/*
 * struct slab (SLUB, 6.1): __page_flags, then a union of two words
 * (slab_list, rcu_head, {next, slabs}), then slab_cache.
 */
#define SLAB_CACHE_OFFSET	(3 * sizeof(unsigned long))

static bool kheap_ok;
/*
 * The dynamic part of each CPU's unit in the first per-CPU chunk, as
 * offsets from the CPU's per_cpu_offset(): empty (0, 0) if unknown.
 */
static unsigned long pcpu_dyn_lo, pcpu_dyn_hi;
/*
 * Caches whose objects stay out: credentials and tasks, and the caches'
 * own descriptors (struct kmem_cache, whose constructor the allocator
 * calls, and their per-node lists).  kcage's own caches (own.c) too.
 */
static struct kmem_cache *denied[4];
static const char *const denied_names[] = {
	"cred_jar", "task_struct_cachep", "kmem_cache", "kmem_cache_node",
};

static struct kmem_cache *slab_cache_of(struct page *head)
{
	return *(struct kmem_cache **)((char *)head + SLAB_CACHE_OFFSET);
}

/* Does reading a slab page's cache work on this kernel?  One probe object. */
static bool layout_matches(void)
{
	struct kmem_cache *probe = kmem_cache_create("kcage_kheap_probe", 64, 0, 0, NULL);
	bool ok = false;
	void *obj;

	if (!probe)
		return false;
	obj = kmem_cache_alloc(probe, GFP_KERNEL);
	if (obj) {
		struct page *head = virt_to_head_page(obj);

		ok = PageSlab(head) && slab_cache_of(head) == probe;
		kmem_cache_free(probe, obj);
	}
	kmem_cache_destroy(probe);
	return ok;
}

/*
 * The per-CPU allocator's chunks.  In the first one, per CPU a unit holds
 * the kernel's static per-CPU variables (from offset 0 to __per_cpu_end
 * on x86-64), the modules' (PERCPU_MODULE_RESERVE), then what
 * alloc_percpu() hands out at run time: only that last part is the
 * kernel's heap.  The unit's rest, to its end, went back to the page
 * allocator at boot (percpu_dyn_end()).  Once it is full, alloc_percpu() makes
 * chunks in vmalloc space, all heap, whose pages point back at their
 * chunk (page->index, mm/percpu-vm.c); struct pcpu_chunk is private to
 * mm/, so percpu_chunks_init() finds its base_addr field on the first
 * chunk, and without it only the first chunk is recognized.
 */
static unsigned long unit_size, first_chunk, reserved_chunk;
static const unsigned long *unit_offsets;
static unsigned int chunk_base_offset;	/* of base_addr; 0: unknown */

static void percpu_chunks_init(void)
{
	unsigned long *first = (unsigned long *)kcage_symbol_lookup("pcpu_first_chunk");
	unsigned long *base = (unsigned long *)kcage_symbol_lookup("pcpu_base_addr");
	unsigned long *offsets = (unsigned long *)kcage_symbol_lookup("pcpu_unit_offsets");
	unsigned long *reserved = (unsigned long *)kcage_symbol_lookup("pcpu_reserved_chunk");
	unsigned long want;
	unsigned int off;

	if (!first || !base || !offsets || !reserved || !*first || !pcpu_dyn_lo)
		return;
	/* the first chunk's base: its dynamic part's start, page-aligned */
	want = (*base + pcpu_dyn_lo) & PAGE_MASK;
	for (off = 8; off < 128; off += 8) {
		if (*(unsigned long *)(*first + off) == want) {
			first_chunk = *first;
			reserved_chunk = *reserved;
			unit_offsets = (const unsigned long *)*offsets;
			chunk_base_offset = off;
			return;
		}
	}
}

/*
 * Where the first chunk's dynamic part ends in every CPU's unit: at the
 * first page from @lo up that is not the chunk's.  The chunk is boot
 * memory (memblock), whose pages stay PageReserved; the unit's tail past
 * static, reserved and dynamic sizes is handed back to the page allocator
 * at boot (pcpu_embed_first_chunk()) and holds whatever it gives out
 * since: slab pages of any cache, task stacks, page tables.  A unit not
 * in the direct map (percpu_alloc=page) ends at @lo: nothing is allowed.
 */
static unsigned long percpu_dyn_end(unsigned long lo, unsigned long unit)
{
	unsigned long end = unit, off;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		for (off = lo & PAGE_MASK; off < end; off += PAGE_SIZE) {
			void *p = (void *)(per_cpu_offset(cpu) + off);

			if (!virt_addr_valid(p) || !PageReserved(virt_to_page(p)))
				break;
		}
		end = max(off, lo);
	}
	return end;
}

static void percpu_init(void)
{
	unsigned long end = kcage_symbol_lookup("__per_cpu_end");
	unsigned long unit = kcage_symbol_lookup("pcpu_unit_size");

	if (!end || !unit)
		return;
	unit_size = *(int *)unit;
	pcpu_dyn_lo = end + PERCPU_MODULE_RESERVE;
	if (pcpu_dyn_lo >= unit_size) {
		pcpu_dyn_lo = pcpu_dyn_hi = 0;
		return;
	}
	pcpu_dyn_hi = percpu_dyn_end(pcpu_dyn_lo, unit_size);
	percpu_chunks_init();
}

/*
 * [@a, @end) in the per-CPU data at @base (a CPU's offset), inside [@plo,
 * @phi), which the same decision would cover: not kcage's own per-CPU
 * data (own.c).  *@lo, *@hi: that extent, or nothing (@a, @a) when
 * kcage's data shares the page, so that the page is not remembered as
 * writable (okpage.c).
 */
static bool percpu_range_allowed(unsigned long a, unsigned long end,
				 unsigned long base, unsigned long plo,
				 unsigned long phi, unsigned long *lo,
				 unsigned long *hi)
{
	unsigned long page = a & PAGE_MASK;

	if (kcage_own_percpu_overlaps(a - base, end - base))
		return false;
	*lo = plo;
	*hi = phi;
	if (kcage_own_percpu_overlaps(page - base, page + PAGE_SIZE - base))
		*lo = *hi = a;
	return true;
}

/*
 * [@a, @end) inside one CPU's unit of a per-CPU chunk made in vmalloc
 * space; *@lo, *@hi: the page of it.  Any context: the page tables and
 * the chunk are read without locks, the chunk pointer (which any vmalloc
 * page has a value in) through a read that may fail.
 */
static bool percpu_vmalloc_allowed(unsigned long a, unsigned long end,
				   unsigned long *lo, unsigned long *hi)
{
	unsigned long chunk, base, unit;
	unsigned int cpu, level;
	struct page *page;
	pte_t *pte;

	if (!chunk_base_offset || !is_vmalloc_addr((void *)a) ||
	    (a & PAGE_MASK) != ((end - 1) & PAGE_MASK))
		return false;
	/*
	 * Chunks map 4 KiB pages of memory; not huge mappings, nor
	 * ioremap()ed device memory, which has no struct page.
	 */
	pte = lookup_address(a, &level);
	if (!pte || level != PG_LEVEL_4K || !pte_present(*pte) ||
	    !pfn_valid(pte_pfn(*pte)))
		return false;
	page = pfn_to_page(pte_pfn(*pte));
	/*
	 * kcage's own vmalloc()ed pages are reserved (own.c): their index
	 * may be anything a page's earlier owner left there.
	 */
	if (PageReserved(page))
		return false;
	chunk = page->index;
	if (!chunk || chunk == first_chunk || chunk == reserved_chunk ||
	    copy_from_kernel_nofault(&base, (void *)(chunk + chunk_base_offset),
				     sizeof(base)))
		return false;
	for_each_possible_cpu(cpu) {
		unit = base + unit_offsets[cpu];
		if (a >= unit && end <= unit + unit_size)
			return percpu_range_allowed(a, end, per_cpu_offset(cpu),
						    a & PAGE_MASK,
						    (a & PAGE_MASK) + PAGE_SIZE, lo, hi);
	}
	return false;
}

/* Process context, at load. */
void kcage_kheap_init(void)
{
	unsigned int i;

	if (!IS_ENABLED(CONFIG_SLUB) || !layout_matches()) {
		pr_warn("cannot tell slab caches apart on this kernel: the kernel_heap region is unavailable\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(denied_names); i++) {
		unsigned long a = kcage_symbol_lookup(denied_names[i]);

		if (!a) {
			pr_warn("no symbol %s: the kernel_heap region is unavailable\n",
				denied_names[i]);
			return;
		}
		denied[i] = *(struct kmem_cache **)a;
	}
	percpu_init();
	if (!chunk_base_offset)
		pr_warn("cannot find per-CPU chunks on this kernel: kernel_heap covers the first one only\n");
	kheap_ok = true;
}

/**
 * kcage_kheap_percpu_allows - may a kernel_heap policy write %gs:[@off, @end)?
 * @off: first per-CPU offset
 * @end: past the last
 *
 * Per-CPU data alloc_percpu() handed out (counters, per-CPU semaphores'
 * read counts, per-CPU lists of kernel objects).
 */
bool kcage_kheap_percpu_allows(unsigned long off, unsigned long end)
{
	unsigned long base = raw_cpu_read(this_cpu_off), lo, hi;

	if (!kheap_ok || end <= off || kcage_own_percpu_overlaps(off, end))
		return false;
	if (off >= pcpu_dyn_lo && end <= pcpu_dyn_hi)
		return true;
	/* any CPU's offset would do: each unit of a chunk is in the chunk */
	return percpu_vmalloc_allowed(base + off, base + end, &lo, &hi);
}

/*
 * [@a, @end) in some CPU's view of the first chunk's dynamic part.  Two
 * compares a CPU: every store the inline tests miss (into slab objects,
 * mostly) comes here first.  Chunks in vmalloc space are
 * percpu_vmalloc_allowed()'s.
 */
static bool percpu_ptr_allowed(unsigned long a, unsigned long end,
			       unsigned long *lo, unsigned long *hi)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		unsigned long base = per_cpu_offset(cpu);

		if (a >= base + pcpu_dyn_lo && end <= base + pcpu_dyn_hi)
			return percpu_range_allowed(a, end, base, base + pcpu_dyn_lo,
						    base + pcpu_dyn_hi, lo, hi);
	}
	return false;
}

/* Can policies use kernel_heap? */
bool kcage_kheap_available(void)
{
	return kheap_ok;
}

static bool cache_allowed(const struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(denied); i++)
		if (s == denied[i])
			return false;
	return !kcage_own_slab(s);
}

/*
 * Is @page the bottom page of a task's kernel stack whose zone (zone.h:
 * shadow stack, gate records, grant cache) a gate initialised?  The
 * zone's magic is its own (vmalloc) address xor'ed with a secret; the
 * page is that stack's if the address it gives maps @page.  A module that
 * plants such a magic in a page of its own only gets its own stores
 * refused; it cannot remove the magic of a real zone without writing the
 * page, which this refuses.  A page that cannot be read is refused too.
 */
static bool zone_page(struct page *page)
{
	unsigned long magic, base, direct = (unsigned long)page_address(page);
	unsigned int level;
	pte_t *pte;

	if (copy_from_kernel_nofault(&magic, (void *)(direct + KCAGE_SS_MAGIC),
				     sizeof(magic)))
		return true;
	base = (magic ^ kcage_zone_secret) - KCAGE_SS_ZONE;
	if (base & (THREAD_SIZE - 1))
		return false;
	if (base == direct)	/* a stack in the direct map (no VMAP_STACK) */
		return true;
	if (!is_vmalloc_addr((void *)base))
		return false;
	pte = lookup_address(base, &level);
	return pte && level == PG_LEVEL_4K && pte_present(*pte) &&
	       pte_pfn(*pte) == page_to_pfn(page);
}

/*
 * Is @page one of the current task's stack pages (seen through any
 * mapping: its own, or the direct map's alias of a virtually mapped
 * one)?  What of them is the module's is its own frames, below the
 * ceiling (zone.h, enforce/access.c); the rest is the frames of the
 * kernel code that called it, nobody's heap.
 */
static bool current_stack_page(const struct page *page)
{
	const struct vm_struct *vm = task_stack_vm_area(current);
	const struct page *first;
	unsigned int i;

	if (!vm) {
		first = virt_to_page(task_stack_page(current));
		return page >= first && page < first + THREAD_SIZE / PAGE_SIZE;
	}
	for (i = 0; i < vm->nr_pages; i++)
		if (vm->pages[i] == page)
			return true;
	return false;
}

/*
 * Pages outside slab: not the kernel image or firmware (reserved), not a
 * page table, not the first page of a free block, not the current task's
 * stack.  (The other pages of a
 * free block look like the tail pages of a high-order allocation without
 * __GFP_COMP, which blk-mq makes, and cannot be told apart cheaply.)
 */
static bool plain_page_allowed(struct page *page, struct page *head)
{
	return !PageReserved(head) && !PageReserved(page) && !PageTable(page) &&
	       !PageBuddy(head) && !current_stack_page(page) &&
	       (PageCompound(page) || !zone_page(page));
}

static bool page_allowed(struct page *page, struct page *head)
{
	if (PageSlab(head))
		return cache_allowed(slab_cache_of(head));
	return plain_page_allowed(page, head);
}

/*
 * [@a, @end) inside one struct page of the vmemmap: the flags, mapping
 * and counts of a page that filesystems and block drivers update inline
 * (SetPageUptodate(), lock_page()'s fast path).  Allowed for the pages
 * kernel_heap allows outside slab; a slab page's struct page is its
 * allocator's metadata (struct slab) and stays out.
 */
static bool struct_page_allowed(unsigned long a, unsigned long end,
				unsigned long *lo, unsigned long *hi)
{
	unsigned long base = (unsigned long)vmemmap, idx;
	struct page *page;

	if (a < base)
		return false;
	idx = (a - base) / sizeof(struct page);
	if (!pfn_valid(idx))
		return false;
	page = pfn_to_page(idx);
	*lo = (unsigned long)page;
	*hi = *lo + sizeof(struct page);
	if (end > *hi)
		return false;
	return !PageSlab(compound_head(page)) && plain_page_allowed(page, compound_head(page));
}

/*
 * [@a, @end) spans plain pages, each allowed: a high-order allocation
 * without __GFP_COMP (raid6_pq's test pages) is such a run of order-0
 * pages, which a rep stos fills at once.  Up to MAX_PLAIN_RUN pages.
 */
#define MAX_PLAIN_RUN	256

static bool plain_pages_allowed(unsigned long a, unsigned long end,
				unsigned long *lo, unsigned long *hi)
{
	unsigned long p;

	if (end - a > MAX_PLAIN_RUN * PAGE_SIZE)
		return false;
	for (p = a & PAGE_MASK; p < end; p += PAGE_SIZE) {
		struct page *page = virt_to_page((void *)p);

		if (!virt_addr_valid((void *)p) || PageSlab(page) || PageCompound(page) ||
		    !page_allowed(page, page))
			return false;
	}
	*lo = a & PAGE_MASK;
	*hi = PAGE_ALIGN(end);
	return true;
}

/**
 * kcage_kheap_allows - may a kernel_heap policy write [@a, @end)?
 * @a:   first byte
 * @end: past the last byte
 * @lo:  set, if so, to the start of the page (or compound page) holding
 *       it, which the same decision covers
 * @hi:  set likewise to its end
 *
 * Any context: reads page flags, takes no lock.
 */
bool kcage_kheap_allows(unsigned long a, unsigned long end, unsigned long *lo,
			unsigned long *hi)
{
	struct page *page, *head;
	unsigned long start;

	if (!kheap_ok || end <= a)
		return false;
	if (percpu_ptr_allowed(a, end, lo, hi) || percpu_vmalloc_allowed(a, end, lo, hi))
		return true;
	if (!virt_addr_valid((void *)a) || !virt_addr_valid((void *)(end - 1)))
		return struct_page_allowed(a, end, lo, hi);
	page = virt_to_page((void *)a);
	head = compound_head(page);
	start = (unsigned long)page_address(head);
	if (end > start + page_size(head))
		return plain_pages_allowed(a, end, lo, hi);
	if (!page_allowed(page, head))
		return false;
	*lo = PageSlab(head) || PageCompound(head) ? start : a & PAGE_MASK;
	*hi = PageSlab(head) || PageCompound(head) ? start + page_size(head) :
						     (a & PAGE_MASK) + PAGE_SIZE;
	return true;
}
