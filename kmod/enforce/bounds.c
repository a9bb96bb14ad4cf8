// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bounds: checks before the module's stores and, if its policy
 * says check_reads, loads.  What may be accessed is access.c's
 * decision; this file finds the accesses and emits the checks.
 *
 * An access through an explicit memory operand gets a check in front of
 * it.  The translator puts checks only before the first instruction of a
 * block (the instrumentation asks it to start a new block at each checked
 * access the block's first check does not cover: see coalescing below),
 * so the copied instructions keep their native offsets and faults,
 * fixups and stack traces still map back.  The check:
 *
 *	[pushfq ;] push %rax ; lea <operand>, %rax
 *	cmp $lo, %rax ; jb slow
 *	cmp $(hi - size), %rax ; jbe done
 *	[page tests ; stack and grant tests]
 *	slow: push $pc ; push $size|kind ; call kcage_slow_access
 *	      lea 16(%rsp), %rsp   (for each access it covers)
 *	done: pop %rax [; popfq]
 *
 * where [lo, hi) is the module's own data for a store, its whole image
 * for a load, its per-CPU area for a %gs access: those cost a few
 * instructions inline.  The module's own data is its .data and .bss less
 * the ranges the kernel reads again (sandbox/metadata.c), which split it:
 * a store gets the tests of the two largest pieces, the lower first, an
 * address below it skipping both (most modules have struct module
 * between .data and .bss); other pieces are decided in C.  Before the
 * slow path, the current task's stack (above the shadow stack, below the
 * ceiling; only while %rsp is on it: not the stack of a task an
 * interrupt came in on) is tested inline too, so stores through
 * pointers to locals stay cheap, and the running entry's first write
 * grant (emit_task_tests(), grant.c), and, for a policy with
 * kernel_heap or a region of a page or more, the last two such pages the
 * slow path allowed (emit_page_test(), okpage.c); anything else is decided
 * in C.  String
 * instructions (stos, movs, lods, cmps, scas, with or without rep) are
 * checked in C over everything they touch: %rcx elements (none for 0,
 * any count), upwards from %rdi/%rsi with DF clear and downwards with DF
 * set, DF read from the flags the check saved (access.c).
 *
 * The size checked is the operand's full width (16, 32 or 64 bytes for
 * vector stores, masked or not; 16 for cmpxchg16b).  bt, bts, btr and
 * btc with a register bit offset address memory beyond their operand:
 * the check adds the scaled, signed offset to the address
 * (emit_bit_offset()).  A %gs operand is an offset, checked as one
 * (access.c says why that is exact).  An instruction with an exception-
 * table entry gets its check as any other (the module writes its
 * exception table); only in C does the entry allow the user half.
 *
 * Refused at translation time (the instruction ends its block with a
 * trap and never runs): a write to memory that no check bounds (a
 * hidden memory operand other than a push's stack slot, an operand
 * Zydis gives no size), any %fs operand (the kernel does not use %fs),
 * pop to an %rsp-based operand (addressed after the pop), and operands
 * the check cannot compute (32-bit addressing).
 *
 * Decided now, with no check emitted: stores at constant offsets from
 * %rsp in [-KCAGE_RSP_BELOW, KCAGE_RSP_ABOVE) and loads up to 2047 (the
 * frame: pivot.c and floor.c keep %rsp KCAGE_STACK_MARGIN above the zone
 * and KCAGE_RSP_HEADROOM below the ceiling, zone.h, so that none of them
 * reaches the kernel callers' frames), RIP-relative accesses into
 * the module's own data (or image, for loads), %gs accesses at constant
 * offsets.  Not checked: the memory operand of an indirect call or jump
 * (a load; retpoline kernels have none: they call thunks).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include "core/block.h"
#include "core/extent.h"
#include "access.h"
#include "api.h"
#include "rt/counter.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "grant.h"
#include "rt/okpage.h"
#include "sandbox/sandbox.h"
#include "dbt/xlate.h"
#include "rt/zone.h"
#include "policy/kcp.h"
#include "slow.h"

/* A check to emit: on an operand, or on a string instruction's register. */
struct access_check {
	const ZydisDecodedOperand *op;	/* NULL for a string instruction */
	int reg;			/* its address register: 6 %rsi, 7 %rdi */
	u32 word;			/* size and KCAGE_ACCESS_* kind */
	s8 bitreg;			/* bt*: the bit offset's register, or KC_NOREG */
};

/*
 * Coalescing.  The accesses after the one that starts a block, up to the
 * first instruction that may leave the straight line or needs a check of
 * its own, that use the same base and index registers (not written in
 * between) and differ from it only by their displacement, get one check,
 * of the span they cover, in front of the first; they do not split the
 * block.  A function storing a structure's fields, an unrolled loop
 * storing consecutive elements, then pays for one check.  Should the span
 * miss the inline tests, each access is decided in C on its own, in
 * order, with its own address and native address: what is reported and
 * refused is what single checks would report and refuse, only before the
 * first of them runs.  The look-ahead stops at branches, patched sites,
 * instructions with an exception-table entry (they may not go on to the
 * next) and checked %rsp changes.
 */
#define GROUP_MAX	8	/* accesses one check covers */
#define GROUP_SPAN	256	/* bytes it covers, gaps included */
#define GROUP_LOOKAHEAD	16	/* instructions looked at */

struct group_member {
	u64 pc;
	s64 disp;
	u32 word;
};

/*
 * The accesses the check at the start of the block being translated
 * covers, the first of them first, or none (@n = 0).  Per CPU: the CPU's
 * translator fills it, and reads it back for the block's later
 * instructions, with interrupts off (xlate.c).
 */
struct access_group {
	u64 block_ip;
	unsigned int n;
	s64 lo, hi;		/* the span covered, as displacements */
	struct group_member m[GROUP_MAX];
};

static DEFINE_PER_CPU(struct access_group, block_group);
static DEFINE_PER_CPU(struct kc_insn, lookahead);
static DEFINE_PER_CPU(unsigned long, coalesced);

static unsigned int op_bytes(const ZydisDecodedOperand *op)
{
	return op->size >= 8 ? op->size / 8 : 1;
}

static u64 rip_target(const struct kc_insn *insn, const ZydisDecodedOperand *op)
{
	return insn->ip + insn->len + op->mem.disp.value;
}

/* Instructions whose memory operand is not a data access. */
static bool not_an_access(const struct kc_insn *insn)
{
	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_NOP:
	case ZYDIS_MNEMONIC_PREFETCH:
	case ZYDIS_MNEMONIC_PREFETCHNTA:
	case ZYDIS_MNEMONIC_PREFETCHT0:
	case ZYDIS_MNEMONIC_PREFETCHT1:
	case ZYDIS_MNEMONIC_PREFETCHT2:
	case ZYDIS_MNEMONIC_PREFETCHW:
	case ZYDIS_MNEMONIC_CLFLUSH:
	case ZYDIS_MNEMONIC_CLFLUSHOPT:
	case ZYDIS_MNEMONIC_CLWB:
		return true;
	default:
		return false;
	}
}

