/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries from translated code into the user-space translator host,
 * mirroring kmod/dispatch.S: translated code reaches them by a call or jmp
 * with its operand on the stack; they save every register a C callee may
 * clobber and the flags, ask uxlate.c where to continue, and go there with
 * a ret, the stack as the native instruction would have left it.
 *
 * Two differences from the kernel's: user-space C code assumes a 16-byte
 * aligned stack and may use SSE registers (libc's memcpy does), while
 * translated code may be anywhere in a function with live xmm values; so
 * the stack is realigned around the call, and the x87/SSE state (with
 * MXCSR) is saved with fxsave.  The direction flag is cleared for C.
 * As in the kernel, indirect branches first probe a lookup table inline
 * and call C only on a miss.
 */
#include "uxlate_ibl.h"

/* The 9 scratch registers and the flags, then the saved %rbp. */
#define SAVED		(11 * 8)
#define SLOT(n)		(SAVED + 8 * (n))(%rbp)
#define FXAREA		512

.macro SAVE
	pushfq
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbp
	movq %rsp, %rbp
	subq $FXAREA, %rsp
	andq $-64, %rsp
	fxsave64 (%rsp)
	cld
.endm

.macro RESTORE
	fxrstor64 (%rsp)
	movq %rbp, %rsp
	popq %rbp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	popfq
.endm

/*
 * The lookup-table probe of kmod/dispatch.S, on uxlate.c's single table
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
 * On entry: SLOT(0) = return address (in the cache), SLOT(1) = X.
 * Leaves:   SLOT(1) = return address, and goes to the translation of X.
 * The flags are kept (unlike the kernel's, which the calling convention
 * lets clobber them): the fuzzer's random code may test them after a call.
 */
	.globl uxlate_dispatch_icall
	.type uxlate_dispatch_icall, @function
uxlate_dispatch_icall:
	pushfq
	pushq %rax
	pushq %rdx
	pushq %rcx
	/* 0: rcx, 8: rdx, 16: rax, 24: flags, 32: return address, 40: X */
	IBL_PROBE 40, .Licall_slow
	movq 32(%rsp), %rdx
	movq %rdx, 40(%rsp)
	movq %rax, 32(%rsp)
	popq %rcx
	popq %rdx
	popq %rax
	popfq
	ret
.Licall_slow:
	popq %rcx
	popq %rdx
	popq %rax
	popfq
	SAVE
	movq SLOT(1), %rdi
	call uxlate_indirect_target
	movq SLOT(0), %rcx
	movq %rcx, SLOT(1)
	movq %rax, SLOT(0)
	RESTORE
	ret
	.size uxlate_dispatch_icall, . - uxlate_dispatch_icall

/*
 * Indirect jump: translated "jmp *X" is "push X; jmp uxlate_dispatch_ijmp".
 * On entry: SLOT(0) = X.  Goes to the translation of X, SLOT(0) popped.
 */
	.globl uxlate_dispatch_ijmp
	.type uxlate_dispatch_ijmp, @function
uxlate_dispatch_ijmp:
	pushfq
	pushq %rax
	pushq %rdx
	pushq %rcx
	/* 0: rcx, 8: rdx, 16: rax, 24: flags, 32: X */
	IBL_PROBE 32, .Lijmp_slow
	movq %rax, 32(%rsp)
	popq %rcx
	popq %rdx
	popq %rax
	popfq
	ret
.Lijmp_slow:
	popq %rcx
	popq %rdx
	popq %rax
	popfq
	SAVE
	movq SLOT(0), %rdi
	call uxlate_indirect_target
	movq %rax, SLOT(0)
	RESTORE
	ret
	.size uxlate_dispatch_ijmp, . - uxlate_dispatch_ijmp

/*
 * Exit stub: "call uxlate_dispatch_exit" followed by the exit's record.
 * On entry: SLOT(0) = address of the record.  Translates the target,
 * links the exit, and goes there with SLOT(0) popped.
 */
	.globl uxlate_dispatch_exit
	.type uxlate_dispatch_exit, @function
uxlate_dispatch_exit:
	SAVE
	movq SLOT(0), %rdi
	call uxlate_exit_target
	movq %rax, SLOT(0)
	RESTORE
	ret
	.size uxlate_dispatch_exit, . - uxlate_dispatch_exit

	.section .note.GNU-stack, "", @progbits
