// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bounds: checks before the module's stores (issue 6, first part).
 *
 * A store through an explicit memory operand gets a check in front of it.
 * The translator puts checks only before the first instruction of a block
 * (enforce.c asks it to start a new block at each checked store), so the
 * copied instructions keep their native offsets and faults, fixups and
 * stack traces still map back.  The check:
 *
 *	pushfq ; push %rax ; lea <operand>, %rax
 *	cmp $data_start, %rax ; jb slow
 *	cmp $(data_end - size), %rax ; jbe done
 *	slow: push $size ; call kcage_dispatch_check_write ; lea 8(%rsp), %rsp
 *	done: pop %rax ; popfq
 *
 * so a store to the module's own data costs a few instructions inline,
 * and anything else is decided in C (kcage_bounds_writable()): the
 * current task's stack, the heap objects the module owns (heap.c, api.c),
 * the kernel objects its policy names.  String stores (stos, movs, with or
 * without rep) are checked in C over their whole destination.  Not
 * %gs-relative stores (per-CPU data) may go to the module's own per-CPU
 * variables and the kernel's preempt count (preempt_disable() is inline),
 * decided at translation time for a constant offset.  Not checked (yet):
 * stores at small constant offsets from %rsp (the frame), %fs-relative
 * stores (unused by the kernel), instructions with an exception-table
 * entry (user and nofault accesses, which the kernel's own checks cover).
 */
#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include "core/block.h"
#include "api.h"
#include "cache.h"
#include "enforce.h"
#include "frame.h"
#include "heap.h"
#include "sandbox.h"
#include "violation.h"
#include "policy/kcp.h"

/* In the size passed to kcage_enforce_write(): a %gs store, @addr an offset. */
#define KCAGE_CHECK_PERCPU	(1u << 30)

/* The module's writable data: .data, .bss (after its read-only parts). */
static void data_range(const struct kcage_sandbox *sb, unsigned long *lo,
		       unsigned long *hi)
{
	const struct module *mod = kcage_sandbox_module(sb);

	*lo = (unsigned long)mod->core_layout.base + mod->core_layout.ro_after_init_size;
	*hi = (unsigned long)mod->core_layout.base + mod->core_layout.size;
}

static const ZydisDecodedOperand *stored_operand(const struct kc_insn *insn)
{
	unsigned int i;

	for (i = 0; i < insn->zi.operand_count; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];

		if (op->type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    op->visibility == ZYDIS_OPERAND_VISIBILITY_EXPLICIT &&
		    op->mem.type == ZYDIS_MEMOP_TYPE_MEM &&
		    (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			return op;
	}
	return NULL;
}

static unsigned int op_bytes(const ZydisDecodedOperand *op)
{
	return op->size >= 8 ? op->size / 8 : 1;
}

static u64 rip_target(const struct kc_insn *insn, const ZydisDecodedOperand *op)
{
	return insn->ip + insn->len + op->mem.disp.value;
}

static bool is_gs(const ZydisDecodedOperand *op)
{
	return op->mem.segment == ZYDIS_REGISTER_GS;
}

/*
 * Per-CPU data is addressed as %gs:offset, the offset being the variable's
 * address in the per-CPU space.  A module may write its own per-CPU
 * variables and the kernel's preempt count (preempt_disable() is inline);
 * the offsets say which, whatever the CPU.
 */
static bool percpu_allowed(const struct kcage_sandbox *sb, unsigned long off,
			   unsigned long size)
{
	const struct module *mod = kcage_sandbox_module(sb);
	unsigned long lo = (unsigned long)mod->percpu, end = off + size;
	unsigned long pc = (unsigned long)&__preempt_count;

	if (end < off)
		return false;
	if (lo && off >= lo && end <= lo + mod->percpu_size)
		return true;
	return off >= pc && end <= pc + sizeof(__preempt_count);
}

/* A %gs store with a constant offset is decided now. */
static bool percpu_elided(const struct kcage_sandbox *sb,
			  const ZydisDecodedOperand *op)
{
	if (op->mem.base != ZYDIS_REGISTER_NONE || op->mem.index != ZYDIS_REGISTER_NONE)
		return false;
	return percpu_allowed(sb, (unsigned long)op->mem.disp.value, op_bytes(op));
}

/*
 * The store at @insn needs no check: see the top of this file; or it is
 * RIP-relative into the module's own data, or %gs-relative into allowed
 * per-CPU data, which is known now.
 */
static bool check_elided(const struct kcage_sandbox *sb,
			 const struct kc_insn *insn, const ZydisDecodedOperand *op)
{
	unsigned long lo, hi;
	s64 disp = op->mem.disp.value;
	u64 t;

	if (op->mem.segment == ZYDIS_REGISTER_GS)
		return percpu_elided(sb, op);
	if (op->mem.base == ZYDIS_REGISTER_RSP &&
	    op->mem.index == ZYDIS_REGISTER_NONE && disp >= -256 && disp < 2048)
		return true;
	if (kcage_sandbox_has_extable(insn->ip))
		return true;
	if (op->mem.base != ZYDIS_REGISTER_RIP)
		return false;
	data_range(sb, &lo, &hi);
	t = rip_target(insn, op);
	return t >= lo && t + op_bytes(op) <= hi;
}

/* Encode "lea <op>, %rax", with @extra added to an %rsp base's offset. */
static int emit_lea_rax(struct kc_emitter *e, const struct kc_insn *insn,
			const ZydisDecodedOperand *op)
{
	u8 b[8] = { 0x48, 0x8d };
	int base, index, scale;
	s64 disp = op->mem.disp.value;
	size_t n;

	if (insn->zi.address_width != 64)
		return -EOPNOTSUPP;
	if (op->mem.base == ZYDIS_REGISTER_RIP) {
		disp = (s64)rip_target(insn, op) - (s64)(kc_emit_pc(e) + 7);
		b[2] = 0x05;
		n = 3;
	} else {
		base = op->mem.base == ZYDIS_REGISTER_NONE ? -1 : ZydisRegisterGetId(op->mem.base);
		index = op->mem.index == ZYDIS_REGISTER_NONE ? -1 : ZydisRegisterGetId(op->mem.index);
		scale = op->mem.scale == 8 ? 3 : op->mem.scale == 4 ? 2 :
			op->mem.scale == 2 ? 1 : 0;
		if (op->mem.base == ZYDIS_REGISTER_RSP)
			disp += 16;	/* past the pushed flags and %rax */
		b[0] |= (index >= 8 ? 0x02 : 0) | (base >= 8 ? 0x01 : 0);
		b[2] = base < 0 ? 0x04 : 0x84;	/* SIB; disp32 (+ base) */
		b[3] = scale << 6 | (index < 0 ? 4 : index & 7) << 3 |
		       (base < 0 ? 5 : base & 7);
		n = 4;
	}
	if (disp != (s32)disp)
		return -ERANGE;
	memcpy(b + n, &(s32){ (s32)disp }, 4);
	return kc_emit_bytes(e, b, n + 4);
}

static int emit_cmp_rax(struct kc_emitter *e, unsigned long imm)
{
	u8 b[6] = { 0x48, 0x3d };
	s32 v = (s32)imm;

	if ((unsigned long)(long)v != imm)
		return -ERANGE;
	memcpy(b + 2, &v, 4);
	return kc_emit_bytes(e, b, sizeof(b));
}

/* "pushfq; push %rax": what every check saves before it computes. */
int kcage_emit_check_start(struct kc_emitter *e)
{
	return kc_emit_bytes(e, (const u8[]){ 0x9c, 0x50 }, 2);
}

/*
 * "push $arg; call @stub; lea 8(%rsp), %rsp; pop %rax; popfq": the call
 * into a dispatcher that ends every check, with its argument on the stack.
 */
int kcage_emit_check_call(struct kc_emitter *e, u32 arg, unsigned long stub)
{
	u8 push[5] = { 0x68 };
	int ret;

	memcpy(push + 1, &arg, 4);
	ret = kc_emit_bytes(e, push, sizeof(push));
	ret = ret ?: kc_emit_call(e, stub);
	ret = ret ?: kc_emit_bytes(e, (const u8[]){ 0x48, 0x8d, 0x64, 0x24, 0x08 }, 5);
	return ret ?: kc_emit_bytes(e, (const u8[]){ 0x58, 0x9d }, 2);
}

static int emit_check(const struct kcage_sandbox *sb, struct kc_emitter *e,
		      const struct kc_insn *insn, const ZydisDecodedOperand *op)
{
	const struct module *mod = kcage_sandbox_module(sb);
	unsigned int size = op_bytes(op);
	unsigned long lo, hi;
	int ret;

	if (is_gs(op)) {	/* the offset, checked against its per-CPU data */
		lo = (unsigned long)mod->percpu;
		hi = lo + mod->percpu_size;
		size |= KCAGE_CHECK_PERCPU;
	} else {
		data_range(sb, &lo, &hi);
	}
	ret = kcage_emit_check_start(e);
	ret = ret ?: emit_lea_rax(e, insn, op);
	/* no inline test when the range cannot hold the store (no per-CPU data) */
	if (hi > lo && hi - lo >= (size & ~KCAGE_CHECK_PERCPU)) {
		ret = ret ?: emit_cmp_rax(e, lo);
		ret = ret ?: kc_emit_jcc8(e, 0x2, 8);	/* jb slow */
		ret = ret ?: emit_cmp_rax(e, hi - (size & ~KCAGE_CHECK_PERCPU));
		ret = ret ?: kc_emit_jcc8(e, 0x6, 15);	/* jbe done */
	}
	return ret ?: kcage_emit_check_call(e, size,
					    (unsigned long)kcage_dispatch_check_write);
}

static bool is_string_store(const struct kc_insn *insn)
{
	switch (insn->zi.mnemonic) {
	case ZYDIS_MNEMONIC_STOSB:
	case ZYDIS_MNEMONIC_STOSW:
	case ZYDIS_MNEMONIC_STOSD:
	case ZYDIS_MNEMONIC_STOSQ:
	case ZYDIS_MNEMONIC_MOVSB:
	case ZYDIS_MNEMONIC_MOVSW:
	case ZYDIS_MNEMONIC_MOVSD:
	case ZYDIS_MNEMONIC_MOVSQ:
		/* movsd is also an SSE move, which has explicit operands */
		return insn->zi.operand_count_visible == 0;
	default:
		return false;
	}
}

/*
 * A string store writes from %rdi up (the kernel runs with DF clear):
 * one element, or %rcx of them with a rep prefix.  Always checked in C:
 *
 *	pushfq ; push %rax ; mov %rdi, %rax
 *	push $element_size ; call kcage_dispatch_check_write[_rep]
 *	lea 8(%rsp), %rsp ; pop %rax ; popfq
 */
static int emit_string_check(struct kc_emitter *e, const struct kc_insn *insn)
{
	bool rep = insn->zi.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
					  ZYDIS_ATTRIB_HAS_REPNE);
	int ret;

	ret = kcage_emit_check_start(e);
	ret = ret ?: kc_emit_bytes(e, (const u8[]){ 0x48, 0x89, 0xf8 }, 3);	/* mov %rdi, %rax */
	return ret ?: kcage_emit_check_call(e, insn->zi.operand_width / 8,
					    rep ? (unsigned long)kcage_dispatch_check_write_rep :
						  (unsigned long)kcage_dispatch_check_write);
}

/**
 * kcage_bounds_instrument - a check before @insn if it stores to memory
 * @first: @insn starts its block; else a store needs a new block
 *
 * Return: 0, KC_INSTRUMENT_SPLIT or an error (enforce.c).
 */
int kcage_bounds_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, bool first)
{
	const ZydisDecodedOperand *op = stored_operand(insn);

	if (is_string_store(insn) && !kcage_sandbox_has_extable(insn->ip))
		return first ? emit_string_check(e, insn) : KC_INSTRUMENT_SPLIT;
	if (!op || check_elided(sb, insn, op))
		return 0;
	if (!first)
		return KC_INSTRUMENT_SPLIT;
	return emit_check(sb, e, insn, op);
}