/*
 * The access through @op needs no check: see the top of this file.  A
 * %gs access with a constant offset is decided now, allowed or refused
 * (then it is checked, and refused, when it runs).
 */
static bool check_elided(const struct kcage_sandbox *sb,
			 const struct kc_insn *insn, const ZydisDecodedOperand *op,
			 bool load)
{
	bool no_regs = op->mem.base == ZYDIS_REGISTER_NONE &&
		       op->mem.index == ZYDIS_REGISTER_NONE;
	s64 disp = op->mem.disp.value;
	unsigned long lo, hi;
	u64 t;

	if (op->mem.segment == ZYDIS_REGISTER_GS)
		return no_regs && kcage_access_percpu(sb, (unsigned long)disp,
						       op_bytes(op), load);
	if (op->mem.base == ZYDIS_REGISTER_RSP &&
	    op->mem.index == ZYDIS_REGISTER_NONE && disp >= -KCAGE_RSP_BELOW &&
	    disp < (load ? 2048 : KCAGE_RSP_ABOVE))
		return true;
	if (op->mem.base != ZYDIS_REGISTER_RIP)
		return false;
	t = rip_target(insn, op);
	if (!load)
		return kcage_access_own_data(sb, t, t + op_bytes(op), &lo, &hi);
	kcage_access_image(sb, &lo, &hi);
	return t >= lo && t + op_bytes(op) <= hi;
}

/* cmp $@imm, %rax, for an @imm that fits a sign-extended imm32 */
static int emit_cmp_rax(struct kc_emitter *e, unsigned long imm)
{
	s32 v = (s32)imm;

	if ((unsigned long)(long)v != imm)
		return -ERANGE;
	return kc_emit_cmp_imm(e, KC_RAX, v);
}

/* "pushfq; push %rax": what every check saves before it computes. */
int kcage_emit_check_start(struct kc_emitter *e)
{
	int ret = kc_emit_pushf(e);

	return ret ?: kc_emit_push_reg(e, KC_RAX);
}

/*
 * "push $pc; push $arg; call @stub; lea 16(%rsp), %rsp": a check's slow
 * path.  @pc, the checked instruction's native address, fits a
 * sign-extended imm32 (modules live in the top 2 GiB): the slow path then
 * knows the module and what to report without mapping its return address
 * back through the cache, which walks a chunk's blocks.
 */
static int emit_slow_call(struct kc_emitter *e, u32 arg, unsigned long stub,
			  u64 pc)
{
	s32 pc32 = (s32)pc;
	int ret;

	if ((u64)(s64)pc32 != pc)
		return -ERANGE;
	ret = kc_emit_push_imm32(e, pc32);
	ret = ret ?: kc_emit_push_imm32(e, (s32)arg);
	ret = ret ?: kc_emit_call(e, stub);
	return ret ?: kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 16));
}

/*
 * "push $pc; push $arg; call @stub; lea 16(%rsp), %rsp; pop %rax; popfq":
 * the call into a dispatcher that ends every check, with its argument and
 * the checked instruction's native address on the stack.
 */
int kcage_emit_check_call(struct kc_emitter *e, u32 arg, unsigned long stub,
			  u64 pc)
{
	int ret = emit_slow_call(e, arg, stub, pc);

	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	return ret ?: kc_emit_popf(e);
}

