// SPDX-License-Identifier: GPL-2.0
/*
 * The stack floor: push, pushf and call write below %rsp and move it
 * down with no check of their own (pivot.c checks only explicit writes
 * to %rsp).  A loop of pushes, or deep recursion, would walk %rsp into
 * the zone at the bottom of the task's stack (zone.h) and overwrite gate
 * records and shadow-stack entries; the stores bounds.c elides (-256..2047
 * from %rsp) assume %rsp stays 256 bytes above it.
 *
 * Each block is given a descent budget: the bytes its instructions may
 * move %rsp down with no check.  It starts at 0.  An instruction's
 * descent is 8 for push and pushf, 8 for a call to the module's own code
 * (the shadow-stack prologue's two pushes before it, popped again, stay
 * within the 256 bytes of margin), and 8 + FLOOR_KERNEL_RESERVE for any
 * other call (a direct call to the kernel, or an indirect call): the
 * kernel function gets that much room before the zone.  An instruction
 * whose descent exceeds what is left needs a check; at the block's first
 * instruction it gets one for R = max(descent, FLOOR_MIN) bytes (one
 * check covers a prologue's several pushes), and the rest of R is left
 * to the block; anywhere else it starts a new block
 * (KC_INSTRUMENT_SPLIT).  An instruction pivot.c checks leaves the budget
 * at 0 after it (it may have moved %rsp down anywhere above the floor).
 *
 * The check, with T = KCAGE_SS_END + 256 + R - pushed:
 *
 *	[pushfq ;] push %rax
 *	mov %gs:current_task, %rax ; mov stack(%rax), %rax
 *	neg %rax ; lea (%rsp,%rax), %rax ; cmp $T, %rax ; jae done
 *	lea (pushed - R)(%rsp), %rax
 *	push $pc ; push $FLOOR ; call kcage_slow_access ; lea 16(%rsp), %rsp
 *	done: pop %rax [; popfq]
 *
 * It lets %rsp through when %rsp - R is at least KCAGE_SS_END + 256 above
 * the task's stack, or when %rsp is not in the task's stack at all (on
 * this CPU's interrupt stack or another stack the kernel ran the module
 * on: going down, it does not reach the task's zone; the unsigned
 * difference is then above T).  Anything else is a violation
 * (kcage_floor_check()), reported as a stack pivot is.  The flags are
 * saved only when live (kcage_flags_dead(); never for a call: no code
 * passes status flags to a function).
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched/task_stack.h>
#include <asm/current.h>
#include "core/block.h"
#include "core/emit.h"
#include "access.h"
#include "enforce.h"
#include "floor.h"
#include "dbt/contain.h"
#include "rt/zone.h"
#include "sandbox/sandbox.h"
#include "sandbox/violation.h"
#include "slow.h"

/* How far above the zone %rsp must stay (pivot.c's floor) */
#define FLOOR_BYTES		(KCAGE_SS_END + 256)
/* What a call out of the module (to the kernel) gets below %rsp */
#define FLOOR_KERNEL_RESERVE	2048
/* The least a check covers */
#define FLOOR_MIN		128

/*
 * The budget of the block being translated on this CPU.  Per CPU: the
 * CPU's translator fills it and reads it back for the block's later
 * instructions, with interrupts off (xlate.c), as bounds.c's block_group.
 */
struct floor_state {
	u64 block_ip;
	u32 budget;
};

static DEFINE_PER_CPU(struct floor_state, floor_state);

/* How far @insn of @sb moves %rsp down (and writes below it). */
static u32 descent(const struct kcage_sandbox *sb, const struct kc_insn *insn)
{
	switch (insn->kind) {
	case KC_INSN_PLAIN:
		return insn->zi.mnemonic == ZYDIS_MNEMONIC_PUSH ||
		       insn->zi.mnemonic == ZYDIS_MNEMONIC_PUSHFQ ? 8 : 0;
	case KC_INSN_CALL:
		if (kcage_sandbox_find(insn->target) == sb)
			return 8;
		return 8 + FLOOR_KERNEL_RESERVE;
	case KC_INSN_CALL_IND:
		return 8 + FLOOR_KERNEL_RESERVE;
	default:
		return 0;
	}
}

