// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_xsave: xsave writes the FPU state image (hundreds of bytes,
 * its size set by XCR0, not by the operand) at modprobe_path (target=).
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("xsave64 (%0)" : : "r"(target), "a"(-1), "d"(-1) : "memory");
	return 0;
}
