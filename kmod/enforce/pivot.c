// SPDX-License-Identifier: GPL-2.0
/*
 * Stack pivots: an instruction of the module that sets %rsp to a value it
 * computed must leave it on the stack it runs on, far enough above that
 * stack's bottom.  Otherwise the module could move its stack onto memory
 * it chose and write there with pushes and calls, or onto the zone at the
 * bottom of the task's stack (zone.h) and forge shadow-stack entries and
 * gate records.
 *
 * Every write to %rsp that the instruction model admits is checked, before
 * it runs, here or (constant moves, below) in floor.c: mov from a
 * register, memory or an immediate; lea; add, sub and and with an
 * immediate or a register (all of them, small ones too: a loop of small
 * ones walks anywhere); xchg with a register; pop %rsp (the new value is
 * the word on top of the stack); cmovcc (the value it takes if its
 * condition holds; nothing is checked when it does not, and %rsp stays);
 * leave (which loads %rsp from %rbp).  A new %rsp read from memory (mov,
 * cmovcc, pop %rsp) is read once, by the check, which then loads %rsp
 * with the value it approved and jumps over the instruction: run again,
 * the instruction would read memory the module can change in between
 * (its data, from another CPU).  At a patched site, where the translator
 * emits other code than the copy, it is refused (enforce.c).  Any other instruction that names %rsp,
 * %esp, %sp or %spl as a destination (xchg, add, sub or and with memory:
 * no compiler emits them, and each would read memory after its check),
 * or enter, is refused at translation time: it ends its block with a
 * trap and never runs.
 * The implicit moves of push, pushf and call, and constant moves (add or
 * sub of an immediate, lea d(%rsp), up to KCAGE_PIVOT_DELTA_MAX) are
 * floor.c's: one check at the start of a block covers all of its moves.
 * So are those of pop and popf.
 *
 * The check computes the new value into %rax and lets it through inline
 * when it is at least KCAGE_RSP_HEADROOM below the ceiling (zone.h: the
 * stores bounds.c does not check, up to KCAGE_RSP_ABOVE above %rsp, stay
 * in the module's own frames) and it and the current %rsp lie in the
 * current task's stack (from an interrupt stack, that is the interrupted
 * task's: never), the new value at least KCAGE_STACK_MARGIN +
 * KCAGE_STACK_RESERVE bytes above the zone (so that the stores bounds.c
 * does not check, down to KCAGE_RSP_BELOW below %rsp, and the return
 * addresses of calls within the module stay off it, and an interrupt
 * right after has room), or when both it and the current %rsp lie that
 * far above the bottom of this CPU's interrupt stack:
 *
 *	[pushfq ;] push %rax ; [j<not cc> skip ;] <new %rsp -> %rax>
 *	push %rax
 *	mov %gs:current_task, %rax ; mov stack(%rax), %rax
 *	mov ceiling(%rax), %rax ; sub (%rsp), %rax
 *	cmp $KCAGE_RSP_HEADROOM, %rax ; jl slow
 *	mov %gs:current_task, %rax ; mov stack(%rax), %rax ; neg %rax
 *	add (%rsp), %rax ; sub $floor, %rax
 *	cmp $(THREAD_SIZE - floor), %rax ; ja other
 *	sub (%rsp), %rax ; lea (P + 8 + floor)(%rsp,%rax), %rax
 *	cmp $THREAD_SIZE, %rax ; jb done
 *	other:
 *	[mov %gs:hardirq_stack_ptr, %rax ; neg %rax ; add (%rsp), %rax
 *	 add $K, %rax ; cmp $R, %rax ; ja slow
 *	 mov %gs:hardirq_stack_ptr, %rax ; neg %rax ; lea bias(%rsp,%rax), %rax
 *	 add $K, %rax ; cmp $R, %rax ; jbe done]
 *	slow: mov (%rsp), %rax ; push $PIVOT
 *	call kcage_slow_access ; lea 8(%rsp), %rsp
 *	done: lea 8(%rsp), %rsp		(from memory: emit_set_rsp())
 *	skip: pop %rax [; popfq]
 *
 * and decides anything else in C (kcage_access_check(), access.c), which
 * refuses a new %rsp on any other stack.  The flags are saved only when
 * they are live (kcage_flags_dead()): add, sub and and write them all.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/sched/task_stack.h>
#include <asm/page_64_types.h>
#include "core/block.h"
#include "core/emit.h"
#include "access.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "rt/zone.h"
#include "slow.h"

/*
 * How far above the zone a new %rsp must stay: bounds.c's frame elision,
 * calls within the module (KCAGE_STACK_MARGIN) and the room the kernel
 * may use below %rsp (KCAGE_STACK_RESERVE).
 */