#define LOOKAHEAD	6

/**
 * kcage_flags_dead - need a check before @insn not save the flags?
 * @sb:   the sandbox being translated
 * @insn: the checked instruction
 *
 * The flags are dead if @insn and the few plain instructions after it in
 * the native code write each of them before anything tests it.  Any
 * branch ends the look (flags may be live at its target): then they are
 * taken as live.
 */
bool kcage_flags_dead(const struct kcage_sandbox *sb, const struct kc_insn *insn)
{
	u32 need = KC_STATUS_FLAGS;
	u64 ip = insn->ip + insn->len;
	struct kc_flag_use use;
	unsigned int i;
	u8 buf[15], len;
	size_t n;

	kc_insn_flag_use(insn, &use);
	if (use.tested & need)
		return false;
	need &= ~use.written;
	for (i = 0; need && i < LOOKAHEAD; i++, ip += len) {
		n = kcage_sandbox_read(sb, ip, buf, sizeof(buf));
		if (!n || kc_decode_flag_use(kcage_xlate_decoder(), buf, n, &len, &use))
			return false;
		if (use.branch || (use.tested & need))
			return false;
		need &= ~use.written;
	}
	return !need;
}

/* %rdx = %rsp - %rdx, and back */
static int emit_rsp_minus_rdx(struct kc_emitter *e)
{
	int ret = kc_emit_neg(e, KC_RDX);

	return ret ?: kc_emit_add_reg(e, KC_RDX, KC_RSP);
}

/*
 * With the address in %rax, in the stack at %rdx, and %rsp too: it must
 * end at or below the ceiling (zone.h; its kernel callers' frames are not
 * the module's), "jmp done" if so, else the address back in %rax and on
 * to @out.
 */
static int emit_ceiling_test(struct kc_emitter *e, unsigned int size,
			     struct kc_label *done, struct kc_label *out)
{
	struct kc_label above;
	int ret;

	kc_label_init(&above, true);
	ret = kc_emit_lea(e, KC_RAX, KC_MEM_INDEX(KC_RAX, KC_RDX, size));
	ret = ret ?: kc_emit_cmp_ld(e, KC_RAX, KC_MEM(KC_RDX, KCAGE_SS_CEIL));
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &above);
	ret = ret ?: kc_emit_pop_reg(e, KC_RDX);
	ret = ret ?: kc_emit_jmp_label(e, done);
	ret = ret ?: kc_label_bind(e, &above);
	ret = ret ?: kc_emit_lea(e, KC_RAX, KC_MEM(KC_RAX, -(s32)size));
	return ret ?: kc_emit_jmp_label(e, out);
}

/*
 * The stack test of emit_task_tests(), %rdx the task's stack.  The
 * access must be in it and, unless @callers (builtin caller_frames), end
 * at or below the ceiling; and %rsp must be in it: module code on an
 * interrupt stack may not write the stack of the task it interrupted.
 */
static int emit_stack_test(struct kc_emitter *e, unsigned int size,
			   bool callers, struct kc_label *done)
{
	struct kc_label restore, away, out;
	int ret;

	kc_label_init(&restore, true);
	kc_label_init(&away, true);
	kc_label_init(&out, true);
	ret = kc_emit_sub_reg(e, KC_RAX, KC_RDX);
	ret = ret ?: emit_cmp_rax(e, THREAD_SIZE - size);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &restore);
	ret = ret ?: emit_cmp_rax(e, KCAGE_SS_END);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_B, &restore);
	ret = ret ?: emit_rsp_minus_rdx(e);
	ret = ret ?: kc_emit_cmp_imm(e, KC_RDX, THREAD_SIZE);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_AE, &away);
	if (callers) {
		ret = ret ?: kc_emit_pop_reg(e, KC_RDX);
		ret = ret ?: kc_emit_jmp_label(e, done);
	} else {
		ret = ret ?: emit_rsp_minus_rdx(e);
		ret = ret ?: emit_ceiling_test(e, size, done, &out);
	}
	ret = ret ?: kc_label_bind(e, &away);
	ret = ret ?: emit_rsp_minus_rdx(e);
	ret = ret ?: kc_label_bind(e, &restore);
	ret = ret ?: kc_emit_add_reg(e, KC_RAX, KC_RDX);
	return ret ?: kc_label_bind(e, &out);
}

/* The write-grant test of emit_task_tests(), %rdx the task's stack */
static int emit_grant_test(struct kc_emitter *e, unsigned int size, u8 owner,
			   struct kc_label *done)
{
	struct kc_label no;
	int ret;

	kc_label_init(&no, true);
	ret = kc_emit_push_reg(e, KC_RAX);
	ret = ret ?: kc_emit_sub_ld(e, KC_RAX, KC_MEM(KC_RDX, KCAGE_SS_GRANT_LO));
	ret = ret ?: kc_emit_cmp_ld(e, KC_RAX, KC_MEM(KC_RDX, KCAGE_SS_GRANT_LEN));
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &no);
	ret = ret ?: kc_emit_add_imm(e, KC_RAX, size);
	ret = ret ?: kc_emit_cmp_ld(e, KC_RAX, KC_MEM(KC_RDX, KCAGE_SS_GRANT_LEN));
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &no);
	ret = ret ?: kc_emit_cmp_mem_imm(e, KC_MEM(KC_RDX, KCAGE_SS_GRANT_OWN), owner);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_NE, &no);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	ret = ret ?: kc_emit_pop_reg(e, KC_RDX);
	ret = ret ?: kc_emit_jmp_label(e, done);
	ret = ret ?: kc_label_bind(e, &no);
	return ret ?: kc_emit_pop_reg(e, KC_RAX);
}

