// SPDX-License-Identifier: GPL-2.0
/*
 * Flushing the code cache when it runs low.
 *
 * A chunk can be reused only once nothing can execute in it again.  What
 * can: a CPU running there (or a task preempted there, its pt_regs on its
 * stack), a return address into it on some task's stack (a translated
 * function that called into the kernel and sleeps), a translation a map
 * or the lookup table hands out, an exit linked into it from a block that
 * stays, and the entry stubs native text jumps to.  So the flush runs
 * under stop_machine(), when no CPU is anywhere but in the stopper:
 *
 *  1. scan every task's stack, word by word, for addresses in the cache
 *     (conservatively: a stale word only keeps a chunk a little longer);
 *  2. empty every CPU's map and lookup table;
 *  3. free each chunk no stack refers to and that holds no entry stub;
 *     retire the others, unlinking their exits into freed chunks, so they
 *     are reached again only by returning into them.
 *
 * Translation then starts over in fresh chunks, on demand.
 */
#include <linux/bitmap.h>
#include <linux/hardirq.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/workqueue.h>
#include "rt/cache.h"
#include "flush.h"
#include "rt/zone.h"
#include "xlate.h"

static atomic_long_t nr_flushes, nr_freed;

/*
 * Other tasks' stacks hold KASAN redzones of frames long gone; read them
 * the way the unwinder does, unchecked.
 */
static void mark_refs(unsigned long *live, const unsigned long *from,
		      const unsigned long *to)
{
	for (; from < to; from++) {
		int i = kcage_cache_chunk(READ_ONCE_NOCHECK(*from));

		if (i >= 0)
			__set_bit(i, live);
	}
}

/**
 * struct flush_args - what flush() hands the stopped machine
 * @live: bitmap of the chunks some stack refers to; filled by the CPU
 *        running flush_stopped() while every other CPU spins in the
 *        stopper, freed by flush() after stop_machine() returns
 * @all:  no sandbox is left: entry stubs may go too
 */
struct flush_args {
	unsigned long *live;
	bool all;
};

/* Every other CPU is stopped, with interrupts off. */
static int flush_stopped(void *arg)
{
	struct flush_args *a = arg;
	unsigned long *live = a->live;
	struct task_struct *g, *t;
	unsigned int freed;

	lockdep_assert_irqs_disabled();
	rcu_read_lock();
	for_each_process_thread(g, t) {
		const unsigned long *stack = task_stack_page(t);

		/* a task that exited has no stack to return into */
		if (!refcount_read(&t->stack_refcount) || !stack)
			continue;
		/*
		 * Not the shadow stack at its bottom: its entries are only
		 * compared with return addresses, which are on the stack too.
		 */
		mark_refs(live, stack + KCAGE_SS_END / sizeof(*stack),
			  stack + THREAD_SIZE / sizeof(*stack));
	}
	rcu_read_unlock();
	kcage_xlate_clear();
	if (a->all)
		kcage_cache_unpin_all();
	freed = kcage_cache_flush(live);
	atomic_long_inc(&nr_flushes);
	atomic_long_add(freed, &nr_freed);
	return 0;
}

static int flush(bool all)
{
	struct flush_args a = { .all = all };

	a.live = bitmap_zalloc(kcage_cache_nr_chunks(), GFP_KERNEL);
	if (!a.live)
		return -ENOMEM;
	stop_machine(flush_stopped, &a, NULL);
	bitmap_free(a.live);
	return 0;
}

static void flush_work_fn(struct work_struct *work)
{
	if (!kcage_cache_low() || flush(false))
		return;
	pr_info("code cache flushed: %u of %u chunks in use\n",
		kcage_cache_chunks(&(unsigned int){ 0 }), kcage_cache_nr_chunks());
}

/**
 * kcage_flush_everything - the last sandbox is gone: empty the cache
 *
 * What a task may still return into stays: first every task preempted in
 * translated code gets off it (RCU-tasks, as ftrace waits for its
 * trampolines), then the flush keeps whatever chunk a stack still refers
 * to (a task sleeping in a kernel call made from translated code) until a
 * later flush finds it free.
 */
void kcage_flush_everything(void)
{
	kcage_flush_cancel();
	synchronize_rcu_tasks();
	if (flush(true))
		pr_warn("out of memory: code cache not emptied\n");
}

static DECLARE_WORK(cache_flush_work, flush_work_fn);

/*
 * Drop every translation now, as a flush for a full cache does (what a
 * task may still return into stays until it has returned): the code a
 * sandbox is translated into changed.  Process context.
 */
int kcage_flush_translations(void)
{
	kcage_flush_cancel();
	return flush(false);
}

/* Ask for a flush soon; any context but NMI. */
void kcage_flush_request(void)
{
	if (!in_nmi())
		schedule_work(&cache_flush_work);
}

/* Wait for a flush under way and cancel one asked for. */
void kcage_flush_cancel(void)
{
	cancel_work_sync(&cache_flush_work);
}

void kcage_flush_stats(unsigned long *flushes, unsigned long *freed)
{
	*flushes = atomic_long_read(&nr_flushes);
	*freed = atomic_long_read(&nr_freed);
}
