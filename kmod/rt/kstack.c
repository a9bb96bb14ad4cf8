// SPDX-License-Identifier: GPL-2.0
/*
 * kcage's own stacks.
 *
 * Translated code calls into kcage's C code on the stack the module runs
 * on, and the module decides how deep that stack is.  The stack floor
 * (enforce/floor.c) keeps a reserve above the zone (rt/zone.h) for what
 * the module may call, but kcage's deep paths, translating a block and
 * reporting a violation (symbol lookups, printk, the event), need more on
 * a debug kernel than any fixed reserve can be shown to hold, and their
 * frames below the floor would land on the zone's gate records and shadow
 * stack.  So these run on stacks of kcage's own, out of the module's
 * reach (own.c): two per CPU, one for NMIs.
 *
 * Why that is enough: interrupts are off while one is in use, so neither
 * another task nor an interrupt on this CPU gets to it, and what still
 * comes in, an NMI (or an exception the kernel counts as one: int3, #DB,
 * #MC), takes the NMI stack.  A user
 * that finds its level's stack busy runs where it is: nested in itself
 * (an NMI in an int3 handler, kernel code kcage's report calls that
 * runs a module), which does not run on the zone's task stack anyway,
 * or already on kcage's stack.  Nothing that runs here sleeps:
 * translation runs with interrupts off anyway, and a violation report
 * works in any context, NMI included.
 */
#include <linux/hardirq.h>
#include <linux/percpu.h>
#include <linux/sched/task_stack.h>
#include "rt/kstack.h"
#include "rt/own.h"

enum kstack_level {
	KSTACK_NORMAL,
	KSTACK_NMI,
	KSTACK_LEVELS
};

/* The kernel's own stacks are THREAD_SIZE: 16 KiB, 32 KiB with KASAN. */
#define KSTACK_SIZE	THREAD_SIZE

/**
 * struct kcage_kstacks - one CPU's stacks; static per-CPU data, which no
 * policy lets a module write (kheap.c)
 * @base:  the lowest address of each level's stack; written by
 *         kcage_kstack_init() before anything is translated and freed by
 *         kcage_kstack_exit() once nothing runs translated code, read-only
 *         in between
 * @busy:  the level's stack is in use; written by this CPU only, with
 *         interrupts off, on the way onto the stack and off it
 */
struct kcage_kstacks {
	unsigned long base[KSTACK_LEVELS];
	bool busy[KSTACK_LEVELS];
};

static DEFINE_PER_CPU(struct kcage_kstacks, kstacks);

unsigned long kcage_kstack_switch(unsigned long (*fn)(void *arg), void *arg,
				  unsigned long top);

static enum kstack_level level(void)
{
	return in_nmi() ? KSTACK_NMI : KSTACK_NORMAL;
}

/**
 * kcage_kstack_run - call @fn(@arg) on this CPU's kcage stack
 * @fn:  what to run; must not sleep
 * @arg: its argument
 *
 * Any context.  @fn runs with interrupts off; if this context's stack is
 * in use (see above), where it is.
 *
 * Return: what @fn returns.
 */
unsigned long kcage_kstack_run(unsigned long (*fn)(void *arg), void *arg)
{
	struct kcage_kstacks *k;
	unsigned long flags, ret;
	enum kstack_level l;

	local_irq_save(flags);
	k = this_cpu_ptr(&kstacks);
	l = level();
	if (k->busy[l]) {
		ret = fn(arg);
	} else {
		k->busy[l] = true;
		ret = kcage_kstack_switch(fn, arg, k->base[l] + KSTACK_SIZE);
		k->busy[l] = false;
	}
	local_irq_restore(flags);
	return ret;
}

/**
 * kcage_kstack_caller_sp - a stack pointer on the stack kcage was called on
 *
 * On kcage's stack, a word of the stack kcage_kstack_run() switched from
 * (the module's, whose checks ask which stack it runs on); elsewhere the
 * current stack pointer.
 */
unsigned long kcage_kstack_caller_sp(void)
{
	unsigned long sp = current_stack_pointer, base;

	base = this_cpu_read(kstacks.base[level()]);
	if (sp - base >= KSTACK_SIZE)
		return sp;
	return *(unsigned long *)(base + KSTACK_SIZE - 8);
}

/*
 * As the kernel's own stacks: vmalloc()ed, with a guard page below, where
 * KASAN can shadow vmalloc memory (or is off); else pages of the direct
 * map.  Either way kcage's own memory (own.c).
 */
#define KSTACK_DIRECT	(IS_ENABLED(CONFIG_KASAN) && !IS_ENABLED(CONFIG_KASAN_VMALLOC))

static void *alloc_kstack(void)
{
	if (KSTACK_DIRECT)
		return kcage_own_alloc_pages(get_order(KSTACK_SIZE));
	return kcage_own_zalloc(KSTACK_SIZE, GFP_KERNEL);
}

static void free_kstack(void *s)
{
	if (KSTACK_DIRECT)
		kcage_own_free_pages(s, get_order(KSTACK_SIZE));
	else
		kcage_own_free(s);
}

int kcage_kstack_init(void)
{
	int cpu, l;

	for_each_possible_cpu(cpu) {
		for (l = 0; l < KSTACK_LEVELS; l++) {
			void *s = alloc_kstack();

			if (!s) {
				kcage_kstack_exit();
				return -ENOMEM;
			}
			per_cpu(kstacks.base[l], cpu) = (unsigned long)s;
		}
	}
	return 0;
}

void kcage_kstack_exit(void)
{
	int cpu, l;

	for_each_possible_cpu(cpu) {
		for (l = 0; l < KSTACK_LEVELS; l++) {
			free_kstack((void *)per_cpu(kstacks.base[l], cpu));
			per_cpu(kstacks.base[l], cpu) = 0;
		}
	}
}
