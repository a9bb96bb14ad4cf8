// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a module over.  At MODULE_STATE_COMING, before its init runs,
 * kcage copies the module's text (the translator reads only the copy),
 * redirects every way into it to the translator, and then poisons the
 * native text with int3 so that any path around translation traps:
 *
 *  - every function with an ftrace site (all of gcc's, init and exit
 *    included) has its site call the gate (an ftrace direct call; an
 *    IPMODIFY handler in the init text: entry.c), which sends the call to
 *    its translation: direct calls, calls through function pointers (file
 *    operations, timers, work items, notifiers, IRQ handlers) alike;
 *  - every other function symbol (assembly, notrace) gets a jmp to an
 *    entry stub in the code cache;
 *  - the bytes the kernel itself keeps patching (ftrace, jump-label and
 *    static-call sites, static-call trampolines: sites.c) stay as they
 *    are, since the kernel checks them before patching; their
 *    translations follow the keys, not the bytes.  poison.c does the
 *    poisoning.
 *
 * After init the init text's translations are dropped; at unload all of
 * the module's.  The sandbox is published in the registry
 * (sandbox/sandbox.c) once it is complete, and unpublished before it is
 * torn down.
 */
#include <linux/bsearch.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "rt/own.h"
#include "dbt/entry.h"
#include "dbt/flush.h"
#include "dbt/xlate.h"
#include "enforce/api.h"
#include "enforce/learn.h"
#include "rt/heap.h"
#include "rt/okpage.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox_priv.h"
#include "sandbox/metadata.h"
#include "sandbox/taken.h"
#include "poison.h"
#include "takeover.h"
#include "kcage/policy.h"

/* Modules to sandbox: /sys/module/kcage/parameters/sandbox, comma-separated. */
static char sandbox_names[256];
module_param_string(sandbox, sandbox_names, sizeof(sandbox_names), 0644);
MODULE_PARM_DESC(sandbox, "modules to run translated, comma-separated");

static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

/* Is @name in the sandbox= list, or has a policy been loaded for it? */
bool kcage_takeover_wanted(const char *name)
{
	char names[sizeof(sandbox_names)], *p = names, *tok;

	if (kcage_policy_exists(name))
		return true;
	kernel_param_lock(THIS_MODULE);
	strscpy(names, sandbox_names, sizeof(names));
	kernel_param_unlock(THIS_MODULE);
	while ((tok = strsep(&p, ", \n")))
		if (*tok && kcage_sandbox_same_name(tok, name))
			return true;
	return false;
}


/* Copy one text area; the ftrace sites in the copy become plain nops. */
static int copy_text(struct kcage_sandbox *sb, int i, void *base,
		     unsigned int size)
{
	struct kcage_text *t = &sb->text[i];
	unsigned int k;

	t->start = (unsigned long)base;
	t->end = t->start + size;
	if (!size)
		return 0;
	t->copy = kcage_own_zalloc(size, GFP_KERNEL);
	if (!t->copy)
		return -ENOMEM;
	memcpy(t->copy, base, size);
	for (k = 0; k < sb->nr_fentry; k++)
		if (in_text(t, sb->fentry[k]) && sb->fentry[k] + 5 <= t->end)
			memcpy(t->copy + (sb->fentry[k] - t->start), nop5, 5);
	return 0;
}


static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}


static int collect_fentry(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;

	sb->nr_fentry = mod->num_ftrace_callsites;
	if (!sb->nr_fentry)
		return 0;
	sb->fentry = kcage_own_calloc(sb->nr_fentry, sizeof(*sb->fentry), GFP_KERNEL);
	if (!sb->fentry)
		return -ENOMEM;
	memcpy(sb->fentry, mod->ftrace_callsites,
	       array_size(sb->nr_fentry, sizeof(*sb->fentry)));
	sort(sb->fentry, sb->nr_fentry, sizeof(*sb->fentry), cmp_ulong, NULL);
	return 0;
}


bool kcage_takeover_has_fentry(const struct kcage_sandbox *sb, unsigned long ip)
{
	return bsearch(&ip, sb->fentry, sb->nr_fentry, sizeof(ip), cmp_ulong);
}

static void forget_texts(const struct kcage_sandbox *sb)
{
	int i;

	for (i = 0; i < NR_TEXTS; i++)
		if (sb->text[i].copy)
			kcage_xlate_forget(sb->text[i].start, sb->text[i].end);
}


