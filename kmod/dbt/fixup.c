// SPDX-License-Identifier: GPL-2.0
/*
 * Exception-table fixups for faults in translated code.
 *
 * A module's inline user accesses, *_nofault accesses and *_safe MSR
 * accesses have exception-table entries for their native addresses.  The
 * same instruction faulting in the code cache has an address no table
 * names, so the kernel would oops.  kcage lets the kernel's own fixup
 * code do the work, with the native address:
 *
 *  1. an ftrace handler on fixup_exception() sees the faulting registers
 *     first; if the fault is in the cache at a copied instruction whose
 *     native address has an entry in its module's table, it puts the
 *     native address in regs->ip;
 *  2. fixup_exception() then finds the module's entry and applies it as
 *     natively (-EFAULT in a register, ip = the native fixup code, ...);
 *  3. the native fixup code is int3 (poisoned), so the return from the
 *     fault traps at once, and the int3 handler (sandbox.c) sends it to
 *     the translation of the fixup code instead (kcage_fixup_resume()).
 *
 * A fault in the cache without an entry is a crash of the module: it is
 * contained (contain.c) unless no entry frame is found, in which case the
 * kernel oopses as it would have natively.
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <asm/trap_pf.h>
#include <asm/traps.h>
#include "rt/cache.h"
#include "rt/hook.h"
#include "contain.h"
#include "dbt/frame.h"
#include "fixup.h"
#include "sandbox/sandbox.h"
#include "xlate.h"

static atomic_long_t nr_fixups;

static void notrace before_fixup(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	/* fixup_exception(regs, trapnr, error_code, fault_addr) */
	struct pt_regs *args = ftrace_get_regs(fregs);
	struct pt_regs *regs = (struct pt_regs *)args->di;
	unsigned long native;
	bool has_entry;

	if (!kcage_cache_contains(regs->ip))
		return;
	native = kcage_cache_native(regs->ip);
	rcu_read_lock();
	has_entry = native && kcage_sandbox_has_extable(native);
	rcu_read_unlock();
	if (!has_entry) {
		kcage_contain_fault(regs, args->si, args->dx, args->cx);
		return;
	}
	regs->ip = native;
	atomic_long_inc(&nr_fixups);
}

static struct ftrace_ops fixup_ops = {
	.func = before_fixup,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_PERMANENT,
};

/*
 * page_fault_oops(regs, error_code, address): some page faults oops
 * without asking fixup_exception(), notably a kernel access to a user
 * address (a NULL dereference) on a CPU with SMAP.  For one in the cache,
 * skip the oops and go on at kcage_bail_efault directly.
 */
static void notrace before_oops(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *args = ftrace_get_regs(fregs);
	struct pt_regs *regs = (struct pt_regs *)args->di;

	if (!kcage_cache_contains(regs->ip) ||
	    !kcage_contain_fault(regs, X86_TRAP_PF, args->si, args->dx))
		return;
	regs->ip = (unsigned long)kcage_bail_efault;
	args->ip = (unsigned long)kcage_skip;
}

static struct ftrace_ops oops_ops = {
	.func = before_oops,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		 FTRACE_OPS_FL_PERMANENT,
};

/*
 * From the int3 handler: @regs stopped just after an int3 in sandboxed
 * text.  If that is where a fixup sent a fault, go on in its translation.
 */
bool kcage_fixup_resume(struct pt_regs *regs)
{
	unsigned long native = regs->ip - 1;
	bool fixup;

	rcu_read_lock();
	fixup = kcage_sandbox_is_fixup(native);
	rcu_read_unlock();
	if (!fixup)
		return false;
	regs->ip = kcage_xlate_resume(native);
	return true;
}

unsigned long kcage_fixup_count(void)
{
	return atomic_long_read(&nr_fixups);
}

static const struct kcage_hook hooks[] = {
	{ &fixup_ops, "fixup_exception" },
	{ &oops_ops, "page_fault_oops" },
};

int kcage_fixup_init(void)
{
	return kcage_hook_all(hooks, ARRAY_SIZE(hooks));
}

void kcage_fixup_exit(void)
{
	kcage_unhook_all(hooks, ARRAY_SIZE(hooks));
}
