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
#include <asm/ftrace.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>
#include "entry.h"
#include "dbt/frame.h"
#include "ibl.h"
#include "rt/zone.h"

/*
 * The shadow stack and the gate record (zone.h) for the call into the
 * module: initialise the task's zone if it is not, keep the shadow
 * stack's top in the frame, push the boundary entry, whose return address
 * is kcage_enter_return, and a gate record (where the module cannot
 * write: what the kernel caller gets back).  If either does not fit, the
 * entry is refused (.Lrefused), nothing of it left in the zone: without
 * a record the kernel caller's return would depend on the frame on the
 * stack, which the module can write.  Uses %r11, %rbx, %r12 and %r13, and
 * takes %rbx, %r12 and %r13 back from the frame.  The top is written
 * before the magic, so an interrupt that comes in between sees an
 * uninitialised zone and initialises it the same way; an entry or a
 * record is reserved before it is filled, so an interrupt in between
 * pushes above, and it has popped what it pushed when it returns.
 */
.macro SHADOW_ENTER
	movq	PER_CPU_VAR(current_task), %r11
	addq	kcage_task_stack_offset(%rip), %r11
	movq	(%r11), %r11
	leaq	KCAGE_SS_ZONE(%r11), %rbx
	xorq	kcage_zone_secret(%rip), %rbx
	cmpq	%rbx, KCAGE_SS_MAGIC(%r11)
	je	1f
	movq	$KCAGE_SS_FIRST, KCAGE_SS_TOP(%r11)
	movq	$KCAGE_SS_GFIRST, KCAGE_SS_GTOP(%r11)
	movq	$0, KCAGE_SS_GRANT_OWN(%r11)
	movq	$0, KCAGE_SS_CEIL(%r11)
	movq	%rbx, KCAGE_SS_MAGIC(%r11)
1:
.Lshadow_again:
	movq	KCAGE_SS_TOP(%r11), %rbx
	movq	%rbx, KCAGE_F_SS_TOP(%rsp)
	SHADOW_PUSH $kcage_enter_return, -8(%rsp), %r11, %rbx, %r12, .Lshadow_full
	GATE_RECORD_PUSH .Lrefused_pushed
	movq	KCAGE_F_RBX(%rsp), %rbx
	movq	KCAGE_F_R12(%rsp), %r12
	movq	KCAGE_F_R13(%rsp), %r13
.endm

/*
 * Copy frame word \from to gate record word \to (%rbx: the record) through
 * \tmp, %r12 unless that is the word %r12 was saved in: objtool would take
 * the load for a restore of %r12 on this path only.
 */
.macro TO_RECORD from:req, to:req, tmp=%r12
	movq	\from(%rsp), \tmp
	movq	\tmp, \to(%rbx)
.endm

/* Copy gate record word \from (%rcx: the record) to frame word \to. */
.macro FROM_RECORD from:req, to:req
	movq	\from(%rcx), %r10
	movq	%r10, \to(%rsp)
.endm

/*
 * With %r11 = task->stack: push this entry's gate record, or jump to
 * \full, nothing written, if the records are full (or gate top is not
 * one of them).
 */
