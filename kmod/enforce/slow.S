/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow paths of the checks enforcement inlines into translated code:
 * entered by a call when the inline test did not let the access, the
 * return or the privileged operand through.  Each saves what the C
 * calling convention clobbers (dbt/save.h), asks the C side, and either
 * returns to the check (the operation may happen) or goes where the C
 * side says instead (a violation that stops the entry).
 *
 * The ret to a computed address is a control transfer, not a function
 * return; objtool would object to it, hence the file is not
 * objtool-checked (Kbuild).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include "dbt/save.h"

	.text

/*
 * A translated return that the shadow stack's inline check did not let
 * through (shadow.c).  On entry: 0(%rsp) = where it was called from (in
 * the cache), 8(%rsp) = the return address.  Goes back to the return if it
 * may happen, else abandons the call into the module.
 */
SYM_CODE_START(kcage_slow_return)
	SAVE
	cld
	leaq SLOT(1), %rdi
	movq SLOT(0), %rsi
	call kcage_shadow_return
	jmp .Lgo_on_or_abandon
SYM_CODE_END(kcage_slow_return)

/*
 * A translated call into translated code that the shadow stack has no
 * room left for (shadow.c).  On entry: 0(%rsp) = where it was called from
 * (in the cache), 8(%rsp) and 16(%rsp) = the prologue's %r11 and %r10;
 * the call's return address will go where %r10 is.  Goes back to the
 * prologue with %r11 = 0 to push again, 1 to call unrecorded
 * (kcage_shadow_full()), else abandons the call into the module.
 */
SYM_CODE_START(kcage_slow_call_full)
	SAVE
	cld
	movq SLOT(0), %rdi
	leaq SLOT(2), %rsi
	call kcage_shadow_full
	cmpq $1, %rax
	ja .Lgo_on_or_abandon
	movq %rax, (%rsp)	/* the saved %r11 */
	RESTORE
	ret
SYM_CODE_END(kcage_slow_call_full)

/*
 * A load's or store's inline check (bounds.c) did not let it through.  On
 * entry: %rax = the address, 0(%rsp) = where it was called from (in the
 * cache), 8(%rsp) = the access size and kind (access.h), 16(%rsp) = the
 * checked instruction's native address (a stack pivot's check has none);
 * the flags are the module's for a string instruction's check (which
 * changes none before the call): kcage_access_check() reads DF in them.
 * Returns to the check if the access may happen, else abandons the call
 * into the module.
 */
SYM_CODE_START(kcage_slow_access)
	SAVE
	movq $1, %rcx
.Lcheck_access:
	/* the kernel's C code runs with DF clear; RESTORE brings it back */
	cld
	movq %rax, %rdi
	movq SLOT(1), %rsi
	movq SLOT(0), %rdx
	movq SLOT(2), %r8
	/* the flags SAVE pushed first: the module's, for a string check */
	movq (SAVED - 8)(%rsp), %r9
	call kcage_access_check
	/* %rax: 0 to return to the check, else where to go instead */
.Lgo_on_or_abandon:
	testq %rax, %rax
	jnz 1f
	RESTORE
	ret
1:	movq %rax, SLOT(0)
	RESTORE
	ret
SYM_CODE_END(kcage_slow_access)

/*
 * The same for a rep string instruction: %rcx, the count, goes to
 * kcage_access_check() too, which multiplies it by the element size.
 */
SYM_CODE_START(kcage_slow_access_rep)
	SAVE
	jmp .Lcheck_access
SYM_CODE_END(kcage_slow_access_rep)

/*
 * The run-time check of a privileged instruction's port or MSR (priv.c).
 * On entry: %rax = the value, 0(%rsp) = where it was called from, 8(%rsp)
 * = the instruction's kind, 16(%rsp) its native address.  As
 * kcage_slow_access.
 */
SYM_CODE_START(kcage_slow_priv)
	SAVE
	cld
	movq %rax, %rdi
	movq SLOT(1), %rsi
	movq SLOT(0), %rdx
	movq SLOT(2), %rcx
	call kcage_enforce_priv_value
	jmp .Lgo_on_or_abandon
SYM_CODE_END(kcage_slow_priv)
