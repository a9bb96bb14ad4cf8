// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_leave: leave sets %rsp to %rbp and then pops %rbp, so %rsp
 * ends 8 bytes above %rbp.  %rbp is put exactly at the highest %rsp a
 * pivot may set (320 bytes below the ceiling, which the module reads in
 * its task's zone), and 40 pops after the leave, which need no check
 * before a return (the block ends in one), carry %rsp 8 bytes past the ceiling, into the gate's
 * entry frame, where a fault (a division by zero) leaves kcage's crash
 * containment no frame to find: the kernel oopses.  A check of %rbp
 * instead of %rbp + 8 lets the leave through.
 */
#include <linux/fs.h>
#include <linux/sched/task_stack.h>
#include "attack.h"

#define ZONE_CEILING	(64 + 16)	/* kmod/rt/zone.h: KCAGE_SS_CEIL */

static int attack(struct file *f)
{
	unsigned long ceiling = *(unsigned long *)((char *)task_stack_page(current) +
						   ZONE_CEILING);

	/* the division faults (or the return is refused): nothing after runs */
	asm volatile("mov %0, %%rbp\n\t"
		     "leave\n\t"
		     ".rept 40\n\t"
		     "pop %%rax\n\t"
		     ".endr\n\t"
		     "xor %%ecx, %%ecx\n\t"
		     "div %%ecx\n\t"
		     "ret"
		     : : "r"(ceiling - 320) : "rax", "rcx", "rdx", "memory", "cc");
	return 0;
}
