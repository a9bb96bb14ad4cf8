// SPDX-License-Identifier: GPL-2.0
/*
 * The indirect-branch lookup table (see ibl.h).  Only its own CPU writes a
 * table, with interrupts off, but another CPU may read it: a task preempted
 * in the middle of the fast path resumes elsewhere and finishes the probe
 * it started.  The writer therefore clears the key first, stores the
 * translation, and stores the key last; the reader loads key,
 * translation, key again and takes the entry only if both keys match
 * what its branch pushed.  x86 keeps stores in order and loads in
 * order, so a reader never pairs a native address with a stale translation.
 */
#include <linux/cpumask.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include "rt/own.h"
#include "ibl.h"

/**
 * struct kcage_ibl_entry - one entry of a CPU's lookup table
 * @key:     The key the branch pushed (ibl.h), 0 if the entry is empty.
 *           First: the assembly probes it.  Written last, with WRITE_ONCE(),
 *           and cleared first, by the table's own CPU with interrupts off,
 *           or by a flush or a forget (kcage_ibl_forget()); read locklessly
 *           by any CPU a preempted probe resumes on.
 * @cache:   The translation; written between the two writes of @key.
 * @native:  For a branch's key, the native target.
 * @unused:  Pads a branch's entry to the size of an entry's.
 * @grant:   For an entry's key (%KCAGE_IBL_ENTRY_TAG), its grant word.
 * @sandbox: For an entry's key, the sandbox entered.  A table holds no
 *           entry of a sandbox once it is unpublished: its texts are
 *           forgotten first (kcage_xlate_forget()).
 *
 * The tables are allocated at kcage's init and freed at its exit, when
 * nothing is translated.
 */
struct kcage_ibl_entry {
	unsigned long key;
	unsigned long cache;
	union {
		struct {			/* a branch's */
			unsigned long native;
			unsigned long unused;
		};
		struct {			/* an entry's (KCAGE_IBL_ENTRY_TAG) */
			unsigned long grant;
			const void *sandbox;
		};
	};
};

static bool is_entry_key(unsigned long key)
{
	return key >> 62 == 2;
}

struct kcage_ibl {
	struct kcage_ibl_entry e[KCAGE_IBL_ENTRIES];
};

/*
 * Each CPU's table, in kcage's own memory (rt/own.c), for the assembly
 * fast path: a static per-CPU variable, which kernel_heap never covers
 * (the per-CPU allocator's reserved part), pointing at memory no policy
 * covers.
 */
DEFINE_PER_CPU(unsigned long, kcage_ibl_base);

static struct kcage_ibl *table(int cpu)
{
	return (struct kcage_ibl *)per_cpu(kcage_ibl_base, cpu);
}

static unsigned int slot(unsigned long native)
{
	return (native >> KCAGE_IBL_SHIFT) & (KCAGE_IBL_ENTRIES - 1);
}

/*
 * The tag of sandbox slot @slot (okpage.c numbers them), 1..64: the top
 * 16 bits of its keys (so a tagged key has bit 63 clear, unlike any
 * kernel code address), also xor'ed into bits 4-10 (so that the same
 * target called from different sandboxes lands in different entries).
 */
u32 kcage_ibl_tag(int slot)
{
	return slot < 0 ? 0 : slot + 1;
}

/* The native target behind a tagged key (ibl.h). */
unsigned long kcage_ibl_untag(unsigned long key)
{
	unsigned long low = key ^ ((unsigned long)kcage_ibl_key_tag(key) << KCAGE_IBL_SHIFT);

	return (unsigned long)((long)(low << 16) >> 16);
}

/* Call with interrupts off. */
void kcage_ibl_insert(unsigned long key, unsigned long native, unsigned long cache)
{
	struct kcage_ibl_entry *e = &((struct kcage_ibl *)this_cpu_read(kcage_ibl_base))->e[slot(key)];

	lockdep_assert(irqs_disabled());
	WRITE_ONCE(e->key, 0);
	barrier();
	WRITE_ONCE(e->cache, cache);
	e->native = native;
	barrier();
	WRITE_ONCE(e->key, key);
}

/* The same for the entry into @native (kcage_enter_direct, gate.S). */
void kcage_ibl_insert_entry(unsigned long native, unsigned long cache,
			    unsigned long grant, const void *sb)
{
	unsigned long key = native ^ KCAGE_IBL_ENTRY_TAG;
	struct kcage_ibl_entry *e = &((struct kcage_ibl *)this_cpu_read(kcage_ibl_base))->e[slot(key)];

	lockdep_assert(irqs_disabled());
	WRITE_ONCE(e->key, 0);
	barrier();
	WRITE_ONCE(e->cache, cache);
	e->grant = grant;
	e->sandbox = sb;
	barrier();
	WRITE_ONCE(e->key, key);
}

/*
 * Drop @cpu's entries for [@start, @end): on that CPU with interrupts off
 * (an IPI), with every CPU stopped (a flush), or for an offline CPU.
 */
void kcage_ibl_forget(int cpu, unsigned long start, unsigned long end)
{
	struct kcage_ibl *t = table(cpu);
	unsigned int i;

	lockdep_assert(irqs_disabled() || !cpu_online(cpu));
	for (i = 0; i < KCAGE_IBL_ENTRIES; i++) {
		unsigned long key = t->e[i].key, native = t->e[i].native;

		if (is_entry_key(key))
			native = key ^ KCAGE_IBL_ENTRY_TAG;
		if (native >= start && native < end)
			WRITE_ONCE(t->e[i].key, 0);
	}
}

int kcage_ibl_init(void)
{
	int cpu;

	BUILD_BUG_ON(sizeof(struct kcage_ibl_entry) != KCAGE_IBL_ENTRY_SIZE);
	for_each_possible_cpu(cpu) {
		struct kcage_ibl *t = kcage_own_zalloc(sizeof(*t), GFP_KERNEL);

		if (!t) {
			kcage_ibl_exit();
			return -ENOMEM;
		}
		per_cpu(kcage_ibl_base, cpu) = (unsigned long)t;
	}
	return 0;
}

void kcage_ibl_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kcage_own_free(table(cpu));
		per_cpu(kcage_ibl_base, cpu) = 0;
	}
}