static int emit_floor_check(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, u32 r)
{
	bool call = insn->kind == KC_INSN_CALL || insn->kind == KC_INSN_CALL_IND;
	bool keep = !call && !kcage_flags_dead(sb, insn);
	int pushed = keep ? 16 : 8;
	s32 pc32 = (s32)insn->ip;
	struct kc_label done;
	int ret;

	if ((u64)(s64)pc32 != insn->ip)
		return -ERANGE;
	kc_label_init(&done, true);
	ret = keep ? kcage_emit_check_start(e) : kc_emit_push_reg(e, KC_RAX);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(&current_task));
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, kcage_task_stack_offset));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM_INDEX(KC_RSP, KC_RAX, 0));
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, FLOOR_BYTES + r - pushed);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_AE, &done);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, pushed - (s32)r));
	ret = ret ?: kc_emit_push_imm32(e, pc32);
	ret = ret ?: kc_emit_push_imm32(e, KCAGE_ACCESS_FLOOR);
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_access);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 16));
	ret = ret ?: kc_label_bind(e, &done);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	return ret ?: (keep ? kc_emit_popf(e) : 0);
}

/**
 * kcage_floor_instrument - a floor check before @insn if it needs one
 * @sb:   the sandbox being translated
 * @e:    where the check goes
 * @insn: the instruction
 * @blk:  the block so far (none: @insn starts it)
 *
 * Runs for every instruction of a sandbox with a policy, before the
 * other checks (enforce.c); interrupts off (this CPU's translator).
 *
 * Return: 0, KC_INSTRUMENT_SPLIT or an error.
 */
int kcage_floor_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, const struct kc_block *blk)
{
	struct floor_state *s = this_cpu_ptr(&floor_state);
	u32 d = descent(sb, insn), r;
	int ret;

	lockdep_assert(irqs_disabled());
	if (!blk->nr_insns) {
		s->block_ip = insn->ip;
		s->budget = 0;
	} else if (s->block_ip != blk->native_start) {
		s->budget = 0;	/* not this block's: start over */
		return d ? KC_INSTRUMENT_SPLIT : 0;
	}
	if (d <= s->budget) {
		s->budget -= d;
	} else if (blk->nr_insns) {
		return KC_INSTRUMENT_SPLIT;
	} else {
		r = max_t(u32, d, FLOOR_MIN);
		ret = emit_floor_check(sb, e, insn, r);
		if (ret)
			return ret;
		s->budget = r - d;
	}
	if (insn->kind == KC_INSN_PLAIN && kcage_pivot_checked(insn))
		s->budget = 0;
	return 0;
}

/**
 * kcage_floor_check - a floor check did not let %rsp through
 * @low: the lowest %rsp the checked instructions reach (%rsp - R)
 * @pc:  the checked instruction's native address
 *
 * The inline check calls here only while %rsp lies in the task's stack
 * and @low below its floor: the module's pushes and calls would reach
 * the zone (or the 256 bytes above it that the stores bounds.c does not
 * check rely on).  Reported as a stack pivot.
 *
 * Return: 0 to go on, else where to go instead.
 */
unsigned long kcage_floor_check(unsigned long low, unsigned long pc)
{
	unsigned long lo = (unsigned long)task_stack_page(current);
	struct kcage_violation v = {
		.kind = KCP_KIND_RETURN, .pc = pc, .addr = low,
		.detail = "stack_floor", .rule = "cfi.stack",
	};

	if (low >= lo + FLOOR_BYTES)
		return 0;
	return kcage_contain_stop_at_pc(&v);
}
