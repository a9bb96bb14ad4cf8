// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of a sandboxed module's image that the kernel reads again
 * after load, and the rest of its writable data.
 *
 * loader.c checks the module's loader metadata once, before the kernel
 * applies it.  Several of those tables, and objects they point at, lie in
 * the module's writable data and the kernel keeps reading them while the
 * module lives: report_bug() finds and flags entries of __bug_table,
 * static_call_update() patches every site of .static_call_sites, the key
 * objects of jump labels and static calls chain the entries the kernel
 * patches, the tracepoints and trace events hold functions the tracing
 * core calls, and struct module itself (.gnu.linkonce.this_module) holds
 * mod->exit, the tables' addresses and the layout kcage's own checks read.
 * A store of the module's into any of them, after the check, would have
 * the kernel write or run whatever the module put there.
 *
 * So the module's "own data" for its stores is its data less all of
 * these (the metadata ranges): a store into them is refused first, before
 * any other rule (a region, kernel_heap through the direct-map alias of
 * the module's pages, a grant) could allow it.  Drivers never store there
 * themselves: the kernel does (jump label sorting, report_bug()'s once
 * flags), and the kernel's own stores are not checked.
 *
 * Collected once, when the module comes, before any of its code has run:
 * what the tables say then is what the kernel loaded and loader.c
 * checked.  The data's bounds are kept too, so that kcage never reads
 * them again from the struct module the module could have written.
 */
#include <linux/bug.h>
#include <linux/hash.h>
#include <linux/jump_label.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/static_call.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <asm/orc_types.h>
#include "rt/own.h"
#include "metadata.h"

struct md_range {
	unsigned long lo, hi;
};

/*
 * Every store the inline checks miss (mostly into kernel objects) asks
 * whether it touches the metadata, whose ranges and their direct-map
 * aliases are many for a module with many tracepoints (ext4: over a
 * thousand); the filter answers most of them in a few instructions.
 */
#define MD_FILTER_BITS		512
#define MD_FILTER_MAX_PAGES	16

/**
 * struct kcage_metadata - a module's metadata ranges and writable data
 * @data_lo:   its core image's writable data, first byte
 * @data_hi:   past its last byte
 * @fast:      the two largest pieces, largest first, for the inline
 *             checks (an empty piece is 0, 0)
 * @filter:    a bit for each page one of @ranges touches, hashed
 *             (filter_bit()): a page whose bit is clear holds none
 * @nr_ranges: entries in @ranges
 * @nr_pieces: entries in @pieces
 * @ranges:    the metadata ranges, in the module's image and through the
 *             direct map, sorted and merged
 * @pieces:    the data less @ranges, sorted
 * @r:         the room @ranges and @pieces lie in
 *
 * Written before the sandbox is published, then read without a lock.
 */
struct kcage_metadata {
	unsigned long data_lo, data_hi;
	struct md_range fast[2];
	unsigned long filter[BITS_TO_LONGS(MD_FILTER_BITS)];
	unsigned int nr_ranges, nr_pieces;
	struct md_range *ranges, *pieces;
	struct md_range r[];
};

static unsigned int filter_bit(unsigned long page)
{
	return hash_long(page >> PAGE_SHIFT, ilog2(MD_FILTER_BITS));
}

static void filter_fill(struct kcage_metadata *m)
{
	unsigned long p;
	unsigned int i;

	for (i = 0; i < m->nr_ranges; i++)
		for (p = m->ranges[i].lo & PAGE_MASK; p < m->ranges[i].hi; p += PAGE_SIZE)
			__set_bit(filter_bit(p), m->filter);
}

/* May [@a, @end) touch a range?  Never "no" for one that does. */
static bool filter_may_hit(const struct kcage_metadata *m, unsigned long a,
			   unsigned long end)
{
	unsigned long first = a >> PAGE_SHIFT, pages = ((end - 1) >> PAGE_SHIFT) - first + 1;
	unsigned long i;

	if (pages > MD_FILTER_MAX_PAGES)
		return true;
	for (i = 0; i < pages; i++)
		if (test_bit(filter_bit((first + i) << PAGE_SHIFT), m->filter))
			return true;
	return false;
}

/* While collecting: a first pass counts, the second fills. */
struct md_collect {
	const struct module *mod;
	struct md_range *r;
	unsigned int n;
};

static bool in_image(const struct module *mod, unsigned long a)
{
	return a - (unsigned long)mod->core_layout.base < mod->core_layout.size;
}

/*
 * [@p, @p + @size), if it is in the module's core image: the tables the
 * kernel keeps pointers to (a table in read-only data is added too; its
 * pages are read-only anyway).
 */
static void add(struct md_collect *c, const void *p, size_t size)
{
	unsigned long a = (unsigned long)p;

	if (!p || !size || !in_image(c->mod, a) || !in_image(c->mod, a + size - 1))
		return;
	if (c->r)
		c->r[c->n] = (struct md_range){ a, a + size };
	c->n++;
}

static void add_tables(struct md_collect *c)
{
	const struct module *mod = c->mod;
	unsigned int i;

	/* mod->exit, the tables' addresses, the layout and per-CPU bounds */
	add(c, mod, sizeof(*mod));
	add(c, mod->kp, mod->num_kp * sizeof(*mod->kp));
	add(c, mod->extable, mod->num_exentries * sizeof(*mod->extable));
#ifdef CONFIG_GENERIC_BUG
	add(c, mod->bug_table, mod->num_bugs * sizeof(*mod->bug_table));
#endif
#ifdef CONFIG_UNWINDER_ORC
	add(c, mod->arch.orc_unwind_ip, mod->arch.num_orcs * sizeof(int));
	add(c, mod->arch.orc_unwind, mod->arch.num_orcs * sizeof(struct orc_entry));
#endif
#ifdef CONFIG_JUMP_LABEL
	add(c, mod->jump_entries, mod->num_jump_entries * sizeof(*mod->jump_entries));
	/* a key's entries pointer is where static_key_enable() patches */
	for (i = 0; i < mod->num_jump_entries; i++)
		add(c, jump_entry_key(&mod->jump_entries[i]), sizeof(struct static_key));
#endif
#ifdef CONFIG_HAVE_STATIC_CALL_INLINE
	add(c, mod->static_call_sites,
	    mod->num_static_call_sites * sizeof(*mod->static_call_sites));
	/* and a static call key's sites, what static_call_update() patches */
	for (i = 0; i < mod->num_static_call_sites; i++) {
		const struct static_call_site *s = &mod->static_call_sites[i];
		unsigned long key = (unsigned long)&s->key + s->key;

		add(c, (void *)(key & ~STATIC_CALL_SITE_FLAGS),
		    sizeof(struct static_call_key));
	}
#endif
#ifdef CONFIG_TRACEPOINTS
	/* struct tracepoint: its key, its probes, regfunc the kernel calls */
	add(c, mod->tracepoints_ptrs, mod->num_tracepoints * sizeof(tracepoint_ptr_t));
	for (i = 0; i < mod->num_tracepoints; i++)
		add(c, tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]),
		    sizeof(struct tracepoint));
