// SPDX-License-Identifier: GPL-2.0
/*
 * The stack floor and ceiling: push, pushf and call write below %rsp and
 * move it down with no check of their own, and a constant move of %rsp
 * (add or sub of an immediate, lea disp(%rsp)) is left to this file by
 * pivot.c.  Unchecked, a loop of pushes, deep recursion or repeated
 * constant moves would walk %rsp into the zone at the bottom of the
 * task's stack (zone.h) and overwrite gate records and shadow-stack
 * entries; pops, a loop of them, would carry it up past the ceiling
 * (zone.h) into the frames of the kernel code that called the module,
 * where a push, or the frame an interrupt's entry writes below %rsp,
 * writes over them.  The stores bounds.c elides (-KCAGE_RSP_BELOW to
 * KCAGE_RSP_ABOVE from %rsp) assume %rsp stays KCAGE_STACK_MARGIN above
 * the zone and KCAGE_RSP_HEADROOM below the ceiling.
 *
 * Each block with such an instruction is given, at its first instruction,
 * a check that %rsp may go R bytes down and A bytes up from where it is
 * at the block's start; the block's instructions then move %rsp within
 * [-R, +A] with no check.  An instruction's move is:
 *
 *	push, pushf			8 down
 *	pop, popf			8 up
 *	sub/add $imm, %rsp		imm down / up
 *	lea d(%rsp), %rsp		d
 *	direct call into the module	not counted: 8 down, each with a
 *					shadow-stack entry, so at most
 *					KCAGE_SS_ENTRIES of them (zone.h's
 *					KCAGE_STACK_MARGIN leaves room)
 *	any other call			8 down
 *
 * and every move down leaves KCAGE_STACK_RESERVE (zone.h) below the new
 * %rsp: room for an interrupt, an exception or a preemption taken right
 * after it, and for the kernel function a call goes to.
 *
 * The first instruction that moves %rsp sets R and A: R = max(its
 * descent, FLOOR_MIN) (one check covers a prologue's pushes, its sub
 * and a call to the kernel after them), A = max(its ascent,
 * FLOOR_UP_MIN) (an epilogue's add and pops).  It must be the block's
 * first instruction; a later one that would leave [-R, +A] starts a new
 * block (KC_INSTRUMENT_SPLIT).  An instruction pivot.c checks ends the
 * budget: after it %rsp is anywhere pivot.c allows, and the next move
 * needs a new block.  An epilogue's pops that the budget does not cover
 * need no check when nothing but up to 40 pops and instructions that
 * touch neither memory nor %rsp lie between them and a return in the same
 * block (free_pops()): the return's check puts %rsp back exactly, and
 * until then an interrupt's frame below %rsp stays below the ceiling.
 *
 * The check, with P the bytes it pushed itself and H = KCAGE_RSP_HEADROOM:
 *
 *	[pushfq ;] push %rax
 *	mov %gs:current_task, %rax ; mov stack(%rax), %rax
 *	mov ceiling(%rax), %rax ; sub %rsp, %rax ; cmp $(P + A + H), %rax
 *	jl slow
 *	[the rest only if R > 0: a block that only moves up is no nearer to
 *	 the floor than when it started]
 *	mov %gs:current_task, %rax ; mov stack(%rax), %rax ; neg %rax
 *	lea (P - R - FLOOR)(%rsp,%rax), %rax
 *	cmp $(THREAD_SIZE - FLOOR - R - A), %rax ; jbe done
 *	[mov %gs:hardirq_stack_ptr, %rax ; neg %rax
 *	 lea (P - R - M + IRQ_STACK_SIZE - 8)(%rsp,%rax), %rax
 *	 cmp $(IRQ_STACK_SIZE - M - R - A), %rax ; jbe done]
 *	slow: lea (P - R)(%rsp), %rax
 *	push $pc ; push $(FLOOR | R + A) ; call kcage_slow_access
 *	lea 16(%rsp), %rsp
 *	done: pop %rax [; popfq]
 *
 * It lets the block through when %rsp + A is H below the ceiling and
 * [%rsp - R, %rsp + A] lies in the task's
 * stack, FLOOR = KCAGE_SS_END + M bytes above its bottom, or in this
 * CPU's interrupt stack, M above its bottom (M = KCAGE_STACK_MARGIN):
 * where pivot.c lets the reserve below a new %rsp go.  The C
 * side (kcage_floor_check()) decides the same, and reports anything else
 * as a stack pivot: a stack kcage does not know is not one the module
 * may move down or up on.  The flags are saved only when live
 * (kcage_flags_dead(); never for a call: no code passes status flags to a
 * function).
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched/task_stack.h>
#include <asm/current.h>
#include <asm/page_64_types.h>
#include "core/block.h"
#include "core/emit.h"
#include "access.h"
#include "enforce.h"
#include "floor.h"
#include "dbt/contain.h"
#include "dbt/frame.h"
#include "dbt/xlate.h"
#include "rt/zone.h"
#include "sandbox/sandbox.h"
#include "sandbox/violation.h"
#include "slow.h"

/* How far above the zone %rsp must stay, before the reserve */
#define FLOOR_BYTES		(KCAGE_SS_END + KCAGE_STACK_MARGIN)
/* How far above an interrupt stack's bottom */
#define FLOOR_IRQ_BYTES		KCAGE_STACK_MARGIN
/* The least descent a check covers: a few pushes and a call out */
#define FLOOR_MIN		(128 + 8 + KCAGE_STACK_RESERVE)
/* The least ascent: an epilogue's pops */
#define FLOOR_UP_MIN		64

