// SPDX-License-Identifier: GPL-2.0
/*
 * Privileged instructions: what the instruction model (core/model.c)
 * classifies KC_INSN_PRIV: wrmsr, mov to control and debug registers,
 * segment writes, lgdt/lidt/ltr, invlpg, wbinvd, hlt, swapgs, sysret,
 * iret, port I/O, cli/sti, stac/clac, std, popf, ...: what only the kernel
 * itself should execute.  The model names each by its policy name, or
 * "never" when no policy may allow it.
 *
 * The policy's privileged: list names the ones a module may run; in, out,
 * rdmsr and wrmsr with the ports or MSRs they may touch.  Decided at
 * translation time where possible: an instruction the list does not name,
 * or an in/out with an immediate port outside its ranges, ends its block
 * with a trap, so it never runs; reached, it is a violation whose deny
 * skips it (priv_trap).  A port in %dx or an MSR in %ecx is known only at
 * run time: the instruction gets a check in front of it
 *
 *	pushfq ; push %rax ; mov %ecx, %eax (or movzwl %dx, %eax)
 *	push $kind ; call kcage_slow_priv ; lea 8(%rsp), %rsp
 *	pop %rax ; popfq
 *
 * and a refused value abandons the call into the module (a check in
 * front of an instruction cannot skip it).  In audit and learn mode what
 * the policy does not allow is reported and runs, except what no policy
 * can allow (std, system instructions, a popf setting more than IF and
 * the arithmetic flags): that never runs, in any mode, since it would
 * blind kcage's own checks or hand the module the kernel's state.
 *
 * The flags: clac is always allowed (it only closes user memory again),
 * cld is not privileged at all (the model admits it: translated code runs
 * with DF clear), std never (string checks and every kernel function
 * assume DF=0), stac by the policy's "stac".  popf is what
 * native_restore_fl() runs; it is allowed when the value it pops changes
 * nothing but IF and the arithmetic flags, checked inline in front of it:
 *
 *	pushfq ; push %rax ; mov 16(%rsp), %rax ; and $~ALLOWED, %eax
 *	jz 1f ; mov 16(%rsp), %rax ; <slow path, as above> ; jmp 2f
 *	1: pop %rax ; popfq ; 2: popfq (the module's)
 *
 * popfq ignores bits 63:32 of the value (reserved), so the low 32 bits
 * are all there is to check.
 */
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include "core/block.h"
#include "core/decode.h"
#include "core/emit.h"
#include "rt/cache.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "learn.h"
#include "sandbox/sandbox.h"
#include "sandbox/violation.h"
#include "dbt/xlate.h"
#include "policy/kcp.h"
#include "dbt/instrument.h"
#include "slow.h"
#include "dbt/contain.h"

enum priv_verdict {
	PRIV_REFUSED,
	PRIV_ALLOWED,
	PRIV_CHECK_AT_RUN_TIME,
};

/* kcage_slow_priv's kind for a popf whose value would change more than IF */
#define PRIV_POPF_CHECK	0x100

/* EFLAGS bits a popf may set: the arithmetic flags, IF and the fixed bit 1 */
#define POPF_ALLOWED	(X86_EFLAGS_CF | X86_EFLAGS_FIXED | X86_EFLAGS_PF | \
			 X86_EFLAGS_AF | X86_EFLAGS_ZF | X86_EFLAGS_SF | \
			 X86_EFLAGS_IF | X86_EFLAGS_OF)

/* priv_kind() of the instructions priv.c decides by itself */
#define PRIV_KIND_NEVER	(-1)
#define PRIV_KIND_CLAC	(-2)
#define PRIV_KIND_POPF	(-3)

/*
 * The policy's name for a privileged instruction (&enum kcp_priv_insn),
 * or a PRIV_KIND_*: the model's name, looked up.
 */
static int priv_kind(const struct kc_insn *insn)
{
	unsigned int i;

	if (insn->kind != KC_INSN_PRIV || !insn->priv)
		return PRIV_KIND_NEVER;
	if (!strcmp(insn->priv, "clac"))
		return PRIV_KIND_CLAC;
	if (!strcmp(insn->priv, "popf"))
		return PRIV_KIND_POPF;
	for (i = 0; i < KCP_NR_PRIV; i++)
		if (!strcmp(insn->priv, kcp_priv_name(i)))
			return i;
	return PRIV_KIND_NEVER;
}

