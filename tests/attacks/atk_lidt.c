// SPDX-License-Identifier: GPL-2.0
/*
 * atk_lidt: lidt of an interrupt descriptor table of its own, empty:
 * had it run, the next interrupt would triple-fault the CPU.
 */
#include <linux/fs.h>
#include "attack.h"

static struct {
	u16 limit;
	u64 base;
} __packed fake_idt;

static int attack(struct file *f)
{
	asm volatile("lidt %0" : : "m"(fake_idt) : "memory");
	return 0;
}
