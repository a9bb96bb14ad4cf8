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
 * the module's.  Sandboxes are found by the translator under RCU (it runs
 * with interrupts off), and changed only from module notifiers.
 */
#include <linux/bsearch.h>
#include <linux/extable.h>
#include <linux/ftrace.h>
#include <linux/kdebug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "api.h"
#include "entry.h"
#include "okpage.h"
#include "heap.h"
#include "learn.h"
#include "sandbox_priv.h"
#include "taken.h"
#include "fixup.h"
#include "flush.h"
#include "frame.h"
#include "policy.h"
#include "xlate.h"

/* Modules to sandbox: /sys/module/kcage/parameters/sandbox, comma-separated. */
static char sandbox_names[256];
module_param_string(sandbox, sandbox_names, sizeof(sandbox_names), 0644);
MODULE_PARM_DESC(sandbox, "modules to run translated, comma-separated");

static LIST_HEAD(sandboxes);
static atomic_t nr_policies;	/* sandboxes with a policy */
static DEFINE_MUTEX(sandboxes_lock);	/* writers of &sandboxes */
static atomic_long_t native_execs;

static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

/* Module names treat '-' and '_' alike. */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	return *a == *b;
}

/* Is @name in the sandbox= list, or has a policy been loaded for it? */
bool kcage_sandbox_wanted(const char *name)
{
	char names[sizeof(sandbox_names)], *p = names, *tok;

	if (kcage_policy_exists(name))
		return true;
	kernel_param_lock(THIS_MODULE);
	strscpy(names, sandbox_names, sizeof(names));
	kernel_param_unlock(THIS_MODULE);
	while ((tok = strsep(&p, ", \n")))
		if (*tok && same_name(tok, name))
			return true;
	return false;
}

const struct kcage_sandbox *kcage_sandbox_find(unsigned long ip)
{
	struct kcage_sandbox *sb;

	list_for_each_entry_rcu(sb, &sandboxes, node)
		if (text_of(sb, ip))
			return sb;
	return NULL;
}

size_t kcage_sandbox_read(const struct kcage_sandbox *sb, u64 ip, u8 *buf,
			  size_t len)
{
	const struct kcage_text *t = text_of(sb, ip);

	if (!t)
		return 0;
	len = min_t(size_t, len, t->end - ip);
	memcpy(buf, t->copy + (ip - t->start), len);
	return len;
}

/* The module's bug-table entry for a ud2 at @ip, if it has one. */
struct bug_entry *kcage_sandbox_bug(const struct kcage_sandbox *sb,
				    unsigned long ip)
{
	struct module *mod = sb->mod;
	unsigned int i;

	for (i = 0; i < mod->num_bugs; i++) {
		struct bug_entry *bug = &mod->bug_table[i];

		if ((unsigned long)&bug->bug_addr_disp + bug->bug_addr_disp == ip)
			return bug;
	}
	return NULL;
}

static int cmp_extable(const void *key, const void *elt)
{
	unsigned long ip = *(const unsigned long *)key;
	const struct exception_table_entry *e = elt;
	unsigned long insn = (unsigned long)&e->insn + e->insn;

	return ip < insn ? -1 : ip > insn;
}

/* Has the sandboxed module an exception-table entry for @ip?  Under RCU. */
bool kcage_sandbox_has_extable(unsigned long ip)
{
	const struct kcage_sandbox *sb = kcage_sandbox_find(ip);
	const struct module *mod;

	if (!sb)
		return false;
	mod = sb->mod;
	/* the loader sorts a module's table by instruction address */
	return bsearch(&ip, mod->extable, mod->num_exentries,
		       sizeof(*mod->extable), cmp_extable);
}

/* Is @ip where an exception-table entry of its module sends a fault? */
bool kcage_sandbox_is_fixup(unsigned long ip)
{
	const struct kcage_sandbox *sb = kcage_sandbox_find(ip);
	unsigned int i;

	for (i = 0; sb && i < sb->mod->num_exentries; i++) {
		const struct exception_table_entry *e = &sb->mod->extable[i];

		if ((unsigned long)&e->fixup + e->fixup == ip)
			return true;
	}
	return false;
}

