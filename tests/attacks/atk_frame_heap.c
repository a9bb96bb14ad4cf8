// SPDX-License-Identifier: GPL-2.0
/*
 * atk_frame_heap: under a policy with kernel_heap (every plain page of
 * the kernel's), a store into the saved user registers at the top of the
 * task's stack through the stack page's direct-map alias (the stack
 * itself on a kernel without CONFIG_VMAP_STACK, where it lies in the
 * direct map): the kernel callers' frames are plain pages too.  The
 * attack writes back the word it read.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/vmalloc.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long *word = (unsigned long *)((char *)task_stack_page(current) +
						THREAD_SIZE) - 8;

	if (is_vmalloc_addr(word))
		word = page_address(vmalloc_to_page(word)) + offset_in_page(word);
	asm volatile("mov (%0), %%rax\n\t"
		     "mov %%rax, (%0)"
		     : : "r"(word) : "rax", "memory");
	return 0;
}
