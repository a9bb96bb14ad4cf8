// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_fxsave: fxsave writes a 512-byte FPU image at modprobe_path
 * (target=).
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("fxsave64 (%0)" : : "r"(target) : "memory");
	return 0;
}
