// SPDX-License-Identifier: GPL-2.0
/*
 * Watching module loads.  A module notifier sees every module at
 * MODULE_STATE_COMING, after relocation and before its init runs: the one
 * moment at which kcage can take over a module before any of its code has
 * executed.  kcage inspects every module and records what it found, and
 * takes over those it was asked to sandbox (sandbox.c).
 *
 * That notifier runs late (priority -1, see module_nb), so a notifier
 * registered before it, a sandboxed module's among them, could stop the
 * chain (NOTIFY_STOP, or any return value with NOTIFY_STOP_MASK set,
 * which a quarantined callback's -EIO has) without failing the load: the
 * module would then run natively.  A second notifier runs first
 * (guard_nb, priority INT_MAX, registered before any module kcage
 * watches could register one): at COMING it points the init function of
 * a module kcage must take over at a kernel function that only fails,
 * and the takeover puts it back.  If the takeover is never reached, the module's init refuses
 * and its load fails.  LIVE and GOING, which no later step of the load
 * depends on, are handled by the guard too, so a stopped chain cannot
 * keep kcage from dropping a freed init text or a freed module.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "inspect.h"
#include "rt/symbols.h"
#include "sandbox/sandbox.h"
#include "takeover.h"
#include "watch.h"

/**
 * struct kcage_watched - a module kcage has seen coming and not yet going
 * @node:  Entry in &watched: added, removed and walked under
 *         &watched_lock (a mutex: module notifiers and debugfs run in
 *         process context).
 * @mod:   The module; valid until its MODULE_STATE_GOING notification,
 *         which removes and kfree()s the record.
 * @stats: What inspecting its text found; written before the record is
 *         added, read-only afterwards.
 *
 * Records left at kcage's exit (of modules still loaded) are freed there,
 * once the notifier is unregistered and debugfs is gone.
 */
struct kcage_watched {
	struct list_head node;
	struct module *mod;
	struct kcage_text_stats stats;
};

static LIST_HEAD(watched);
static DEFINE_MUTEX(watched_lock);

/**
 * struct kcage_guarded - a module whose init kcage holds until its takeover
 * @node: Entry in &guarded, under &watched_lock.
 * @mod:  The module, between its COMING and its GOING notification.
 * @init: Its own init function (NULL if it has none), given back by the
 *        takeover.
 *
 * Dropped at the takeover or at the module's first GOING notification,
 * whichever comes first.
 */
struct kcage_guarded {
	struct list_head node;
	struct module *mod;
	int (*init)(void);
};

static LIST_HEAD(guarded);

static void report(const struct module *mod, const struct kcage_text_stats *st)
{
	pr_info("module %s coming: functions=%u bytes=%lu insns=%u undecodable=%u indirect=%u ret=%u priv=%u\n",
		mod->name, st->nr_funcs, st->nr_bytes, st->nr_insns, st->nr_bad,
		st->kinds[KC_INSN_CALL_IND] + st->kinds[KC_INSN_JMP_IND],
		st->kinds[KC_INSN_RET], st->kinds[KC_INSN_PRIV]);
}

/*
 * The init of a module kcage had to take over and did not (the chain of
 * module notifiers was stopped before kcage's): sys_ni_syscall(), which
 * returns -ENOSYS, so the module's load fails instead of running its
 * native code.  A kernel function, not one of kcage's: kcage may be
 * unloaded before such a module gets to its init.
 */
static int (*refused_init)(void);

/* The guard's record of @mod, or NULL; under &watched_lock. */
static struct kcage_guarded *guarded_find(const struct module *mod)
{
	struct kcage_guarded *g;

	list_for_each_entry(g, &guarded, node)
		if (g->mod == mod)
			return g;
	return NULL;
}

static void guarded_free(struct kcage_guarded *g)
{
	list_del(&g->node);
	kfree(g);
}

/* COMING, first of all notifiers: hold the init of a module to take over. */
static int guard_coming(struct module *mod)
{
	struct kcage_guarded *g;

	if (!kcage_takeover_wanted(mod->name))
		return 0;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->mod = mod;
	g->init = mod->init;
	mutex_lock(&watched_lock);
	list_add(&g->node, &guarded);
	WRITE_ONCE(mod->init, refused_init);
	mutex_unlock(&watched_lock);
	return 0;
}

/*
 * GOING, first of all notifiers.  While @mod is still COMING, this is the
 * kernel undoing a COMING chain that a later notifier stopped or failed:
 * if kcage's takeover was not reached, the module either fails to load
 * now or goes on to its init, which refuses.  Either way the record
 * goes: a later module may get the same struct module address.
 */
