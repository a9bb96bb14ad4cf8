// SPDX-License-Identifier: GPL-2.0
/*
 * Trapping instructions reached in translated code.
 *
 * Natively, BUG() and WARN() are a ud2 whose address has an entry in the
 * module's bug table; the kernel's #UD handler finds the entry by the
 * faulting address.  A translated ud2 would fault at a code-cache address
 * that no bug table names, so the block builder ends a block before any
 * trapping instruction (ud2, int3, bytes it cannot decode) with a trap
 * exit, and the dispatcher calls kcage_trap() with the native address.
 * For a WARN it does what report_bug() does, naming the module's own
 * function, and execution goes on after the ud2.  A BUG() is a violation
 * of kind "bug", any other trapping instruction one of kind "fault"; the
 * running entry into the module is then abandoned (contain.c).
 *
 * An instruction the instruction model refuses (core/model.c: xsave, an
 * %fs operand, maskmovdqu, a write to %esp, ...) also ends its block with
 * a trap exit.  Reached, it is a violation of kind "privileged", rule
 * "insn.model" with the instruction's mnemonic, detail "refused_insn",
 * whatever the sandbox's mode or policy: it cannot run, nor can it be
 * skipped, so the call into the module is abandoned with -EPERM.
 */
/*
 * The replayed WARN lines below are the kernel's own format, which tools
 * parse after the timestamp: no module prefix.
 */
#undef pr_fmt
#define pr_fmt(fmt) fmt

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include "sandbox/sandbox.h"
#include "trap.h"
#include "sandbox/violation.h"
#include "kcage/policy.h"
#include "instrument.h"
#include "xlate.h"
#include "core/decode.h"

static const char *bug_file(const struct bug_entry *bug)
{
	return (const char *)&bug->file_disp + bug->file_disp;
}

/* The warning report_bug() and __warn() print for a native WARN. */
static void warn(const char *mod, unsigned long native, struct bug_entry *bug)
{
	if (bug->flags & BUGFLAG_ONCE) {
		if (bug->flags & BUGFLAG_DONE)
			return;
		bug->flags |= BUGFLAG_DONE;
	}
	if (!(bug->flags & BUGFLAG_NO_CUT_HERE))
		pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: %d PID: %d at %s:%u %pS [translated by kcage from %s]\n",
		raw_smp_processor_id(), task_pid_nr(current), bug_file(bug),
		bug->line, (void *)native, mod);
	dump_stack();
	pr_warn("---[ end trace ]---\n");
	add_taint(BUG_GET_TAINT(bug), LOCKDEP_STILL_OK);
}

/*
 * Is the instruction at @native one the model refuses?  Then report it.
 * Under RCU, @sb holding @native.
 */
static bool refused_insn(const struct kcage_sandbox *sb, unsigned long native)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_PRIVILEGED, .pc = native,
		.rule = "insn.model", .detail = "refused_insn",
	};
	struct kc_insn insn;
	u8 bytes[16];
	size_t n = kcage_sandbox_read(sb, native, bytes, 15);

	if (!n || kc_decode(kcage_xlate_decoder(), bytes, n, native, &insn) ||
	    insn.kind != KC_INSN_REFUSED)
		return false;
	v.rule_arg = ZydisMnemonicGetString(insn.zi.mnemonic);
	kcage_violation(sb, &v);
	return true;
}

/**
 * kcage_trap - a trap exit was taken at native address @native
 * @native: the trapping instruction
 *
 * Return: the native address to go on at (after a WARN's ud2, or after a
 * privileged instruction the policy refuses), 0 to abandon the entry
 * into the module with -EIO, %KCAGE_TRAP_EPERM to abandon it with -EPERM
 * (an instruction the model refuses).
 */
unsigned long kcage_trap(unsigned long native)
{
	struct kcage_violation v = { .kind = KCP_KIND_FAULT, .pc = native };
	const struct kcage_sandbox *sb;
	struct bug_entry *bug = NULL;
	u8 op[2] = { 0 };

	rcu_read_lock();
	sb = kcage_sandbox_find(native);
	if (sb && refused_insn(sb, native)) {
		rcu_read_unlock();
		return KCAGE_TRAP_EPERM;
	}
	if (sb && kcage_sandbox_policy(sb)) {
		unsigned long resume = kcage_enforce_priv_trap(sb, native);

		if (resume != 1) {
			rcu_read_unlock();
			return resume;
		}
	}
	if (sb) {
		kcage_sandbox_read(sb, native, op, sizeof(op));
		if (op[0] == 0x0f && op[1] == 0x0b)
			bug = kcage_sandbox_bug(sb, native);
	}
	if (bug && (bug->flags & BUGFLAG_WARNING)) {
		warn(kcage_sandbox_name(sb), native, bug);
		rcu_read_unlock();
		return native + 2;
	}
	if (bug) {
		pr_crit("%s: BUG() at %s:%u in %pS\n",
			kcage_sandbox_name(sb), bug_file(bug), bug->line,
			(void *)native);
		v.kind = KCP_KIND_BUG;
		v.detail = "BUG";
	} else {
		v.detail = op[0] == 0xcc ? "int3" : "invalid_opcode";
	}
	if (sb)
		kcage_violation(sb, &v);
	rcu_read_unlock();
	return 0;
}