/*
 * The translation starts with %rsp 8 bytes below its stack arguments
 * (frame.h): a check there must let it go FLOOR_UP_MIN up.
 */
static_assert(KCAGE_F_COOKIE + 8 >= KCAGE_RSP_HEADROOM + FLOOR_UP_MIN);

/**
 * struct floor_state - the budget of the block being translated
 * @block_ip: native address of the block's first instruction
 * @off:      where %rsp is after the instructions so far, from the block's
 *            start (negative: lower)
 * @down:     R, how far below the start the block's check lets %rsp go
 * @up:       A, how far above
 * @free_end: the native address of the return that ends an epilogue
 *            whose pops need no check (free_pops()), else 0
 *
 * Per CPU: the CPU's translator fills it and reads it back for the
 * block's later instructions, with interrupts off (xlate.c), as
 * bounds.c's block_group.
 */
struct floor_state {
	u64 block_ip;
	s32 off;
	s32 down;
	s32 up;
	u64 free_end;
};

static DEFINE_PER_CPU(struct floor_state, floor_state);
static DEFINE_PER_CPU(struct kc_insn, floor_lookahead);

/**
 * struct move - what one instruction does to %rsp
 * @delta: the change of %rsp (negative: down)
 * @reach: how far below the new %rsp the kernel may write after it (an
 *         interrupt, a kernel function it calls): KCAGE_STACK_RESERVE
 *         for a move down
 * @moves: it moves %rsp in a way this file checks
 */
struct move {
	s32 delta;
	s32 reach;
	bool moves;
};

static struct move move_of(const struct kcage_sandbox *sb, const struct kc_insn *insn)
{
	s32 d;

	switch (insn->kind) {
	case KC_INSN_PLAIN:
		switch (insn->zi.mnemonic) {
		case ZYDIS_MNEMONIC_PUSH:
		case ZYDIS_MNEMONIC_PUSHFQ:
			return (struct move){ -8, KCAGE_STACK_RESERVE, true };
		case ZYDIS_MNEMONIC_POP:
		case ZYDIS_MNEMONIC_POPFQ:
			/* pop %rsp is a pivot (pivot.c) */
			if (kcage_pivot_checked(insn))
				return (struct move){ 0, 0, false };
			return (struct move){ 8, 0, true };
		default:
			break;
		}
		if (kcage_pivot_delta(insn, &d))
			return (struct move){ d, d < 0 ? KCAGE_STACK_RESERVE : 0, true };
		return (struct move){ 0, 0, false };
	case KC_INSN_CALL:
		/* bounded by the shadow stack's depth: KCAGE_STACK_MARGIN */
		if (kcage_sandbox_find(insn->target) == sb)
			return (struct move){ -8, 0, false };
		return (struct move){ -8, KCAGE_STACK_RESERVE, true };
	case KC_INSN_CALL_IND:
		return (struct move){ -8, KCAGE_STACK_RESERVE, true };
	default:
		return (struct move){ 0, 0, false };
	}
}