static bool has_ranges(int kind)
{
	return kind == KCP_PRIV_IN || kind == KCP_PRIV_OUT ||
	       kind == KCP_PRIV_RDMSR || kind == KCP_PRIV_WRMSR;
}

/* Is @kind listed, and (for ranged kinds) is @value in one of its ranges? */
static bool listed(const struct kcp_view *p, int kind, bool ranged, u32 value)
{
	u32 i;

	for (i = 0; i < p->nr_privs; i++) {
		const struct kcp_priv *e = &p->privs[i];

		if (e->insn != kind)
			continue;
		if (!ranged || (value >= le32_to_cpu(e->lo) && value <= le32_to_cpu(e->hi)))
			return true;
	}
	return false;
}

/* An in/out's port, if it is an immediate: else -1. */
static int immediate_port(const struct kc_insn *insn)
{
	unsigned int i;

	for (i = 0; i < insn->zi.operand_count_visible; i++)
		if (insn->ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
			return (u8)insn->ops[i].imm.value.u;
	return -1;
}

static enum priv_verdict verdict(const struct kcage_sandbox *sb,
				 const struct kc_insn *insn)
{
	const struct kcp_view *p = kcage_sandbox_policy(sb);
	int kind = priv_kind(insn), port;

	if (!p || kind == PRIV_KIND_CLAC)
		return PRIV_ALLOWED;
	if (kind == PRIV_KIND_POPF)
		return PRIV_CHECK_AT_RUN_TIME;
	if (kind < 0)
		return PRIV_REFUSED;
	port = kind == KCP_PRIV_IN || kind == KCP_PRIV_OUT ? immediate_port(insn) : -1;
	/* learning, a port or MSR in a register is seen at run time */
	if (!listed(p, kind, false, 0))
		return kcage_sandbox_mode(sb) == KCP_MODE_LEARN && has_ranges(kind) &&
		       port < 0 ? PRIV_CHECK_AT_RUN_TIME : PRIV_REFUSED;
	if (!has_ranges(kind))
		return PRIV_ALLOWED;
	if (port >= 0)
		return listed(p, kind, true, port) ? PRIV_ALLOWED : PRIV_REFUSED;
	return PRIV_CHECK_AT_RUN_TIME;
}

static int emit_value_check(struct kc_emitter *e, const struct kc_insn *insn,
			    int kind)
{
	bool is_msr = kind == KCP_PRIV_RDMSR || kind == KCP_PRIV_WRMSR;
	int ret;

	ret = kcage_emit_check_start(e);
	if (is_msr)
		ret = ret ?: kc_emit_mov32_reg(e, KC_RAX, KC_RCX);
	else
		ret = ret ?: kc_emit_movzwl_reg(e, KC_RAX, KC_RDX);
	return ret ?: kcage_emit_check_call(e, kind, (unsigned long)kcage_slow_priv,
					    insn->ip);
}

/*
 * In front of a popf: its value may change IF and the arithmetic flags,
 * nothing else (see the top of this file).  The check's own flags are
 * restored before the popf, which then sets them all anyway.
 */
static int emit_popf_check(struct kc_emitter *e, const struct kc_insn *insn)
{
	struct kc_label ok, done;
	int ret;

	kc_label_init(&ok, true);
	kc_label_init(&done, true);
	ret = kcage_emit_check_start(e);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 16));
	ret = ret ?: kc_emit_and32_imm(e, KC_RAX, (s32)~POPF_ALLOWED);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_E, &ok);
	ret = ret ?: kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 16));
	ret = ret ?: kcage_emit_check_call(e, PRIV_POPF_CHECK,
					  (unsigned long)kcage_slow_priv, insn->ip);
	ret = ret ?: kc_emit_jmp_label(e, &done);
	ret = ret ?: kc_label_bind(e, &ok);
	ret = ret ?: kc_emit_pop_reg(e, KC_RAX);
	ret = ret ?: kc_emit_popf(e);
	return ret ?: kc_label_bind(e, &done);
}