/*
 * The tests against the current task, after the inline range test
 * missed, with the address in %rax: its stack (above the shadow stack)
 * if @stack, the running entry's write grant (grant.c) if @owner:
 *
 *	push %rdx ; mov %gs:current_task, %rdx ; mov stack(%rdx), %rdx
 *	[sub %rdx, %rax ; cmp $(THREAD_SIZE - size), %rax ; ja restore
 *	 cmp $shadow_end, %rax ; jb restore
 *	 neg %rdx ; add %rsp, %rdx ; cmp $THREAD_SIZE, %rdx ; jae away
 *	 [caller_frames: pop %rdx ; jmp done]
 *	 neg %rdx ; add %rsp, %rdx
 *	 lea size(%rax,%rdx), %rax ; cmp ceiling(%rdx), %rax ; ja above
 *	 pop %rdx ; jmp done
 *	 above: lea -size(%rax), %rax ; jmp out
 *	 away: neg %rdx ; add %rsp, %rdx
 *	 restore: add %rdx, %rax
 *	 out:]
 *	[push %rax ; sub lo(%rdx), %rax ; cmp len(%rdx), %rax ; ja no
 *	 add $size, %rax ; cmp len(%rdx), %rax ; ja no
 *	 cmpq $owner, own(%rdx) ; jne no
 *	 pop %rax ; pop %rdx ; jmp done
 *	 no: pop %rax]
 *	pop %rdx
 *
 * The grant's owner is read last (grant.c says why).  Each "jmp done"
 * goes to @done.
 */
static int emit_task_tests(struct kc_emitter *e, unsigned int size, u32 stack,
			   u8 owner, struct kc_label *done)
{
	int ret = kc_emit_push_reg(e, KC_RDX);

	ret = ret ?: kc_emit_mov_ld(e, KC_RDX, KC_MEM_GS(&current_task));
	ret = ret ?: kc_emit_mov_ld(e, KC_RDX, KC_MEM(KC_RDX, kcage_task_stack_offset));
	if (stack)
		ret = ret ?: emit_stack_test(e, size, stack & KCP_BUILTIN_CALLER_FRAMES, done);
	if (owner)
		ret = ret ?: emit_grant_test(e, size, owner, done);
	return ret ?: kc_emit_pop_reg(e, KC_RDX);
}

/* Is the operand computed from %rax, which the check overwrites? */
static bool uses_rax(const ZydisDecodedOperand *op)
{
	return op->mem.base == ZYDIS_REGISTER_RAX || op->mem.index == ZYDIS_REGISTER_RAX;
}

/*
 * A kernel-page test (okpage.c), after the other inline tests missed,
 * with the address in %rax, which it leaves there for the next test:
 *
 *	xor %gs:slot, %rax ; cmp $(PAGE_SIZE - size), %rax ; jbe done
 *	lea <operand>, %rax
 *
 * or, for an operand based on %rax (which cannot be computed again) or a
 * bit-string instruction's address (emit_bit_offset()), @keep:
 *
 *	push %rax ; xor %gs:slot, %rax ; cmp $(PAGE_SIZE - size), %rax
 *	pop %rax ; jbe done
 *
 * (The word is read once: a check interrupted between its instructions
 * tests one page its sandbox was allowed, and xor'ing it again could
 * give another address.)  "jbe done" goes to @done.
 */
static int emit_page_test(struct kc_emitter *e, const struct kc_insn *insn,
			  const ZydisDecodedOperand *op, bool keep, int pushed,
			  u32 slot, unsigned int size, struct kc_label *done)
{
	int ret;

	ret = keep ? kc_emit_push_reg(e, KC_RAX) : 0;
	ret = ret ?: kc_emit_xor_ld(e, KC_RAX, KC_MEM_GS(slot));
	ret = ret ?: emit_cmp_rax(e, PAGE_SIZE - size);
	if (keep) {
		ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
		return ret ?: kc_emit_jcc_label(e, KC_CC_BE, done);
	}
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_BE, done);
	return ret ?: kc_emit_lea_op(e, KC_RAX, insn, op, pushed);
}

/*
 * bt, bts, btr, btc with a register bit offset and a memory operand
 * address the word (of the operand's @bits) at ea + (offset >> log2(bits))
 * * (bits / 8), the offset being the register's low @bits, signed: it
 * reaches far beyond the operand, either way.  With ea in %rax, after
 * the check pushed @pushed bytes (the original %rax last):
 *
 *	push %rdx ; mov <offset register>, %rdx
 *	[movswq %dx, %rdx | movslq %edx, %rdx]
 *	sar $log2(bits), %rdx ; lea (%rax,%rdx,bits/8), %rax ; pop %rdx
 *
 * The offset register is read as the instruction will: the original
 * %rax from the stack, %rsp as it was before the check.
 */