bool kcage_sandbox_quarantined(const struct kcage_sandbox *sb)
{
	return test_bit(0, &sb->quarantined);
}

struct module *kcage_sandbox_module(const struct kcage_sandbox *sb)
{
	return sb->mod;
}

/* Count a violation of @kind; return the action the policy gives it. */
u8 kcage_sandbox_count_violation(const struct kcage_sandbox *sb, u8 kind)
{
	struct kcage_sandbox *w = (struct kcage_sandbox *)sb;

	atomic_long_inc(&w->violations[kind]);
	return READ_ONCE(sb->actions[kind]);
}

/* The mode @sb runs in; meaningful only with a policy. */
u8 kcage_sandbox_mode(const struct kcage_sandbox *sb)
{
	return READ_ONCE(sb->mode);
}

/* An entry from the kernel.  Any context. */
void kcage_sandbox_count_entry(const struct kcage_sandbox *sb)
{
	this_cpu_inc(sb->stats->entries);
}

/* A block of @sb translated on this CPU.  Interrupts off. */
void kcage_sandbox_count_block(const struct kcage_sandbox *sb,
			       unsigned long native_bytes,
			       unsigned long cache_bytes)
{
	struct kcage_sandbox_stats *st = this_cpu_ptr(sb->stats);

	st->blocks++;
	st->native_bytes += native_bytes;
	st->cache_bytes += cache_bytes;
}

/*
 * Refuse every later entry, and keep the module loaded: its state is
 * whatever the crash left, and the kernel may still hold pointers into
 * it (registered callbacks), so neither its exit function nor freeing
 * it would be safe.  Any context.
 */
void kcage_sandbox_quarantine(const struct kcage_sandbox *sb)
{
	struct kcage_sandbox *w = (struct kcage_sandbox *)sb;

	if (test_and_set_bit(0, &w->quarantined))
		return;
	__module_get(sb->mod);
	pr_warn("kcage: %s: quarantined: later calls into it return -EIO; it cannot be unloaded\n",
		sb->mod->name);
}

static struct kcage_sandbox *sandbox_named(const char *name)
{
	struct kcage_sandbox *sb;

