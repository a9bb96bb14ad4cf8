/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zone: a few pages at the bottom of each task's kernel stack that hold
 * the shadow stack (enforce/shadow.c) and the gate records (dbt/gate.S),
 * where the module cannot write.  Where they lie and what they hold;
 * shared by assembly and C.
 *
 * They sit near the bottom of the task's kernel stack (task->stack), which
 * current finds in two loads from any context, and which stays the
 * task's across preemption, migration and sleep; interrupts that run
 * sandboxed code use the interrupted task's, above its entries.  Layout,
 * as offsets from task->stack:
 *
 *	0	the stack's end marker (STACK_END_MAGIC), left alone
 *	ZONE	magic: ZONE's address ^ kcage_zone_secret, when initialised
 *	+8	top: offset (from task->stack) of the first free entry
 *	+16	ceiling: the top of the running entry's own frames (below)
 *	+24	gate top: offset of the first free gate record
 *	+32	unused
 *	+40	the running entry's first write grant (grant.c): start,
 *	+48	length,
 *	+56	and the sandbox it is for (its okpage.c slot + 1; 0: none)
 *	FIRST	entries, 16 bytes each: return address, address of its slot
 *	GFIRST	gate records, one per entry into a module
 *	END
 *
 * The ceiling is the address of the running entry's frame (frame.h): its
 * stack arguments and the gap below it are the module's, the frame and
 * the kernel caller's frames above are not.  The module's stores must end
 * at or below it and its %rsp stays KCAGE_RSP_HEADROOM below it (access.c,
 * bounds.c, floor.c, pivot.c).  The gate sets it when the kernel enters the
 * module, keeping the previous one in the entry's gate record, and puts
 * that back when the entry returns or is abandoned; 0 (no store on a
 * stack allowed) until the first entry.  On an interrupt stack it is the
 * interrupt's entry, so module code in a hardware interrupt cannot write
 * the frames of the module's softirq it came in on.
 *
 * A gate record keeps what the kernel caller gets back when its call
 * into the module returns (its return address, callee-saved registers,
 * flags, preempt count) and what the entry was called with (grants),
 * where the module cannot write, so overwriting the entry frame on the
 * stack (frame.h) changes nothing.  The kernel's own
 * stack use never gets this deep in practice (it would be a few hundred
 * bytes from overflowing); stores of the module into the zone are refused
 * (access.c), and so is moving %rsp there (pivot.c).
 *
 * Both are fixed in size and neither overflows: a call of the module
 * that would push past the last entry (once entries of frames that are
 * gone are dropped) is refused (shadow.c, dispatch.S),
 * and so is an entry from the kernel that finds no free gate record or
 * no free entry for its boundary (gate.S), each reported as a violation
 * of kind return.  An interrupt that enters a module uses the
 * interrupted task's zone above its entries, so a task deep in a module
 * leaves less room for it: its entry or its calls are refused then too,
 * never let through unrecorded.
 */
#ifndef KCAGE_ZONE_H
#define KCAGE_ZONE_H

#define KCAGE_SS_ZONE		64
#define KCAGE_SS_MAGIC		(KCAGE_SS_ZONE + 0)
#define KCAGE_SS_TOP		(KCAGE_SS_ZONE + 8)
#define KCAGE_SS_CEIL		(KCAGE_SS_ZONE + 16)
#define KCAGE_SS_GTOP		(KCAGE_SS_ZONE + 24)
#define KCAGE_SS_GRANT_LO	(KCAGE_SS_ZONE + 40)
#define KCAGE_SS_GRANT_LEN	(KCAGE_SS_ZONE + 48)
#define KCAGE_SS_GRANT_OWN	(KCAGE_SS_ZONE + 56)
#define KCAGE_SS_FIRST		(KCAGE_SS_ZONE + 64)
#define KCAGE_SS_ENTRIES	64
#define KCAGE_SS_GFIRST		(KCAGE_SS_FIRST + 16 * KCAGE_SS_ENTRIES)
#define KCAGE_SS_RECORDS	10
#define KCAGE_SS_END		(KCAGE_SS_GFIRST + KCAGE_G_SIZE * KCAGE_SS_RECORDS)