static int emit_bit_offset(struct kc_emitter *e, enum kc_reg reg,
			   unsigned int bits, int pushed)
{
	int ret = kc_emit_push_reg(e, KC_RDX);

	if (reg == KC_RAX)
		ret = ret ?: kc_emit_mov_ld(e, KC_RDX, KC_MEM(KC_RSP, 8));
	else if (reg == KC_RSP)
		ret = ret ?: kc_emit_lea(e, KC_RDX, KC_MEM(KC_RSP, pushed + 8));
	else if (reg != KC_RDX)
		ret = ret ?: kc_emit_mov_reg(e, KC_RDX, reg);
	if (bits < 64)
		ret = ret ?: kc_emit_movsx(e, KC_RDX, KC_RDX, bits);
	ret = ret ?: kc_emit_sar_imm(e, KC_RDX, ilog2(bits));
	ret = ret ?: kc_emit_lea(e, KC_RAX, (struct kc_mem){ .base = KC_RAX,
		.index = KC_RDX, .scale = bits / 8, .disp = 0 });
	return ret ?: kc_emit_pop_reg(e, KC_RDX);
}

/*
 * The slow path of @g's check, with the span's start in %rax: each access
 * decided in C, %rax moved to its address first.
 */
static int emit_slow_calls(struct kc_emitter *e, const struct access_group *g)
{
	s64 at = g->lo;
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < g->n; i++) {
		s32 d = g->m[i].disp - at;

		if (d)
			ret = kc_emit_lea(e, KC_RAX, KC_MEM(KC_RAX, d));
		ret = ret ?: emit_slow_call(e, g->m[i].word,
					    (unsigned long)kcage_slow_access,
					    g->m[i].pc);
		at = g->m[i].disp;
	}
	return ret;
}

/*
 * The check in front of @insn, the first access of @g, for all of @g;
 * its jumps to the end rel8 if @short_jumps.
 */
static int emit_check_form(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, const struct access_check *c,
			   const struct access_group *g, bool short_jumps)
{
	const struct module *mod = kcage_sandbox_module(sb);
	u32 builtin = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes);
	unsigned int size = g->hi - g->lo;
	bool percpu = c->word & KCAGE_ACCESS_PERCPU;
	ZydisDecodedOperand span = *c->op;
	u32 stack = !percpu && (builtin & KCP_BUILTIN_STACK) && size < THREAD_SIZE ?
		    builtin & (KCP_BUILTIN_STACK | KCP_BUILTIN_CALLER_FRAMES) : 0;
	struct kc_label done, next, next2;
	bool keep, page, two;
	unsigned long lo, hi, lo2 = 0, hi2 = 0;
	u8 owner;
	int ret, pushed;
	u32 slot, i;

	if (percpu) {
		lo = (unsigned long)mod->percpu;
		hi = lo + mod->percpu_size;
	} else if (c->word & KCAGE_ACCESS_LOAD) {
		kcage_access_image(sb, &lo, &hi);
	} else {
		kcage_access_data(sb, 0, &lo, &hi);
		kcage_access_data(sb, 1, &lo2, &hi2);
		/* the lower piece first: see below */
		if (hi2 > lo2 && lo2 < lo) {
			swap(lo, lo2);
			swap(hi, hi2);
		}
	}
	two = hi2 > lo2 && hi2 - lo2 >= size;
	page = !percpu && size <= PAGE_SIZE &&
	       ((builtin & KCP_BUILTIN_KERNEL_HEAP) ||
		kcage_api_region_pages(kcage_sandbox_api(sb))) &&
	       kcage_okpage_offset(kcage_sandbox_okpage(sb), &slot);
	owner = !percpu && !(c->word & KCAGE_ACCESS_LOAD) ? kcage_grant_owner(sb) : 0;
	keep = !kcage_flags_dead(sb, insn);
	pushed = keep ? 16 : 8;
	kc_label_init(&done, short_jumps);
	kc_label_init(&next, true);
	kc_label_init(&next2, true);
	ret = keep ? kcage_emit_check_start(e) : kc_emit_push_reg(e, KC_RAX);
	span.mem.disp.value = g->lo;
	ret = ret ?: kc_emit_lea_op(e, KC_RAX, insn, &span, pushed);
	if (c->bitreg != KC_NOREG)
		ret = ret ?: emit_bit_offset(e, c->bitreg, c->op->size, pushed);
	/*
	 * No inline range test when the range cannot hold the access.  With
	 * two pieces, an address below the lower one is below both: the
	 * heap, stacks and kernel data all lie below module space, so a
	 * store that misses the module's data costs one test, not two.
	 */
	if (!ret && hi > lo && hi - lo >= size) {
		ret = emit_cmp_rax(e, lo);
		ret = ret ?: kc_emit_jcc_label(e, KC_CC_B, two ? &next2 : &next);
		ret = ret ?: emit_cmp_rax(e, hi - size);
		ret = ret ?: kc_emit_jcc_label(e, KC_CC_BE, &done);
		ret = ret ?: kc_label_bind(e, &next);
	}
	if (!ret && two) {
		ret = emit_cmp_rax(e, lo2);
		ret = ret ?: kc_emit_jcc_label(e, KC_CC_B, &next2);
		ret = ret ?: emit_cmp_rax(e, hi2 - size);
		ret = ret ?: kc_emit_jcc_label(e, KC_CC_BE, &done);
		ret = ret ?: kc_label_bind(e, &next2);
	}
	/*
	 * The pages first: stores the range test misses are mostly into
	 * kernel objects (stores to locals at constant %rsp offsets have no
	 * check), and the page test loads less than the task tests.
	 */
	for (i = 0; !ret && page && i < KCAGE_OKPAGE_WAYS; i++)
		ret = emit_page_test(e, insn, &span,
				     uses_rax(&span) || c->bitreg != KC_NOREG,
				     pushed, slot + 8 * i, size, &done);
	if (!ret && (stack || owner))
		ret = emit_task_tests(e, size, stack, owner, &done);
	ret = ret ?: emit_slow_calls(e, g);
	ret = ret ?: kc_label_bind(e, &done);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	return ret ?: (keep ? kc_emit_popf(e) : 0);
}

