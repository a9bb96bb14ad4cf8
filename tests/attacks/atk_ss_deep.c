// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ss_deep: recursion deeper than the shadow stack holds (64 entries
 * per task), then, at the deepest level, the return address of that
 * level's frame is overwritten with ss_won, a function nobody calls.
 * Its return must not get there: ss_won sets the parameter "won", which
 * the test reads from outside.
 *
 * In assembly: the compiler would turn the recursion into a loop.
 */
#include <linux/fs.h>
#include <linux/linkage.h>
#include "attack.h"

/* Deeper than the shadow stack's KCAGE_SS_ENTRIES (kmod/rt/zone.h). */
#define SS_DEPTH	80

bool atk_ss_deep_won;
module_param_named(won, atk_ss_deep_won, bool, 0444);
MODULE_PARM_DESC(won, "set if the hijacked return got to ss_won");

/* ss_deep(n): n nested calls; the deepest returns to ss_won instead. */
void ss_deep(unsigned long n);
asm(".pushsection .text\n"
    ".globl ss_deep\n"
    ".type ss_deep, @function\n"
    "ss_deep:\n"
    "	testq %rdi, %rdi\n"
    "	jz 1f\n"
    "	decq %rdi\n"
    "	call ss_deep\n"
    "	" ASM_RET
    "1:	leaq ss_won(%rip), %rax\n"
    "	movq %rax, (%rsp)\n"
    "	" ASM_RET
    ".size ss_deep, . - ss_deep\n"
    ".globl ss_won\n"
    ".type ss_won, @function\n"
    "ss_won:\n"
    "	movb $1, atk_ss_deep_won(%rip)\n"
    "	" ASM_RET
    ".size ss_won, . - ss_won\n"
    ".popsection\n");

static int attack(struct file *f)
{
	ss_deep(SS_DEPTH);
	return 0;
}
