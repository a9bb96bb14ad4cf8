// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_and: a stack pivot by and: and $-THREAD_SIZE, %rsp moves %rsp
 * to the bottom of the task's stack, below the shadow stack's floor, and
 * a push 1 KiB above it lands among the shadow stack's entries (kcage's
 * zone, rt/zone.h), where a forged entry would let a return go anywhere.
 * %rsp is put back after it.
 */
#include <linux/fs.h>
#include <linux/sched/task_stack.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "and %1, %%rsp\n\t"
		     "add $0x400, %%rsp\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), "i"(-THREAD_SIZE) : "rdx", "memory");
	return 0;
}