#endif
#ifdef CONFIG_BPF_EVENTS
	add(c, mod->bpf_raw_events,
	    mod->num_bpf_raw_events * sizeof(*mod->bpf_raw_events));
#endif
#ifdef CONFIG_EVENT_TRACING
	/* an event's class: the reg and probe functions tracing calls */
	add(c, mod->trace_events, mod->num_trace_events * sizeof(*mod->trace_events));
	for (i = 0; i < mod->num_trace_events; i++) {
		struct trace_event_call *call = mod->trace_events[i];

		if (!call || !in_image(mod, (unsigned long)call))
			continue;
		add(c, call, sizeof(*call));
		add(c, call->class, sizeof(*call->class));
	}
#endif
}

static int cmp_range(const void *a, const void *b)
{
	const struct md_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort @r's @n ranges and merge those that touch; the count left. */
static unsigned int merge(struct md_range *r, unsigned int n)
{
	unsigned int i, u = 0;

	sort(r, n, sizeof(*r), cmp_range, NULL);
	for (i = 0; i < n; i++) {
		if (u && r[i].lo <= r[u - 1].hi)
			r[u - 1].hi = max(r[u - 1].hi, r[i].hi);
		else
			r[u++] = r[i];
	}
	return u;
}

/*
 * The direct-map aliases of @n ranges of the image, page by page, into
 * @out (NULL: only counted): kernel_heap allows plain pages of the direct
 * map, and the module's vmalloc'ed pages are such pages.
 */
static unsigned int aliases(const struct md_range *r, unsigned int n,
			    struct md_range *out)
{
	unsigned int i, k = 0;
	unsigned long p, end;
	struct page *page;

	for (i = 0; i < n; i++) {
		for (p = r[i].lo; p < r[i].hi; p = end) {
			end = min((p & PAGE_MASK) + PAGE_SIZE, r[i].hi);
			page = vmalloc_to_page((void *)p);
			if (!page)
				continue;
			if (out) {
				unsigned long va = (unsigned long)page_address(page);

				out[k].lo = va + offset_in_page(p);
				out[k].hi = out[k].lo + (end - p);
			}
			k++;
		}
	}
	return k;
}

/* [lo, hi) of the data less the ranges; its count. */
static unsigned int pieces(struct kcage_metadata *m, struct md_range *out)
{
	unsigned long at = m->data_lo;
	unsigned int i, k = 0;

	for (i = 0; i <= m->nr_ranges; i++) {
		unsigned long lo = i < m->nr_ranges ? m->ranges[i].lo : m->data_hi;
		unsigned long hi = i < m->nr_ranges ? m->ranges[i].hi : m->data_hi;

		lo = clamp(lo, m->data_lo, m->data_hi);
		hi = clamp(hi, m->data_lo, m->data_hi);
		if (lo > at) {
			if (out)
				out[k] = (struct md_range){ at, lo };
			k++;
		}
		at = max(at, hi);
	}
	return k;
}

/**
 * kcage_metadata_collect - @mod's metadata ranges and writable data
 * @mod: the module coming, none of whose code has run
 *
 * Process context, at MODULE_STATE_COMING.  Return: the table, or NULL
 * without memory.
 */
struct kcage_metadata *kcage_metadata_collect(const struct module *mod)
{
	struct md_collect c = { .mod = mod };
	struct kcage_metadata *m;
	unsigned int n, na, i;
	size_t max;

	add_tables(&c);
	/*
	 * The merged ranges, at most c.n; their aliases, one per page each
	 * spans, at most the image's pages plus two a range; one more piece
	 * of the data than ranges.
	 */
	max = 3 * (size_t)c.n + mod->core_layout.size / PAGE_SIZE + 1;
	m = kcage_own_zalloc(struct_size(m, r, 2 * max + 1), GFP_KERNEL);
	if (!m)
		return NULL;
	c.r = m->r;
	c.n = 0;
	add_tables(&c);
	n = merge(m->r, c.n);
	na = aliases(m->r, n, NULL);
	if (n + na > max) {	/* cannot happen: counted above */
		kcage_own_free(m);
		return NULL;
	}
	aliases(m->r, n, m->r + n);
	m->ranges = m->r;
	m->nr_ranges = merge(m->r, n + na);
	filter_fill(m);
	m->data_lo = (unsigned long)mod->core_layout.base +
		     mod->core_layout.ro_after_init_size;
	m->data_hi = (unsigned long)mod->core_layout.base + mod->core_layout.size;
	m->pieces = m->r + m->nr_ranges;
	m->nr_pieces = pieces(m, m->pieces);
	for (i = 0; i < m->nr_pieces; i++) {
		struct md_range p = m->pieces[i];
		unsigned long len = p.hi - p.lo;

		if (len > m->fast[0].hi - m->fast[0].lo) {
			m->fast[1] = m->fast[0];
			m->fast[0] = p;
		} else if (len > m->fast[1].hi - m->fast[1].lo) {
			m->fast[1] = p;
		}
	}
	return m;
}

void kcage_metadata_free(struct kcage_metadata *m)
{
	kcage_own_free(m);
}

/* The range of sorted @r[@n] that could hold @a: the last with lo <= @a. */
static const struct md_range *find(const struct md_range *r, unsigned int n,
				   unsigned long a)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &r[lo - 1] : NULL;
}

