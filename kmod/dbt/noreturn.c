// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel functions that never return.
 *
 * The compiler puts nothing meant to run after a call to a function that
 * never returns: the bytes there are padding or the next function.  So a
 * call to one that the policy refuses cannot return -EPERM to the module
 * as other refused calls do (enforce.c); the module's running entry is
 * abandoned with -EPERM instead.
 *
 * Some of them report that their caller's own state is broken: a failed
 * FORTIFY_SOURCE check (fortify_panic(), a BUG()), a smashed stack canary
 * (__stack_chk_fail(), a panic), a hardened-usercopy overflow
 * (usercopy_abort(), a BUG()).  Natively they kill the task or the whole
 * kernel.  Called from a sandboxed module, they are a crash of the module
 * and are contained like its own BUG() (kind bug, trap.c, contain.c):
 * the call never runs, in every mode, with a policy or without.
 *
 * The names follow objtool's list of global noreturn functions in 6.1
 * (tools/objtool/check.c), without those of modules and of boot code.
 */
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include "contain.h"
#include "dbt/frame.h"
#include "noreturn.h"
#include "sandbox/sandbox.h"
#include "rt/symbols.h"
#include "sandbox/violation.h"
#include "kcage/policy.h"

/* They report a crash of their caller. */
static const char * const crash_names[] = {
	"fortify_panic", "__stack_chk_fail", "usercopy_abort", "panic",
	"__invalid_creds", "__ubsan_handle_builtin_unreachable",
};

/* They end the task (or the CPU) on purpose. */
static const char * const exit_names[] = {
	"do_exit", "do_task_dead", "kthread_exit", "make_task_dead",
	"__module_put_and_kthread_exit", "kthread_complete_and_exit",
	"do_group_exit", "rewind_stack_and_make_dead", "stop_this_cpu",
	"machine_real_restart", "kunit_try_catch_throw",
};

static unsigned long crash_addrs[ARRAY_SIZE(crash_names)] __ro_after_init;
static unsigned long exit_addrs[ARRAY_SIZE(exit_names)] __ro_after_init;

static void resolve(const char * const *names, unsigned long *addrs,
		    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		addrs[i] = kcage_symbol_lookup(names[i]);
}

/* Process context, at module init. */
void kcage_noreturn_init(void)
{
	resolve(crash_names, crash_addrs, ARRAY_SIZE(crash_names));
	resolve(exit_names, exit_addrs, ARRAY_SIZE(exit_names));
}

static int index_of(const unsigned long *addrs, unsigned int n,
		    unsigned long target)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addrs[i] && addrs[i] == target)
			return i;
	return -1;
}

/* Is @target a crash reporter that never returns? */
bool kcage_noreturn_crash(unsigned long target)
{
	return index_of(crash_addrs, ARRAY_SIZE(crash_addrs), target) >= 0;
}

/* Does a call to @target never return? */
bool kcage_noreturn(unsigned long target)
{
	return kcage_noreturn_crash(target) ||
	       index_of(exit_addrs, ARRAY_SIZE(exit_addrs), target) >= 0;
}

/**
 * kcage_noreturn_contain - sandboxed code at @pc calls the crash reporter
 * @pc:     native address of the call (0: the running entry's module)
 * @target: report it as a crash of the module (kind bug)
 *
 * Any context.  Return: where the call goes instead: the module's running
 * entry is abandoned with -EIO, as after a BUG() of its own.
 */
unsigned long kcage_noreturn_contain(unsigned long pc, unsigned long target)
{
	int i = index_of(crash_addrs, ARRAY_SIZE(crash_addrs), target);
	struct kcage_violation v = {
		.kind = KCP_KIND_BUG,
		.pc = pc,
		.addr = target,
		.detail = i >= 0 ? crash_names[i] : "noreturn",
	};
	const struct kcage_sandbox *sb;

	rcu_read_lock();
	sb = pc ? kcage_sandbox_find(pc) : kcage_contain_current();
	if (sb) {
		pr_crit("%s: %pS calls %s(): contained as a crash of the module\n",
			kcage_sandbox_name(sb), (void *)pc, v.detail);
		kcage_violation(sb, &v);
	}
	rcu_read_unlock();
	return (unsigned long)kcage_bail_eio;
}