static void free_sandbox(struct kcage_sandbox *sb)
{
	unsigned long n;
	int i;

	for (i = 0; i < NR_TEXTS; i++)
		kcage_own_free(sb->text[i].copy);
	kcage_own_free(sb->sites);
	kcage_api_unbind(sb->api);
	n = kcage_heap_forget(sb);
	if (n)
		pr_info("%s: %lu heap objects it allocated were never freed\n",
			sb->mod->name, n);
	if (sb->policy_blob)
		kcage_sandbox_count_policy(false);
	kcage_own_free(sb->policy_blob);
	kcage_own_free(sb->fentry);
	kcage_okpage_put(sb->okpage);
	kcage_learn_free(sb->learn);
	kcage_taken_free(sb->taken);
	kcage_metadata_free(sb->metadata);
	kcage_own_free_percpu(sb->stats);
	kcage_own_free(sb);
}


/* What a sandbox does about a violation of @kind with no policy loaded. */
static u8 builtin_action(unsigned int kind)
{
	switch (kind) {
	case KCP_KIND_FAULT:
	case KCP_KIND_BUG:
		return KCP_ACTION_QUARANTINE;
	default:
		return KCP_ACTION_DENY;
	}
}


/*
 * The action for each violation kind: the policy's in enforce mode, log in
 * audit and learn modes, kcage's built-in ones without a policy.
 */
static void set_actions(struct kcage_sandbox *sb, u8 mode)
{
	const struct kcp_header *h = sb->policy_blob ? sb->policy.hdr : NULL;
	unsigned int k;
	u8 a;

	for (k = 0; k < KCP_NR_KINDS; k++) {
		if (!h)
			a = builtin_action(k);
		else if (mode != KCP_MODE_ENFORCE)
			a = KCP_ACTION_LOG;
		else if (h->actions[k] == KCP_ACTION_DEFAULT)
			a = h->default_action;
		else
			a = h->actions[k];
		WRITE_ONCE(sb->actions[k], a);
	}
	WRITE_ONCE(sb->mode, mode);
}


/* Take a copy of the module's policy, if one is loaded, and bind it. */
static int bind_policy(struct kcage_sandbox *sb)
{
	const struct kcp_header *h;
	u8 mode = 0;
	int ret;

	ret = kcage_policy_copy(sb->mod->name, &sb->policy_blob, &sb->policy,
				&mode);
	if (ret)
		return ret;
	h = sb->policy_blob ? sb->policy.hdr : NULL;
	set_actions(sb, mode);
	if (h) {
		/* the store checks' view of the module's data: none without it */
		sb->metadata = kcage_metadata_collect(sb->mod);
		if (!sb->metadata) {
			kcage_own_free(sb->policy_blob);
			sb->policy_blob = NULL;
			return -ENOMEM;
		}
		sb->api = kcage_api_bind(sb, &sb->policy);
		if (IS_ERR(sb->api)) {
			ret = PTR_ERR(sb->api);
			sb->api = NULL;
			kcage_own_free(sb->policy_blob);
			sb->policy_blob = NULL;
			return ret;
		}
		if (mode == KCP_MODE_LEARN) {
			sb->learn = kcage_learn_alloc();
			if (!sb->learn)
				pr_warn("%s: no memory to learn in: every violation is reported\n",
					sb->mod->name);
		}
		sb->taken = kcage_taken_collect(sb->mod);
		kcage_sandbox_count_policy(true);
		sb->okpage = kcage_okpage_get();
		/* targets other sandboxes let into the lookup table: recheck */
		kcage_xlate_forget_indirect();
		pr_info("%s: policy bound, mode=%s\n", sb->mod->name,
			kcp_mode_name(mode));
	}
	return 0;
}


static int prepare(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;
	int ret;

	ret = collect_fentry(sb);
	if (!ret)
		ret = copy_text(sb, TEXT_CORE, mod->core_layout.base,
				mod->core_layout.text_size);
	if (!ret)
		ret = copy_text(sb, TEXT_INIT, mod->init_layout.base,
				mod->init_layout.text_size);
	if (!ret)
		ret = kcage_sites_collect(sb);
	return ret;
}


