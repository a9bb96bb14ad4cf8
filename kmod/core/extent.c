// SPDX-License-Identifier: GPL-2.0
/*
 * Write extents (extent.h): which bytes an instruction writes.  Zydis
 * lists every memory operand an instruction has, explicit and hidden,
 * with what it does to it; a written one is bounded here or the
 * instruction is refused.  The decision is by operand, not by mnemonic,
 * so a form nobody thought of is refused rather than let through.
 */
#include "extent.h"

static bool writes(const ZydisDecodedOperand *op)
{
	return op->type == ZYDIS_OPERAND_TYPE_MEMORY &&
	       (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE);
}

/*
 * Writes Zydis does not describe by an operand of the right size: the
 * xsave family writes what XCR0 enables, and enqcmd(s) store 64 bytes at
 * the address in their register operand, which Zydis lists as no memory
 * operand at all.
 */
static bool write_not_described(ZydisMnemonic m)
{
	switch (m) {
	case ZYDIS_MNEMONIC_ENQCMD:
	case ZYDIS_MNEMONIC_ENQCMDS:
	case ZYDIS_MNEMONIC_XSAVE:
	case ZYDIS_MNEMONIC_XSAVE64:
	case ZYDIS_MNEMONIC_XSAVEC:
	case ZYDIS_MNEMONIC_XSAVEC64:
	case ZYDIS_MNEMONIC_XSAVEOPT:
	case ZYDIS_MNEMONIC_XSAVEOPT64:
	case ZYDIS_MNEMONIC_XSAVES:
	case ZYDIS_MNEMONIC_XSAVES64:
		return true;
	default:
		return false;
	}
}

/* An explicit memory operand @op that @insn writes. */
static const char *explicit_write(const struct kc_insn *insn,
				  const ZydisDecodedOperand *op, struct kc_write *w)
{
	const ZydisDecodedOperand *bit = &insn->ops[1];

	if (op->mem.type != ZYDIS_MEMOP_TYPE_MEM)
		return "write through a vector index or a bound table";
	if (op->mem.segment == ZYDIS_REGISTER_FS)
		return "write through %fs";
	if (!op->size || op->size % 8)
		return "write of no whole byte size";
	w->kind = KC_WRITE_OPERAND;
	w->size = op->size / 8;
	w->op = op;
	/* the model's fact: bts, btr, btc with a register bit offset */
	if (insn->facts & KC_FACT_BT_REGOFF) {
		w->kind = KC_WRITE_BITOFF;
		w->bitreg = bit->reg.value;
	}
	return NULL;
}

/* A hidden memory operand @op that @insn writes. */
static const char *hidden_write(const struct kc_insn *insn,
				const ZydisDecodedOperand *op, struct kc_write *w)
{
	ZydisMnemonic m = insn->zi.mnemonic;

	w->size = op->size / 8;
	w->op = op;
	if (op->mem.base == ZYDIS_REGISTER_RSP &&
	    (m == ZYDIS_MNEMONIC_PUSH || m == ZYDIS_MNEMONIC_PUSHFQ ||
	     m == ZYDIS_MNEMONIC_CALL)) {
		w->kind = KC_WRITE_PUSH;
		return w->size == 2 || w->size == 8 ? NULL : "push of odd size";
	}
	if (insn->zi.meta.category == ZYDIS_CATEGORY_STRINGOP &&
	    op->mem.segment == ZYDIS_REGISTER_ES &&
	    (op->mem.base == ZYDIS_REGISTER_RDI || op->mem.base == ZYDIS_REGISTER_EDI)) {
		w->kind = KC_WRITE_STRING;
		return w->size ? NULL : "string of no size";
	}
	return "hidden memory write";
}

/**
 * kc_insn_writes - the memory writes of @insn
 * @insn: a decoded instruction
 * @w:    gets up to KC_MAX_WRITES writes
 * @why:  if the writes cannot be bounded, gets the reason
 *
 * Return: the number of writes (0: none), or -EINVAL if one of them
 * cannot be bounded (the instruction must not run).
 */
