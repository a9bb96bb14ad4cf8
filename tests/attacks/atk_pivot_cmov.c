// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_cmov: a stack pivot by cmove %rcx, %rsp, its condition made true,
 * %rcx 8 bytes past modprobe_path.
 * The push then writes "/tmp/x" over modprobe_path (target=); %rsp is
 * put back after it.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "cmp %%rax, %%rax\n\t"
		     "cmove %%rcx, %%rsp\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), "c"(target + 8) : "rdx", "memory");
	return 0;
}