static void guard_going(struct module *mod)
{
	struct kcage_guarded *g;

	mutex_lock(&watched_lock);
	g = guarded_find(mod);
	if (g && mod->state == MODULE_STATE_COMING)
		pr_err("module %s: kcage's notifier was not reached at load (a module notifier before it stopped the chain): its init is refused\n",
		       mod->name);
	if (g)
		guarded_free(g);
	mutex_unlock(&watched_lock);
}

/* The takeover is reached: give @mod its own init back. */
static void guard_release(struct module *mod)
{
	struct kcage_guarded *g;

	mutex_lock(&watched_lock);
	g = guarded_find(mod);
	if (g) {
		WRITE_ONCE(mod->init, g->init);
		guarded_free(g);
	}
	mutex_unlock(&watched_lock);
}

static int module_coming(struct module *mod)
{
	/* A module kcage was asked to sandbox never runs unsandboxed. */
	bool wanted;
	struct kcage_watched *w;
	int ret = 0;

	guard_release(mod);
	wanted = kcage_takeover_wanted(mod->name);

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		pr_warn("module %s: out of memory, not watched\n",
			mod->name);
		return wanted ? -ENOMEM : 0;
	}
	w->mod = mod;
	if (kcage_inspect_module(mod, &w->stats)) {
		kfree(w);
		return wanted ? -ENOMEM : 0;
	}
	report(mod, &w->stats);
	if (wanted)
		ret = kcage_takeover_create(mod);
	if (ret) {
		kfree(w);
		return ret;
	}
	mutex_lock(&watched_lock);
	list_add_tail(&w->node, &watched);
	mutex_unlock(&watched_lock);
	return 0;
}

static void module_going(struct module *mod)
{
	struct kcage_watched *w, *tmp;

	mutex_lock(&watched_lock);
	list_for_each_entry_safe(w, tmp, &watched, node) {
		if (w->mod != mod)
			continue;
		list_del(&w->node);
		kfree(w);
		pr_info("module %s going\n", mod->name);
	}
	mutex_unlock(&watched_lock);
}

/*
 * A failure at COMING fails the module's load: the kernel then notifies
 * MODULE_STATE_GOING only to the notifiers before this one, so nothing of
 * the module may stay behind here.
 */
static int module_event(struct notifier_block *nb, unsigned long state,
			void *data)
{
	struct module *mod = data;

	if (state == MODULE_STATE_COMING)
		return notifier_from_errno(module_coming(mod));
	return NOTIFY_DONE;
}

/* First of all notifiers: what no other notifier may keep kcage from. */
static int guard_event(struct notifier_block *nb, unsigned long state,
		       void *data)
{
	struct module *mod = data;

	switch (state) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(guard_coming(mod));
	case MODULE_STATE_LIVE:
		kcage_takeover_live(mod);
		break;
	case MODULE_STATE_GOING:
		guard_going(mod);
		module_going(mod);
		kcage_takeover_destroy(mod);
		break;
	}
	return NOTIFY_DONE;
}

/*
 * After the jump-label (priority 1) and static-call (0) notifiers, so the
 * module's text is final when kcage copies it.
 */
static struct notifier_block module_nb = {
	.notifier_call = module_event,
	.priority = -1,
};

/* Before every notifier registered after kcage's (equal ones go after). */
static struct notifier_block guard_nb = {
	.notifier_call = guard_event,
	.priority = INT_MAX,
};

/* debugfs "modules": one line per watched module. */
int kcage_watch_show(struct seq_file *m, void *unused)
{
	struct kcage_watched *w;

	mutex_lock(&watched_lock);
	list_for_each_entry(w, &watched, node)
		seq_printf(m, "%s functions=%u bytes=%lu insns=%u undecodable=%u\n",
			   w->mod->name, w->stats.nr_funcs, w->stats.nr_bytes,
			   w->stats.nr_insns, w->stats.nr_bad);
	mutex_unlock(&watched_lock);
	return 0;
}

/*
 * module_nb first: a module coming in between sees no guard and is taken
 * over as before.
 */
int kcage_watch_init(void)
{
	int ret;

	refused_init = (void *)kcage_symbol_lookup("sys_ni_syscall");
	if (!refused_init)
		return -ENOENT;
	ret = register_module_notifier(&module_nb);

	if (ret)
		return ret;
	ret = register_module_notifier(&guard_nb);
	if (ret)
		unregister_module_notifier(&module_nb);
	return ret;
}

void kcage_watch_exit(void)
{
	struct kcage_watched *w, *tmp;

	unregister_module_notifier(&guard_nb);
	unregister_module_notifier(&module_nb);
	/* no notifier and no debugfs reader is left: no lock needed */
	list_for_each_entry_safe(w, tmp, &watched, node) {
		list_del(&w->node);
		kfree(w);
	}
	/* modules still COMING keep refused_init, a kernel function */
	while (!list_empty(&guarded))
		guarded_free(list_first_entry(&guarded, struct kcage_guarded, node));
}
