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
#include "shadow.h"

/*
 * The shadow stack (shadow.h) for the call into the module: initialise the
 * task's if it is not, keep its top in the frame, and push the boundary
 * entry, whose return address is kcage_enter_return.  Uses %r11, %rbx and
 * %r12, and takes %rbx and %r12 back from the frame.  The top and the
 * overflow count are written before the magic, so an interrupt that comes
 * in between sees an uninitialised stack and initialises it the same way.
 */
.macro SHADOW_ENTER
	movq	PER_CPU_VAR(current_task), %r11
	addq	kcage_task_stack_offset(%rip), %r11
	movq	(%r11), %r11
	leaq	KCAGE_SS_ZONE(%r11), %rbx
	xorq	kcage_shadow_secret(%rip), %rbx
	cmpq	%rbx, KCAGE_SS_MAGIC(%r11)
	je	1f
	movq	$KCAGE_SS_FIRST, KCAGE_SS_TOP(%r11)
	movq	$0, KCAGE_SS_OVER(%r11)
	movq	%rbx, KCAGE_SS_MAGIC(%r11)
1:	movq	KCAGE_SS_TOP(%r11), %rbx
	movq	%rbx, KCAGE_F_SS_TOP(%rsp)
	movq	KCAGE_SS_OVER(%r11), %rbx
	movq	%rbx, KCAGE_F_SS_OVER(%rsp)
	SHADOW_PUSH $kcage_enter_return, -8(%rsp), %r11, %rbx, %r12
	movq	KCAGE_F_RBX(%rsp), %rbx
	movq	KCAGE_F_R12(%rsp), %r12
.endm

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
	movq	%rdi, KCAGE_F_ARGS(%rsp)
	movq	%rsi, KCAGE_F_ARGS + 8(%rsp)
	movq	%rdx, KCAGE_F_ARGS + 16(%rsp)
	movq	%rcx, KCAGE_F_ARGS + 24(%rsp)
	movq	%r8, KCAGE_F_ARGS + 32(%rsp)
	movq	%r9, KCAGE_F_ARGS + 40(%rsp)
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
	SHADOW_ENTER
	CALL_NOSPEC r10
SYM_INNER_LABEL(kcage_enter_return, SYM_L_GLOBAL)
	/*
	 * The shadow stack as it was at entry: entries of this entry's calls
	 * that did not return through a translated return (tail calls into
	 * the kernel, an abandoned call) go.
	 */
	movq	PER_CPU_VAR(current_task), %r11
	addq	kcage_task_stack_offset(%rip), %r11
	movq	(%r11), %r11
	movq	KCAGE_F_SS_TOP(%rsp), %r10
	movq	%r10, KCAGE_SS_TOP(%r11)
	movq	KCAGE_F_SS_OVER(%rsp), %r10
	movq	%r10, KCAGE_SS_OVER(%r11)
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

/*
 * The gate around a call (or tail jump) from translated code to a kernel
 * function the module's policy watches: an allocator, a free, a function
 * with argument rules (api.c).  kcage_api_before() checks the arguments
 * and may refuse the call; kcage_api_after() sees the result.  The frame
 * (frame.h) keeps the arguments on the stack across the call, which may
 * sleep and move to another CPU.
 *
 * On entry: %r10 = the function, %r11 = native address of the module's
 * branch, 0(%rsp) = where to return, arguments as the module left them.
 */
SYM_FUNC_START(kcage_api_gate)
	subq	$KCAGE_API_FRAME_SIZE, %rsp
	movq	%rdi, KCAGE_A_RDI(%rsp)
	movq	%rsi, KCAGE_A_RSI(%rsp)
	movq	%rdx, KCAGE_A_RDX(%rsp)
	movq	%rcx, KCAGE_A_RCX(%rsp)
	movq	%r8, KCAGE_A_R8(%rsp)
	movq	%r9, KCAGE_A_R9(%rsp)
	movq	%rax, KCAGE_A_RAX(%rsp)
	movq	%r10, KCAGE_A_FN(%rsp)
	movq	%r11, KCAGE_A_PC(%rsp)
	.set i, 0
	.rept KCAGE_ARG_WORDS
	movq	KCAGE_API_FRAME_SIZE + 8 + i(%rsp), %r11
	movq	%r11, i(%rsp)
	.set i, i + 8
	.endr
	movq	%rsp, %rdi
	call	kcage_api_before
	testq	%rax, %rax
	jnz	.Lapi_refused
	movq	KCAGE_A_RDI(%rsp), %rdi
	movq	KCAGE_A_RSI(%rsp), %rsi
	movq	KCAGE_A_RDX(%rsp), %rdx
	movq	KCAGE_A_RCX(%rsp), %rcx
	movq	KCAGE_A_R8(%rsp), %r8
	movq	KCAGE_A_R9(%rsp), %r9
	movq	KCAGE_A_RAX(%rsp), %rax
	movq	KCAGE_A_FN(%rsp), %r10
	CALL_NOSPEC r10
	movq	%rax, KCAGE_A_RET(%rsp)
	movq	%rdx, KCAGE_A_RET2(%rsp)
	movq	%rsp, %rdi
	call	kcage_api_after
	movq	KCAGE_A_RET(%rsp), %rax
	movq	KCAGE_A_RET2(%rsp), %rdx
	addq	$KCAGE_API_FRAME_SIZE, %rsp
	RET
.Lapi_refused:
	/* %rax: where to go instead, with the stack as the function's */
	addq	$KCAGE_API_FRAME_SIZE, %rsp
	JMP_NOSPEC rax
SYM_FUNC_END(kcage_api_gate)