static bool on_task_stack(unsigned long a, unsigned long end)
{
	unsigned long lo = (unsigned long)task_stack_page(current);

	return a >= lo && end <= lo + THREAD_SIZE;
}

/*
 * KASAN's shadow, which code built for a KASAN kernel writes itself (the
 * redzones around its stack variables).  Outside KASAN kernels: nothing.
 */
static bool is_kasan_shadow(unsigned long a, unsigned long end)
{
#ifdef CONFIG_KASAN
	return a >= KASAN_SHADOW_START && end <= KASAN_SHADOW_END && end >= a;
#else
	return false;
#endif
}

/**
 * kcage_bounds_writable - may @sb's module write [@a, @a + @size)?
 *
 * Its own data, the current task's stack and the heap objects it owns,
 * as far as its policy's builtin regions say; the regions its policy
 * names for writing; what its running entries were granted; KASAN's
 * shadow.  Any context.
 */
bool kcage_bounds_writable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size)
{
	u32 builtin = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes);
	unsigned long end = a + size, lo, hi;

	if (end < a)
		return false;
	data_range(sb, &lo, &hi);
	if ((builtin & KCP_BUILTIN_DATA) && a >= lo && end <= hi)
		return true;
	if ((builtin & KCP_BUILTIN_STACK) && on_task_stack(a, end))
		return true;
	if (is_kasan_shadow(a, end))
		return true;
	if ((builtin & KCP_BUILTIN_HEAP) && kcage_heap_owns(sb, a, end))
		return true;
	return kcage_api_region_allows(kcage_sandbox_api(sb), a, end, KCP_ACCESS_WRITE) ||
	       kcage_api_grant_allows(kcage_sandbox_api(sb), a, end, KCP_ACCESS_WRITE);
}

