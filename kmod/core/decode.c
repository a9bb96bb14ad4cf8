// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction decoding: Zydis does the decoding; this file sorts
 * instructions into the few kinds the translator treats differently.  What
 * may run at all is the instruction model's decision (model.c): what it
 * admits is a branch, a trap or PLAIN (copied); the rest is PRIV (the
 * policy decides) or REFUSED (never run).
 */
#include "decode.h"

static const char *const kind_names[KC_INSN_NR_KINDS] = {
	[KC_INSN_PLAIN] = "plain",
	[KC_INSN_JMP] = "jmp",
	[KC_INSN_JCC] = "jcc",
	[KC_INSN_CALL] = "call",
	[KC_INSN_JMP_IND] = "jmp-indirect",
	[KC_INSN_CALL_IND] = "call-indirect",
	[KC_INSN_RET] = "ret",
	[KC_INSN_INT3] = "int3",
	[KC_INSN_UD2] = "ud2",
	[KC_INSN_PRIV] = "privileged",
	[KC_INSN_REFUSED] = "refused",
};

const char *kc_insn_kind_name(enum kc_insn_kind kind)
{
	if ((unsigned int)kind >= KC_INSN_NR_KINDS)
		return "?";
	return kind_names[kind];
}

int kc_decoder_init(struct kc_decoder *dec)
{
	ZyanStatus st;

	st = ZydisDecoderInit(&dec->zd, ZYDIS_MACHINE_MODE_LONG_64,
			      ZYDIS_STACK_WIDTH_64);
	return ZYAN_SUCCESS(st) ? 0 : -EINVAL;
}

/* The kind of an instruction the model admitted. */
static enum kc_insn_kind admitted_kind(const ZydisDecodedInstruction *zi,
				       const ZydisDecodedOperand *ops)
{
	bool imm_target = zi->operand_count_visible > 0 &&
			  ops[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
			  ops[0].imm.is_relative;

	switch (zi->meta.category) {
	case ZYDIS_CATEGORY_UNCOND_BR:
		return imm_target ? KC_INSN_JMP : KC_INSN_JMP_IND;
	case ZYDIS_CATEGORY_COND_BR:
		return KC_INSN_JCC;
	case ZYDIS_CATEGORY_CALL:
		return imm_target ? KC_INSN_CALL : KC_INSN_CALL_IND;
	case ZYDIS_CATEGORY_RET:
		return KC_INSN_RET;
	default:
		break;
	}
	if (zi->mnemonic == ZYDIS_MNEMONIC_INT3)
		return KC_INSN_INT3;
	if (zi->mnemonic == ZYDIS_MNEMONIC_UD2)
		return KC_INSN_UD2;
	return KC_INSN_PLAIN;
}

/* Deny by default: the model's verdict picks the kind. */
static void classify(struct kc_insn *insn)
{
	struct kc_model_verdict v;

	kc_model_classify(&insn->zi, insn->ops, &v);
	insn->facts = v.facts;
	insn->why = v.why;
	insn->priv = NULL;
	switch (v.cls) {
	case KC_MODEL_ADMIT:
		insn->kind = admitted_kind(&insn->zi, insn->ops);
		break;
	case KC_MODEL_PRIV:
		insn->kind = KC_INSN_PRIV;
		insn->priv = v.priv;
		break;
	default:	/* refused, or a form no rule covers */
		insn->kind = KC_INSN_REFUSED;
		break;
	}
}

static bool has_rip_operand(const ZydisDecodedInstruction *zi,
			    const ZydisDecodedOperand *ops)
{
	unsigned int i;

	for (i = 0; i < zi->operand_count; i++)
		if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    ops[i].mem.base == ZYDIS_REGISTER_RIP)
			return true;
	return false;
}

/**
 * kc_decode - decode the instruction at @buf, which lives at address @ip
 * @dec:  an initialised decoder
 * @buf:  a copy of the bytes (the caller reads memory; this never does)
 * @len:  bytes available in @buf
 * @ip:   the native address of @buf[0], for branch targets and RIP operands
 * @insn: output
 *
 * Return: 0, or -EINVAL if the bytes are not a valid instruction (or
 * run past @len).
 */
