// SPDX-License-Identifier: GPL-2.0
/*
 * atk_stack_climb: constant moves up instead of down: a loop of
 * add $0x800, %rsp (the form an epilogue uses) climbs past the top of the
 * task's kernel stack, over its guard page, onto whatever the kernel
 * mapped above it (another task's stack, say), where stores at small
 * offsets from %rsp are not checked (bounds.c: the frame's own slots).
 * Each step is smaller than the guard page, so nothing faults on the way
 * up.  The store writes back the word it read, so that a kcage that lets
 * the climb through is caught by the missing violation, not by a crash.
 */
#include <linux/fs.h>
#include <asm/page_64_types.h>
#include "attack.h"

static int attack(struct file *f)
{
	/* up to 3 pages above the stack's top */
	asm volatile("mov %%rsp, %%rdx\n\t"
		     "mov %%rsp, %%rcx\n\t"
		     "and %[mask], %%rcx\n\t"
		     "add %[over], %%rcx\n\t"
		     "1: add $0x800, %%rsp\n\t"
		     "cmp %%rcx, %%rsp\n\t"
		     "jb 1b\n\t"
		     "mov 0(%%rsp), %%rax\n\t"
		     "mov %%rax, 0(%%rsp)\n\t"
		     "mov %%rdx, %%rsp"
		     : : [mask] "i"(~(THREAD_SIZE - 1L)),
		       [over] "i"(THREAD_SIZE + 3 * 4096)
		     : "rax", "rcx", "rdx", "memory", "cc");
	return 0;
}
