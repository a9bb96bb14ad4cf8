// SPDX-License-Identifier: GPL-2.0
/*
 * atk_mid_insn: a jump into the middle of an instruction.  The bytes
 *
 *	b8 0f 09 90 90		mov $0x9090090f, %eax
 *
 * read from their second byte are "0f 09; nop; nop": wbinvd, hidden
 * from anyone who disassembles the function from its start.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	asm volatile("jmp 1f + 1\n\t"
		     "1: .byte 0xb8, 0x0f, 0x09, 0x90, 0x90"
		     : : : "eax", "memory");
	return 0;
}
