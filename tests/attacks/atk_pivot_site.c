// SPDX-License-Identifier: GPL-2.0
/*
 * atk_pivot_site: a static call trampoline of the module's own
 * (__SCT__atk_site, with its key __SCK__atk_site) whose bytes are
 * mov (%rax), %rsp.  The translator emits a static call's code at a
 * trampoline, not a copy of its bytes; a pivot check that does the
 * mov itself and then jumps over the copy would land inside that code,
 * at an offset the attacker picks with the instruction's length.  (A
 * call of the trampoline is a static call, through the key; the code
 * before it falls through into it instead.)
 */
#include <linux/fs.h>
#include "attack.h"

asm(".pushsection .text, \"ax\"\n"
    ".globl atk_site_fall\n"
    "atk_site_fall:\n"
    "	nop\n"
    ".globl __SCT__atk_site\n"
    "__SCT__atk_site:\n"
    "	mov (%rax), %rsp\n"
    "	ret\n"
    "	int3\n"
    ".popsection\n"
    ".pushsection .data, \"aw\"\n"
    ".globl __SCK__atk_site\n"
    ".balign 8\n"
    "__SCK__atk_site:\n"
    "	.quad 0, 0\n"
    ".popsection\n");

static unsigned long slot;

static int attack(struct file *f)
{
	asm volatile("lea -8(%%rsp), %%rdx\n\t"
		     "mov %%rdx, (%%rax)\n\t"
		     "call atk_site_fall"
		     : : "a"(&slot) : "rdx", "memory", "cc");
	return 0;
}
