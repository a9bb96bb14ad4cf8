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
#include <asm/percpu.h>
#include <linux/errno.h>
#include <asm/asm.h>
#include "dbt/frame.h"
#include "ibl.h"
#include "rt/zone.h"

#include "dbt/save.h"

	.text

/*
 * IBL_PROBE off: look the native target at @off(%rsp) up in this CPU's
 * indirect-branch lookup table (ibl.c), using %rax and %rdx, which the
 * caller saved.  On a hit %rax is the translation; on a miss it jumps to
 * \miss.  Clobbers the flags.  The task stays on its CPU and no flush
 * comes in between the reads (IBL_HOLD, ibl.h); the double read of the
 * native address catches a concurrent update of the entry.
 */
.macro IBL_PROBE off, miss
	movq \off(%rsp), %rax
	IBL_HOLD
	IBL_SLOT %rax, %rdx
	cmpq (%rdx), %rax
	jne .Lprobe_miss_\@
	movq 8(%rdx), %rax
	movq (%rdx), %rdx
	IBL_RELEASE
	cmpq \off(%rsp), %rdx
	jne \miss
	jmp .Lprobe_hit_\@
.Lprobe_miss_\@:
	IBL_RELEASE
	jmp \miss
.Lprobe_hit_\@:
.endm

/* IN_CACHE reg, no: go on if \reg is in the code cache, else jump to \no. */
.macro IN_CACHE reg:req, no:req
	cmpq $kcage_cache_area, \reg
	jb \no
	cmpq $kcage_cache_area_end, \reg
	jae \no
.endm

/*
 * Indirect call: translated "call *X" is "push X; call kcage_dispatch_icall".
 * On entry: 0(%rsp) = return address (in the cache), 8(%rsp) = X.
 * Leaves:   0(%rsp) = return address, and goes to the translation of X.
 *
 * A call into translated code is recorded on the shadow stack (shadow.c);
 * if the shadow stack is full the fast path gives up for the slow one,
 * where kcage_shadow_full() drops entries of frames that are gone, or
 * refuses the call (abandoning the entry into the module), or, where
 * returns go unchecked, lets it go unrecorded.
 *
 * The flags are not preserved: a call leaves them undefined for the
 * callee and the caller (the C ABI, and every kernel calling convention,
 * paravirt callee-save thunks included).
 */
SYM_CODE_START(kcage_dispatch_icall)
	pushq %rax
	pushq %rdx
	/* 0: rdx, 8: rax, 16: return address, 24: X */
	IBL_PROBE 24, .Licall_slow
	IN_CACHE %rax, 1f
	pushq %rcx
	pushq %rsi
	/* 0: rsi, 8: rcx, 16: rdx, 24: rax, 32: return address, 40: X */
	SHADOW_PUSH 32(%rsp), 40(%rsp), %rdx, %rcx, %rsi, .Licall_full
	popq %rsi
	popq %rcx
1:	movq 16(%rsp), %rdx
	movq %rdx, 24(%rsp)
	movq %rax, 16(%rsp)
	popq %rdx
	popq %rax
	ret
.Licall_slow:
	popq %rdx
	popq %rax
	SAVE
	movq SLOT(1), %rdi
	movq SLOT(0), %rsi
	xorl %edx, %edx
	xorl %ecx, %ecx
	call kcage_indirect_target
	movq SLOT(0), %rcx
	movq %rcx, SLOT(1)
	movq %rax, SLOT(0)
	IN_CACHE %rax, 1f
.Licall_push:
	SHADOW_PUSH %rcx, (SAVED+8)(%rsp), %rdx, %rsi, %rdi, .Licall_deep
1:	RESTORE
	ret
.Licall_full:
	popq %rsi
	popq %rcx
	jmp .Licall_slow
.Licall_deep:
	/* %rcx: the call's return address, in the cache, also in SLOT(1) */
	movq %rcx, %rdi
	leaq SLOT(1), %rsi
	call kcage_shadow_full
	movq SLOT(1), %rcx
	/* 0: room made, push again; 1: call unrecorded; else: refused */
	testq %rax, %rax
	jz .Licall_push
	cmpq $1, %rax
	je 1b
	movq %rax, SLOT(0)
	jmp 1b
SYM_CODE_END(kcage_dispatch_icall)

/*
 * Indirect jump: translated "jmp *X" is "push X; push $pc; jmp
 * kcage_dispatch_ijmp", pc being the jump's native address (the policy
 * lets a jump go to a jump-table target in its own function, enforce.c).
 * On entry: 0(%rsp) = pc, 8(%rsp) = X.  Goes to the translation of X,
 * both popped, with the flags preserved (a jump may leave them live).
 *
 * A jump out of the cache is a tail call into the kernel: the C side
 * checks the return address it will return through (SLOT(2) once pc and
 * X are popped) as a return (shadow.c), so lookup-table hits outside the
 * cache take the slow path.
 */
