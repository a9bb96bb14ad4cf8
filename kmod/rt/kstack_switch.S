/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stack switch of kcage_kstack_run() (kstack.c).
 *
 * objtool does not follow a %rsp loaded from a register, hence the file is
 * not objtool-checked (Kbuild).  The frame pointer kept in %rbp is what
 * the ORC unwinder falls back to for code it has no data for, so a stack
 * trace taken on kcage's stack goes on past this function to its caller.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

	.text

/*
 * unsigned long kcage_kstack_switch(fn, arg, top): fn(arg) with %rsp at
 * @top (16-byte aligned); the caller's %rsp, after the push of %rbp, is
 * left in the word below @top (kcage_kstack_caller_sp()).
 */
SYM_FUNC_START(kcage_kstack_switch)
	pushq	%rbp
	movq	%rsp, %rbp
	movq	%rbp, -8(%rdx)
	leaq	-16(%rdx), %rsp
	movq	%rdi, %rax
	movq	%rsi, %rdi
	CALL_NOSPEC rax
	movq	%rbp, %rsp
	popq	%rbp
	RET
SYM_FUNC_END(kcage_kstack_switch)