	lockdep_assert_held(&sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		if (same_name(sb->mod->name, name))
			return sb;
	return NULL;
}

/* Does @sb's policy let an administrator lift its quarantine? */
static bool may_release(const struct kcage_sandbox *sb)
{
	return !sb->policy_blob ||
	       !(le32_to_cpu(sb->policy.hdr->flags) & KCP_FLAG_NO_RELEASE);
}

/**
 * kcage_sandbox_release - lift the quarantine of the module named @name
 * @force: even if its policy says "release: false" (debugfs, for tests)
 *
 * The administrator's decision: entries run its code again, and it can be
 * unloaded (its exit function then runs, translated).
 *
 * Return: 0, -ENOENT (no such sandbox), -EINVAL (not quarantined) or
 * -EACCES (its policy says "release: false").
 */
int kcage_sandbox_release(const char *name, bool force)
{
	struct kcage_sandbox *sb;
	int ret = -ENOENT;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_named(name);
	if (sb && !kcage_sandbox_quarantined(sb))
		ret = -EINVAL;
	else if (sb && !force && !may_release(sb))
		ret = -EACCES;
	else if (sb && test_and_clear_bit(0, &sb->quarantined)) {
		module_put(sb->mod);
		pr_info("kcage: %s: quarantine released\n", sb->mod->name);
		ret = 0;
	}
	mutex_unlock(&sandboxes_lock);
	return ret;
}

const char *kcage_sandbox_name(const struct kcage_sandbox *sb)
{
	return sb->mod->name;
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
	t->copy = vmalloc(size);
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
	sb->fentry = kmemdup(mod->ftrace_callsites,
			     array_size(sb->nr_fentry, sizeof(*sb->fentry)),
			     GFP_KERNEL);
	if (!sb->fentry)
		return -ENOMEM;
	sort(sb->fentry, sb->nr_fentry, sizeof(*sb->fentry), cmp_ulong, NULL);
	return 0;
}

bool kcage_sandbox_has_fentry(const struct kcage_sandbox *sb, unsigned long ip)
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
		vfree(sb->text[i].copy);
	kvfree(sb->sites);
	kcage_api_unbind(sb->api);
	n = kcage_heap_forget(sb);
	if (n)
		pr_info("kcage: %s: %lu heap objects it allocated were never freed\n",
			sb->mod->name, n);
	if (sb->policy_blob)
		atomic_dec(&nr_policies);
	kvfree(sb->policy_blob);
	kfree(sb->fentry);
	kcage_okpage_put(sb->okpage);
	kcage_learn_free(sb->learn);
	kcage_taken_free(sb->taken);
	free_percpu(sb->stats);
	kfree(sb);
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
		sb->api = kcage_api_bind(sb, &sb->policy);
		if (IS_ERR(sb->api)) {
			ret = PTR_ERR(sb->api);
			sb->api = NULL;
			kvfree(sb->policy_blob);
			sb->policy_blob = NULL;
			return ret;
		}
		if (mode == KCP_MODE_LEARN) {
			sb->learn = kcage_learn_alloc();
			if (!sb->learn)
				pr_warn("kcage: %s: no memory to learn in: every violation is reported\n",
					sb->mod->name);
		}
		sb->taken = kcage_taken_collect(sb->mod);
		atomic_inc(&nr_policies);
		sb->okpage = kcage_okpage_get();
		/* targets other sandboxes let into the lookup table: recheck */
		kcage_xlate_forget_indirect();
		pr_info("kcage: %s: policy bound, mode=%s\n", sb->mod->name,
			kcp_mode_name(mode));
	}
	return 0;
}

/* Is any sandbox checking a policy?  If not, nothing needs checking. */
bool kcage_sandbox_any_policy(void)
{
	return atomic_read(&nr_policies);
}

/**
 * kcage_sandbox_all - is @fn true of every sandbox?
 *
 * Under rcu_read_lock() or with interrupts off.
 */
bool kcage_sandbox_all(bool (*fn)(const struct kcage_sandbox *sb, void *arg),
		       void *arg)
{
	const struct kcage_sandbox *sb;

	list_for_each_entry_rcu(sb, &sandboxes, node)
		if (!fn(sb, arg))
			return false;
	return true;
}

/* The policy the translator enforces for @sb, or NULL: translate-only. */
const struct kcp_view *kcage_sandbox_policy(const struct kcage_sandbox *sb)
{
	return sb->policy_blob ? &sb->policy : NULL;
}

/* Its okpage.c slot, or -1. */
int kcage_sandbox_okpage(const struct kcage_sandbox *sb)
{
	return sb->okpage;
}

struct kcage_learn *kcage_sandbox_learn(const struct kcage_sandbox *sb)
{
	return sb->learn;
}

/* Does @sb's read-only data point at its function @fn (taken.c)? */
bool kcage_sandbox_taken(const struct kcage_sandbox *sb, unsigned long fn)
{
	return kcage_taken_has(sb->taken, fn);
}

struct kcage_api *kcage_sandbox_api(const struct kcage_sandbox *sb)
{
	return sb->api;
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
	mutex_lock(&sandboxes_lock);
	list_del_rcu(&sb->node);
	mutex_unlock(&sandboxes_lock);
	synchronize_rcu();
	forget_texts(sb);
}

/**
 * kcage_sandbox_create - take @mod over; called at MODULE_STATE_COMING
 *
 * Return: 0, or an error that makes the module's load fail (its text may
 * then be poisoned already, which does not matter: it never runs).
 */