#define PIVOT_MARGIN	(KCAGE_STACK_MARGIN + KCAGE_STACK_RESERVE)
#define PIVOT_FLOOR	(KCAGE_SS_END + PIVOT_MARGIN)

enum pivot_form {
	PIVOT_NONE,	/* %rsp not written, or only by push/pop/call */
	PIVOT_REG,	/* from a register (@op; %rbp + 8 for leave) */
	PIVOT_LEA,	/* the address of @op */
	PIVOT_LOAD,	/* the memory @op */
	PIVOT_IMM,	/* the immediate @op */
	PIVOT_ARITH,	/* %rsp <@arith> @op (register, memory or immediate) */
	PIVOT_POP,	/* the word on top of the stack */
	PIVOT_TRAP,	/* a write to %rsp that is not checked: refused */
};

/**
 * struct pivot - how an instruction sets %rsp
 * @form:  see &enum pivot_form
 * @op:    the source operand, or NULL
 * @arith: for PIVOT_ARITH, how %rsp and the source combine
 * @cc:    for cmovcc, its condition (the low nibble of 0f 40+cc), else -1
 */
struct pivot {
	enum pivot_form form;
	const ZydisDecodedOperand *op;
	enum kc_arith arith;
	int cc;
};

static bool is_rsp(const ZydisDecodedOperand *op)
{
	return op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
	       op->reg.value == ZYDIS_REGISTER_RSP;
}