.macro GATE_RECORD_PUSH full:req
	movq	KCAGE_SS_GTOP(%r11), %rbx
	cmpq	$(KCAGE_SS_END - KCAGE_G_SIZE), %rbx
	ja	\full
	cmpq	$KCAGE_SS_GFIRST, %rbx
	jb	\full
	addq	$KCAGE_G_SIZE, KCAGE_SS_GTOP(%r11)
	addq	%r11, %rbx
	TO_RECORD KCAGE_FRAME_SIZE, KCAGE_G_RET
	TO_RECORD KCAGE_F_RBX, KCAGE_G_RBX
	TO_RECORD KCAGE_F_RBP, KCAGE_G_RBP
	TO_RECORD KCAGE_F_R12, KCAGE_G_R12, %r13
	TO_RECORD KCAGE_F_R13, KCAGE_G_R13
	TO_RECORD KCAGE_F_R14, KCAGE_G_R14
	TO_RECORD KCAGE_F_R15, KCAGE_G_R15
	TO_RECORD KCAGE_F_SS_TOP, KCAGE_G_SS_TOP
	TO_RECORD KCAGE_F_FLAGS, KCAGE_G_FLAGS
	TO_RECORD KCAGE_F_PREEMPT, KCAGE_G_PREEMPT
	TO_RECORD KCAGE_F_ENTRY, KCAGE_G_ENTRY
	TO_RECORD KCAGE_F_ARGS, KCAGE_G_ARGS
	TO_RECORD KCAGE_F_ARGS + 8, KCAGE_G_ARGS + 8
	TO_RECORD KCAGE_F_ARGS + 16, KCAGE_G_ARGS + 16
	TO_RECORD KCAGE_F_ARGS + 24, KCAGE_G_ARGS + 24
	TO_RECORD KCAGE_F_ARGS + 32, KCAGE_G_ARGS + 32
	TO_RECORD KCAGE_F_ARGS + 40, KCAGE_G_ARGS + 40
	movq	%rsp, KCAGE_G_FRAME(%rbx)
	/* the ceiling (zone.h): this frame's, the previous one kept */
	movq	KCAGE_SS_CEIL(%r11), %r12
	movq	%r12, KCAGE_G_CEIL(%rbx)
	leaq	KCAGE_F_COOKIE(%rsp), %r12
	movq	%r12, KCAGE_SS_CEIL(%r11)
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
	 * The kernel caller gets back its return address, its callee-saved
	 * registers and the shadow stack as it was at entry (entries of this
	 * entry's calls that did not return through a translated return, a
	 * tail call into the kernel or an abandoned call, go) from the gate
	 * record, whatever the module did to its stack.  Every entry that
	 * ran has one (SHADOW_ENTER), the innermost: the module's returns
	 * get here only through their boundary entry, and an abandoned call
	 * with its record's frame (contain.c).  No record for this frame
	 * means the zone was lost: nothing the caller could get back is
	 * known, so the task oopses here rather than trust the frame.
	 * %rcx, %r10, %r11 are dead at a return.
	 */
	movq	PER_CPU_VAR(current_task), %r11
	addq	kcage_task_stack_offset(%rip), %r11
	movq	(%r11), %r11
	/* the entry's grant ends with it (grant.c) */
	movq	$0, KCAGE_SS_GRANT_OWN(%r11)
	movq	KCAGE_SS_GTOP(%r11), %r10
	subq	$KCAGE_G_SIZE, %r10
	cmpq	$KCAGE_SS_GFIRST, %r10
	jb	.Lno_record
	leaq	(%r11, %r10), %rcx
	cmpq	%rsp, KCAGE_G_FRAME(%rcx)
	jne	.Lno_record
	/*
	 * Into the frame, restored from there below (objtool follows that),
	 * and only then the record popped: an interrupt's entry on this
	 * task in between pushes its record above this one, not over it.
	 */
	FROM_RECORD KCAGE_G_RET, KCAGE_FRAME_SIZE
	FROM_RECORD KCAGE_G_SS_TOP, KCAGE_F_SS_TOP
	FROM_RECORD KCAGE_G_RBX, KCAGE_F_RBX
	FROM_RECORD KCAGE_G_RBP, KCAGE_F_RBP
	FROM_RECORD KCAGE_G_R12, KCAGE_F_R12
	FROM_RECORD KCAGE_G_R13, KCAGE_F_R13
	FROM_RECORD KCAGE_G_R14, KCAGE_F_R14
	FROM_RECORD KCAGE_G_R15, KCAGE_F_R15
	movq	KCAGE_G_CEIL(%rcx), %r10
	movq	%r10, KCAGE_SS_CEIL(%r11)
	subq	$KCAGE_G_SIZE, KCAGE_SS_GTOP(%r11)
	movq	KCAGE_F_SS_TOP(%rsp), %r10
	movq	%r10, KCAGE_SS_TOP(%r11)
.Lrestore:
	movq	KCAGE_F_RBX(%rsp), %rbx
	movq	KCAGE_F_RBP(%rsp), %rbp
	movq	KCAGE_F_R12(%rsp), %r12
	movq	KCAGE_F_R13(%rsp), %r13
	movq	KCAGE_F_R14(%rsp), %r14
	movq	KCAGE_F_R15(%rsp), %r15
	movq	$0, KCAGE_F_COOKIE(%rsp)
	addq	$KCAGE_FRAME_SIZE, %rsp
	RET
.Lno_record:
	ud2
	/*
	 * An entry refused before the module ran (SHADOW_ENTER): the boundary
	 * entry is taken back if it was pushed (an interrupt since has popped
	 * what it pushed), the grant direct entry may have cached for it
	 * dropped, and the kernel caller gets what a call abandoned by a
	 * violation returns (kcage_entry_refused()).  The frame was written
	 * by the gate just now, nothing of the module ran since: the
	 * registers come back from there.  A full shadow stack may only
	 * hold entries of frames that are gone (kcage_shadow_make_room()):
	 * then the boundary is pushed again, with the registers the C
	 * function may clobber taken back: the arguments and the
	 * translation from the frame, %rax from its scratch word.
	 */
.Lshadow_full:
	movq	%rax, KCAGE_F_RAX(%rsp)
	leaq	-8(%rsp), %rdi
	call	kcage_shadow_make_room
	movq	PER_CPU_VAR(current_task), %r11
	addq	kcage_task_stack_offset(%rip), %r11
	movq	(%r11), %r11
	testb	%al, %al
	jz	.Lrefused
	movq	KCAGE_F_ARGS(%rsp), %rdi
	movq	KCAGE_F_ARGS + 8(%rsp), %rsi
	movq	KCAGE_F_ARGS + 16(%rsp), %rdx
	movq	KCAGE_F_ARGS + 24(%rsp), %rcx
	movq	KCAGE_F_ARGS + 32(%rsp), %r8
	movq	KCAGE_F_ARGS + 40(%rsp), %r9
	movq	KCAGE_F_RAX(%rsp), %rax
	movq	KCAGE_F_ENTRY(%rsp), %r10
	jmp	.Lshadow_again