/* The instrumentation hook's part for privileged instructions. */
int kcage_priv_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			  const struct kc_insn *insn, bool first)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_PRIVILEGED, .pc = insn->ip,
		.addr = max(immediate_port(insn), 0),
		.detail = "privileged_instruction_translated",
	};

	switch (verdict(sb, insn)) {
	case PRIV_ALLOWED:
		return 0;
	case PRIV_CHECK_AT_RUN_TIME:
		if (!first)
			return KC_INSTRUMENT_SPLIT;
		if (priv_kind(insn) == PRIV_KIND_POPF)
			return emit_popf_check(e, insn);
		return emit_value_check(e, insn, priv_kind(insn));
	case PRIV_REFUSED:
		break;
	}
	/*
	 * One that no policy can allow (std, a system instruction) would
	 * blind kcage's own checks (DF) or take the kernel's state from it:
	 * it never runs, in any mode (the trap reports it and skips it
	 * where the mode does not stop the call).
	 */
	if (kcage_sandbox_mode(sb) == KCP_MODE_ENFORCE ||
	    priv_kind(insn) == PRIV_KIND_NEVER)
		return KC_INSTRUMENT_TRAP;
	kcage_violation(sb, &v);	/* audit: report it once, let it run */
	return 0;
}

/*
 * The policy name of the privileged instruction at @pc in @sb ("rdmsr"),
 * or "?" for one no policy can allow (learn mode cannot learn it).
 */
const char *kcage_priv_name_at(const struct kcage_sandbox *sb, unsigned long pc)
{
	struct kc_insn insn;
	u8 bytes[16];
	size_t n = kcage_sandbox_read(sb, pc, bytes, 15);
	int kind;

	if (!n || kc_decode(kcage_xlate_decoder(), bytes, n, pc, &insn))
		return "?";
	kind = priv_kind(&insn);
	return kind < 0 ? "?" : kcp_priv_name(kind);
}

/**
 * kcage_enforce_priv_trap - a refused privileged instruction was reached
 * @sb:     the sandbox, under RCU
 * @native: its native address, in @sb
 *
 * Return: the native address to go on at (after the instruction, which
 * does not run), or 0 to abandon the call into the module; 1 if the
 * instruction at @native is not a refused privileged one.
 */
unsigned long kcage_enforce_priv_trap(const struct kcage_sandbox *sb,
				      unsigned long native)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_PRIVILEGED, .pc = native,
		.detail = "privileged_instruction",
	};
	struct kc_decoder dec;
	struct kc_insn insn;
	u8 bytes[16];
	size_t n;

	n = kcage_sandbox_read(sb, native, bytes, 15);
	if (!n || kc_decoder_init(&dec) || kc_decode(&dec, bytes, n, native, &insn) ||
	    insn.kind != KC_INSN_PRIV || verdict(sb, &insn) != PRIV_REFUSED)
		return 1;
	switch (kcage_violation(sb, &v)) {
	case KCP_ACTION_LOG:	/* audit mode never traps: see above */
	case KCP_ACTION_DENY:
		return native + insn.len;
	default:
		return 0;
	}
}

/*
 * Called by kcage_slow_priv: @value is the port or MSR the
 * instruction after the check is about to use, @kind its &enum
 * kcp_priv_insn, @ret where the check was called from (in the cache).
 * Return: 0 to let it run, else where to go instead.
 */
unsigned long kcage_enforce_priv_value(unsigned long value, unsigned long kind,
				       unsigned long ret, unsigned long pc);
unsigned long kcage_enforce_priv_value(unsigned long value, unsigned long kind,
				       unsigned long ret, unsigned long pc)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_PRIVILEGED, .pc = pc,
		.addr = value,
		.detail = kind == KCP_PRIV_RDMSR || kind == KCP_PRIV_WRMSR ?
			  "msr_not_allowed" : "port_not_allowed",
	};
	const struct kcage_sandbox *sb;
	unsigned long go = 0;

	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (kind == PRIV_POPF_CHECK) {
		/*
		 * Called only when the value sets a flag beyond IF's: DF
		 * would turn the string checks around, TF, AC, NT and IOPL
		 * are the kernel's.  In every mode the popf never runs.
		 */
		v.detail = "popf_flags";
		v.rule_arg = "popf";
		if (sb)
			kcage_violation(sb, &v);
		go = (unsigned long)kcage_bail_eperm;
		rcu_read_unlock();
		return go;
	}
	if (!sb)
		go = kcage_contain_unattributed(v.pc, "port or MSR access");
	else if (kcage_sandbox_policy(sb) &&
		 !listed(kcage_sandbox_policy(sb), kind, true, value))
		go = kcage_contain_stop(sb, &v);
	rcu_read_unlock();
	return go;
}