/* The check for @g, with rel8 jumps unless its tests are too long. */
static int emit_check(const struct kcage_sandbox *sb, struct kc_emitter *e,
		      const struct kc_insn *insn, const struct access_check *c,
		      const struct access_group *g)
{
	size_t start = e->pos;
	int ret = emit_check_form(sb, e, insn, c, g, true);

	if (ret != -ERANGE)
		return ret;
	e->pos = start;
	return emit_check_form(sb, e, insn, c, g, false);
}

/*
 * A string instruction accesses memory at %rdi (stos, movs, cmps, scas)
 * and %rsi (movs, lods, cmps), upwards (the kernel runs with DF clear):
 * one element, or %rcx of them with a rep prefix.  Always checked in C:
 *
 *	pushfq ; push %rax ; mov %rdi or %rsi, %rax
 *	push $pc ; push $element_size|kind ; call kcage_slow_access[_rep]
 *	lea 16(%rsp), %rsp ; pop %rax ; popfq
 */
static int emit_string_check(struct kc_emitter *e, const struct kc_insn *insn,
			     const struct access_check *c)
{
	bool rep = kc_insn_has_rep(insn);
	int ret;

	ret = kcage_emit_check_start(e);
	ret = ret ?: kc_emit_mov_reg(e, KC_RAX, c->reg);
	return ret ?: kcage_emit_check_call(e, c->word,
					    rep ? (unsigned long)kcage_slow_access_rep :
						  (unsigned long)kcage_slow_access,
					    insn->ip);
}

enum { RSI = KC_RSI, RDI = KC_RDI };

/* What a string instruction stores to and loads from, or false. */
static bool string_regs(const struct kc_insn *insn, int *store, int *load1,
			int *load2)
{
	*store = *load1 = *load2 = -1;
	/* movsd and cmpsd are also SSE instructions, with explicit operands */
	if (insn->zi.operand_count_visible)
		return false;
	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_STOSB: case ZYDIS_MNEMONIC_STOSW:
	case ZYDIS_MNEMONIC_STOSD: case ZYDIS_MNEMONIC_STOSQ:
		*store = RDI;
		return true;
	case ZYDIS_MNEMONIC_MOVSB: case ZYDIS_MNEMONIC_MOVSW:
	case ZYDIS_MNEMONIC_MOVSD: case ZYDIS_MNEMONIC_MOVSQ:
		*store = RDI;
		*load1 = RSI;
		return true;
	case ZYDIS_MNEMONIC_LODSB: case ZYDIS_MNEMONIC_LODSW:
	case ZYDIS_MNEMONIC_LODSD: case ZYDIS_MNEMONIC_LODSQ:
		*load1 = RSI;
		return true;
	case ZYDIS_MNEMONIC_CMPSB: case ZYDIS_MNEMONIC_CMPSW:
	case ZYDIS_MNEMONIC_CMPSD: case ZYDIS_MNEMONIC_CMPSQ:
		*load1 = RSI;
		*load2 = RDI;
		return true;
	case ZYDIS_MNEMONIC_SCASB: case ZYDIS_MNEMONIC_SCASW:
	case ZYDIS_MNEMONIC_SCASD: case ZYDIS_MNEMONIC_SCASQ:
		*load1 = RDI;
		return true;
	default:
		return false;
	}
}

static void add_string(struct access_check *c, unsigned int *n, int reg,
		       u32 word)
{
	if (reg >= 0)
		c[(*n)++] = (struct access_check){ .reg = reg, .word = word,
						   .bitreg = KC_NOREG };
}

/* checks_of(): the instruction writes memory in a way no check bounds */
#define CHECKS_TRAP	(-1)

/*
 * The register holding the bit offset of a bt, bts, btr or btc with a
 * memory operand, or KC_NOREG (an immediate offset stays in the operand).
 */
static enum kc_reg bit_offset_reg(const struct kc_insn *insn)
{
	const ZydisDecodedOperand *off = &insn->ops[1];

