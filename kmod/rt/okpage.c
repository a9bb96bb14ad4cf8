// SPDX-License-Identifier: GPL-2.0
/*
 * The last kernel page a sandbox's slow path let it write, per CPU,
 * which the inline checks (bounds.c) test before calling the slow path
 * again.
 *
 * A store the inline ranges (the module's data, the task's stack) do not
 * cover goes to C, which decides from the heap table, kernel_heap,
 * regions and grants: hundreds of instructions.  A filesystem's stores
 * into kernel objects come in runs to one or two pages (an inode and a
 * buffer head, a page of the page cache), and a kernel_heap decision
 * holds for the whole page (one slab cache, or one plain page), as does a
 * region's that covers it (the P and Q pages raid6 fills, in turn).  So
 * the slow path leaves the page behind, in the first of two words, the
 * page there before moving to the second, and the next store into either
 * is allowed inline:
 *
 *	xor %gs:slot, %rax ; cmp $(PAGE_SIZE - size), %rax ; jbe allowed
 *	(the same with %gs:slot+8)
 *
 * Each word is read once: a check interrupted, preempted or migrated
 * between its instructions still tests one page its sandbox was allowed.
 * One slot per sandbox with a policy (another sandbox's page must not let
 * this one through; the slot number also tags its indirect branches,
 * ibl.h), at a fixed %gs offset the check embeds; 0 is empty
 * (no kernel address is below PAGE_SIZE).  A page is cached only if one
 * decision that holds for every task and entry covers all of it
 * (kernel_heap, a region the policy names); owned heap objects, grants,
 * the stack and task fields are not: they end, or are the current task's.
 * A page's kernel_heap decision is not revoked when the page changes
 * hands (SECURITY.md).
 */
#include <linux/bitmap.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include "okpage.h"

#define NR_SLOTS	64

/*
 * pages: each CPU's words, written by that CPU's slow path in any context
 * (this_cpu_write()) and read by the inline checks; a slot's words of every
 * CPU are cleared under slots_lock when the slot is handed out or given
 * back (when no translation of its sandbox is left to read them).
 * used: the slots handed out, under slots_lock.
 */
static DEFINE_PER_CPU_ALIGNED(unsigned long, pages[NR_SLOTS][KCAGE_OKPAGE_WAYS]);
static DECLARE_BITMAP(used, NR_SLOTS);
static DEFINE_MUTEX(slots_lock);

static void clear_slot(int slot)
{
	int cpu, i;

	lockdep_assert_held(&slots_lock);
	for_each_possible_cpu(cpu)
		for (i = 0; i < KCAGE_OKPAGE_WAYS; i++)
			WRITE_ONCE(per_cpu_ptr(&pages[slot], cpu)[0][i], 0);
}

/* A slot for a new enforcing sandbox, or -1 (then it has no cache). */
int kcage_okpage_get(void)
{
	int slot;

	mutex_lock(&slots_lock);
	slot = find_first_zero_bit(used, NR_SLOTS);
	if (slot < NR_SLOTS) {
		clear_slot(slot);
		__set_bit(slot, used);
	} else {
		slot = -1;
	}
	mutex_unlock(&slots_lock);
	return slot;
}

/* After the sandbox's translations are gone. */
void kcage_okpage_put(int slot)
{
	if (slot < 0)
		return;
	mutex_lock(&slots_lock);
	clear_slot(slot);
	__clear_bit(slot, used);
	mutex_unlock(&slots_lock);
}

/* The %gs offset of @slot's first word, if its words fit a disp32. */
bool kcage_okpage_offset(int slot, u32 *off)
{
	unsigned long a;

	if (slot < 0)
		return false;
	a = (unsigned long)&pages[slot];
	if (a + sizeof(pages[slot]) > S32_MAX)
		return false;
	*off = a;
	return true;
}

/*
 * Remember the page at @page as writable on this CPU, the one remembered
 * last moving to the second word.  Any context: if the task moves to
 * another CPU in between, each word written still holds a page this
 * sandbox may write.
 */
void kcage_okpage_fill(int slot, unsigned long page)
{
	unsigned long last;

	BUILD_BUG_ON(KCAGE_OKPAGE_WAYS != 2);
	if (slot < 0 || (page & ~PAGE_MASK))
		return;
	last = this_cpu_read(pages[slot][0]);
	if (last == page)
		return;
	this_cpu_write(pages[slot][1], last);
	this_cpu_write(pages[slot][0], page);
}