/* Does @insn name any part of %rsp as an explicit destination? */
static bool writes_sp_explicitly(const struct kc_insn *insn)
{
	unsigned int i;

	for (i = 0; i < insn->zi.operand_count_visible; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];

		if (op->type != ZYDIS_OPERAND_TYPE_REGISTER ||
		    !(op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			continue;
		switch (op->reg.value) {
		case ZYDIS_REGISTER_RSP:
		case ZYDIS_REGISTER_ESP:
		case ZYDIS_REGISTER_SP:
		case ZYDIS_REGISTER_SPL:
			return true;
		default:
			break;
		}
	}
	return false;
}

static struct pivot pivot_from(const ZydisDecodedOperand *src)
{
	switch (src->type) {
	case ZYDIS_OPERAND_TYPE_REGISTER:
		return (struct pivot){ PIVOT_REG, src, .cc = -1 };
	case ZYDIS_OPERAND_TYPE_MEMORY:
		return (struct pivot){ PIVOT_LOAD, src, .cc = -1 };
	case ZYDIS_OPERAND_TYPE_IMMEDIATE:
		return (struct pivot){ PIVOT_IMM, src, .cc = -1 };
	default:
		return (struct pivot){ PIVOT_TRAP, .cc = -1 };
	}
}

static struct pivot arith(enum kc_arith a, const ZydisDecodedOperand *src)
{
	return (struct pivot){ PIVOT_ARITH, src, a, -1 };
}

/* How @insn sets %rsp, if it names it as a destination. */
static struct pivot pivot_of(const struct kc_insn *insn)
{
	const ZydisDecodedOperand *dst = &insn->ops[0], *src = &insn->ops[1];
	struct pivot p = { PIVOT_NONE, .cc = -1 };

	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_LEAVE:
		return (struct pivot){ PIVOT_REG, NULL, .cc = -1 };	/* from %rbp */
	case ZYDIS_MNEMONIC_ENTER:
		return (struct pivot){ PIVOT_TRAP, .cc = -1 };
	case ZYDIS_MNEMONIC_POP:
		if (insn->zi.operand_count_visible == 1 && is_rsp(dst))
			return (struct pivot){ PIVOT_POP, NULL, .cc = -1 };
		break;
	default:
		break;
	}
	if (!writes_sp_explicitly(insn))
		return p;
	p.form = PIVOT_TRAP;
	if (insn->zi.operand_count_visible != 2)
		return p;
	if (insn->zi.mnemonic == ZYDIS_MNEMONIC_XCHG && is_rsp(src))
		swap(dst, src);
	if (!is_rsp(dst))
		return p;
	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_MOV:
		return pivot_from(src);
	case ZYDIS_MNEMONIC_XCHG:
		return src->type == ZYDIS_OPERAND_TYPE_REGISTER ? pivot_from(src) : p;
	case ZYDIS_MNEMONIC_LEA:
		return (struct pivot){ PIVOT_LEA, src, .cc = -1 };
	case ZYDIS_MNEMONIC_ADD:
		if (src->type == ZYDIS_OPERAND_TYPE_MEMORY)
			return p;
		return arith(KC_ARITH_ADD, src);
	case ZYDIS_MNEMONIC_SUB:
		if (src->type == ZYDIS_OPERAND_TYPE_MEMORY)
			return p;
		return arith(KC_ARITH_SUB, src);
	case ZYDIS_MNEMONIC_AND:
		if (src->type == ZYDIS_OPERAND_TYPE_MEMORY)
			return p;
		return arith(KC_ARITH_AND, src);
	case ZYDIS_MNEMONIC_CMOVB: case ZYDIS_MNEMONIC_CMOVBE:
	case ZYDIS_MNEMONIC_CMOVL: case ZYDIS_MNEMONIC_CMOVLE:
	case ZYDIS_MNEMONIC_CMOVNB: case ZYDIS_MNEMONIC_CMOVNBE:
	case ZYDIS_MNEMONIC_CMOVNL: case ZYDIS_MNEMONIC_CMOVNLE:
	case ZYDIS_MNEMONIC_CMOVNO: case ZYDIS_MNEMONIC_CMOVNP:
	case ZYDIS_MNEMONIC_CMOVNS: case ZYDIS_MNEMONIC_CMOVNZ:
	case ZYDIS_MNEMONIC_CMOVO: case ZYDIS_MNEMONIC_CMOVP:
	case ZYDIS_MNEMONIC_CMOVS: case ZYDIS_MNEMONIC_CMOVZ:
		if (insn->zi.opcode_map != ZYDIS_OPCODE_MAP_0F ||
		    src->type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
			return p;
		p = pivot_from(src);
		p.cc = insn->zi.opcode & 0xf;
		return p;
	default:
		return p;
	}
}

/*
 * %rax op= the source of @p: a register (the original %rax is at 0(%rsp);
 * %rsp's value, old %rsp, is in %rax itself) or an immediate.
 */
