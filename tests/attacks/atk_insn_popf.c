// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_popf: popf of a value with AC and DF set (AC opens user memory
 * to the kernel; DF reverses every string operation the kernel runs
 * next), then popf of the saved flags to put them back.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long saved;

	asm volatile("pushfq\n\t"
		     "pop %0\n\t"
		     "push %0\n\t"
		     "orq $0x40400, (%%rsp)\n\t"
		     "popfq\n\t"
		     "push %0\n\t"
		     "popfq"
		     : "=&r"(saved) : : "memory", "cc");
	return 0;
}
