// SPDX-License-Identifier: GPL-2.0
/*
 * Stack pivots: an instruction of the module that sets %rsp to
 * a computed value must leave it on the stack it is on.  Otherwise the
 * module could move its stack onto memory it chose and write there with
 * pushes, or onto the shadow stack at the bottom of the task's stack
 * (shadow.h) and forge return addresses.
 *
 * Checked before they run: mov (from a register or memory), lea, xchg
 * with a register, leave (which loads %rsp from %rbp), and add/sub of a
 * constant too large to stay on the stack.  The check computes the new
 * value into %rax and lets it through inline when it lies in the same
 * THREAD_SIZE-aligned block as the current %rsp (a task's stack is one
 * such block) and above the shadow stack:
 *
 *	pushfq ; push %rax ; <new %rsp -> %rax> ; push %rax
 *	xor %rsp, %rax ; shr $THREAD_SHIFT, %rax ; jnz slow
 *	mov (%rsp), %rax ; and $(THREAD_SIZE - 1), %eax
 *	cmp $floor, %eax ; jae done
 *	slow: mov (%rsp), %rax ; push $PIVOT
 *	call kcage_slow_access ; lea 8(%rsp), %rsp
 *	done: lea 8(%rsp), %rsp ; pop %rax ; popfq
 *
 * and decides anything else in C (kcage_access_check()).  Not checked:
 * and with a constant (stack realignment, which stays within the block),
 * add/sub of a register, pop %rsp and cmov into %rsp, which compilers do
 * not emit for kernel code.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/sched/task_stack.h>
#include "core/block.h"
#include "access.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "rt/zone.h"
#include "slow.h"

enum pivot_form { PIVOT_NONE, PIVOT_REG, PIVOT_LEA, PIVOT_LOAD, PIVOT_IMM };

struct pivot {
	enum pivot_form form;
	const ZydisDecodedOperand *op;	/* the source */
	s64 imm;			/* PIVOT_IMM: the change to %rsp */
};

static bool is_rsp(const ZydisDecodedOperand *op)
{
	return op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
	       op->reg.value == ZYDIS_REGISTER_RSP;
}

/* How @insn sets %rsp, if it is a form that is checked. */
static struct pivot pivot_of(const struct kc_insn *insn)
{
	const ZydisDecodedOperand *dst = &insn->ops[0], *src = &insn->ops[1];
	struct pivot p = { PIVOT_NONE };

	if (insn->zi.mnemonic == ZYDIS_MNEMONIC_LEAVE)
		return (struct pivot){ PIVOT_REG, NULL };	/* from %rbp */
	if (insn->zi.operand_count_visible != 2)
		return p;
	if (insn->zi.mnemonic == ZYDIS_MNEMONIC_XCHG && is_rsp(src))
		swap(dst, src);
	if (!is_rsp(dst))
		return p;
	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_MOV:
	case ZYDIS_MNEMONIC_XCHG:
		if (src->type == ZYDIS_OPERAND_TYPE_REGISTER)
			return (struct pivot){ PIVOT_REG, src };
		if (src->type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    insn->zi.mnemonic == ZYDIS_MNEMONIC_MOV)
			return (struct pivot){ PIVOT_LOAD, src };
		return p;
	case ZYDIS_MNEMONIC_LEA:
		return (struct pivot){ PIVOT_LEA, src };
	case ZYDIS_MNEMONIC_ADD:
	case ZYDIS_MNEMONIC_SUB:
		if (src->type != ZYDIS_OPERAND_TYPE_IMMEDIATE)
			return p;
		p.imm = insn->zi.mnemonic == ZYDIS_MNEMONIC_ADD ?
			src->imm.value.s : -src->imm.value.s;
		if (p.imm > -(s64)THREAD_SIZE / 4 && p.imm < (s64)THREAD_SIZE / 4)
			return p;	/* a frame: stays on the stack */
		p.form = PIVOT_IMM;
		return p;
	default:
		return p;
	}
}

/* The value @insn puts in %rsp, into %rax (after "pushfq; push %rax"). */
static int emit_new_rsp(struct kc_emitter *e, const struct kc_insn *insn,
			const struct pivot *p)
{
	enum kc_reg src;
	s64 disp;

	switch (p->form) {
	case PIVOT_REG:
		src = p->op ? kc_reg_num(p->op->reg.value) : KC_RBP;
		return src == KC_NOREG ? -EOPNOTSUPP : kc_emit_mov_reg(e, KC_RAX, src);
	case PIVOT_LEA:
		return kc_emit_lea_op(e, KC_RAX, insn, p->op, 16);
	case PIVOT_LOAD:
		return kc_emit_mov_op(e, KC_RAX, insn, p->op, 16);
	default:
		disp = p->imm + 16;
		if (disp != (s32)disp)
			return -ERANGE;
		return kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, disp));
	}
}

static int emit_pivot_check(struct kc_emitter *e, const struct kc_insn *insn,
			    const struct pivot *p)
{
	struct kc_label slow, done;
	int ret;

	kc_label_init(&slow, true);
	kc_label_init(&done, true);
	ret = kcage_emit_check_start(e);
	ret = ret ?: emit_new_rsp(e, insn, p);
	ret = ret ?: kc_emit_push_reg(e, KC_RAX);
	/* the same THREAD_SIZE block as %rsp? */
	ret = ret ?: kc_emit_xor_reg(e, KC_RAX, KC_RSP);
	ret = ret ?: kc_emit_shr_imm(e, KC_RAX, ilog2(THREAD_SIZE));
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_NE, &slow);
	/* above the shadow stack? */
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: kc_emit_and32_imm(e, KC_RAX, THREAD_SIZE - 1);
	ret = ret ?: kc_emit_cmp32_imm(e, KC_RAX, KCAGE_SS_END + 256);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_AE, &done);
	ret = ret ?: kc_label_bind(e, &slow);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: kc_emit_push_imm32(e, KCAGE_ACCESS_PIVOT);
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_access);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 8));
	ret = ret ?: kc_label_bind(e, &done);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 8));
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	return ret ?: kc_emit_popf(e);
}

/* Does @insn set %rsp in a way that gets a check? */
bool kcage_pivot_checked(const struct kc_insn *insn)
{
	return pivot_of(insn).form != PIVOT_NONE;
}

/**
 * kcage_pivot_instrument - a check before @insn if it sets %rsp
 * @sb:    the sandbox being translated
 * @e:     where the check goes
 * @insn:  the instruction
 * @first: @insn starts its block; else a check needs a new block
 *
 * Return: 0, KC_INSTRUMENT_SPLIT or an error (enforce.c).
 */
int kcage_pivot_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, bool first)
{
	struct pivot p = pivot_of(insn);

	if (p.form == PIVOT_NONE)
		return 0;
	if (!first)
		return KC_INSTRUMENT_SPLIT;
	return emit_pivot_check(e, insn, &p);
}
