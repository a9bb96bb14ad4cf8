// SPDX-License-Identifier: GPL-2.0
/*
 * atk_wrmsr: wrmsr to IA32_LSTAR, the system call entry point (a rootkit's
 * syscall hook).  The value is 0: had it run, the next system call would
 * crash the machine.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("wrmsr" : : "c"(0xc0000082), "a"(0), "d"(0) : "memory");
	return 0;
}