.Lrefused_pushed:
	subq	$16, KCAGE_SS_TOP(%r11)
	movl	$1, %edx
	jmp	.Lrefused_report
.Lrefused:
	xorl	%edx, %edx
.Lrefused_report:
	movq	$0, KCAGE_SS_GRANT_OWN(%r11)
	/* as at the end of SHADOW_ENTER, for objtool's view of the join */
	movq	KCAGE_F_RBX(%rsp), %rbx
	movq	KCAGE_F_R12(%rsp), %r12
	movq	KCAGE_F_R13(%rsp), %r13
	movq	KCAGE_F_ENTRY(%rsp), %rdi
	movq	KCAGE_FRAME_SIZE(%rsp), %rsi
	call	kcage_entry_refused
	jmp	.Lrestore
SYM_FUNC_END(kcage_enter)

/*
 * The ftrace direct call at the start of a sandboxed function (entry.c).
 * On entry: 0(%rsp) = the function's address + 5 (the site's return
 * address), 8(%rsp) = the kernel caller's return address, the argument
 * registers as the caller left them (%rax too: a varargs call's vector
 * register count).  Leaves for the gate with the translation in %r10 and
 * the stack as the function would have found it, or for kcage_refuse.
 *
 * Fast path: the entry's lookup-table entry (ibl.h), read as dispatch.S
 * reads a branch's (key, then the words, then the key again); refused to
 * a quarantined sandbox.  Its grant word (grant.c) has the owner in bits
 * 48-55, the argument index in bits 56-63 (more than 5: none, clear the
 * cache) and the length below; the cache is written as grant.c does.
 */
/* The argument registers, %rdi at 0(%rsp) (entry.c's args[]), and %rax. */
.macro PUSH_ARGS
	pushq	%rax
	pushq	%r9
	pushq	%r8
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
.endm

/* Their values back, and the site's return address dropped. */
.macro POP_ARGS_AND_SITE
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%r8
	popq	%r9
	popq	%rax
	addq	$8, %rsp
	UNWIND_HINT_FUNC
.endm

SYM_FUNC_START(kcage_enter_direct)
	PUSH_ARGS
	/* 0..40: %rdi..%r9 (the arguments), 48: %rax, 56: site + 5 */
	movq	56(%rsp), %rax
	subq	$MCOUNT_INSN_SIZE, %rax
	movabsq	$KCAGE_IBL_ENTRY_TAG, %rcx
	xorq	%rcx, %rax
	/* no flush, and no sandbox freed, until the entry is counted */
	IBL_HOLD
	IBL_SLOT %rax, %rdx
	cmpq	(%rdx), %rax
	jne	.Ldirect_miss
	movq	8(%rdx), %r10
	movq	16(%rdx), %r11
	movq	24(%rdx), %rcx
	cmpq	(%rdx), %rax
	jne	.Ldirect_miss
	testb	$1, KCAGE_SB_QUARANTINED(%rcx)
	jnz	.Ldirect_miss
	movq	KCAGE_SB_STATS(%rcx), %rax
	incq	%gs:(%rax)
	incq	PER_CPU_VAR(kcage_direct_entries)
	IBL_RELEASE
	testq	%r11, %r11
	jz	.Ldirect_go
	/* the grant cache, in the task's shadow-stack zone (shadow.h) */
	movq	PER_CPU_VAR(current_task), %rcx
	addq	kcage_task_stack_offset(%rip), %rcx
	movq	(%rcx), %rcx
	movq	$0, KCAGE_SS_GRANT_OWN(%rcx)
	movq	%r11, %rax
	shrq	$56, %rax
	cmpq	$5, %rax
	ja	.Ldirect_go
	movq	(%rsp, %rax, 8), %rdx		/* the granted object */
	movq	%r11, %rsi
	shlq	$16, %rsi
	shrq	$16, %rsi			/* its length */
	movq	%rdx, %rdi
	addq	%rsi, %rdi
	jc	.Ldirect_go
	movq	%rdx, KCAGE_SS_GRANT_LO(%rcx)
	movq	%rsi, KCAGE_SS_GRANT_LEN(%rcx)
	movq	%r11, %rax
	shrq	$48, %rax
	movzbl	%al, %eax
	movq	%rax, KCAGE_SS_GRANT_OWN(%rcx)
	cmpq	%rdx, KCAGE_SS_GRANT_LO(%rcx)
	jne	.Ldirect_mixed
	cmpq	%rsi, KCAGE_SS_GRANT_LEN(%rcx)
	je	.Ldirect_go
.Ldirect_mixed:
	movq	$0, KCAGE_SS_GRANT_OWN(%rcx)	/* an NMI's entry came in between */
.Ldirect_go:
	POP_ARGS_AND_SITE
	jmp	kcage_enter
.Ldirect_miss:
	IBL_RELEASE
.Ldirect_slow:
	movq	56(%rsp), %rdi
	movq	%rsp, %rsi
	call	kcage_entry_direct
	movq	%rax, %r10
	POP_ARGS_AND_SITE
	testq	%r10, %r10
	jz	kcage_refuse
	jmp	kcage_enter
SYM_FUNC_END(kcage_enter_direct)

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
