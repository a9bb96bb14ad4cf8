/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void fuzz_run(u64 code, const struct fuzz_regs *in, struct fuzz_regs *out)
 *
 * Switches to the stack in->r[4], loads every general register and the
 * flags from *in, calls @code, and stores every register, the flags and
 * the stack pointer the code returned with into *out.  Nothing between
 * the loads and the call, or between the return and the stores, changes
 * a register or a flag: the flags are pushed first and popped last.  Not
 * reentrant (the host's stack pointer and the pointers are kept in .bss).
 */
#define R(n)	(8 * (n))
#define FLAGS	(8 * 16)

	.text
	.globl fuzz_run
	.type fuzz_run, @function
fuzz_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, host_rsp(%rip)
	movq %rdi, code(%rip)
	movq %rdx, out(%rip)

	/* flags: only the arithmetic ones and DF vary */
	movq FLAGS(%rsi), %rax
	andq $0xcd5, %rax
	orq $0x202, %rax
	movq R(4)(%rsi), %rsp
	pushq %rax
	popfq
	movq R(0)(%rsi), %rax
	movq R(1)(%rsi), %rcx
	movq R(2)(%rsi), %rdx
	movq R(3)(%rsi), %rbx
	movq R(5)(%rsi), %rbp
	movq R(7)(%rsi), %rdi
	movq R(8)(%rsi), %r8
	movq R(9)(%rsi), %r9
	movq R(10)(%rsi), %r10
	movq R(11)(%rsi), %r11
	movq R(12)(%rsi), %r12
	movq R(13)(%rsi), %r13
	movq R(14)(%rsi), %r14
	movq R(15)(%rsi), %r15
	movq R(6)(%rsi), %rsi
	call *code(%rip)

	pushfq
	pushq %rax
	movq out(%rip), %rax
	movq %rcx, R(1)(%rax)
	movq %rdx, R(2)(%rax)
	movq %rbx, R(3)(%rax)
	movq %rbp, R(5)(%rax)
	movq %rsi, R(6)(%rax)
	movq %rdi, R(7)(%rax)
	movq %r8, R(8)(%rax)
	movq %r9, R(9)(%rax)
	movq %r10, R(10)(%rax)
	movq %r11, R(11)(%rax)
	movq %r12, R(12)(%rax)
	movq %r13, R(13)(%rax)
	movq %r14, R(14)(%rax)
	movq %r15, R(15)(%rax)
	popq R(0)(%rax)
	popq FLAGS(%rax)
	movq %rsp, R(4)(%rax)
	cld

	movq host_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size fuzz_run, . - fuzz_run

	.bss
	.balign 8
host_rsp:	.quad 0
code:		.quad 0
out:		.quad 0

	.section .note.GNU-stack, "", @progbits
