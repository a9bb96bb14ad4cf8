// SPDX-License-Identifier: GPL-2.0
/*
 * atk_irq_task_stack: a timer callback, in softirq context on this CPU's
 * interrupt stack, stores into the stack of the task it interrupted
 * (4 KiB above the stack's bottom, a word that task's frames do not
 * reach here).  Module code in interrupt context that may write the
 * interrupted task's stack can rewrite what the module code it
 * interrupted keeps there in the middle of a check (a saved %rax, a
 * return address already compared), and so undo the check.  A callback
 * that finds itself on its task's own stack (run by ksoftirqd, which
 * interrupts nothing) tries again at the next tick.  The attack spins
 * with interrupts on until the store was tried, or two seconds passed.
 */
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/sched/task_stack.h>
#include <linux/timer.h>
#define ATTACK_CLEANUP
#include "attack.h"

static struct timer_list irq_timer;
static int fired;

static void irq_store(struct timer_list *t)
{
	unsigned long *word = (unsigned long *)((char *)task_stack_page(current) + 4096);
	unsigned long base = (unsigned long)task_stack_page(current);

	if (current_stack_pointer - base < THREAD_SIZE) {
		mod_timer(t, jiffies + 1);
		return;
	}
	WRITE_ONCE(fired, 1);
	asm volatile("movq $0x4b435446, (%0)" : : "r"(word) : "memory");
}

static int attack(struct file *f)
{
	unsigned long end = jiffies + 2 * HZ;

	timer_setup(&irq_timer, irq_store, 0);
	mod_timer(&irq_timer, jiffies + 1);
	while (!READ_ONCE(fired) && time_before(jiffies, end))
		cpu_relax();
	return 0;
}

static void attack_cleanup(void)
{
	timer_shutdown_sync(&irq_timer);
}