static int emit_arith(struct kc_emitter *e, const struct pivot *p)
{
	const ZydisDecodedOperand *src = p->op;
	struct kc_mem orig_rax = KC_MEM(KC_RSP, 0);
	enum kc_reg r;
	s64 imm;

	switch (src->type) {
	case ZYDIS_OPERAND_TYPE_IMMEDIATE:
		imm = src->imm.value.s;
		if (imm != (s32)imm)
			return -EOPNOTSUPP;
		if (p->arith == KC_ARITH_ADD)
			return kc_emit_add_imm(e, KC_RAX, imm);
		if (p->arith == KC_ARITH_SUB)
			return kc_emit_sub_imm(e, KC_RAX, imm);
		return kc_emit_and_imm(e, KC_RAX, imm);
	case ZYDIS_OPERAND_TYPE_REGISTER:
		r = kc_reg_num(src->reg.value);
		if (r == KC_NOREG)
			return -EOPNOTSUPP;
		if (r == KC_RSP)
			r = KC_RAX;
		if (r == KC_RAX && src->reg.value != ZYDIS_REGISTER_RSP) {
			if (p->arith == KC_ARITH_ADD)
				return kc_emit_add_ld(e, KC_RAX, orig_rax);
			if (p->arith == KC_ARITH_SUB)
				return kc_emit_sub_ld(e, KC_RAX, orig_rax);
			return kc_emit_and_ld(e, KC_RAX, orig_rax);
		}
		if (p->arith == KC_ARITH_ADD)
			return kc_emit_add_reg(e, KC_RAX, r);
		if (p->arith == KC_ARITH_SUB)
			return kc_emit_sub_reg(e, KC_RAX, r);
		return kc_emit_and_reg(e, KC_RAX, r);
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The value @insn puts in %rsp, into %rax, after the check pushed
 * @pushed bytes (the original %rax last).
 */
static int emit_new_rsp(struct kc_emitter *e, const struct kc_insn *insn,
			const struct pivot *p, int pushed)
{
	enum kc_reg src;

	switch (p->form) {
	case PIVOT_REG:
		/* leave: %rsp = %rbp, then the pop of %rbp takes it 8 up */
		if (!p->op)
			return kc_emit_lea(e, KC_RAX, KC_MEM(KC_RBP, 8));
		src = kc_reg_num(p->op->reg.value);
		if (src == KC_NOREG)
			return -EOPNOTSUPP;
		if (src == KC_RAX)	/* still the original */
			return 0;
		if (src == KC_RSP)
			return kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, pushed));
		return kc_emit_mov_reg(e, KC_RAX, src);
	case PIVOT_LEA:
		return kc_emit_lea_op(e, KC_RAX, insn, p->op, pushed);
	case PIVOT_LOAD:
		return kc_emit_mov_op(e, KC_RAX, insn, p->op, pushed);
	case PIVOT_IMM:
		return kc_emit_mov_imm64(e, KC_RAX, p->op->imm.value.s);
	case PIVOT_POP:
		return kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, pushed));
	case PIVOT_ARITH: {
		int ret = kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, pushed));

		return ret ?: emit_arith(e, p);
	}
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * With the new %rsp at 0(%rsp): is %rax = new - stack in range?
 * "cmp; jbe @done" after bringing it to [0, @range] with @shift.
 */
static int emit_range_test(struct kc_emitter *e, s32 shift, s32 range,
			   enum kc_cc cc, struct kc_label *to)
{
	int ret = kc_emit_add_imm(e, KC_RAX, shift);

	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, range);
	return ret ?: kc_emit_jcc_label(e, cc, to);
}

/*
 * The interrupt stack's tests: the new %rsp (at 0(%rsp)) and the current
 * one (@bias above the check's pushes) both in [top - IRQ_STACK_SIZE +
 * PIVOT_MARGIN, top], top = hardirq_stack_ptr + 8.
 */
static int emit_irq_tests(struct kc_emitter *e, unsigned long ptr, int bias,
			  struct kc_label *slow, struct kc_label *done)
{
	s32 k = IRQ_STACK_SIZE - 8 - PIVOT_MARGIN, r = IRQ_STACK_SIZE - PIVOT_MARGIN;
	int ret;

	ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(ptr));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_add_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: emit_range_test(e, k, r, KC_CC_A, slow);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(ptr));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM_INDEX(KC_RSP, KC_RAX, bias));
	return ret ?: emit_range_test(e, k, r, KC_CC_BE, done);
}

/*
 * The new %rsp (at 0(%rsp)) at least KCAGE_RSP_HEADROOM below the
 * ceiling (zone.h), or to @slow.
 */
