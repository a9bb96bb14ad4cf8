/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The write-coverage fuzzer's probe (wfuzz_one.c).  Translated code calls
 * it before each store, on the probe's own stack (the sequence's %rsp is
 * in wprobe_rsp), with
 *	(%rsp) the return address, 8(%rsp) the store's native address,
 *	16(%rsp) the flags the store runs with.
 * It records every general register in wprobe_regs, calls
 * wprobe_record(pc, flags) with DF clear, and puts every register back;
 * the caller restores the flags and %rsp.  The vector registers are
 * saved too, so the stores write what they would natively.
 */
	.text
	.globl wprobe_stub
	.type wprobe_stub, @function
wprobe_stub:
	movq %rax, wprobe_regs + 0 * 8
	movq %rcx, wprobe_regs + 1 * 8
	movq %rdx, wprobe_regs + 2 * 8
	movq %rbx, wprobe_regs + 3 * 8
	movq %rbp, wprobe_regs + 5 * 8
	movq %rsi, wprobe_regs + 6 * 8
	movq %rdi, wprobe_regs + 7 * 8
	movq %r8, wprobe_regs + 8 * 8
	movq %r9, wprobe_regs + 9 * 8
	movq %r10, wprobe_regs + 10 * 8
	movq %r11, wprobe_regs + 11 * 8
	movq %r12, wprobe_regs + 12 * 8
	movq %r13, wprobe_regs + 13 * 8
	movq %r14, wprobe_regs + 14 * 8
	movq %r15, wprobe_regs + 15 * 8
	fxsave64 wprobe_fx
	cld
	movq 8(%rsp), %rdi
	movq 16(%rsp), %rsi
	subq $8, %rsp		/* 16-byte aligned at the call */
	call wprobe_record
	addq $8, %rsp
	fxrstor64 wprobe_fx
	movq wprobe_regs + 0 * 8, %rax
	movq wprobe_regs + 1 * 8, %rcx
	movq wprobe_regs + 2 * 8, %rdx
	movq wprobe_regs + 3 * 8, %rbx
	movq wprobe_regs + 5 * 8, %rbp
	movq wprobe_regs + 6 * 8, %rsi
	movq wprobe_regs + 7 * 8, %rdi
	movq wprobe_regs + 8 * 8, %r8
	movq wprobe_regs + 9 * 8, %r9
	movq wprobe_regs + 10 * 8, %r10
	movq wprobe_regs + 11 * 8, %r11
	movq wprobe_regs + 12 * 8, %r12
	movq wprobe_regs + 13 * 8, %r13
	movq wprobe_regs + 14 * 8, %r14
	movq wprobe_regs + 15 * 8, %r15
	ret
	.size wprobe_stub, . - wprobe_stub

	.bss
	.balign 64
	.globl wprobe_regs
wprobe_regs:
	.zero 16 * 8
	.balign 64
wprobe_fx:
	.zero 512
	.section .note.GNU-stack, "", @progbits