/* The interrupt stack's test: [%rsp - R, %rsp + A] within it. */
static int emit_irq_test(struct kc_emitter *e, unsigned long ptr, int pushed,
			 s32 down, s32 up, struct kc_label *done)
{
	s32 bias = pushed - down - FLOOR_IRQ_BYTES + IRQ_STACK_SIZE - 8;
	int ret;

	ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(ptr));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM_INDEX(KC_RSP, KC_RAX, bias));
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX,
				     IRQ_STACK_SIZE - FLOOR_IRQ_BYTES - down - up);
	return ret ?: kc_emit_jcc_label(e, KC_CC_BE, done);
}

/*
 * The ceiling's test: %rsp + A at most KCAGE_RSP_HEADROOM below the
 * ceiling (zone.h), or to @slow.
 */
static int emit_ceiling_test(struct kc_emitter *e, int pushed, s32 up,
			     struct kc_label *slow)
{
	int ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(&current_task));

	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, kcage_task_stack_offset));
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, KCAGE_SS_CEIL));
	ret = ret ?: kc_emit_sub_reg(e, KC_RAX, KC_RSP);
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, pushed + up + KCAGE_RSP_HEADROOM);
	return ret ?: kc_emit_jcc_label(e, KC_CC_L, slow);
}

/*
 * The floor's tests: [%rsp - R, %rsp + A] within the task's stack,
 * FLOOR_BYTES above its bottom, or within this CPU's interrupt stack;
 * to @done if so.
 */
static int emit_floor_tests(struct kc_emitter *e, int pushed, s32 down, s32 up,
			    struct kc_label *done)
{
	unsigned long irq_ptr = kcage_access_irq_stack_ptr();
	int ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(&current_task));

	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, kcage_task_stack_offset));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_lea(e, KC_RAX,
				 KC_MEM_INDEX(KC_RSP, KC_RAX, pushed - down - FLOOR_BYTES));
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, THREAD_SIZE - FLOOR_BYTES - down - up);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_BE, done);
	if (irq_ptr)
		ret = ret ?: emit_irq_test(e, irq_ptr, pushed, down, up, done);
	return ret;
}

static int emit_floor_check(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, s32 down, s32 up)
{
	bool call = insn->kind == KC_INSN_CALL || insn->kind == KC_INSN_CALL_IND;
	bool keep = !call && !kcage_flags_dead(sb, insn);
	int pushed = keep ? 16 : 8;
	s32 pc32 = (s32)insn->ip;
	struct kc_label done, slow;
	int ret;

	if ((u64)(s64)pc32 != insn->ip)
		return -ERANGE;
	kc_label_init(&done, true);
	kc_label_init(&slow, true);
	ret = keep ? kcage_emit_check_start(e) : kc_emit_push_reg(e, KC_RAX);
	ret = ret ?: emit_ceiling_test(e, pushed, up, &slow);
	/* only up: the floor is no nearer than at the block's start */
	if (down)
		ret = ret ?: emit_floor_tests(e, pushed, down, up, &done);
	else
		ret = ret ?: kc_emit_jmp_label(e, &done);
	ret = ret ?: kc_label_bind(e, &slow);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, pushed - down));
	ret = ret ?: kc_emit_push_imm32(e, pc32);
	ret = ret ?: kc_emit_push_imm32(e, KCAGE_ACCESS_FLOOR | (down + up));
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_access);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 16));
	ret = ret ?: kc_label_bind(e, &done);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	return ret ?: (keep ? kc_emit_popf(e) : 0);
}

/* A plain pop into a register other than %rsp */
static bool pop_to_reg(const struct kc_insn *insn)
{
	const ZydisDecodedOperand *op = &insn->ops[0];

	return insn->kind == KC_INSN_PLAIN && insn->zi.mnemonic == ZYDIS_MNEMONIC_POP &&
	       op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
	       op->reg.value != ZYDIS_REGISTER_RSP;
}

/* An instruction that touches neither memory nor %rsp, nor gets a check */
static bool inert(const struct kcage_sandbox *sb, const struct kc_insn *insn)
{
	struct kc_site site;
	unsigned int i;

	if (insn->kind != KC_INSN_PLAIN || kcage_pivot_checked(insn) ||
	    kcage_sandbox_has_extable(insn->ip) ||
	    kcage_sandbox_site(sb, insn->ip, &site))
		return false;
	for (i = 0; i < insn->zi.operand_count; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];

		if (op->type == ZYDIS_OPERAND_TYPE_MEMORY ||
		    (op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
		     op->reg.value == ZYDIS_REGISTER_RSP))
			return false;
	}
	return true;
}

