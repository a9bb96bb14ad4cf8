// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting and acting on violations.
 *
 * Each violation is one kernel log line in a stable key=value format
 * (docs/control-plane.md, "Violation records"), rate-limited with the number of lines
 * left out carried by the next one, followed for crashes (BUG, faults) by
 * a stack trace in the module's own symbols; and, when someone listens,
 * a netlink event (events.c).  Then the sandbox's action
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
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include "events.h"
#include "sandbox.h"
#include "rt/kstack.h"
#include "rt/symbols.h"
#include "violation.h"
#include "kcage/policy.h"
#include "policy/kcp.h"

/* Learn mode's filter (enforce/learn.c), set once at init. */
static bool (*learn_first)(const struct kcage_sandbox *sb,
			   const struct kcage_violation *v, char *target,
			   size_t len) __ro_after_init;

/**
 * kcage_violation_set_learner - set learn mode's filter
 * @first: is this violation the first of its kind?  It also writes what
 *         would allow it into its @target; in learn mode only what it says
 *         is first is reported
 *
 * Called from kcage's init.
 */
void kcage_violation_set_learner(bool (*first)(const struct kcage_sandbox *sb,
					       const struct kcage_violation *v,
					       char *target, size_t len))
{
	learn_first = first;
}

static atomic_long_t suppressed;
/* suppressed= says what was left out: no "callbacks suppressed" line */
static struct ratelimit_state log_limit =
	RATELIMIT_STATE_INIT_FLAGS(log_limit, 5 * HZ, 10, RATELIMIT_MSG_ON_RELEASE);

/* "func+0x1c/0x40", without the " [module]" that sprint_symbol adds. */
static void symbol_of(unsigned long pc, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN], *space;

	sprint_symbol(sym, pc);
	space = strchr(sym, ' ');
	if (space)
		*space = '\0';
	strscpy(buf, sym, len);
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

/* The clause of a policy that stops each kind, unless the check says. */
static const char *const usual_rule[KCP_NR_KINDS] = {
	[KCP_KIND_CALL] = "calls.allow",
	[KCP_KIND_INDIRECT] = "calls.allow",
	[KCP_KIND_RETURN] = "cfi.return",
	[KCP_KIND_WRITE] = "memory.writes",
	[KCP_KIND_READ] = "memory.check_reads",
	[KCP_KIND_API] = "api",
	[KCP_KIND_PRIVILEGED] = "privileged",
	[KCP_KIND_FAULT] = "containment",
	[KCP_KIND_BUG] = "containment",
};

/*
 * "calls.deny:commit_*": the rule, and the entry of it that fired.  Names
 * from a policy are the policyc-checked ones, but only safe characters go
 * into a log line.
 */
static void rule_of(const struct kcage_violation *v, char *buf, size_t len)
{
	const char *rule = v->rule ?: usual_rule[v->kind];
	char *c;

	if (v->rule_arg)
		snprintf(buf, len, "%s:%s", rule, v->rule_arg);
	else
		strscpy(buf, rule, len);
	for (c = buf; *c; c++)
		if (!isgraph(*c) || *c == '=')
			*c = '?';
}

/* Everything about @v that the log line and the event tell. */
static void describe(const struct kcage_sandbox *sb,
		     const struct kcage_violation *v, u8 action,
		     const char *target, struct kcage_event *ev)
{
	ev->time_ns = ktime_get_real_ns();
	ev->kind = v->kind;
	ev->action = action;
	ev->pc = v->pc;
	ev->addr = v->addr;
	ev->size = v->size;
	ev->cpu = raw_smp_processor_id();
	ev->pid = task_pid_nr(current);
	strscpy(ev->module, kcage_sandbox_name(sb), sizeof(ev->module));
	safe_comm(ev->comm);
	symbol_of(v->pc, ev->symbol, sizeof(ev->symbol));
	rule_of(v, ev->rule, sizeof(ev->rule));
	strscpy(ev->detail, v->detail ?: "-", sizeof(ev->detail));
	strscpy(ev->target, target, sizeof(ev->target));
}

