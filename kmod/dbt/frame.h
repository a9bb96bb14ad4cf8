/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry frame: what kcage_enter (gate.S) puts on the stack each time
 * the kernel calls into a sandboxed module, so that a crash of the module
 * can be unwound to the kernel caller (contain.c).  Shared by assembly
 * and C.
 *
 * Stack at the call into the translation, from low to high addresses:
 *
 *	copy of the caller's first KCAGE_ARG_WORDS stack arguments
 *	gap		KCAGE_FRAME_GAP bytes nothing uses
 *	cookie		(the ceiling, zone.h: the module's stores end below)		frame address ^ kcage_frame_secret: marks a live frame
 *	rbx rbp r12 r13 r14 r15	the caller's callee-saved registers
 *	flags		at entry (interrupts, AC)
 *	preempt		preempt count at entry
 *	entry		the translation entered
 *	rdi rsi rdx rcx r8 r9	the arguments it was entered with (grants)
 *	ss_top		the shadow stack's top at entry, put back when the
 *			entry returns (shadow.c)
 *	rax		the caller's %rax (a varargs call's vector register
 *			count) while the gate calls C to make room (gate.S)
 *	return address into the kernel caller
 *	the caller's stack arguments
 *
 * The translation finds its stack arguments where the ABI puts them
 * (above its return address) because the gate copies them: functions of
 * the kernel with more than 6 + KCAGE_ARG_WORDS argument words are not
 * supported (none was seen in the corpus; see docs/exception-handling.md).
 * The gap keeps the translation's %rsp, when it starts, far enough below
 * the ceiling (KCAGE_RSP_HEADROOM) for the stores bounds.c leaves
 * unchecked and for a block's pops (floor.c).
 */
#ifndef KCAGE_FRAME_H
#define KCAGE_FRAME_H

#define KCAGE_ARG_WORDS		8
#define KCAGE_FRAME_GAP		320
#define KCAGE_F_COOKIE		(KCAGE_ARG_WORDS * 8 + KCAGE_FRAME_GAP)
#define KCAGE_F_RBX		(KCAGE_F_COOKIE + 8)
#define KCAGE_F_RBP		(KCAGE_F_COOKIE + 16)
#define KCAGE_F_R12		(KCAGE_F_COOKIE + 24)
#define KCAGE_F_R13		(KCAGE_F_COOKIE + 32)
#define KCAGE_F_R14		(KCAGE_F_COOKIE + 40)
#define KCAGE_F_R15		(KCAGE_F_COOKIE + 48)
#define KCAGE_F_FLAGS		(KCAGE_F_COOKIE + 56)
#define KCAGE_F_PREEMPT		(KCAGE_F_COOKIE + 64)
#define KCAGE_F_ENTRY		(KCAGE_F_COOKIE + 72)
#define KCAGE_F_ARGS		(KCAGE_F_COOKIE + 80)
#define KCAGE_F_SS_TOP		(KCAGE_F_COOKIE + 128)
#define KCAGE_F_RAX		(KCAGE_F_COOKIE + 136)
#define KCAGE_FRAME_SIZE	(KCAGE_F_COOKIE + 144)

/*
 * The API frame: what kcage_api_gate (gate.S) keeps on the stack around a
 * call from translated code to a kernel function its policy watches
 * (api.c), from low to high addresses:
 *
 *	copy of the first KCAGE_ARG_WORDS stack arguments
 *	rdi rsi rdx rcx r8 r9	the arguments
 *	rax		(the vector register count of a varargs call)
 *	fn		the kernel function called
 *	pc		native address of the module's call or jump
 *	ret ret2	what the function returned (%rax, %rdx)
 *	state		for api.c, from before the call to after it
 *	return address into the cache (or, for a tail call, the module's
 *	caller)
 */
#define KCAGE_A_ARGS		(KCAGE_ARG_WORDS * 8)
#define KCAGE_A_RDI		(KCAGE_A_ARGS + 0)
#define KCAGE_A_RSI		(KCAGE_A_ARGS + 8)
#define KCAGE_A_RDX		(KCAGE_A_ARGS + 16)
#define KCAGE_A_RCX		(KCAGE_A_ARGS + 24)
#define KCAGE_A_R8		(KCAGE_A_ARGS + 32)
#define KCAGE_A_R9		(KCAGE_A_ARGS + 40)
#define KCAGE_A_RAX		(KCAGE_A_ARGS + 48)
#define KCAGE_A_FN		(KCAGE_A_ARGS + 56)
#define KCAGE_A_PC		(KCAGE_A_ARGS + 64)
#define KCAGE_A_RET		(KCAGE_A_ARGS + 72)
#define KCAGE_A_RET2		(KCAGE_A_ARGS + 80)
#define KCAGE_A_STATE		(KCAGE_A_ARGS + 88)
#define KCAGE_API_FRAME_SIZE	(KCAGE_A_ARGS + 120)

#ifndef __ASSEMBLY__
#include <linux/build_bug.h>
#include <linux/stddef.h>

struct kcage_entry_frame {
	unsigned long args[KCAGE_ARG_WORDS];
	unsigned long gap[KCAGE_FRAME_GAP / 8];
	unsigned long cookie;
	unsigned long rbx, rbp, r12, r13, r14, r15;
	unsigned long flags;
	unsigned long preempt;
	unsigned long entry;
	unsigned long entry_args[6];
	unsigned long ss_top, rax;
};

static_assert(offsetof(struct kcage_entry_frame, cookie) == KCAGE_F_COOKIE);
static_assert(offsetof(struct kcage_entry_frame, r15) == KCAGE_F_R15);
static_assert(offsetof(struct kcage_entry_frame, entry) == KCAGE_F_ENTRY);
static_assert(offsetof(struct kcage_entry_frame, entry_args) == KCAGE_F_ARGS);
static_assert(sizeof(struct kcage_entry_frame) == KCAGE_FRAME_SIZE);

struct kcage_api_frame {
	unsigned long stack_args[KCAGE_ARG_WORDS];
	unsigned long args[6];
	unsigned long rax;
	unsigned long fn;
	unsigned long pc;
	unsigned long ret, ret2;
	unsigned long state[4];	/* api.c's; the last keeps %rsp 16-aligned */
};

static_assert(offsetof(struct kcage_api_frame, rax) == KCAGE_A_RAX);
static_assert(offsetof(struct kcage_api_frame, state) == KCAGE_A_STATE);
static_assert(sizeof(struct kcage_api_frame) == KCAGE_API_FRAME_SIZE);

extern unsigned long kcage_frame_secret;

/* gate.S and dispatch.S */
void kcage_enter(void);
void kcage_enter_stub(void);
void kcage_refuse(void);
void kcage_bail_efault(void);
void kcage_bail_eio(void);
void kcage_bail_enomem(void);
void kcage_fault_site(void);
void kcage_skip(void);
void kcage_deny(void);
void kcage_fail_null(void);
void kcage_enter_return(void);
void kcage_api_gate(void);
void kcage_bail_eperm(void);
#endif

#endif /* KCAGE_FRAME_H */
