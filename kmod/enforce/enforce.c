// SPDX-License-Identifier: GPL-2.0
/*
 * Enforcement of a sandbox's policy on control flow into the kernel and
 * on privileged instructions.
 *
 * Checks happen where the translator already stops, so allowed code pays
 * nothing once it is warm:
 *
 *  - a direct call or jump to the kernel is checked when its exit is
 *    first taken; an allowed one is linked and never checked again, a
 *    refused one is never linked, so every execution is checked (and
 *    reported);
 *  - an indirect call or jump is checked when it misses the inline lookup
 *    table; an allowed target enters it under the branching sandbox's tag
 *    (ibl.h), so a target refused to this sandbox always misses;
 *  - privileged instructions: see priv.c; stores: see bounds.c;
 *  - a return checks inline, against the shadow stack, that it goes back
 *    to the instruction after the call that made its frame (shadow.c).
 *
 * Allowed targets: the start of a kernel function named by calls.allow
 * and not by calls.deny (globs; a function that is not exported only by
 * its exact name, a compiler fragment never); for indirect branches also the start of
 * one of the module's own functions named by entries (globs too), and for indirect
 * jumps any instruction of the jumping function (jump tables; such a
 * target never enters the lookup table, which does not know the source).  A refused branch,
 * in enforce mode, takes the policy's action: deny makes the call return
 * -EPERM to the module without running the target (a tail jump returns
 * -EPERM to the module function's caller; a call to a function that never
 * returns abandons the running call into the module with -EPERM, see
 * noreturn.c), quarantine also abandons the running call into the module;
 * in audit mode it goes on.
 */
#include <linux/glob.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/nospec-branch.h>
#include "core/block.h"
#include "core/decode.h"
#include "rt/cache.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "dbt/noreturn.h"
#include "sandbox/sandbox.h"
#include "floor.h"
#include "shadow.h"
#include "rt/symbols.h"
#include "sandbox/violation.h"
#include "dbt/xlate.h"
#include "policy/kcp.h"
#include "dbt/instrument.h"

/* The first pattern of @list that @name matches, or NULL. */
static const char *listed(const struct kcp_view *p, int list, const char *name,
			  bool glob)
{
	u32 i;

	for (i = 0; i < p->nr_lists[list]; i++) {
		const char *pat = kcp_str(p, p->lists[list][i].name);

		if (glob ? glob_match(pat, name) : !strcmp(pat, name))
			return pat;
	}
	return NULL;
}

/*
 * Functions the compiler calls on its own: sanitizer runtimes of debug
 * kernels and the stack protector's failure report.  They are not the
 * module's use of the kernel API, and refusing them would break the code
 * the compiler generated around them.
 */