	/* the model's fact (model.c): a memory operand, a register offset */
	if (!(insn->facts & KC_FACT_BT_REGOFF))
		return KC_NOREG;
	return kc_reg_num(ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64,
							   off->reg.value));
}

/*
 * The explicit operand through which @insn writes memory, into @op (NULL
 * if none), from the write extents (core/extent.c), which bound every
 * write or refuse the instruction.  A push's slot needs no check here
 * (floor.c bounds it); string instructions are checked on their own.
 * False if a write is one no check here bounds: the instruction must
 * not run.
 */
static bool store_operand(const struct kc_insn *insn,
			  const ZydisDecodedOperand **op)
{
	struct kc_write w[KC_MAX_WRITES];
	const char *why;
	int n = kc_insn_writes(insn, w, &why), i;

	*op = NULL;
	if (n < 0)
		return false;
	for (i = 0; i < n; i++) {
		if (w[i].kind == KC_WRITE_PUSH)
			continue;
		if (*op || (w[i].kind != KC_WRITE_OPERAND && w[i].kind != KC_WRITE_BITOFF))
			return false;
		*op = w[i].op;
	}
	return true;
}

/* Has @insn an explicit memory operand with an %fs segment? */
static bool fs_operand(const struct kc_insn *insn)
{
	unsigned int i;

	for (i = 0; i < insn->zi.operand_count_visible; i++)
		if (insn->ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    insn->ops[i].mem.segment == ZYDIS_REGISTER_FS)
			return true;
	return false;
}

/*
 * The checks of a string instruction: its store through %rdi (always
 * %es, which is flat) and, with check_reads, its loads (a %gs override
 * makes %rsi's an offset; %fs is refused); each over every element in
 * the direction DF says (access.c).
 */
static int string_checks(const struct kc_insn *insn, bool loads, int store,
			 int load1, int load2, struct access_check *c)
{
	u32 word = insn->zi.operand_width / 8 | KCAGE_ACCESS_STRING;
	u32 src = word | KCAGE_ACCESS_LOAD;
	unsigned int n = 0;

	if (insn->zi.attributes & ZYDIS_ATTRIB_HAS_SEGMENT_FS)
		return CHECKS_TRAP;
	if (insn->zi.attributes & ZYDIS_ATTRIB_HAS_SEGMENT_GS)
		src |= KCAGE_ACCESS_PERCPU;
	add_string(c, &n, store, word);
	if (loads) {
		add_string(c, &n, load1, load1 == RSI ? src : word | KCAGE_ACCESS_LOAD);
		add_string(c, &n, load2, load2 == RSI ? src : word | KCAGE_ACCESS_LOAD);
	}
	return n;
}

/* The checks @insn needs, into @c (at most 3); how many, or CHECKS_TRAP. */
static int checks_of(const struct kcage_sandbox *sb, const struct kc_insn *insn,
		     struct access_check *c)
{
	bool loads = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->flags) & KCP_FLAG_CHECK_READS;
	const ZydisDecodedOperand *op;
	int store, load1, load2;
	u32 word;

	if (string_regs(insn, &store, &load1, &load2))
		return string_checks(insn, loads, store, load1, load2, c);
	if (not_an_access(insn))
		return 0;
	if (fs_operand(insn) || !store_operand(insn, &op))
		return CHECKS_TRAP;
	/* pop to memory addresses it with %rsp after the pop */
	if (op && insn->zi.mnemonic == ZYDIS_MNEMONIC_POP &&
	    (op->mem.base == ZYDIS_REGISTER_RSP || op->mem.index == ZYDIS_REGISTER_RSP))
		return CHECKS_TRAP;
	if (op && bit_offset_reg(insn) == KC_NOREG && check_elided(sb, insn, op, false))
		return 0;
	word = 0;
	if (!op && loads) {
		op = kc_insn_mem_operand(insn, false);
		if (op && bit_offset_reg(insn) == KC_NOREG && check_elided(sb, insn, op, true))
			return 0;
		word = KCAGE_ACCESS_LOAD;
	}
	if (!op)
		return 0;
	word |= op_bytes(op);
	if (op->mem.segment == ZYDIS_REGISTER_GS)
		word |= KCAGE_ACCESS_PERCPU;
	c[0] = (struct access_check){ .op = op, .word = word,
				      .bitreg = bit_offset_reg(insn) };
	return 1;
}

static bool writes_address(const struct kc_insn *insn, const ZydisDecodedOperand *op)
{
	return kc_insn_writes_reg(insn, op->mem.base) ||
	       kc_insn_writes_reg(insn, op->mem.index);
}

/* Can @c, after @head's access @h, share its check? */
static bool same_address_form(const struct access_check *h,
			      const struct access_check *c)
{
	const ZydisDecodedOperand *a = h->op, *b = c->op;

	return b && h->bitreg == KC_NOREG && c->bitreg == KC_NOREG &&
	       (c->word & ~KCAGE_ACCESS_SIZE) == (h->word & ~KCAGE_ACCESS_SIZE) &&
	       a->mem.base == b->mem.base && a->mem.index == b->mem.index &&
	       a->mem.scale == b->mem.scale && a->mem.segment == b->mem.segment;
}

