// SPDX-License-Identifier: GPL-2.0
/*
 * atk_frame_const: a store at a constant offset from %rsp, 0x240 bytes
 * up: past the module's own frames and its entry's, into the frames of
 * the kernel code that called it (vfs_write() and its callers, here).
 * A compiler addresses its own locals this way, so a check that trusts
 * every small %rsp offset lets the module rewrite its callers' locals,
 * saved registers and return addresses.  The attack writes back the
 * word it read, so that a kernel that let it through goes on unharmed,
 * and gives up (-EINVAL) if the stack's top is nearer than that.
 */
#include <linux/fs.h>
#include <linux/sched/task_stack.h>
#include "attack.h"

#define REACH 0x240

static int attack(struct file *f)
{
	unsigned long top = (unsigned long)task_stack_page(current) + THREAD_SIZE;

	if (top - current_stack_pointer < REACH + 64)
		return -EINVAL;
	asm volatile("mov %c0(%%rsp), %%rax\n\t"
		     "mov %%rax, %c0(%%rsp)"
		     : : "i"(REACH) : "rax", "memory");
	return 0;
}