static int emit_ceiling_test(struct kc_emitter *e, struct kc_label *slow)
{
	int ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(&current_task));

	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, kcage_task_stack_offset));
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, KCAGE_SS_CEIL));
	ret = ret ?: kc_emit_sub_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, KCAGE_RSP_HEADROOM);
	return ret ?: kc_emit_jcc_label(e, KC_CC_L, slow);
}

/*
 * Does @p take the new %rsp from memory?  Then the instruction must not
 * read it again after the check: the module can change that memory in
 * between from another CPU (its data) or from an interrupt on this one.
 */
static bool from_memory(const struct pivot *p)
{
	return p->form == PIVOT_POP || p->form == PIVOT_LOAD;
}

/*
 * The check approved the new %rsp at 0(%rsp): put %rax and the flags back
 * and load %rsp from there; the instruction (mov, cmovcc whose condition
 * held, pop %rsp) does nothing else, and is jumped over at @join:
 *
 *	mov 8(%rsp), %rax ; [push 16(%rsp) ; popfq ;] pop %rsp ; jmp join
 *	skip: pop %rax [; popfq]	(a cmovcc whose condition failed)
 *	join: jmp <past the instruction>
 */
static int emit_set_rsp(struct kc_emitter *e, bool keep, struct kc_label *join)
{
	int ret = kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 8));

	if (keep) {
		ret = ret ?: kc_emit_push_ld(e, KC_MEM(KC_RSP, 16));
		ret = ret ?: kc_emit_popf(e);
	}
	ret = ret ?: kc_emit_pop_reg(e, KC_RSP);
	return ret ?: kc_emit_jmp_label(e, join);
}

static int emit_pivot_check(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, const struct pivot *p)
{
	unsigned long irq_ptr = kcage_access_irq_stack_ptr();
	bool keep = p->cc >= 0 || !kcage_flags_dead(sb, insn);
	int pushed = keep ? 16 : 8;
	struct kc_label slow, done, skip, join, other;
	int ret;

	kc_label_init(&other, true);
	kc_label_init(&slow, true);
	kc_label_init(&done, true);
	kc_label_init(&skip, false);
	kc_label_init(&join, true);
	ret = keep ? kcage_emit_check_start(e) : kc_emit_push_reg(e, KC_RAX);
	/* a cmovcc whose condition fails leaves %rsp alone */
	if (p->cc >= 0)
		ret = ret ?: kc_emit_jcc_label(e, kc_cc_not((enum kc_cc)p->cc), &skip);
	ret = ret ?: emit_new_rsp(e, insn, p, pushed);
	ret = ret ?: kc_emit_push_reg(e, KC_RAX);
	ret = ret ?: emit_ceiling_test(e, &slow);
	/* in the task's stack, above the zone? */
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM_GS(&current_task));
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RAX, kcage_task_stack_offset));
	ret = ret ?: kc_emit_neg(e, KC_RAX);
	ret = ret ?: kc_emit_add_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: emit_range_test(e, -PIVOT_FLOOR, THREAD_SIZE - PIVOT_FLOOR,
				     KC_CC_A, &other);
	/* and the current %rsp in it too: not from an interrupt stack */
	ret = ret ?: kc_emit_sub_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM_INDEX(KC_RSP, KC_RAX,
							 pushed + 8 + PIVOT_FLOOR));
	ret = ret ?: kc_emit_cmp_imm(e, KC_RAX, THREAD_SIZE);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_B, &done);
	ret = ret ?: kc_label_bind(e, &other);
	if (irq_ptr)
		ret = ret ?: emit_irq_tests(e, irq_ptr, pushed + 8, &slow, &done);
	ret = ret ?: kc_label_bind(e, &slow);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 0));
	ret = ret ?: kc_emit_push_imm32(e, KCAGE_ACCESS_PIVOT);
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_access);
	ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 8));
	ret = ret ?: kc_label_bind(e, &done);
	if (from_memory(p))
		ret = ret ?: emit_set_rsp(e, keep, &join);
	else
		ret = ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 8));
	ret = ret ?: kc_label_bind(e, &skip);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	ret = ret ?: (keep ? kc_emit_popf(e) : 0);
	if (!from_memory(p))
		return ret;
	/* both ways, the instruction has been done (or does nothing) */
	ret = ret ?: kc_label_bind(e, &join);
	return ret ?: kc_emit_jmp_over(e, insn->len);
}

