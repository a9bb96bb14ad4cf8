// SPDX-License-Identifier: GPL-2.0
/*
 * atk_bts_far: bts with a register bit offset and a memory operand sets
 * a bit at the operand's address plus (offset >> 6) * 8, signed: with the
 * operand a word of the module's own data and the offset the distance to
 * modprobe_path (target=) in bits, it sets a bit in modprobe_path, far
 * outside the operand ('/' becomes '?').
 */
#include <linux/fs.h>
#include "attack.h"

static unsigned long word;

static int attack(struct file *f)
{
	long bit = (long)(target - (unsigned long)&word) * 8 + 4;

	asm volatile("bts %1, %0" : "+m"(word) : "r"(bit) : "memory");
	return 0;
}
