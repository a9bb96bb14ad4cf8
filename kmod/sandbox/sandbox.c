// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of sandboxes and what the rest of kcage reads of one.
 *
 * A sandbox (sandbox_priv.h) is built by the takeover (control/takeover.c)
 * and published here complete; from then on the translator finds it
 * under RCU, with interrupts off, by any address of the module's text,
 * and reads it through the accessors below.  Writers of the list hold
 * kcage_sandboxes_lock; a sandbox is freed only after it is unpublished
 * and a grace period has passed.
 */
#include <linux/bsearch.h>
#include <linux/extable.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "rt/heap.h"
#include "sandbox_priv.h"
#include "taken.h"

/*
 * Every sandbox, published complete.  Readers walk it under RCU (the
 * translator, with interrupts off); writers hold kcage_sandboxes_lock.
 */
static LIST_HEAD(sandboxes);
static atomic_t nr_policies;	/* sandboxes with a policy */
DEFINE_MUTEX(kcage_sandboxes_lock);

/*
 * A reader of the registry, or of a sandbox found in it, holds
 * rcu_read_lock() or runs with interrupts off (an NMI included): either
 * keeps kcage_sandbox_unpublish()'s grace period from ending under it.  A
 * writer holding kcage_sandboxes_lock may read too.
 */
static inline void assert_reader(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held() &&
			 !lockdep_is_held(&kcage_sandboxes_lock),
			 "kcage sandbox read outside RCU");
}

/* Module names treat '-' and '_' alike. */
bool kcage_sandbox_same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	return *a == *b;
}

const struct kcage_sandbox *kcage_sandbox_find(unsigned long ip)
{
	struct kcage_sandbox *sb;

	assert_reader();
	list_for_each_entry_rcu(sb, &sandboxes, node,
				lockdep_is_held(&kcage_sandboxes_lock))
		if (text_of(sb, ip))
			return sb;
	return NULL;
}

size_t kcage_sandbox_read(const struct kcage_sandbox *sb, u64 ip, u8 *buf,
			  size_t len)
{
	/* under RCU, or by the takeover before @sb is published */
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
	struct kcage_sandbox_stats *st;

	lockdep_assert(irqs_disabled());
	st = this_cpu_ptr(sb->stats);
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
	pr_warn("%s: quarantined: later calls into it return -EIO; it cannot be unloaded\n",
		sb->mod->name);
}

struct kcage_sandbox *kcage_sandbox_named(const char *name)
{
	struct kcage_sandbox *sb;

	lockdep_assert_held(&kcage_sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		if (kcage_sandbox_same_name(sb->mod->name, name))
			return sb;
	return NULL;
}

/* The sandbox of @mod, or NULL. */
struct kcage_sandbox *kcage_sandbox_of(const struct module *mod)
{
	struct kcage_sandbox *sb;

	lockdep_assert_held(&kcage_sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		if (sb->mod == mod)
			return sb;
	return NULL;
}

/* Make @sb, complete, visible to the translator and the control plane. */
void kcage_sandbox_publish(struct kcage_sandbox *sb)
{
	might_sleep();
	mutex_lock(&kcage_sandboxes_lock);
	list_add_rcu(&sb->node, &sandboxes);
	mutex_unlock(&kcage_sandboxes_lock);
}

/* Take @sb out of the registry and wait until no reader can still see it. */
void kcage_sandbox_unpublish(struct kcage_sandbox *sb)
{
	mutex_lock(&kcage_sandboxes_lock);
	list_del_rcu(&sb->node);
	mutex_unlock(&kcage_sandboxes_lock);
	synchronize_rcu();
}

/*
 * Is no sandbox left?  Asked after a removal has finished, so that a
 * sandbox published meanwhile (a module coming while another goes) keeps
 * the cache it needs.
 */
bool kcage_sandbox_none(void)
{
	bool none;

	mutex_lock(&kcage_sandboxes_lock);
	none = list_empty(&sandboxes);
	mutex_unlock(&kcage_sandboxes_lock);
	return none;
}

/* A sandbox with a policy was (@bound) or is no more (!@bound). */
void kcage_sandbox_count_policy(bool bound)
{
	if (bound)
		atomic_inc(&nr_policies);
	else
		atomic_dec(&nr_policies);
}

/* Does @sb's policy let an administrator lift its quarantine? */
static bool may_release(const struct kcage_sandbox *sb)
{
	return !sb->policy_blob ||
	       !(le32_to_cpu(sb->policy.hdr->flags) & KCP_FLAG_NO_RELEASE);
}

/**
 * kcage_sandbox_release - lift the quarantine of a sandboxed module
 * @name:  the module's name
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

	mutex_lock(&kcage_sandboxes_lock);
	sb = kcage_sandbox_named(name);
	if (sb && !kcage_sandbox_quarantined(sb))
		ret = -EINVAL;
	else if (sb && !force && !may_release(sb))
		ret = -EACCES;
	else if (sb && test_and_clear_bit(0, &sb->quarantined)) {
		module_put(sb->mod);
		pr_info("%s: quarantine released\n", sb->mod->name);
		ret = 0;
	}
	mutex_unlock(&kcage_sandboxes_lock);
	return ret;
}

const char *kcage_sandbox_name(const struct kcage_sandbox *sb)
{
	return sb->mod->name;
}

/* Is any sandbox checking a policy?  If not, nothing needs checking. */
bool kcage_sandbox_any_policy(void)
{
	return atomic_read(&nr_policies);
}

/**
 * kcage_sandbox_all - is a predicate true of every sandbox?
 * @fn:  the predicate
 * @arg: its second argument
 *
 * Under rcu_read_lock() or with interrupts off.
 */
bool kcage_sandbox_all(bool (*fn)(const struct kcage_sandbox *sb, void *arg),
		       void *arg)
{
	const struct kcage_sandbox *sb;

	assert_reader();
	list_for_each_entry_rcu(sb, &sandboxes, node,
				lockdep_is_held(&kcage_sandboxes_lock))
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

/* What of @sb's image the kernel reads again, and its data (metadata.c). */
const struct kcage_metadata *kcage_sandbox_metadata(const struct kcage_sandbox *sb)
{
	return sb->metadata;
}

struct kcage_api *kcage_sandbox_api(const struct kcage_sandbox *sb)
{
	return sb->api;
}

/* debugfs "sandboxes": one line per sandboxed module. */
int kcage_sandbox_show(struct seq_file *m, void *unused)
{
	struct kcage_sandbox *sb;

	mutex_lock(&kcage_sandboxes_lock);
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
	mutex_unlock(&kcage_sandboxes_lock);
	return 0;
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

	mutex_lock(&kcage_sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node) {
		if (index--)
			continue;
		fill_info(sb, info);
		ret = 0;
		break;
	}
	mutex_unlock(&kcage_sandboxes_lock);
	return ret;
}

int kcage_sandbox_info_by_name(const char *name,
			       struct kcage_sandbox_info *info)
{
	struct kcage_sandbox *sb;

	mutex_lock(&kcage_sandboxes_lock);
	sb = kcage_sandbox_named(name);
	if (sb)
		fill_info(sb, info);
	mutex_unlock(&kcage_sandboxes_lock);
	return sb ? 0 : -ENOENT;
}

unsigned int kcage_sandbox_count(void)
{
	struct kcage_sandbox *sb;
	unsigned int n = 0;

	mutex_lock(&kcage_sandboxes_lock);
	list_for_each_entry(sb, &sandboxes, node)
		n++;
	mutex_unlock(&kcage_sandboxes_lock);
	return n;
}