/*
 * Stores at constant offsets from %rsp in [-KCAGE_RSP_BELOW,
 * KCAGE_RSP_ABOVE) are the frame's own and get no check (bounds.c): %rsp
 * stays KCAGE_RSP_HEADROOM below the ceiling, room for the farthest of
 * them (64 bytes: the widest store).
 */
#define KCAGE_RSP_BELOW		256
#define KCAGE_RSP_ABOVE		256
#define KCAGE_RSP_HEADROOM	(KCAGE_RSP_ABOVE + 64)

/*
 * How far above the zone (or an interrupt stack's bottom) the module's
 * %rsp stays, before KCAGE_STACK_RESERVE: the stores bounds.c leaves
 * unchecked (down to KCAGE_RSP_BELOW below %rsp) and the return addresses of direct
 * calls within the module, which get no floor check of their own (8 bytes
 * each, at most one per shadow-stack entry: a call past the last is
 * refused).
 */
#define KCAGE_STACK_MARGIN	(KCAGE_RSP_BELOW + 8 * KCAGE_SS_ENTRIES)

/*
 * What the kernel may use below the module's %rsp at any of its
 * instructions: an interrupt's or an exception's frames and a preemption's
 * schedule() (they run on the stack they interrupted), a slow path's
 * register save and decision, a kernel function the module calls.  The
 * stack floor (floor.c) and pivots (pivot.c) keep this much between %rsp
 * and KCAGE_STACK_MARGIN above the zone.  A bound, not a proof.
 */
#define KCAGE_STACK_RESERVE	2048

/* A gate record: offsets of its words */
#define KCAGE_G_RET		0	/* return address into the kernel */
#define KCAGE_G_RBX		8
#define KCAGE_G_RBP		16
#define KCAGE_G_R12		24
#define KCAGE_G_R13		32
#define KCAGE_G_R14		40
#define KCAGE_G_R15		48
#define KCAGE_G_SS_TOP		56	/* the shadow stack's top at entry */
#define KCAGE_G_CEIL		64	/* the ceiling before this entry */
#define KCAGE_G_FLAGS		72
#define KCAGE_G_PREEMPT		80
#define KCAGE_G_FRAME		88	/* the entry frame it belongs to */
#define KCAGE_G_ENTRY		96	/* the translation entered */
#define KCAGE_G_ARGS		104	/* rdi rsi rdx rcx r8 r9 (grants) */
#define KCAGE_G_SIZE		152

#ifdef __ASSEMBLY__
/*
 * SHADOW_PUSH ret, slot, base, top, tmp, full: record return address \ret
 * (an immediate, register or memory operand) for the stack slot at
 * address \slot (an operand for lea), with three scratch registers, or
 * jump to \full, nothing written, if the entries are full (or top is
 * not one of them): the call must not happen unrecorded.  Flags
 * clobbered.  The top is reserved before the entry is written, so an
 * interrupt in between pushes and pops above it.
 */
.macro SHADOW_PUSH ret:req, slot:req, base:req, top:req, tmp:req, full:req
	movq	PER_CPU_VAR(current_task), \base
	addq	kcage_task_stack_offset(%rip), \base
	movq	(\base), \base
	movq	KCAGE_SS_TOP(\base), \top
	subq	$KCAGE_SS_FIRST, \top
	cmpq	$(KCAGE_SS_GFIRST - KCAGE_SS_FIRST - 16), \top
	ja	\full
	addq	$16, KCAGE_SS_TOP(\base)
	movq	\ret, \tmp
	movq	\tmp, KCAGE_SS_FIRST(\base, \top)
	leaq	\slot, \tmp
	movq	\tmp, KCAGE_SS_FIRST + 8(\base, \top)
.endm
#else
#include <linux/types.h>

/* offsetof(struct task_struct, stack), for gate.S and dispatch.S */
extern const unsigned long kcage_task_stack_offset;
extern unsigned long kcage_zone_secret;

void kcage_zone_init(void);
bool kcage_zone_ok(unsigned long base);
const unsigned long *kcage_zone_gate_record(void);
unsigned long kcage_zone_ceiling(void);
bool kcage_zone_any_record(bool (*fn)(const unsigned long *rec, void *arg),
			   void *arg);
#endif /* __ASSEMBLY__ */

#endif /* KCAGE_ZONE_H */