/**
 * kcage_metadata_hits - does [@a, @end) touch a metadata range of @m?
 * @m:   the module's table (NULL: a sandbox without a policy)
 * @a:   first byte
 * @end: past the last byte
 *
 * Any context.
 */
bool kcage_metadata_hits(const struct kcage_metadata *m, unsigned long a,
			 unsigned long end)
{
	const struct md_range *r;

	if (!m || end <= a || !filter_may_hit(m, a, end))
		return false;
	/* the last range starting before @end: ranges are disjoint */
	r = find(m->ranges, m->nr_ranges, end - 1);
	return r && r->hi > a;
}

/**
 * kcage_metadata_data - is [@a, @end) in the module's writable data?
 * @m:   the module's table
 * @a:   first byte
 * @end: past the last byte
 * @lo:  set to the piece that holds it, first byte
 * @hi:  past its last byte
 *
 * Any context.
 */
bool kcage_metadata_data(const struct kcage_metadata *m, unsigned long a,
			 unsigned long end, unsigned long *lo, unsigned long *hi)
{
	const struct md_range *r;

	if (!m || end <= a)
		return false;
	r = find(m->pieces, m->nr_pieces, a);
	if (!r || end > r->hi)
		return false;
	*lo = r->lo;
	*hi = r->hi;
	return true;
}

/**
 * kcage_metadata_fast - the @i-th largest piece of the writable data
 * @m:  the module's table
 * @i:  0 or 1
 * @lo: set to its first byte (0 if there is none)
 * @hi: past its last byte (0 if there is none)
 *
 * What the inline store checks test: the rest of the data is decided by
 * the slow path.
 */
void kcage_metadata_fast(const struct kcage_metadata *m, unsigned int i,
			 unsigned long *lo, unsigned long *hi)
{
	*lo = m && i < 2 ? m->fast[i].lo : 0;
	*hi = m && i < 2 ? m->fast[i].hi : 0;
}

/**
 * kcage_metadata_bounds - the module's whole writable data, as it came
 * @m:  the module's table
 * @lo: set to its first byte
 * @hi: past its last byte
 */
void kcage_metadata_bounds(const struct kcage_metadata *m, unsigned long *lo,
			   unsigned long *hi)
{
	*lo = m ? m->data_lo : 0;
	*hi = m ? m->data_hi : 0;
}
