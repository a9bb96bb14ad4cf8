/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction model: which decoded instructions the translator may
 * copy into the code cache, which are privileged (the policy decides),
 * and which it refuses.  Deny by default: an instruction is admitted only
 * when every effect it has on memory, %rsp, control flow and privileged
 * state is one enforcement knows how to check (docs/instruction-model.md).
 */
#ifndef KCAGE_CORE_MODEL_H
#define KCAGE_CORE_MODEL_H

#include "host.h"
#include <Zydis/Decoder.h>

/**
 * enum kc_model_class - the model's verdict on one instruction
 * @KC_MODEL_UNCLASSIFIED: no rule covers it (a bug in the model: such an
 *                         instruction is refused, and the unit tests fail)
 * @KC_MODEL_ADMIT:        its effects are known; it may be copied, with
 *                         the checks its facts call for
 * @KC_MODEL_PRIV:         it changes privileged state; priv.c decides by
 *                         the policy name in &struct kc_model_verdict.priv
 * @KC_MODEL_REFUSE:       never run: its block ends with a trap exit
 */
enum kc_model_class {
	KC_MODEL_UNCLASSIFIED,
	KC_MODEL_ADMIT,
	KC_MODEL_PRIV,
	KC_MODEL_REFUSE,
};

/* Facts about an admitted instruction that enforcement needs. */
/* bt/bts/btr/btc with a register bit offset and a memory operand */
#define KC_FACT_BT_REGOFF	0x01
/* a string instruction: its memory is at %rdi/%rsi, moving by DF */
#define KC_FACT_STRING		0x02
/* a string instruction that writes at %rdi (stos, movs) */
#define KC_FACT_STRING_WRITE	0x04
/* an explicit 64-bit %rsp destination (mov, lea, add, sub, and, xchg, pop, cmovcc) */
#define KC_FACT_RSP_DEST	0x08
/* the implicit %rsp adjustment of push/pop/pushf/popf/call/ret/leave */
#define KC_FACT_STACK_OP	0x10
/* an explicit memory operand with a %gs segment (at gs_base + ea) */
#define KC_FACT_GS		0x20
/* cld: clears DF and nothing else (the only flag-system write admitted) */
#define KC_FACT_CLD		0x40
/* int3, ud2: never copied, the translator turns them into trap exits */
#define KC_FACT_TRAP		0x80

/**
 * struct kc_model_verdict - what the model says about one instruction
 * @cls:   &enum kc_model_class
 * @facts: KC_FACT_* bits, for an admitted instruction
 * @priv:  for KC_MODEL_PRIV, the policy's name of the instruction
 *         ("cli", "wrmsr", "stac"), "popf" and "clac" (priv.c's own
 *         checks), or "never" (no policy can allow it)
 * @why:   the rule that decided, in a few words (always set)
 */
struct kc_model_verdict {
	u8 cls;
	u8 facts;
	const char *priv;
	const char *why;
};

void kc_model_classify(const ZydisDecodedInstruction *zi,
		       const ZydisDecodedOperand *ops,
		       struct kc_model_verdict *v);
bool kc_model_mnemonic_has_row(ZydisMnemonic mn);
bool kc_model_ext_classified(ZydisISAExt ext);
const char *kc_model_class_name(enum kc_model_class cls);

#endif /* KCAGE_CORE_MODEL_H */