/* The module's own image: text, read-only data, data (core and init). */
static bool in_module(const struct kcage_sandbox *sb, unsigned long a,
		      unsigned long end)
{
	const struct module *mod = kcage_sandbox_module(sb);
	const struct module_layout *l[] = { &mod->core_layout, &mod->init_layout };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(l); i++) {
		unsigned long lo = (unsigned long)l[i]->base;

		if (a >= lo && end <= lo + l[i]->size)
			return true;
	}
	return false;
}

/**
 * kcage_bounds_readable - may @sb's module read [@a, @a + @size)?
 *
 * What it may write, its whole image, the regions its policy names for
 * reading.  Any context.
 */
bool kcage_bounds_readable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size)
{
	unsigned long end = a + size;

	if (end < a)
		return false;
	if (in_module(sb, a, end) || kcage_bounds_writable(sb, a, size))
		return true;
	return kcage_api_region_allows(kcage_sandbox_api(sb), a, end, KCP_ACCESS_READ) ||
	       kcage_api_grant_allows(kcage_sandbox_api(sb), a, end, KCP_ACCESS_READ);
}

/*
 * Called by kcage_dispatch_check_write for a store the inline check did
 * not let through.  @ret: the cache address the check was called from.
 * Return: 0 to let the store happen, else where to go instead.
 */
unsigned long kcage_enforce_write(unsigned long addr, unsigned long size,
				  unsigned long ret);
unsigned long kcage_enforce_write(unsigned long addr, unsigned long size,
				  unsigned long ret)
{
	bool percpu = size & KCAGE_CHECK_PERCPU;
	struct kcage_violation v = {
		.kind = KCP_KIND_WRITE, .pc = kcage_cache_native(ret - 1),
		.addr = addr, .size = size & ~KCAGE_CHECK_PERCPU,
		.detail = percpu ? "percpu_write_not_allowed" : "write_not_allowed",
	};
	bool allowed;
	const struct kcage_sandbox *sb;
	unsigned long go = 0;

	if (!v.size)	/* rep with %rcx = 0 */
		return 0;
	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (sb && kcage_sandbox_policy(sb)) {
		allowed = percpu ? percpu_allowed(sb, addr, v.size) :
				   kcage_bounds_writable(sb, addr, v.size);
		if (!allowed && kcage_violation(sb, &v) != KCP_ACTION_LOG)
			go = (unsigned long)kcage_bail_eperm;
	}
	rcu_read_unlock();
	return go;
}
