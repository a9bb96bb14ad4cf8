// SPDX-License-Identifier: GPL-2.0
/*
 * Entries from the kernel into a sandboxed module through its functions'
 * ftrace sites (a function without one gets an entry stub, control/takeover.c).
 *
 * The sites of the core text are ftrace direct calls to
 * kcage_enter_direct (gate.S): the function's first instruction calls it
 * with no ftrace callback and no struct pt_regs in between.  It looks the
 * function up in this CPU's lookup table under its entry key (ibl.h),
 * whose entry holds the translation, the sandbox (entries are refused
 * while it is quarantined, and counted) and the grant word (grant.c),
 * caches the entry's write grant from it and goes through the gate: about
 * 40 instructions.  On a miss it calls kcage_entry_direct(), which
 * translates the function (or refuses the entry), fills the table entry
 * and caches the grant, about 190 (docs/performance.md).
 *
 * The kernel keeps direct calls in one table keyed by address for as long
 * as they are registered, and the init text is freed while the module
 * lives on: its sites keep an IPMODIFY callback instead, which sets the
 * saved %rip to the gate and is unregistered when init is done.
 */
#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include "rt/counter.h"
#include "entry.h"
#include "dbt/frame.h"
#include "sandbox/sandbox_priv.h"
#include "xlate.h"
#include "instrument.h"

void kcage_enter_direct(void);

/* Entries kcage_enter_direct's fast path let in (the others are counted
 * where they are translated), for the stats. */
DEFINE_PER_CPU(unsigned long, kcage_direct_entries);

unsigned long kcage_entry_fast_count(void)
{
	return kcage_counter_sum(&kcage_direct_entries);
}

/*
 * Called by kcage_enter_direct with the site's return address and the
 * argument registers (%rdi, %rsi, %rdx, %rcx, %r8, %r9).  Return: the
 * translation to enter, or 0 to refuse the entry.
 */
unsigned long kcage_entry_direct(unsigned long site_ret, const unsigned long *args);
unsigned long kcage_entry_direct(unsigned long site_ret, const unsigned long *args)
{
	unsigned long native = site_ret - MCOUNT_INSN_SIZE, t = 0, word = 0;
	const struct kcage_sandbox *sb;

	rcu_read_lock();
	sb = kcage_sandbox_find(native);
	if (sb) {
		word = kcage_grant_word(sb, native);
		t = kcage_xlate_enter_direct(sb, native, word);
	}
	if (t)
		kcage_grant_enter(word, args);
	rcu_read_unlock();
	return t;
}

static_assert(offsetof(struct kcage_sandbox, quarantined) == KCAGE_SB_QUARANTINED);
static_assert(offsetof(struct kcage_sandbox, stats) == KCAGE_SB_STATS);
static_assert(offsetof(struct kcage_sandbox_stats, entries) == 0);

/* The init text's entries: through the gate, or refused. */
static void notrace redirect_init_entry(unsigned long ip, unsigned long parent_ip,
					struct ftrace_ops *op,
					struct ftrace_regs *fregs)
{
	struct kcage_sandbox *sb = container_of(op, struct kcage_sandbox, init_ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);
	const unsigned long args[] = { regs->di, regs->si, regs->dx,
				       regs->cx, regs->r8, regs->r9 };
	unsigned long t = kcage_xlate_enter(sb, ip);

	if (t)
		kcage_grant_enter(kcage_grant_word(sb, ip), args);
	regs->r10 = t;
	regs->ip = t ? (unsigned long)kcage_enter : (unsigned long)kcage_refuse;
}

/* The sites of text @i, in a new array, and how many. */
static unsigned long *sites_in(const struct kcage_sandbox *sb, int i,
			       unsigned int *n)
{
	unsigned long *ips = kcalloc(sb->nr_fentry, sizeof(*ips), GFP_KERNEL);
	unsigned int k;

	*n = 0;
	for (k = 0; ips && k < sb->nr_fentry; k++)
		if (in_text(&sb->text[i], sb->fentry[k]))
			ips[(*n)++] = sb->fentry[k];
	return ips;
}

static int hook_init(struct kcage_sandbox *sb, unsigned long *ips, unsigned int n)
{
	int ret;

	sb->init_ops.func = redirect_init_entry;
	sb->init_ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
			     FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ips(&sb->init_ops, ips, n, 0, 1);
	ret = ret ?: register_ftrace_function(&sb->init_ops);
	if (ret)
		ftrace_free_filter(&sb->init_ops);
	sb->init_hooked = !ret;
	return ret;
}

static int hook_core(struct kcage_sandbox *sb, unsigned long *ips, unsigned int n)
{
	int ret;

	ret = ftrace_set_filter_ips(&sb->core_ops, ips, n, 0, 1);
	ret = ret ?: register_ftrace_direct_multi(&sb->core_ops,
						  (unsigned long)kcage_enter_direct);
	if (ret) {
		ftrace_free_filter(&sb->core_ops);
		return ret;
	}
	/* like the callback's: ftrace cannot be switched off under it */
	sb->core_ops.flags |= FTRACE_OPS_FL_PERMANENT;
	sb->core_hooked = true;
	return 0;
}

/**
 * kcage_entry_hook - send the kernel's calls of @sb's functions to the gate
 * @sb: the sandbox, published
 *
 * Return: 0 or an error (then nothing is hooked).
 */
int kcage_entry_hook(struct kcage_sandbox *sb)
{
	unsigned long *ips[NR_TEXTS];
	unsigned int n[NR_TEXTS];
	int ret = 0;

	if (!sb->nr_fentry)
		return 0;
	ips[TEXT_CORE] = sites_in(sb, TEXT_CORE, &n[TEXT_CORE]);
	ips[TEXT_INIT] = sites_in(sb, TEXT_INIT, &n[TEXT_INIT]);
	if (!ips[TEXT_CORE] || !ips[TEXT_INIT])
		ret = -ENOMEM;
	if (!ret && n[TEXT_INIT])
		ret = hook_init(sb, ips[TEXT_INIT], n[TEXT_INIT]);
	if (!ret && n[TEXT_CORE]) {
		ret = hook_core(sb, ips[TEXT_CORE], n[TEXT_CORE]);
		if (ret)
			kcage_entry_init_done(sb);
	}
	kfree(ips[TEXT_CORE]);
	kfree(ips[TEXT_INIT]);
	if (ret)
		pr_err("%s: cannot hook its functions with ftrace: %d\n",
		       sb->mod->name, ret);
	return ret;
}

/* Init is over (its text is about to go): stop entering it. */
void kcage_entry_init_done(struct kcage_sandbox *sb)
{
	if (!sb->init_hooked)
		return;
	unregister_ftrace_function(&sb->init_ops);
	ftrace_free_filter(&sb->init_ops);
	sb->init_hooked = false;
}

/* Undo kcage_entry_hook(). */
void kcage_entry_unhook(struct kcage_sandbox *sb)
{
	kcage_entry_init_done(sb);
	if (!sb->core_hooked)
		return;
	sb->core_ops.flags &= ~FTRACE_OPS_FL_PERMANENT;
	unregister_ftrace_direct_multi(&sb->core_ops, (unsigned long)kcage_enter_direct);
	ftrace_free_filter(&sb->core_ops);
	sb->core_hooked = false;
}