/**
 * kcage_pivot_replaces - does @insn's check do what @insn does?
 * @insn: the instruction
 *
 * A write of %rsp from memory is done by its check, with the value the
 * check approved, and the copied instruction is jumped over: whatever is
 * emitted for @insn after pivot.c's check would not run.
 */
bool kcage_pivot_replaces(const struct kc_insn *insn)
{
	struct pivot p = pivot_of(insn);

	return from_memory(&p);
}

/* Does @insn set %rsp in a way that gets a check (or is refused)? */
bool kcage_pivot_checked(const struct kc_insn *insn)
{
	return pivot_of(insn).form != PIVOT_NONE;
}

/* The constant @d that @p adds to %rsp, if it is one. */
static bool constant_move(const struct pivot *p, s64 *d)
{
	const ZydisDecodedOperand *op = p->op;

	if (p->cc >= 0 || !op)
		return false;
	if (p->form == PIVOT_ARITH && op->type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
	    p->arith != KC_ARITH_AND) {
		*d = p->arith == KC_ARITH_ADD ? op->imm.value.s : -op->imm.value.s;
		return true;
	}
	if (p->form == PIVOT_LEA && op->mem.base == ZYDIS_REGISTER_RSP &&
	    op->mem.index == ZYDIS_REGISTER_NONE) {
		*d = op->mem.disp.value;
		return true;
	}
	return false;
}

/**
 * kcage_pivot_delta - is @insn a small constant move of %rsp?
 * @insn:  the instruction
 * @delta: gets the move (negative: down)
 *
 * add or sub of an immediate, or lea d(%rsp), moving %rsp by at most
 * KCAGE_PIVOT_DELTA_MAX: a prologue's or an epilogue's.  floor.c checks
 * these with the block's pushes and calls, in one check at the block's
 * start; pivot.c checks every other write to %rsp.
 */
bool kcage_pivot_delta(const struct kc_insn *insn, s32 *delta)
{
	struct pivot p = pivot_of(insn);
	s64 d;

	if (!constant_move(&p, &d) || d < -KCAGE_PIVOT_DELTA_MAX ||
	    d > KCAGE_PIVOT_DELTA_MAX)
		return false;
	*delta = d;
	return true;
}

/**
 * kcage_pivot_instrument - a check before @insn if it sets %rsp
 * @sb:    the sandbox being translated
 * @e:     where the check goes
 * @insn:  the instruction
 * @first: @insn starts its block; else a check needs a new block
 *
 * Return: 0, KC_INSTRUMENT_SPLIT, KC_INSTRUMENT_TRAP (a write to %rsp
 * that cannot be checked: it never runs) or an error (enforce.c).
 */
int kcage_pivot_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, bool first)
{
	struct pivot p = pivot_of(insn);
	size_t start = e->pos;
	s32 delta;
	int ret;

	if (p.form == PIVOT_NONE || kcage_pivot_delta(insn, &delta))
		return 0;	/* not a pivot, or floor.c's */
	if (!first)
		return KC_INSTRUMENT_SPLIT;
	if (p.form == PIVOT_TRAP)
		return KC_INSTRUMENT_TRAP;
	ret = emit_pivot_check(sb, e, insn, &p);
	if (ret == -EOPNOTSUPP) {
		e->pos = start;
		return KC_INSTRUMENT_TRAP;
	}
	return ret;
}
