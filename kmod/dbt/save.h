/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register save of every way from translated code into C (dispatch.S,
 * enforce/slow.S): everything the C calling convention lets a callee
 * clobber, and the flags, so that the translated code finds them as it
 * left them.
 */
#ifndef KCAGE_SAVE_H
#define KCAGE_SAVE_H

#ifdef __ASSEMBLY__
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

#endif /* __ASSEMBLY__ */
#endif /* KCAGE_SAVE_H */
