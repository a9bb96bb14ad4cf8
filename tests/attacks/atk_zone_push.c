// SPDX-License-Identifier: GPL-2.0
/*
 * atk_zone_push: no pivot at all, only pushes: a loop of push walks %rsp
 * down from the entry's stack into the zone at the bottom of the task's
 * kernel stack (the shadow stack and the gate records, rt/zone.h),
 * writing a chosen value over the gate record of the running entry (the
 * kernel caller's return address).  %rsp is put back by a mov, which the
 * pivot check lets through (it goes back up), and the attack returns.
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
		     "1: push %%rax\n\t"
		     "cmp %%rcx, %%rsp\n\t"
		     "ja 1b\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), [mask] "i"(~(THREAD_SIZE - 1L))
		     : "rcx", "rdx", "memory", "cc");
	return 0;
}