int kc_insn_writes(const struct kc_insn *insn, struct kc_write *w,
		   const char **why)
{
	unsigned int i;
	int n = 0;

	if (write_not_described(insn->zi.mnemonic)) {
		*why = "write Zydis does not size (xsave, enqcmd)";
		return -EINVAL;
	}
	for (i = 0; i < insn->zi.operand_count; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];
		const char *bad;

		if (!writes(op))
			continue;
		if (n == KC_MAX_WRITES) {
			*why = "more than two memory writes";
			return -EINVAL;
		}
		if (op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN)
			bad = hidden_write(insn, op, &w[n]);
		else
			bad = explicit_write(insn, op, &w[n]);
		if (bad) {
			*why = bad;
			return -EINVAL;
		}
		n++;
	}
	return n;
}

/* The value of general register @reg (any width) in @s, 0 for none. */
static u64 reg_value(const struct kc_cpu_state *s, ZydisRegister reg)
{
	ZydisRegister r64;
	enum kc_reg n;

	if (reg == ZYDIS_REGISTER_NONE)
		return 0;
	r64 = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
	n = kc_reg_num(r64);
	return n == KC_NOREG ? 0 : s->gpr[n];
}

/* The linear address of memory operand @op of @insn. */
static u64 linear(const struct kc_insn *insn, const ZydisDecodedOperand *op,
		  const struct kc_cpu_state *s)
{
	u64 ea = (u64)op->mem.disp.value;

	if (op->mem.base == ZYDIS_REGISTER_RIP)
		ea += insn->ip + insn->len;
	else
		ea += reg_value(s, op->mem.base);
	ea += reg_value(s, op->mem.index) * (op->mem.scale ? op->mem.scale : 1);
	if (insn->zi.address_width == 32)
		ea = (u32)ea;
	if (op->mem.segment == ZYDIS_REGISTER_GS)
		ea += s->gs_base;
	return ea;
}

/* The bit offset in @reg, sign-extended from its width. */
static s64 bit_offset(const struct kc_cpu_state *s, ZydisRegister reg)
{
	u64 v = reg_value(s, reg);

	switch (ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, reg)) {
	case 16:
		return (s16)v;
	case 32:
		return (s32)v;
	default:
		return (s64)v;
	}
}

static int string_range(const struct kc_insn *insn, const struct kc_write *w,
			const struct kc_cpu_state *s, u64 *addr, u64 *len)
{
	bool narrow = insn->zi.address_width == 32;
	u64 di = s->gpr[KC_RDI], count = 1, bytes;

	if (kc_insn_has_rep(insn))
		count = narrow ? (u32)s->gpr[KC_RCX] : s->gpr[KC_RCX];
	if (narrow)
		di = (u32)di;
	if (count > U64_MAX / w->size)
		return -ERANGE;
	bytes = count * w->size;
	*len = bytes;
	*addr = di;
	if (bytes && (s->flags & KC_FLAG_DF))
		*addr = di - (bytes - w->size);
	if (!bytes)
		return 0;
	/* the range must not wrap: at 2^64, or at 2^32 for 32-bit addresses */
	if (s->flags & KC_FLAG_DF ? *addr > di : *addr + bytes - 1 < *addr)
		return -ERANGE;
	if (narrow && *addr + bytes - 1 > U32_MAX)
		return -ERANGE;
	return 0;
}

/**
 * kc_write_range - the bytes write @w of @insn changes when it runs in @s
 * @insn: the instruction
 * @w:    one of its writes, from kc_insn_writes()
 * @s:    the registers, flags and %gs base it runs with
 * @addr: gets the first byte's linear address
 * @len:  gets the number of bytes (0: nothing is written)
 *
 * Return: 0, or -ERANGE for a string whose range wraps around the
 * address space (or the 4 GiB of 32-bit addresses): refuse it.
 */
int kc_write_range(const struct kc_insn *insn, const struct kc_write *w,
		   const struct kc_cpu_state *s, u64 *addr, u64 *len)
{
	unsigned int shift;

	*len = w->size;
	switch (w->kind) {
	case KC_WRITE_PUSH:
		*addr = s->gpr[KC_RSP] - w->size;
		return 0;
	case KC_WRITE_STRING:
		return string_range(insn, w, s, addr, len);
	case KC_WRITE_BITOFF:
		shift = w->size == 8 ? 6 : w->size == 4 ? 5 : 4;
		*addr = linear(insn, w->op, s) +
			(u64)((bit_offset(s, w->bitreg) >> shift) * w->size);
		return 0;
	default:
		*addr = linear(insn, w->op, s);
		return 0;
	}
}