/* The line format is documented in docs/control-plane.md, "Violation records". */
static void log_line(const struct kcage_event *ev)
{
	long lost = atomic_long_xchg(&suppressed, 0);

	pr_warn("violation seq=%llu module=%s kind=%s action=%s pc=%s addr=0x%llx size=%u cpu=%u pid=%u comm=%s rule=%s detail=%s suppressed=%ld%s%s\n",
		ev->seq, ev->module, kcp_kind_name(ev->kind),
		kcp_action_name(ev->action), ev->symbol, ev->addr, ev->size,
		ev->cpu, ev->pid, ev->comm, ev->rule, ev->detail, lost,
		ev->target[0] ? " target=" : "", ev->target);
}

/*
 * Number @v and, as far as anyone will see it, describe it: an event if
 * someone listens, a log line unless the rate limit holds it back.  A
 * violation that neither needs (a flood nobody follows) costs a counter,
 * not a symbol lookup.  Return: whether it was logged.
 */
static bool report(const struct kcage_sandbox *sb,
		   const struct kcage_violation *v, u8 action, const char *target)
{
	bool send = kcage_events_wanted();
	bool log = __ratelimit(&log_limit);
	struct kcage_event ev = { 0 };

	if (!log)
		atomic_long_inc(&suppressed);
	if (send && !log && kcage_events_full()) {
		kcage_events_drop();
		return false;
	}
	if (!send && !log) {
		kcage_events_next_seq();
		return false;
	}
	describe(sb, v, action, target, &ev);
	if (send)
		kcage_events_record(&ev);
	else
		ev.seq = kcage_events_next_seq();
	if (log)
		log_line(&ev);
	return log;
}

/* kcage_violation()'s work, on kcage's stack (rt/kstack.c) */
struct violation_call {
	const struct kcage_sandbox *sb;
	const struct kcage_violation *v;
	bool logged;
};

static unsigned long violation_on_kstack(void *arg)
{
	struct violation_call *c = arg;
	const struct kcage_sandbox *sb = c->sb;
	const struct kcage_violation *v = c->v;
	char target[KCAGE_EVENT_TARGET_LEN] = "";
	u8 action;

	/* learning: the first of each thing, and what would allow it */
	if (kcage_sandbox_mode(sb) == KCP_MODE_LEARN && learn_first &&
	    !learn_first(sb, v, target, sizeof(target)))
		return KCP_ACTION_LOG;
	/* a refused branch: the function it went to, in every mode */
	if (!target[0] && (v->kind == KCP_KIND_CALL || v->kind == KCP_KIND_INDIRECT))
		kcage_symbol_describe(v->addr, target, sizeof(target));
	action = kcage_sandbox_count_violation(sb, v->kind);
	c->logged = report(sb, v, action, target);
	if (action == KCP_ACTION_QUARANTINE)
		kcage_sandbox_quarantine(sb);
	return action;
}

/**
 * kcage_violation - report a violation and carry out the policy's action
 * @sb: the sandbox, which the caller keeps from going away (under RCU, or
 *      with interrupts off)
 * @v:  what it did
 *
 * Any context, NMI included: nothing here sleeps or takes a lock an NMI
 * could find held (the event ring drops what an NMI records).  The report
 * runs on kcage's stack, not on the module's, whose depth the module
 * chooses; the stack dump of a crash and a panic's, which show where
 * the module was, on the stack it ran on.
 *
 * Return: the action taken (&enum kcp_action); for PANIC it does not return.
 */
u8 kcage_violation(const struct kcage_sandbox *sb,
		   const struct kcage_violation *v)
{
	struct violation_call c = { .sb = sb, .v = v };
	u8 action;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "kcage violation of a sandbox not held");
	action = kcage_kstack_run(violation_on_kstack, &c);
	if (c.logged && (v->kind == KCP_KIND_FAULT || v->kind == KCP_KIND_BUG))
		dump_stack();
	if (action == KCP_ACTION_PANIC)
		panic("kcage: %s: %s violation at %pS, policy action is panic\n",
		      kcage_sandbox_name(sb), kcp_kind_name(v->kind),
		      (void *)v->pc);
	return action;
}

unsigned long kcage_violation_count(void)
{
	u64 last, dropped, sent;

	kcage_events_stats(&last, &dropped, &sent);
	return last;
}