int kcage_sandbox_create(struct module *mod)
{
	struct kcage_sandbox *sb;
	int ret, i;

	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	sb->mod = mod;
	sb->okpage = -1;
	sb->stats = alloc_percpu(struct kcage_sandbox_stats);
	if (!sb->stats) {
		kfree(sb);
		return -ENOMEM;
	}
	ret = bind_policy(sb);
	if (!ret)
		ret = prepare(sb);
	if (ret)
		goto err_free;
	/* A module earlier at these addresses may have left translations. */
	forget_texts(sb);
	mutex_lock(&sandboxes_lock);
	list_add_rcu(&sb->node, &sandboxes);
	mutex_unlock(&sandboxes_lock);
	ret = kcage_entry_hook(sb);
	for (i = 0; !ret && i < NR_TEXTS; i++)
		ret = kcage_poison_text(sb, i);
	if (ret)
		goto err_unhook;
	__module_get(THIS_MODULE);	/* kcage stays while it has sandboxes */
	pr_info("kcage: %s: sandboxed: text=%lu+%lu bytes, %u ftrace entries, %u jmp entries, %u sites\n",
		mod->name, sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start,
		sb->text[TEXT_INIT].end - sb->text[TEXT_INIT].start,
		sb->nr_fentry, sb->nr_patched, sb->nr_sites);
	return 0;

err_unhook:
	kcage_entry_unhook(sb);
	unpublish(sb);
err_free:
	pr_err("kcage: %s: cannot sandbox: %d\n", mod->name, ret);
	free_sandbox(sb);
	return ret;
}

static struct kcage_sandbox *sandbox_of(struct module *mod)
{
	struct kcage_sandbox *sb;

