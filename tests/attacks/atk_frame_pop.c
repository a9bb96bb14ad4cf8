// SPDX-License-Identifier: GPL-2.0
/*
 * atk_frame_pop: pops carry %rsp up, 8 bytes each, with no store and no
 * pivot, through the module's frames and its entry's, up to the saved
 * user registers at the top of the task's stack, past every frame of its
 * kernel callers.  There a push (or an interrupt, whose frame the CPU
 * writes below %rsp with the module's register values) writes over the
 * kernel's words.  The push writes back the word the last pop read; %rsp
 * is put back by a mov.
 */
#include <linux/fs.h>
#include <linux/sched/task_stack.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long top = (unsigned long)task_stack_page(current) + THREAD_SIZE;
	unsigned long pops = (top - 64 - current_stack_pointer) / 8;

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "1: pop %%rax\n\t"
		     "dec %%rcx\n\t"
		     "jnz 1b\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : "+c"(pops) : : "rax", "rdx", "memory", "cc");
	return 0;
}
