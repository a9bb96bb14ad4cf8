/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries from translated code into kcage's dispatcher.
 *
 * Translated code reaches these by a plain call or jmp with its operand
 * already on the stack; they save every register the C calling convention
 * lets a callee clobber, and the flags, call a C function that returns
 * where execution continues, and go there with a ret after arranging the
 * stack so that, when the continuation starts, it looks exactly as the
 * native instruction would have left it.  Nothing here touches memory
 * outside the stack, so they run in any context translated code runs in.
 *
 * The ret at the end is a control transfer to a computed address, not a
 * function return; objtool would object to it, hence the file is not
 * objtool-checked (Kbuild).
 */
#include <linux/linkage.h>

/* Stack layout after SAVE: 9 registers, then the flags, then the caller's. */
#define SAVED		(10 * 8)
#define SLOT(n)		(SAVED + 8 * (n))(%rsp)

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
.endm

.macro RESTORE
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

	.text

/*
 * Indirect call: translated "call *X" is "push X; call kcage_dispatch_icall".
 * On entry: SLOT(0) = return address (in the cache), SLOT(1) = X.
 * Leaves:   SLOT(1) = return address, and goes to the translation of X.
 */
SYM_CODE_START(kcage_dispatch_icall)
	SAVE
	movq SLOT(1), %rdi
	call kcage_indirect_target
	movq SLOT(0), %rcx
	movq %rcx, SLOT(1)
	movq %rax, SLOT(0)
	RESTORE
	ret
SYM_CODE_END(kcage_dispatch_icall)

/*
 * Indirect jump: translated "jmp *X" is "push X; jmp kcage_dispatch_ijmp".
 * On entry: SLOT(0) = X.  Goes to the translation of X, SLOT(0) popped.
 */
SYM_CODE_START(kcage_dispatch_ijmp)
	SAVE
	movq SLOT(0), %rdi
	call kcage_indirect_target
	movq %rax, SLOT(0)
	RESTORE
	ret
SYM_CODE_END(kcage_dispatch_ijmp)

/*
 * Exit stub of a block: "call kcage_dispatch_exit" followed by the exit's
 * record (struct kcage_exit_record).  On entry: SLOT(0) = address of the
 * record.  Translates the exit's target, links the exit when it can, and
 * goes there with SLOT(0) popped, as if the block had jumped directly.
 */
SYM_CODE_START(kcage_dispatch_exit)
	SAVE
	movq SLOT(0), %rdi
	call kcage_exit_target
	movq %rax, SLOT(0)
	RESTORE
	ret
SYM_CODE_END(kcage_dispatch_exit)
