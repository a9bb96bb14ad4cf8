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
 * reach (own.c), one per CPU for each context that can interrupt
 * another: task, softirq, hardirq, NMI.
 *
 * Why one stack per CPU and context is enough: preemption is held off
 * while one is in use, so no other task on the CPU gets to it; a context
 * is only interrupted by a higher one (an interrupt, a softirq run at
 * interrupt exit, an NMI), which takes its own stack; and an interrupt
 * nested in a hardirq that let interrupts in runs on the stack it
 * interrupted (the kernel's hardirq_stack_inuse), where "already on this
 * stack" goes on below the interrupted frames.  What runs here must not
 * sleep: translation runs with interrupts off, and a violation report
 * works in any context, NMI included.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched/task_stack.h>
#include "rt/kstack.h"
#include "rt/own.h"

enum kstack_level {
	KSTACK_TASK,
	KSTACK_SOFTIRQ,
	KSTACK_HARDIRQ,
	KSTACK_NMI,
	KSTACK_LEVELS
};

/* The kernel's own stacks are THREAD_SIZE: 16 KiB, 32 KiB with KASAN. */
#define KSTACK_SIZE	THREAD_SIZE

/**
 * struct kcage_kstacks - one CPU's stacks
 * @base: the lowest address of each level's stack; written by
 *        kcage_kstack_init() before anything is translated and freed by
 *        kcage_kstack_exit() once nothing runs translated code, read-only
 *        in between.  Static per-CPU data, which no policy lets a module
 *        write (kheap.c).
 */
struct kcage_kstacks {
	unsigned long base[KSTACK_LEVELS];
};

static DEFINE_PER_CPU(struct kcage_kstacks, kstacks);

unsigned long kcage_kstack_switch(unsigned long (*fn)(void *arg), void *arg,
				  unsigned long top);

static enum kstack_level level(void)
{
	if (in_nmi())
		return KSTACK_NMI;
	if (in_hardirq())
		return KSTACK_HARDIRQ;
	if (in_serving_softirq())
		return KSTACK_SOFTIRQ;
	return KSTACK_TASK;
}

/* This CPU's stack for this context, if %rsp is on it; else 0. */
static unsigned long on_kstack(void)
{
	unsigned long base = this_cpu_read(kstacks.base[level()]);
	unsigned long sp = current_stack_pointer;

	return sp - base < KSTACK_SIZE ? base : 0;
}

/**
 * kcage_kstack_run - call @fn(@arg) on this CPU's kcage stack
 * @fn:  what to run; must not sleep
 * @arg: its argument
 *
 * Any context.  On the stack already (a nested interrupt, see above),
 * @fn runs where it is.
 *
 * Return: what @fn returns.
 */
unsigned long kcage_kstack_run(unsigned long (*fn)(void *arg), void *arg)
{
	unsigned long base, ret;

	preempt_disable_notrace();
	if (on_kstack()) {
		ret = fn(arg);
	} else {
		base = this_cpu_read(kstacks.base[level()]);
		ret = kcage_kstack_switch(fn, arg, base + KSTACK_SIZE);
	}
	preempt_enable_notrace();
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
	unsigned long base;

	preempt_disable_notrace();
	base = on_kstack();
	preempt_enable_notrace();
	if (!base)
		return current_stack_pointer;
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