/*
 * An epilogue's pops: from @insn, at most FREE_POPS pops into registers and
 * instructions that touch neither memory nor %rsp, up to a return, all in
 * this block.  They need no check: the return's check (shadow.c) puts
 * %rsp back exactly where the call left it, and until then %rsp is at
 * most 8 * FREE_POPS above where the block's check left it, so what an
 * interrupt or preemption writes below %rsp stays below the ceiling.
 * Return: the return's native address, or 0.
 */
#define FREE_POPS	(KCAGE_RSP_HEADROOM / 8)

static u64 free_pops(const struct kcage_sandbox *sb, const struct kc_insn *insn,
		     const struct kc_block *blk)
{
	struct kc_insn *next = this_cpu_ptr(&floor_lookahead);
	unsigned int pops = 0, n = blk->nr_insns;
	u64 ip = insn->ip;
	u8 buf[15];
	size_t len;

	*next = *insn;
	for (;;) {
		if (++n >= KC_BLOCK_MAX_INSNS)
			return 0;
		if (pop_to_reg(next)) {
			if (++pops > FREE_POPS)
				return 0;
		} else if (kcage_is_return(sb, next)) {
			return ip;
		} else if (!inert(sb, next)) {
			return 0;
		}
		ip += next->len;
		len = kcage_sandbox_read(sb, ip, buf, sizeof(buf));
		if (!len || kc_decode(kcage_xlate_decoder(), buf, len, ip, next))
			return 0;
	}
}

/* Does @m, from where %rsp is now, stay within the block's check? */
static bool within(const struct floor_state *s, struct move m)
{
	s32 to = s->off + m.delta;

	if (m.delta < 0 || m.reach)
		return to - m.reach >= -s->down;
	return to <= s->up;
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
	struct move m = move_of(sb, insn);
	s32 down, up;
	int ret;

	lockdep_assert(irqs_disabled());
	if (!blk->nr_insns) {
		*s = (struct floor_state){ .block_ip = insn->ip };
	} else if (s->block_ip != blk->native_start) {
		s->down = s->up = s->off = 0;	/* not this block's: start over */
		s->block_ip = 0;
		s->free_end = 0;
		return m.moves ? KC_INSTRUMENT_SPLIT : 0;
	}
	if (insn->ip < s->free_end)
		return 0;	/* an epilogue's pop (free_pops()) */
	if (m.moves && !within(s, m) && pop_to_reg(insn)) {
		s->free_end = free_pops(sb, insn, blk);
		if (s->free_end)
			return 0;
	}
	if (m.moves && !within(s, m)) {
		if (blk->nr_insns)
			return KC_INSTRUMENT_SPLIT;
		down = m.delta < 0 || m.reach ?
		       max_t(s32, m.reach - m.delta, FLOOR_MIN) : 0;
		up = max_t(s32, m.delta, FLOOR_UP_MIN);
		ret = emit_floor_check(sb, e, insn, down, up);
		if (ret)
			return ret;
		s->down = down;
		s->up = up;
	}
	s->off += m.delta;
	if (insn->kind == KC_INSN_PLAIN && kcage_pivot_checked(insn) && !m.moves) {
		/* %rsp is anywhere pivot.c allows: nothing left of the budget */
		s->off = 0;
		s->down = s->up = 0;
	}
	return 0;
}

/**
 * kcage_floor_check - a floor check did not let %rsp through inline
 * @low:  the lowest %rsp the checked instructions reach (%rsp - R)
 * @span: R + A
 * @pc:   the checked instruction's native address
 *
 * [@low, @low + @span] must lie where pivot.c lets %rsp go
 * (kcage_access_stack_range_ok()): the inline test lets nothing else
 * through either.  Anything else: the module's pushes, calls or
 * constant moves would reach the zone, the bytes above it that bounds.c
 * does not check, or memory off the stack.  Reported as a stack pivot.
 *
 * Return: 0 to go on, else where to go instead.
 */
unsigned long kcage_floor_check(unsigned long low, unsigned long span,
				unsigned long pc)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_RETURN, .pc = pc, .addr = low,
		.detail = "stack_floor", .rule = "cfi.stack",
	};

	if (low + span >= low && kcage_access_stack_range_ok(low, low + span))
		return 0;
	return kcage_contain_stop_at_pc(&v);
}