int kc_decode(const struct kc_decoder *dec, const u8 *buf, size_t len,
	      u64 ip, struct kc_insn *insn)
{
	ZyanStatus st;
	ZyanU64 abs;

	st = ZydisDecoderDecodeFull(&dec->zd, buf, len, &insn->zi, insn->ops);
	if (!ZYAN_SUCCESS(st))
		return -EINVAL;

	insn->ip = ip;
	insn->len = insn->zi.length;
	classify(insn);
	insn->rip_rel = has_rip_operand(&insn->zi, insn->ops);
	insn->target = 0;
	if (insn->kind == KC_INSN_JMP || insn->kind == KC_INSN_JCC ||
	    insn->kind == KC_INSN_CALL) {
		st = ZydisCalcAbsoluteAddress(&insn->zi, &insn->ops[0], ip, &abs);
		if (!ZYAN_SUCCESS(st))
			return -EINVAL;
		insn->target = abs;
	}
	return 0;
}

static void flag_use(const ZydisDecodedInstruction *zi, struct kc_flag_use *use)
{
	const ZydisAccessedFlags *f = zi->cpu_flags;

	/* no flag information: take every flag as read, none as written */
	use->tested = f ? f->tested & KC_STATUS_FLAGS : KC_STATUS_FLAGS;
	use->written = f ? (f->modified | f->set_0 | f->set_1 | f->undefined) &
			   KC_STATUS_FLAGS : 0;
	use->branch = zi->meta.branch_type != ZYDIS_BRANCH_TYPE_NONE;
}

/**
 * kc_decode_flag_use - how the instruction at @buf uses the flags
 * @dec:      an initialised decoder
 * @buf:      its bytes
 * @len:      bytes available at @buf
 * @insn_len: gets its length
 * @use:      gets its use of the flags
 *
 * Cheaper than kc_decode(): the operands are not decoded.
 * Return: 0, or -EINVAL if the bytes are not a valid instruction.
 */
int kc_decode_flag_use(const struct kc_decoder *dec, const u8 *buf,
		       size_t len, u8 *insn_len, struct kc_flag_use *use)
{
	ZydisDecoderContext ctx;
	ZydisDecodedInstruction zi;

	if (ZYAN_FAILED(ZydisDecoderDecodeInstruction(&dec->zd, &ctx, buf, len, &zi)))
		return -EINVAL;
	*insn_len = zi.length;
	flag_use(&zi, use);
	return 0;
}

/* How the decoded @insn uses the flags: see kc_decode_flag_use(). */
void kc_insn_flag_use(const struct kc_insn *insn, struct kc_flag_use *use)
{
	flag_use(&insn->zi, use);
}

/* The encoding number of a 64-bit general-purpose register, else KC_NOREG. */
enum kc_reg kc_reg_num(ZydisRegister reg)
{
	if (ZydisRegisterGetClass(reg) != ZYDIS_REGCLASS_GPR64)
		return KC_NOREG;
	return (enum kc_reg)ZydisRegisterGetId(reg);
}

/* Has @insn a rep, repe or repne prefix? */
bool kc_insn_has_rep(const struct kc_insn *insn)
{
	return insn->zi.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
				      ZYDIS_ATTRIB_HAS_REPNE);
}

/* Does @insn write the 64-bit register @reg, or a part of it? */
bool kc_insn_writes_reg(const struct kc_insn *insn, ZydisRegister reg)
{
	unsigned int i;

	if (reg == ZYDIS_REGISTER_NONE)
		return false;
	for (i = 0; i < insn->zi.operand_count; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];

		if (op->type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) &&
		    ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64,
						     op->reg.value) == reg)
			return true;
	}
	return false;
}

/**
 * kc_insn_mem_operand - an explicit memory operand of @insn
 * @insn:  a decoded instruction
 * @store: look for one it writes; else for one it only reads
 *
 * Only operands that address data count: not lea's, nor the vector
 * memory operands of gathers and scatters.
 * Return: the operand, or NULL.
 */
const ZydisDecodedOperand *kc_insn_mem_operand(const struct kc_insn *insn,
					       bool store)
{
	unsigned int i;

	for (i = 0; i < insn->zi.operand_count; i++) {
		const ZydisDecodedOperand *op = &insn->ops[i];
		u8 a = op->actions;

		if (op->type != ZYDIS_OPERAND_TYPE_MEMORY ||
		    op->visibility != ZYDIS_OPERAND_VISIBILITY_EXPLICIT ||
		    op->mem.type != ZYDIS_MEMOP_TYPE_MEM)
			continue;
		if (store ? (a & ZYDIS_OPERAND_ACTION_MASK_WRITE) :
			    (a & ZYDIS_OPERAND_ACTION_MASK_READ) &&
			    !(a & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			return op;
	}
	return NULL;
}
