/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate every call from the kernel into a sandboxed module goes
 * through.  It leaves an entry frame (frame.h) on the stack, then calls
 * the translation of the function entered; when that returns, it drops
 * the frame and returns to the kernel caller.  A crash of the module
 * abandons the translation and comes back to kcage_enter_return with the
 * frame's registers restored (dispatch.S: BAIL), as if the function had
 * returned an error.
 *
 * Unlike dispatch.S this file is an ordinary function for objtool, so the
 * kernel's ORC unwinder walks through the gate from a translated frame to
 * the kernel caller.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include "frame.h"

	.text

/*
 * On entry: %r10 = the translation to run, 0(%rsp) = return address into
 * the kernel, argument registers and stack arguments as the caller left
 * them.  %r10 and %r11 are free at a function entry (no kernel calling
 * convention passes anything in them).
 */
SYM_FUNC_START(kcage_enter)
	subq	$KCAGE_FRAME_SIZE, %rsp
	movq	%rbx, KCAGE_F_RBX(%rsp)
	movq	%rbp, KCAGE_F_RBP(%rsp)
	movq	%r12, KCAGE_F_R12(%rsp)
	movq	%r13, KCAGE_F_R13(%rsp)
	movq	%r14, KCAGE_F_R14(%rsp)
	movq	%r15, KCAGE_F_R15(%rsp)
	movq	%r10, KCAGE_F_ENTRY(%rsp)
	pushfq
	popq	%r11
	movq	%r11, KCAGE_F_FLAGS(%rsp)
	movl	PER_CPU_VAR(__preempt_count), %r11d
	movq	%r11, KCAGE_F_PREEMPT(%rsp)
	.set i, 0
	.rept KCAGE_ARG_WORDS
	movq	KCAGE_FRAME_SIZE + 8 + i(%rsp), %r11
	movq	%r11, i(%rsp)
	.set i, i + 8
	.endr
	leaq	(%rsp), %r11
	xorq	kcage_frame_secret(%rip), %r11
	movq	%r11, KCAGE_F_COOKIE(%rsp)
	CALL_NOSPEC r10
SYM_INNER_LABEL(kcage_enter_return, SYM_L_GLOBAL)
	/*
	 * The caller gets its callee-saved registers back from the frame,
	 * whatever the module did with them.
	 */
	movq	KCAGE_F_RBX(%rsp), %rbx
	movq	KCAGE_F_RBP(%rsp), %rbp
	movq	KCAGE_F_R12(%rsp), %r12
	movq	KCAGE_F_R13(%rsp), %r13
	movq	KCAGE_F_R14(%rsp), %r14
	movq	KCAGE_F_R15(%rsp), %r15
	movq	$0, KCAGE_F_COOKIE(%rsp)
	addq	$KCAGE_FRAME_SIZE, %rsp
	RET
SYM_FUNC_END(kcage_enter)