static bool compiler_runtime(const char *name)
{
	static const char * const prefixes[] = {
		"__asan_", "__kasan_", "__ubsan_handle_", "__sanitizer_cov_",
		"__kcsan_", "__tsan_", "__msan_", "__stack_chk_fail",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * What preempt_enable() calls, inline in the module's code, when the
 * task should be rescheduled (through the preempt_schedule static call:
 * a direct call, or the jump of its trampoline).  Whether it is called
 * depends on timing, so a learned policy would miss it; refusing it would
 * break every preempt_enable().
 */
static bool preempt_runtime(const char *name)
{
	return !strcmp(name, "preempt_schedule_thunk") ||
	       !strcmp(name, "preempt_schedule_notrace_thunk");
}

/* A pattern with glob characters, which never names a static function. */
static bool is_glob(const char *pat)
{
	return strpbrk(pat, "*?[") != NULL;
}

/*
 * A compiler-made part of a function (foo.cold, foo.part.0,
 * foo.constprop.0, foo.isra.0, foo.localalias): kallsyms lists it like a
 * function, but it is never a function a module may enter, whatever the
 * policy names.  C identifiers have no dot.
 */
static bool fragment(const char *name)
{
	return strchr(name, '.') != NULL;
}

/* Matching one list of a policy against the exported names of a target. */
struct list_match {
	const struct kcp_view *p;
	int list;
	const char *pat;
};

static bool export_listed(const char *name, void *ctx)
{
	struct list_match *m = ctx;

	m->pat = listed(m->p, m->list, name, true);
	return m->pat;
}

/* The first pattern of @list matching a name @target is exported under. */
static const char *listed_export(const struct kcp_view *p, int list,
				 unsigned long target)
{
	struct list_match m = { .p = p, .list = list };

	return kcage_symbol_exports(target, export_listed, &m) == 1 ? m.pat : NULL;
}

/* The first exact (glob-free) pattern of @list that is @name. */
static const char *listed_exactly(const struct kcp_view *p, int list,
				  const char *name)
{
	u32 i;

	for (i = 0; i < p->nr_lists[list]; i++) {
		const char *pat = kcp_str(p, p->lists[list][i].name);

		if (!is_glob(pat) && !strcmp(pat, name))
			return pat;
	}
	return NULL;
}

/*
 * May code of @sb (with policy @p) branch to @target, the start of the
 * kernel function (or another module's) kallsyms calls @name?  A module
 * can link only against exported functions, so a pattern of calls.allow
 * matches an exported function under its kallsyms name or any name it is
 * exported under; a function that is not exported (a static function,
 * whose pointer the kernel hands the module as a callback) is allowed
 * only by its exact name, and a compiler fragment never.  calls.deny
 * matches any of its names.
 */
static bool kernel_target_allowed(const struct kcp_view *p,
				  unsigned long target, bool indirect,
				  const char *name, const char **rule,
				  const char **deny)
{
	bool exported = kcage_symbol_exports(target, NULL, NULL) >= 0;

	*deny = listed(p, KCP_LIST_CALL_DENY, name, true) ?:
		listed_export(p, KCP_LIST_CALL_DENY, target);
	if (*deny)
		return false;
	if (exported)
		return (!indirect && compiler_runtime(name)) ||
		       preempt_runtime(name) ||
		       listed(p, KCP_LIST_CALL_ALLOW, name, true) ||
		       listed_export(p, KCP_LIST_CALL_ALLOW, target);
	if (fragment(name)) {
		*rule = "cfi.function_start";
		return false;
	}
	if (listed_exactly(p, KCP_LIST_CALL_ALLOW, name))
		return true;
	/* a pattern would have matched it by name: say why it does not */
	if (listed(p, KCP_LIST_CALL_ALLOW, name, true))
		*rule = "cfi.exported";
	return false;
}

/*
 * May code of @sb (with policy @p) branch to @target?  If not, @v (when
 * given) gets the rule that refuses it.
 */
static bool target_allowed(const struct kcage_sandbox *sb,
			   const struct kcp_view *p, unsigned long target,
			   bool indirect, struct kcage_violation *v)
{
	char name[KSYM_SYMBOL_LEN];
	const struct kcage_sandbox *owner = kcage_sandbox_find(target);
	const char *rule = "calls.allow", *deny = NULL;
	bool ok = false;

	/* a return through the return thunk is checked as a return */
	if (!indirect && target == (unsigned long)__x86_return_thunk)
		return true;
	/*
	 * Not code that stays (freed init text, which kallsyms may still
	 * name): nothing there is a function.
	 */
	if (!kcage_symbol_function(target, name) ||
	    (!owner && !kcage_symbol_text(target))) {
		rule = "cfi.function_start";
	} else if (owner == sb) {	/* its own function, through a pointer */
		rule = "entries";
		ok = indirect && (kcage_sandbox_taken(sb, target) ||
				  listed(p, KCP_LIST_ENTRY_ALLOW, name, true));
	} else {
		ok = kernel_target_allowed(p, target, indirect, name, &rule, &deny);
	}
	if (!ok && v) {
		v->rule = deny ? "calls.deny" : rule;
		v->rule_arg = deny;
	}
	return ok;
}

/**
 * kcage_enforce_same_function - is @target in the function of @sb's @src?
 * @sb:     the sandbox
 * @src:    native address of an indirect jump
 * @target: where it goes
 *
 * An indirect jump to an instruction of its own function is a jump table
 * (or a computed goto), which forward-edge CFI allows.
 */
bool kcage_enforce_same_function(const struct kcage_sandbox *sb,
				 unsigned long src, unsigned long target)
{
	unsigned long src_off, target_off, size;

	if (!sb || !src || kcage_sandbox_find(src) != sb ||
	    kcage_sandbox_find(target) != sb)
		return false;
	size = kcage_symbol_size(src, &src_off);
	return size && kcage_symbol_size(target, &target_off) == size &&
	       src - src_off == target - target_off;
}

/* Where a refused branch or call goes, by the action taken. */
unsigned long kcage_enforce_refused(u8 action)
{
	switch (action) {
	case KCP_ACTION_LOG:
		return 0;	/* go on to the target */
	case KCP_ACTION_QUARANTINE:
		return (unsigned long)kcage_bail_eio;
	default:
		return (unsigned long)kcage_deny;
	}
}

/**
 * kcage_enforce_branch - check a call or jump of @sb's code to @target
 * @sb:       the sandbox (NULL: translated code no sandbox owns, which is
 *            refused: nothing attributes the branch to a policy)
 * @target:   where it goes
 * @pc:       native address of the branch (0 if not known)
 * @indirect: through a pointer (else a direct call or jump to the kernel)
 *
 * Any context; the caller holds rcu_read_lock() or has interrupts off.
 */
struct kcage_verdict kcage_enforce_branch(const struct kcage_sandbox *sb,
					  unsigned long pc, unsigned long target,
					  bool indirect)
{
	struct kcage_verdict v = { .allowed = true, .cacheable = true };
	const struct kcp_view *p = sb ? kcage_sandbox_policy(sb) : NULL;
	struct kcage_violation viol = {
		.kind = indirect ? KCP_KIND_INDIRECT : KCP_KIND_CALL,
		.pc = pc,
		.addr = target,
		.detail = indirect ? "target_not_allowed" : "call_not_allowed",
	};

	if (!sb) {
		pr_err_ratelimited("branch at %pS (translated code of no sandbox) to %pS: refused\n",
				   (void *)pc, (void *)target);
		v.allowed = false;
		v.cacheable = false;
		v.instead = (unsigned long)kcage_bail_eperm;
		return v;
	}
	if (!p || target_allowed(sb, p, target, indirect, &viol))
		return v;
	v.cacheable = false;
	v.instead = kcage_enforce_refused(kcage_violation(sb, &viol));
	/* nothing after the call to go on at (noreturn.c) */
	if (v.instead == (unsigned long)kcage_deny && kcage_noreturn(target))
		v.instead = (unsigned long)kcage_bail_eperm;
	v.allowed = !v.instead;
	return v;
}

/* May a direct branch of @sb to the kernel at @target be linked? */
bool kcage_enforce_link_ok(const struct kcage_sandbox *sb, unsigned long target)
{
	const struct kcp_view *p = kcage_sandbox_policy(sb);

	return !p || target_allowed(sb, p, target, false, NULL);
}

static bool allowed_by(const struct kcage_sandbox *sb, void *target)
{
	const struct kcp_view *p = kcage_sandbox_policy(sb);

	return !p || target_allowed(sb, p, (unsigned long)target, true, NULL);
}

/*
 * The inline lookup table is shared by every sandbox: a target may enter
 * it only if no enforcing sandbox would refuse it.
 */
bool kcage_enforce_cacheable_everywhere(unsigned long target)
{
	return kcage_sandbox_all(allowed_by, (void *)target);
}

/*
 * A return, or a direct jump out of the module: a tail call into the
 * kernel (the return thunk included), whose function returns through the
 * return address on top of the stack, so it is checked, and its shadow
 * entry popped, as a return.  Not a retpoline thunk nor a patched site
 * (static calls): those are indirect branches, and kcage_dispatch_ijmp
 * checks a tail call among them.  (A conditional tail call is not
 * checked: gcc does not emit them; SECURITY.md.)
 */
/* Does @insn return (a ret, or a jump out that a return check guards)? */
bool kcage_is_return(const struct kcage_sandbox *sb, const struct kc_insn *insn)
{
	struct kc_site site;

	if (insn->kind == KC_INSN_RET)
		return true;
	return insn->kind == KC_INSN_JMP && !kcage_sandbox_find(insn->target) &&
	       !kcage_xlate_is_thunk(insn->target) &&
	       !kcage_sandbox_site(sb, insn->ip, &site);
}

/**
 * kcage_enforce_instrument - the translator's instrumentation hook
 * @ctx: the sandbox being translated (with a policy)
 * @e:   where the checks go
 * @insn: the instruction
 * @blk: the block so far
 *
 * Returns (shadow.c), loads and stores (bounds.c), writes to %rsp
 * (pivot.c), the descent of push, pushf and call (floor.c) and
 * privileged instructions (priv.c) get their checks here.  A split from
 * any of them starts a new block at @insn, where each gets to emit its
 * check again, the floor's first.
 */
int kcage_enforce_instrument(void *ctx, struct kc_emitter *e,
			     const struct kc_insn *insn, const struct kc_block *blk)
{
	const struct kcage_sandbox *sb = ctx;
	bool first = !blk->nr_insns;
	struct kc_site site;
	int ret;

	if (first)
		kcage_bounds_new_block(sb, insn);
	ret = kcage_floor_instrument(sb, e, insn, blk);
	if (ret)
		return ret;

	if (kcage_is_return(sb, insn))
		return kcage_shadow_emit_return_check(e);
	if (insn->kind == KC_INSN_PLAIN && kcage_pivot_replaces(insn)) {
		/*
		 * Its check jumps over the instruction's copy: it goes last,
		 * and never at a patched site, where the translator emits
		 * other code than the copy (a module's own static call
		 * trampoline is whatever bytes it put there).
		 */
		if (kcage_sandbox_site(sb, insn->ip, &site))
			return KC_INSTRUMENT_TRAP;
		if (!first)
			return KC_INSTRUMENT_SPLIT;
		ret = kcage_bounds_instrument(sb, e, insn, blk);
		return ret ?: kcage_pivot_instrument(sb, e, insn, first);
	}
	if (insn->kind == KC_INSN_PLAIN) {
		ret = kcage_pivot_instrument(sb, e, insn, first);
		return ret ?: kcage_bounds_instrument(sb, e, insn, blk);
	}
	if (insn->kind == KC_INSN_PRIV)
		return kcage_priv_instrument(sb, e, insn, first);
	return 0;
}
