// SPDX-License-Identifier: GPL-2.0
/*
 * Watching module loads.  A module notifier sees every module at
 * MODULE_STATE_COMING, after relocation and before its init runs: the one
 * moment at which kcage can take over a module before any of its code has
 * executed.  kcage inspects every module and records what it found, and
 * takes over those it was asked to sandbox (sandbox.c).
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "inspect.h"
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

static void report(const struct module *mod, const struct kcage_text_stats *st)
{
	pr_info("module %s coming: functions=%u bytes=%lu insns=%u undecodable=%u indirect=%u ret=%u priv=%u\n",
		mod->name, st->nr_funcs, st->nr_bytes, st->nr_insns, st->nr_bad,
		st->kinds[KC_INSN_CALL_IND] + st->kinds[KC_INSN_JMP_IND],
		st->kinds[KC_INSN_RET], st->kinds[KC_INSN_PRIV]);
}

static int module_coming(struct module *mod)
{
	/* A module kcage was asked to sandbox never runs unsandboxed. */
	bool wanted = kcage_takeover_wanted(mod->name);
	struct kcage_watched *w;
	int ret = 0;

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

	switch (state) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(module_coming(mod));
	case MODULE_STATE_LIVE:
		kcage_takeover_live(mod);
		break;
	case MODULE_STATE_GOING:
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

int kcage_watch_init(void)
{
	return register_module_notifier(&module_nb);
}

void kcage_watch_exit(void)
{
	struct kcage_watched *w, *tmp;

	unregister_module_notifier(&module_nb);
	/* no notifier and no debugfs reader is left: no lock needed */
	list_for_each_entry_safe(w, tmp, &watched, node) {
		list_del(&w->node);
		kfree(w);
	}
}