	lockdep_assert_held(&sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		if (sb->mod == mod)
			return sb;
	return NULL;
}

/* After init: its text is about to be freed; stop entering it. */
void kcage_sandbox_live(struct module *mod)
{
	struct kcage_sandbox *sb;
	struct kcage_text *t;
	unsigned long end;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_of(mod);
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
	mutex_unlock(&sandboxes_lock);
}

void kcage_sandbox_destroy(struct module *mod)
{
	struct kcage_sandbox *sb;
	bool last;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_of(mod);
	mutex_unlock(&sandboxes_lock);
	if (!sb)
		return;
	kcage_entry_unhook(sb);
	unpublish(sb);
	mutex_lock(&sandboxes_lock);
	last = list_empty(&sandboxes);
	mutex_unlock(&sandboxes_lock);
	if (last)
		kcage_xlate_reset();
	pr_info("kcage: %s: sandbox removed\n", mod->name);
	free_sandbox(sb);
	module_put(THIS_MODULE);
}

/* debugfs "sandboxes": one line per sandboxed module. */
int kcage_sandbox_show(struct seq_file *m, void *unused)
{
	struct kcage_sandbox *sb;

	mutex_lock(&sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node) {
		long v = 0;
		int k;

		for (k = 0; k < KCP_NR_KINDS; k++)
			v += atomic_long_read(&sb->violations[k]);
		seq_printf(m, "%s text=%lu init=%lu ftrace_entries=%u jmp_entries=%u unentered=%u sites=%u violations=%ld quarantined=%d heap_objects=%lu",
			   sb->mod->name,
			   sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start,
			   sb->text[TEXT_INIT].end - sb->text[TEXT_INIT].start,
			   sb->nr_fentry, sb->nr_patched, sb->nr_unentered,
			   sb->nr_sites, v, kcage_sandbox_quarantined(sb),
			   kcage_heap_count(sb));
		for (k = 0; k < KCP_NR_KINDS; k++)
			seq_printf(m, "%s%s:%ld", k ? "," : " kinds=", kcp_kind_name(k),
				   atomic_long_read(&sb->violations[k]));
		seq_putc(m, '\n');
	}
	mutex_unlock(&sandboxes_lock);
	return 0;
}

/**
 * kcage_sandbox_set_mode - switch the sandboxed module @name to @mode
 *
 * Its actions change at once; its code is translated again (priv.c
 * translates a refused privileged instruction by mode), except for calls
 * into it already running, which finish in the code they started in.
 *
 * Return: 0, -ENOENT (no such sandbox), -EINVAL (no policy: nothing to
 * enforce) or -ENOMEM.
 */
int kcage_sandbox_set_mode(const char *name, u8 mode)
{
	struct kcage_sandbox *sb;
	int ret = 0;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_named(name);
	if (!sb)
		ret = -ENOENT;
	else if (!sb->policy_blob)
		ret = -EINVAL;
	else if (sb->mode != mode)
		set_actions(sb, mode);
	mutex_unlock(&sandboxes_lock);
	if (ret)
		return ret;
	pr_info("kcage: %s: mode=%s\n", name, kcp_mode_name(mode));
	return kcage_flush_translations();
}

static void fill_info(struct kcage_sandbox *sb, struct kcage_sandbox_info *info)
{
	int cpu, k;

	memset(info, 0, sizeof(*info));
	strscpy(info->module, sb->mod->name, sizeof(info->module));
	info->has_policy = sb->policy_blob;
	info->mode = kcage_sandbox_mode(sb);
	if (sb->policy_blob)
		info->policy_crc = le32_to_cpu(sb->policy.hdr->checksum);
	info->quarantined = kcage_sandbox_quarantined(sb);
	for_each_possible_cpu(cpu) {
		const struct kcage_sandbox_stats *st = per_cpu_ptr(sb->stats, cpu);

		info->entries += st->entries;
		info->blocks += st->blocks;
		info->native_bytes += st->native_bytes;
		info->cache_bytes += st->cache_bytes;
	}
	info->heap_objects = kcage_heap_count(sb);
	info->text_size = sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start;
	for (k = 0; k < KCP_NR_KINDS; k++)
		info->violations[k] = atomic_long_read(&sb->violations[k]);
}

/* The @index-th sandbox (0, 1, ...): 0, or -ENOENT past the last one. */
int kcage_sandbox_info(unsigned int index, struct kcage_sandbox_info *info)
{
	struct kcage_sandbox *sb;
	int ret = -ENOENT;

	mutex_lock(&sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node) {
		if (index--)
			continue;
		fill_info(sb, info);
		ret = 0;
		break;
	}
	mutex_unlock(&sandboxes_lock);
	return ret;
}

int kcage_sandbox_info_by_name(const char *name,
			       struct kcage_sandbox_info *info)
{
	struct kcage_sandbox *sb;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_named(name);
	if (sb)
		fill_info(sb, info);
	mutex_unlock(&sandboxes_lock);
	return sb ? 0 : -ENOENT;
}

unsigned int kcage_sandbox_count(void)
{
	struct kcage_sandbox *sb;
	unsigned int n = 0;

	mutex_lock(&sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		n++;
	mutex_unlock(&sandboxes_lock);
	return n;
}

long kcage_sandbox_native_execs(void)
{
	return atomic_long_read(&native_execs);
}

/*
 * An int3 in a sandboxed module's text: the poison was executed, so some
 * path bypassed translation.  Report it; the kernel then oopses on the
 * int3 as it would on any stray breakpoint.
 */
static int native_trap(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	unsigned long ip;

	if (val != DIE_INT3 || user_mode(args->regs))
		return NOTIFY_DONE;
	ip = args->regs->ip - 1;
	if (kcage_fixup_resume(args->regs))
		return NOTIFY_STOP;
	rcu_read_lock();
	if (kcage_sandbox_find(ip)) {
		atomic_long_inc(&native_execs);
		pr_err("kcage: native code of a sandboxed module executed at %pS\n",
		       (void *)ip);
	}
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block native_trap_nb = {
	.notifier_call = native_trap,
};

int kcage_sandbox_init(void)
{
	return register_die_notifier(&native_trap_nb);
}

void kcage_sandbox_exit(void)
{
	unregister_die_notifier(&native_trap_nb);
}
