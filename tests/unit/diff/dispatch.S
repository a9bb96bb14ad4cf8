/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries from translated code into the user-space translator host: the
 * trampolines of kmod/dbt/dispatch.S, for user space.  Translated code
 * reaches them by a call or jmp with its operand on the stack (the shape
 * the core's block builder and exit stubs emit for both hosts); they save
 * every register a C callee may clobber and the flags (dbt/save.h, as the
 * kernel's), ask uxlate.c where to continue, and go there with a ret, the
 * stack as the native instruction would have left it.
 *
 * What differs from the kernel's is what user space needs: C code assumes
 * a 16-byte aligned stack and may use SSE registers (libc's memcpy does),
 * while translated code may be anywhere in a function with live xmm
 * values; so the stack is realigned around the call, and the x87/SSE state
 * (with MXCSR) is saved with fxsave.  The direction flag is cleared for C.
 * The lookup table is one array, not per CPU, and there is no policy:
 * no shadow stack, no jump source pushed, no check of where a jump goes.
 */
#include "dbt/save.h"
#include "uxlate_ibl.h"

/* After HOST_SAVE: SAVE's frame (dbt/save.h), then the saved %rbp. */
#define HSLOT(n)	(SAVED + 8 + 8 * (n))(%rbp)
#define FXAREA		512

.macro HOST_SAVE
	SAVE
	pushq %rbp
	movq %rsp, %rbp
	subq $FXAREA, %rsp
	andq $-64, %rsp
	fxsave64 (%rsp)
	cld
.endm

.macro HOST_RESTORE
	fxrstor64 (%rsp)
	movq %rbp, %rsp
	popq %rbp
	RESTORE
.endm

/*
 * GO_WHERE fn: call C's \fn with the word on top of the stack (an
 * indirect target, an exit's record) and go where it returns, that word
 * popped.
 */
.macro GO_WHERE fn:req
	HOST_SAVE
	movq HSLOT(0), %rdi
	call \fn
	movq %rax, HSLOT(0)
	HOST_RESTORE
	ret
.endm

/* The registers the lookup-table probe uses, and the flags it changes. */
.macro PROBE_SAVE
	pushfq
	pushq %rax
	pushq %rdx
	pushq %rcx
.endm

.macro PROBE_RESTORE
	popq %rcx
	popq %rdx
	popq %rax
	popfq
.endm

/*
 * The lookup-table probe of kmod/dbt/dispatch.S, on uxlate.c's single table
 * (one thread: no need to read the key twice).  \off(%rsp) = the target;
 * %rcx, %rdx and %rax are free.  Hit: %rax = the translation.
 */
.macro IBL_PROBE off, miss
	movq \off(%rsp), %rax
	movq %rax, %rdx
	shrq $UXLATE_IBL_SHIFT, %rdx
	andl $(UXLATE_IBL_ENTRIES - 1), %edx
	shlq $4, %rdx
	leaq uxlate_ibl(%rip), %rcx
	addq %rcx, %rdx
	cmpq (%rdx), %rax
	jne \miss
	movq 8(%rdx), %rax
.endm

	.text

/*
 * Indirect call: translated "call *X" is "push X; call uxlate_dispatch_icall".
 * On entry: HSLOT(0) = return address (in the cache), HSLOT(1) = X.
 * Leaves:   HSLOT(1) = return address, and goes to the translation of X.
 * The flags are kept (unlike the kernel's, which the calling convention
 * lets clobber them): the fuzzer's random code may test them after a call.
 */
	.globl uxlate_dispatch_icall
	.type uxlate_dispatch_icall, @function
uxlate_dispatch_icall:
	PROBE_SAVE
	/* 0: rcx, 8: rdx, 16: rax, 24: flags, 32: return address, 40: X */
	IBL_PROBE 40, .Licall_slow
	movq 32(%rsp), %rdx
	movq %rdx, 40(%rsp)
	movq %rax, 32(%rsp)
	PROBE_RESTORE
	ret
.Licall_slow:
	PROBE_RESTORE
	HOST_SAVE
	movq HSLOT(1), %rdi
	call uxlate_indirect_target
	movq HSLOT(0), %rcx
	movq %rcx, HSLOT(1)
	movq %rax, HSLOT(0)
	HOST_RESTORE
	ret
	.size uxlate_dispatch_icall, . - uxlate_dispatch_icall

/*
 * Indirect jump: translated "jmp *X" is "push X; jmp uxlate_dispatch_ijmp".
 * On entry: HSLOT(0) = X.  Goes to the translation of X, HSLOT(0) popped.
 */
	.globl uxlate_dispatch_ijmp
	.type uxlate_dispatch_ijmp, @function
uxlate_dispatch_ijmp:
	PROBE_SAVE
	/* 0: rcx, 8: rdx, 16: rax, 24: flags, 32: X */
	IBL_PROBE 32, .Lijmp_slow
	movq %rax, 32(%rsp)
	PROBE_RESTORE
	ret
.Lijmp_slow:
	PROBE_RESTORE
	GO_WHERE uxlate_indirect_target
	.size uxlate_dispatch_ijmp, . - uxlate_dispatch_ijmp

/*
 * Exit stub: "call uxlate_dispatch_exit" followed by the exit's record
 * (struct kc_exit_record, core/link.h).  On entry: HSLOT(0) = address of
 * the record.  Translates the target, links the exit, and goes there with
 * HSLOT(0) popped.
 */
	.globl uxlate_dispatch_exit
	.type uxlate_dispatch_exit, @function
uxlate_dispatch_exit:
	GO_WHERE uxlate_exit_target
	.size uxlate_dispatch_exit, . - uxlate_dispatch_exit

	.section .note.GNU-stack, "", @progbits