static bool add_member(struct access_group *g, const struct kc_insn *insn,
		       const struct access_check *c)
{
	s64 disp = c->op->mem.disp.value;
	s64 lo = min(g->lo, disp), hi = max(g->hi, disp + op_bytes(c->op));

	if (g->n == GROUP_MAX || hi - lo > GROUP_SPAN)
		return false;
	g->m[g->n++] = (struct group_member){ insn->ip, disp, c->word };
	g->lo = lo;
	g->hi = hi;
	return true;
}

/* Does @insn end the look-ahead without being looked at? */
static bool ends_straight_line(const struct kcage_sandbox *sb,
			       const struct kc_insn *insn)
{
	struct kc_site site;

	return insn->kind != KC_INSN_PLAIN || kcage_pivot_checked(insn) ||
	       kcage_sandbox_has_extable(insn->ip) ||
	       kcage_sandbox_site(sb, insn->ip, &site);
}

/* The accesses after @head, checked by @h, that @g can take in. */
static void gather(const struct kcage_sandbox *sb, struct access_group *g,
		   const struct kc_insn *head, const struct access_check *h)
{
	struct kc_insn *insn = this_cpu_ptr(&lookahead);
	u64 ip = head->ip + head->len;
	struct access_check c[3];
	unsigned int i;
	u8 buf[15];
	size_t len;
	int n;

	if (writes_address(head, h->op) || h->bitreg != KC_NOREG)
		return;
	for (i = 0; i < GROUP_LOOKAHEAD; i++, ip += insn->len) {
		len = kcage_sandbox_read(sb, ip, buf, sizeof(buf));
		if (!len || kc_decode(kcage_xlate_decoder(), buf, len, ip, insn) ||
		    ends_straight_line(sb, insn))
			return;
		n = checks_of(sb, insn, c);
		if (n && (n != 1 || !same_address_form(h, c) || !add_member(g, insn, c)))
			return;
		if (writes_address(insn, h->op))
			return;
	}
}

/**
 * kcage_bounds_new_block - note the start of a block, at @insn
 * @sb:   the sandbox being translated
 * @insn: the block's first instruction
 *
 * If @insn gets a check, find the later accesses it can cover too.
 */
void kcage_bounds_new_block(const struct kcage_sandbox *sb,
			    const struct kc_insn *insn)
{
	struct access_group *g = this_cpu_ptr(&block_group);
	struct access_check c[3];
	const ZydisDecodedOperand *op;

	lockdep_assert(irqs_disabled());	/* this CPU's translator */
	g->block_ip = insn->ip;
	g->n = 0;
	if (insn->kind != KC_INSN_PLAIN || checks_of(sb, insn, c) != 1 || !c[0].op)
		return;
	op = c[0].op;
	g->lo = g->hi = op->mem.disp.value;
	add_member(g, insn, &c[0]);
	/* one address form for all: no %rip (re-based), no %gs (offsets) */
	if (op->mem.base != ZYDIS_REGISTER_RIP && !(c[0].word & KCAGE_ACCESS_PERCPU))
		gather(sb, g, insn, &c[0]);
	this_cpu_add(coalesced, g->n - 1);
}

/* Is @insn, not the first of the block at @block_ip, covered by its check? */
static bool covered(u64 block_ip, const struct kc_insn *insn)
{
	const struct access_group *g = this_cpu_ptr(&block_group);
	unsigned int i;

	if (g->block_ip != block_ip)
		return false;
	for (i = 1; i < g->n; i++)
		if (g->m[i].pc == insn->ip)
			return true;
	return false;
}

/* Accesses translated with no check of their own (coalescing), all CPUs. */
unsigned long kcage_bounds_coalesced_count(void)
{
	return kcage_counter_sum(&coalesced);
}

/**
 * kcage_bounds_instrument - checks before @insn if it accesses memory
 * @sb:   the sandbox being translated
 * @e:    where the checks go
 * @insn: the instruction
 * @blk: the block so far (kcage_bounds_new_block() saw its first
 *       instruction); a later access needs a new block unless the first
 *       one's check covers it
 *
 * Return: 0, KC_INSTRUMENT_SPLIT or an error (enforce.c).
 */
int kcage_bounds_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, const struct kc_block *blk)
{
	const struct access_group *g = this_cpu_ptr(&block_group);
	struct access_check c[3];
	int n = checks_of(sb, insn, c), i, ret = 0;
	size_t start = e->pos;

	if (!n)
		return 0;
	if (blk->nr_insns)
		return n > 0 && covered(blk->native_start, insn) ? 0 : KC_INSTRUMENT_SPLIT;
	if (n == CHECKS_TRAP)
		return KC_INSTRUMENT_TRAP;
	if (c[0].op) {
		if (g->block_ip != insn->ip || !g->n)
			return -EINVAL;
		ret = emit_check(sb, e, insn, &c[0], g);
	}
	for (i = 0; i < n && !ret && !c[0].op; i++)
		ret = emit_string_check(e, insn, &c[i]);
	/* an address form the check cannot compute (32-bit addressing) */
	if (ret == -EOPNOTSUPP) {
		e->pos = start;
		return KC_INSTRUMENT_TRAP;
	}
	return ret;
}
