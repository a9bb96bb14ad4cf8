// SPDX-License-Identifier: GPL-2.0
/*
 * atk_frame_ptr: a store through a pointer into the frames of the kernel
 * code that called the module: the saved user registers at the top of
 * the task's stack (struct pt_regs, what the write() system call returns
 * to user space with).  A check that counts the task's whole stack as the
 * module's (the "stack" builtin) lets it through.  The attack writes back
 * the word it read.
 */
#include <linux/fs.h>
#include <linux/sched/task_stack.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long *word = (unsigned long *)((char *)task_stack_page(current) +
						THREAD_SIZE) - 8;

	asm volatile("mov (%0), %%rax\n\t"
		     "mov %%rax, (%0)"
		     : : "r"(word) : "rax", "memory");
	return 0;
}
