// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting and acting on violations.
 *
 * Each violation is one kernel log line in a stable key=value format
 * (README: "Violation records"), rate-limited with the number of lines
 * left out carried by the next one, followed for crashes (BUG, faults) by
 * a stack trace in the module's own symbols.  Then the sandbox's action
 * for that kind is carried out: log and deny change nothing more,
 * quarantine refuses every later entry into the module, panic panics.
 * Callable in any context, NMI included.
 */
#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include "frame.h"
#include "sandbox.h"
#include "violation.h"
#include "kcage/policy.h"
#include "policy/kcp.h"

static atomic64_t seq;
static atomic_long_t suppressed;
static DEFINE_RATELIMIT_STATE(log_limit, 5 * HZ, 10);

/* "func+0x1c/0x40", without the " [module]" that sprint_symbol adds. */
static void symbol_of(unsigned long pc, char *buf)
{
	char *space;

	sprint_symbol(buf, pc);
	space = strchr(buf, ' ');
	if (space)
		*space = '\0';
}

/* comm is chosen by whoever runs the task: keep it to safe characters. */
static void safe_comm(char out[TASK_COMM_LEN])
{
	char *c;

	/* no task_lock(): this runs in interrupt context too */
	memcpy(out, current->comm, TASK_COMM_LEN);
	out[TASK_COMM_LEN - 1] = '\0';
	for (c = out; *c; c++)
		if (!isalnum(*c) && !strchr("-_.:/", *c))
			*c = '?';
}

static void log_line(const struct kcage_sandbox *sb,
		     const struct kcage_violation *v, u8 action, u64 n)
{
	char sym[KSYM_SYMBOL_LEN], comm[TASK_COMM_LEN];
	long lost;

	if (!__ratelimit(&log_limit)) {
		atomic_long_inc(&suppressed);
		return;
	}
	lost = atomic_long_xchg(&suppressed, 0);
	symbol_of(v->pc, sym);
	safe_comm(comm);
	pr_warn("kcage: violation seq=%llu module=%s kind=%s action=%s pc=%s addr=0x%lx size=%u cpu=%d pid=%d comm=%s detail=%s suppressed=%ld\n",
		n, kcage_sandbox_name(sb), kcp_kind_name(v->kind),
		kcp_action_name(action), sym, v->addr, v->size,
		raw_smp_processor_id(), task_pid_nr(current), comm,
		v->detail, lost);
	if (v->kind == KCP_KIND_FAULT || v->kind == KCP_KIND_BUG)
		dump_stack();
}

/**
 * kcage_violation - report @v in @sb and carry out the policy's action
 *
 * Return: the action taken (&enum kcp_action); for PANIC it does not return.
 */
u8 kcage_violation(const struct kcage_sandbox *sb,
		   const struct kcage_violation *v)
{
	u8 action = kcage_sandbox_count_violation(sb, v->kind);

	log_line(sb, v, action, atomic64_inc_return(&seq));
	switch (action) {
	case KCP_ACTION_QUARANTINE:
		kcage_sandbox_quarantine(sb);
		break;
	case KCP_ACTION_PANIC:
		panic("kcage: %s: %s violation at %pS, policy action is panic\n",
		      kcage_sandbox_name(sb), kcp_kind_name(v->kind),
		      (void *)v->pc);
	default:
		break;
	}
	return action;
}

/**
 * kcage_violation_stop - kcage_violation() for a check in front of an
 * instruction that cannot be skipped (a load or store, a return, a new
 * %rsp, a port or MSR access)
 *
 * Return: 0 to let the instruction run (the action is log), else where
 * the check goes instead: the running call into the module is abandoned.
 */
unsigned long kcage_violation_stop(const struct kcage_sandbox *sb,
				   const struct kcage_violation *v)
{
	if (kcage_violation(sb, v) == KCP_ACTION_LOG)
		return 0;
	return (unsigned long)kcage_bail_eperm;
}

/**
 * kcage_violation_stop_at_pc - kcage_violation_stop() in the sandbox that
 * @v's pc belongs to (0 if none does)
 */
unsigned long kcage_violation_stop_at_pc(const struct kcage_violation *v)
{
	const struct kcage_sandbox *sb;
	unsigned long go = 0;

	rcu_read_lock();
	sb = kcage_sandbox_find(v->pc);
	if (sb)
		go = kcage_violation_stop(sb, v);
	rcu_read_unlock();
	return go;
}

unsigned long kcage_violation_count(void)
{
	return atomic64_read(&seq);
}