SYM_CODE_START(kcage_dispatch_ijmp)
	pushfq
	pushq %rax
	pushq %rdx
	/* 0: rdx, 8: rax, 16: flags, 24: pc, 32: X */
	IBL_PROBE 32, .Lijmp_slow
	IN_CACHE %rax, .Lijmp_slow
	movq %rax, 32(%rsp)
	popq %rdx
	popq %rax
	popfq
	leaq 8(%rsp), %rsp
	ret
.Lijmp_slow:
	popq %rdx
	popq %rax
	popfq
	SAVE
	movq SLOT(1), %rdi
	xorl %esi, %esi
	movq SLOT(0), %rdx
	leaq SLOT(2), %rcx
	call kcage_indirect_target
	movq %rax, SLOT(1)
	RESTORE
	leaq 8(%rsp), %rsp
	ret
SYM_CODE_END(kcage_dispatch_ijmp)

/*
 * Exit stub of a block: "call kcage_dispatch_exit" followed by the exit's
 * record (struct kc_exit_record, core/link.h).  On entry: SLOT(0) = address
 * of the record.  Translates the exit's target, links the exit when it
 * can, and goes there with SLOT(0) popped, as if the block had jumped
 * directly.
 */
SYM_CODE_START(kcage_dispatch_exit)
	SAVE
	movq SLOT(0), %rdi
	call kcage_exit_target
	movq %rax, SLOT(0)
	RESTORE
	ret
SYM_CODE_END(kcage_dispatch_exit)

/*
 * Entry stub of a function without an ftrace site, patched over its
 * native start: "pushq $native; jmp kcage_enter_stub".  Translates (or
 * refuses) the entry like the ftrace handler does, then goes through the
 * gate (gate.S) with the translation in %r10, free at a function entry.
 */
SYM_CODE_START(kcage_enter_stub)
	SAVE
	movq SLOT(0), %rdi
	call kcage_xlate_entry
	movq %rax, SLOT(0)
	RESTORE
	popq %r10
	testq %r10, %r10
	jz kcage_refuse
	jmp kcage_enter
SYM_CODE_END(kcage_enter_stub)

/* In place of a kernel function whose work a handler did (fixup.c). */
SYM_CODE_START(kcage_skip)
	RET
SYM_CODE_END(kcage_skip)

/*
 * A call the policy refuses (enforce.c): entered instead of the target,
 * with the stack as the target would have found it; returns -EPERM.
 */
SYM_CODE_START(kcage_deny)
	movq $-EPERM, %rax
	RET
SYM_CODE_END(kcage_deny)

/*
 * An allocator call kcage cannot record the result of (api.c): entered
 * instead of the allocator; returns NULL, as an allocator out of memory.
 */
SYM_CODE_START(kcage_fail_null)
	xorl %eax, %eax
	RET
SYM_CODE_END(kcage_fail_null)

/* An entry into a quarantined module: return an error to the caller. */
SYM_CODE_START(kcage_refuse)
	movq $-EIO, %rax
	RET
SYM_CODE_END(kcage_refuse)

/*
 * BAIL err: abandon the translated code running on this stack and return
 * \err (or 0, see contain.c) from the innermost entry into the module,
 * with the flags the kernel caller had; kcage_enter_return restores its
 * registers (contain.c finds the frame, frame.h).
 */
.macro BAIL err
	movq $\err, %rsi
	movq %rsp, %rdi
	call kcage_contain_frame
	movq %rax, %rsp
	pushq KCAGE_F_FLAGS(%rsp)
	popfq
	movq KCAGE_F_ENTRY(%rsp), %rax
	jmp kcage_enter_return
.endm

/* The fault path (contain.c) sends a contained fault here. */
SYM_CODE_START(kcage_bail_efault)
	BAIL -EFAULT
SYM_CODE_END(kcage_bail_efault)

/* A BUG() or a trapping instruction (trap.c). */
SYM_CODE_START(kcage_bail_eio)
	BAIL -EIO
SYM_CODE_END(kcage_bail_eio)

/* A policy violation that stops the running call into the module. */
SYM_CODE_START(kcage_bail_eperm)
	BAIL -EPERM
SYM_CODE_END(kcage_bail_eperm)

/* Code that cannot be translated (cache or map full). */
SYM_CODE_START(kcage_bail_enomem)
	BAIL -ENOMEM
SYM_CODE_END(kcage_bail_enomem)

/*
 * Never executed: a contained fault's regs->ip is set here, and this
 * entry in kcage's own exception table makes the kernel's
 * fixup_exception() send it on to kcage_bail_efault.
 */
SYM_CODE_START(kcage_fault_site)
	int3
	_ASM_EXTABLE(kcage_fault_site, kcage_bail_efault)
SYM_CODE_END(kcage_fault_site)