static void unpublish(struct kcage_sandbox *sb)
{
	kcage_sandbox_unpublish(sb);
	forget_texts(sb);
}


/**
 * kcage_takeover_create - take @mod over; called at MODULE_STATE_COMING
 * @mod: the module coming, not yet initialised
 *
 * Return: 0, or an error that makes the module's load fail (its text may
 * then be poisoned already, which does not matter: it never runs).
 */
int kcage_takeover_create(struct module *mod)
{
	struct kcage_sandbox *sb;
	int ret, i;

	sb = kcage_own_zalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	sb->mod = mod;
	sb->okpage = -1;
	sb->stats = kcage_own_percpu(struct kcage_sandbox_stats);
	if (!sb->stats) {
		kcage_own_free(sb);
		return -ENOMEM;
	}
	ret = bind_policy(sb);
	if (!ret)
		ret = prepare(sb);
	if (ret)
		goto err_free;
	/* A module earlier at these addresses may have left translations. */
	forget_texts(sb);
	kcage_sandbox_publish(sb);
	ret = kcage_entry_hook(sb);
	for (i = 0; !ret && i < NR_TEXTS; i++)
		ret = kcage_poison_text(sb, i);
	if (ret)
		goto err_unhook;
	__module_get(THIS_MODULE);	/* kcage stays while it has sandboxes */
	pr_info("%s: sandboxed: text=%lu+%lu bytes, %u ftrace entries, %u jmp entries, %u sites\n",
		mod->name, sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start,
		sb->text[TEXT_INIT].end - sb->text[TEXT_INIT].start,
		sb->nr_fentry, sb->nr_patched, sb->nr_sites);
	return 0;

err_unhook:
	kcage_entry_unhook(sb);
	unpublish(sb);
err_free:
	pr_err("%s: cannot sandbox: %d\n", mod->name, ret);
	free_sandbox(sb);
	return ret;
}



/* After init: its text is about to be freed; stop entering it. */
void kcage_takeover_live(struct module *mod)
{
	struct kcage_sandbox *sb;
	struct kcage_text *t;
	unsigned long end;

	mutex_lock(&kcage_sandboxes_lock);
	sb = kcage_sandbox_of(mod);
	if (!sb || !sb->text[TEXT_INIT].copy)
		goto out;
	t = &sb->text[TEXT_INIT];
	kcage_entry_init_done(sb);
	end = t->end;
	WRITE_ONCE(t->end, t->start);
	/*
	 * A translator that still saw the old end runs with interrupts off,
	 * so it has finished before the forget's IPI reaches its CPU.
	 */
	kcage_xlate_forget(t->start, end);
out:
	mutex_unlock(&kcage_sandboxes_lock);
}


void kcage_takeover_destroy(struct module *mod)
{
	struct kcage_sandbox *sb;

	mutex_lock(&kcage_sandboxes_lock);
	sb = kcage_sandbox_of(mod);
	mutex_unlock(&kcage_sandboxes_lock);
	if (!sb)
		return;
	kcage_entry_unhook(sb);
	unpublish(sb);
	if (kcage_sandbox_none())
		kcage_xlate_reset();
	pr_info("%s: sandbox removed\n", mod->name);
	free_sandbox(sb);
	module_put(THIS_MODULE);
}


/**
 * kcage_takeover_set_mode - switch the sandboxed module @name to @mode
 * @name: the module's name
 * @mode: &enum kcp_mode
 *
 * Its actions change at once; its code is translated again (priv.c
 * translates a refused privileged instruction by mode), except for calls
 * into it already running, which finish in the code they started in.
 *
 * Return: 0, -ENOENT (no such sandbox), -EINVAL (no policy: nothing to
 * enforce) or -ENOMEM.
 */
int kcage_takeover_set_mode(const char *name, u8 mode)
{
	struct kcage_sandbox *sb;
	int ret = 0;

	mutex_lock(&kcage_sandboxes_lock);
	sb = kcage_sandbox_named(name);
	if (!sb)
		ret = -ENOENT;
	else if (!sb->policy_blob)
		ret = -EINVAL;
	else if (sb->mode != mode)
		set_actions(sb, mode);
	mutex_unlock(&kcage_sandboxes_lock);
	if (ret)
		return ret;
	pr_info("%s: mode=%s\n", name, kcp_mode_name(mode));
	return kcage_flush_translations();
}
