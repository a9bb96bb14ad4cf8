// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_add_mem: a stack pivot by add 16(%rax), %rsp.  The memory
 * operand addresses through %rax, which a check that first loads the old
 * %rsp into %rax would read from somewhere else: 16(%rsp) holds 0, the
 * pivot's real operand, 16(%rax) = 8(%rsp), the distance from %rsp to 8
 * bytes past modprobe_path (target=).  A store at -8(%rsp), which
 * bounds.c leaves unchecked (the frame), then writes "/tmp/x" over
 * modprobe_path; %rsp is put back after it.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	asm volatile("sub $32, %%rsp\n\t"
		     "mov %%rsp, %%rdx\n\t"
		     "sub %%rsp, %%rcx\n\t"
		     "mov %%rcx, 8(%%rsp)\n\t"
		     "movq $0, 16(%%rsp)\n\t"
		     "lea -8(%%rsp), %%rax\n\t"
		     "add 16(%%rax), %%rsp\n\t"
		     "mov %%rbx, -8(%%rsp)\n\t"
		     "mov %%rdx, %%rsp\n\t"
		     "add $32, %%rsp"
		     : : "b"(evil), "c"(target + 8) : "rax", "rdx", "memory", "cc");
	return 0;
}
