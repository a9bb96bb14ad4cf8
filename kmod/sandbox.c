// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a module over.  At MODULE_STATE_COMING, before its init runs,
 * kcage copies the module's text (the translator reads only the copy),
 * redirects every way into it to the translator, and then poisons the
 * native text with int3 so that any path around translation traps:
 *
 *  - every function with an ftrace site (all of gcc's, init and exit
 *    included) gets an IPMODIFY ftrace handler that sends the call to its
 *    translation: direct calls, calls through function pointers (file
 *    operations, timers, work items, notifiers, IRQ handlers) alike;
 *  - every other function symbol (assembly, notrace) gets a jmp to an
 *    entry stub in the code cache;
 *  - the bytes the kernel itself keeps patching (ftrace, jump-label and
 *    static-call sites, static-call trampolines) stay as they are, since
 *    the kernel checks them before patching; their translations follow
 *    the keys, not the bytes.
 *
 * After init the init text's translations are dropped; at unload all of
 * the module's.  Sandboxes are found by the translator under RCU (it runs
 * with interrupts off), and changed only from module notifiers.
 */
#include <linux/bsearch.h>
#include <linux/ftrace.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/kdebug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/static_call_types.h>
#include <linux/vmalloc.h>
#include "sandbox.h"
#include "xlate.h"

/* Modules to sandbox: /sys/module/kcage/parameters/sandbox, comma-separated. */
static char sandbox_names[256];
module_param_string(sandbox, sandbox_names, sizeof(sandbox_names), 0644);
MODULE_PARM_DESC(sandbox, "modules to run translated, comma-separated");

enum { TEXT_CORE, TEXT_INIT, NR_TEXTS };

/**
 * struct kcage_text - one text area of a sandboxed module
 * @start: native start; @end: native end (== @start once dropped)
 * @copy:  the bytes the translator reads, ftrace sites turned into nops
 */
struct kcage_text {
	unsigned long start;
	unsigned long end;
	u8 *copy;
};

/* A site the kernel patches, with how many native bytes it must find. */
struct kcage_site_entry {
	unsigned long ip;
	unsigned int len;
	struct kc_site site;
};

/**
 * struct kcage_sandbox - a module run only through translation
 * @node:       entry in &sandboxes (RCU)
 * @mod:        the module
 * @text:       its core and init text
 * @sites:      jump-label and static-call sites, sorted by ip
 * @nr_sites:   entries in @sites
 * @fentry:     ftrace sites (function entries), sorted
 * @nr_fentry:  entries in @fentry
 * @nr_patched: functions without an ftrace site entered through a jmp
 * @nr_unentered: functions too short for that jmp
 * @ops:        the ftrace handler redirecting entries
 */
struct kcage_sandbox {
	struct list_head node;
	struct module *mod;
	struct kcage_text text[NR_TEXTS];
	struct kcage_site_entry *sites;
	unsigned int nr_sites;
	unsigned long *fentry;
	unsigned int nr_fentry;
	unsigned int nr_patched;
	unsigned int nr_unentered;
	struct ftrace_ops ops;
};

static LIST_HEAD(sandboxes);
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

bool kcage_sandbox_wanted(const char *name)
{
	char names[sizeof(sandbox_names)], *p = names, *tok;

	kernel_param_lock(THIS_MODULE);
	strscpy(names, sandbox_names, sizeof(names));
	kernel_param_unlock(THIS_MODULE);
	while ((tok = strsep(&p, ", \n")))
		if (*tok && same_name(tok, name))
			return true;
	return false;
}

static bool in_text(const struct kcage_text *t, unsigned long ip)
{
	return ip >= t->start && ip < READ_ONCE(t->end);
}

static const struct kcage_text *text_of(const struct kcage_sandbox *sb,
					unsigned long ip)
{
	int i;

	for (i = 0; i < NR_TEXTS; i++)
		if (in_text(&sb->text[i], ip))
			return &sb->text[i];
	return NULL;
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

static int cmp_site(const void *key, const void *elt)
{
	unsigned long ip = *(const unsigned long *)key;
	const struct kcage_site_entry *s = elt;

	return ip < s->ip ? -1 : ip > s->ip;
}

bool kcage_sandbox_site(const struct kcage_sandbox *sb, u64 ip,
			struct kc_site *site)
{
	unsigned long key = ip;
	const struct kcage_site_entry *s;

	s = bsearch(&key, sb->sites, sb->nr_sites, sizeof(*s), cmp_site);
	if (s)
		*site = s->site;
	return s;
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

static bool has_fentry(const struct kcage_sandbox *sb, unsigned long ip)
{
	return bsearch(&ip, sb->fentry, sb->nr_fentry, sizeof(ip), cmp_ulong);
}

/* The native bytes of a jump-label site: a 2- or 5-byte jmp or nop. */
static int jump_site_len(const struct kcage_sandbox *sb, unsigned long ip)
{
	u8 op;

	if (kcage_sandbox_read(sb, ip, &op, 1) != 1)
		return -EINVAL;
	if (op == 0xeb || op == 0x66)
		return 2;
	if (op == 0xe9 || op == 0x0f)
		return 5;
	return -EINVAL;
}

static unsigned long rel_addr(const s32 *p)
{
	return (unsigned long)p + *p;
}

static int add_jump_sites(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;
	unsigned int i;

	for (i = 0; i < mod->num_jump_entries; i++) {
		struct jump_entry *je = &mod->jump_entries[i];
		struct kcage_site_entry *s = &sb->sites[sb->nr_sites];
		unsigned long ip = jump_entry_code(je);

		if (!text_of(sb, ip))
			continue;
		if (jump_site_len(sb, ip) < 0) {
			pr_err("kcage: %s: unexpected jump-label site at %pS\n",
			       mod->name, (void *)ip);
			return -EINVAL;
		}
		s->ip = ip;
		s->len = jump_site_len(sb, ip);
		s->site.kind = KC_SITE_JUMP_LABEL;
		s->site.jump_if_enabled = !jump_entry_is_branch(je);
		s->site.addr = (unsigned long)&jump_entry_key(je)->enabled;
		s->site.target = jump_entry_target(je);
		sb->nr_sites++;
	}
	return 0;
}

#define SC_TAIL	1ul	/* STATIC_CALL_SITE_TAIL */
#define SC_FLAGS 3ul

static void add_static_call_sites(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;
	int i;

	for (i = 0; i < mod->num_static_call_sites; i++) {
		struct static_call_site *sc = &mod->static_call_sites[i];
		struct kcage_site_entry *s = &sb->sites[sb->nr_sites];
		unsigned long key = rel_addr(&sc->key);
		unsigned long ip = rel_addr(&sc->addr);

		if (!text_of(sb, ip))
			continue;
		s->ip = ip;
		s->len = 5;
		s->site.kind = KC_SITE_STATIC_CALL;
		s->site.tail = key & SC_TAIL;
		/* struct static_call_key starts with its func pointer */
		s->site.addr = key & ~SC_FLAGS;
		sb->nr_sites++;
	}
}

#define SCT_PREFIX "__SCT__"	/* static call trampoline */
#define SCK_PREFIX "__SCK__"	/* its key */
#define SCT_LEN 8		/* jmp.d32 + the "ud1 %esp, %ecx" signature */

static bool is_trampoline(const struct mod_kallsyms *ks, unsigned int i)
{
	return (ks->typetab[i] == 't' || ks->typetab[i] == 'T') &&
	       str_has_prefix(ks->strtab + ks->symtab[i].st_name, SCT_PREFIX);
}

static unsigned int count_trampolines(const struct mod_kallsyms *ks)
{
	unsigned int i, n = 0;

	for (i = 0; i < ks->num_symtab; i++)
		n += is_trampoline(ks, i);
	return n;
}

static unsigned long key_of(const struct mod_kallsyms *ks, const char *tramp)
{
	const char *name = tramp + strlen(SCT_PREFIX);
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++) {
		const char *sym = ks->strtab + ks->symtab[i].st_name;

		if (str_has_prefix(sym, SCK_PREFIX) &&
		    !strcmp(sym + strlen(SCK_PREFIX), name))
			return ks->symtab[i].st_value;
	}
	return 0;
}

/*
 * A static call the module defines has its trampoline in the module's
 * text; static_call_update() rewrites it there after checking its bytes.
 * It is translated as a tail call through the key, like a tail site.
 */
static int add_static_call_trampolines(struct kcage_sandbox *sb)
{
	const struct mod_kallsyms *ks = rcu_dereference_raw(sb->mod->kallsyms);
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++) {
		struct kcage_site_entry *s = &sb->sites[sb->nr_sites];
		const char *name = ks->strtab + ks->symtab[i].st_name;

		if (!is_trampoline(ks, i) || !text_of(sb, ks->symtab[i].st_value))
			continue;
		s->site.addr = key_of(ks, name);
		if (!s->site.addr) {
			pr_err("kcage: %s: no key for %s\n", sb->mod->name, name);
			return -EINVAL;
		}
		s->ip = ks->symtab[i].st_value;
		s->len = SCT_LEN;
		s->site.kind = KC_SITE_STATIC_CALL;
		s->site.tail = true;
		sb->nr_sites++;
	}
	return 0;
}

static int cmp_site_entry(const void *a, const void *b)
{
	return cmp_site(&((const struct kcage_site_entry *)a)->ip, b);
}

static int collect_sites(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;
	size_t n = mod->num_jump_entries + mod->num_static_call_sites +
		   count_trampolines(rcu_dereference_raw(mod->kallsyms));
	int ret;

	if (!n)
		return 0;
	sb->sites = kvcalloc(n, sizeof(*sb->sites), GFP_KERNEL);
	if (!sb->sites)
		return -ENOMEM;
	ret = add_jump_sites(sb);
	if (!ret)
		ret = add_static_call_trampolines(sb);
	if (ret)
		return ret;
	add_static_call_sites(sb);
	sort(sb->sites, sb->nr_sites, sizeof(*sb->sites), cmp_site_entry, NULL);
	return 0;
}

static void notrace redirect_entry(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
	ftrace_instruction_pointer_set(fregs, kcage_xlate_entry(ip));
}

static int hook_entries(struct kcage_sandbox *sb)
{
	int ret;

	if (!sb->nr_fentry)
		return 0;
	sb->ops.func = redirect_entry;
	sb->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
			FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ips(&sb->ops, sb->fentry, sb->nr_fentry, 0, 1);
	if (!ret)
		ret = register_ftrace_function(&sb->ops);
	if (ret) {
		ftrace_free_filter(&sb->ops);
		sb->nr_fentry = 0;	/* nothing registered to undo */
		pr_err("kcage: %s: cannot hook its functions with ftrace: %d\n",
		       sb->mod->name, ret);
	}
	return ret;
}

/* Poisoning: which bytes of a text area must stay, what to write there. */
struct text_plan {
	const struct kcage_text *text;
	unsigned long *keep;	/* one bit per byte */
	u8 *patch;		/* bytes to write where @keep is set and @patched */
	unsigned long *patched;
};

static void keep(struct text_plan *p, unsigned long ip, unsigned int len)
{
	if (ip >= p->text->start && ip + len <= p->text->end)
		bitmap_set(p->keep, ip - p->text->start, len);
}

static bool kept(const struct text_plan *p, unsigned long ip, unsigned int len)
{
	unsigned long off = ip - p->text->start;

	return find_next_bit(p->keep, off + len, off) < off + len;
}

static void keep_sites(const struct kcage_sandbox *sb, struct text_plan *p)
{
	unsigned int i;

	for (i = 0; i < sb->nr_fentry; i++)
		keep(p, sb->fentry[i], 5);
	for (i = 0; i < sb->nr_sites; i++)
		keep(p, sb->sites[i].ip, sb->sites[i].len);
}

/* A jmp to an entry stub over the first bytes of @ip's function. */
static int plan_jmp(struct kcage_sandbox *sb, struct text_plan *p,
		    unsigned long ip, unsigned long size, const char *name)
{
	unsigned long off = ip - p->text->start, stub;
	s32 rel;

	if (test_bit(off, p->patched))
		return 0;	/* an alias of a function already patched */
	if (size < 5 || ip + 5 > p->text->end || kept(p, ip, 5)) {
		pr_info("kcage: %s: %s cannot be entered except by translated code\n",
			sb->mod->name, name);
		sb->nr_unentered++;
		return 0;
	}
	stub = kcage_xlate_entry_stub(ip);
	if (!stub)
		return -ENOSPC;
	rel = stub - (ip + 5);
	p->patch[off] = 0xe9;
	memcpy(p->patch + off + 1, &rel, 4);
	bitmap_set(p->keep, off, 5);
	bitmap_set(p->patched, off, 5);
	sb->nr_patched++;
	return 0;
}

/* Functions of this text area the ftrace handler does not cover. */
static int plan_jmps(struct kcage_sandbox *sb, struct text_plan *p)
{
	const struct mod_kallsyms *ks = rcu_dereference_raw(sb->mod->kallsyms);
	unsigned int i;
	int ret;

	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];
		char type = ks->typetab[i];

		if ((type != 't' && type != 'T') || !sym->st_size ||
		    !in_text(p->text, sym->st_value) ||
		    has_fentry(sb, sym->st_value) || is_trampoline(ks, i))
			continue;
		ret = plan_jmp(sb, p, sym->st_value, sym->st_size,
			       ks->strtab + sym->st_name);
		if (ret)
			return ret;
	}
	return 0;
}

/* Write the plan through a writable alias of the (read-only) text. */
static int apply_plan(const struct text_plan *p)
{
	const struct kcage_text *t = p->text;
	unsigned long size = t->end - t->start, i;
	unsigned int nr = DIV_ROUND_UP(size, PAGE_SIZE);
	struct page **pages;
	u8 *alias;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		pages[i] = vmalloc_to_page((void *)t->start + i * PAGE_SIZE);
	alias = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!alias)
		return -ENOMEM;
	for (i = 0; i < size; i++) {
		if (test_bit(i, p->patched))
			alias[i] = p->patch[i];
		else if (!test_bit(i, p->keep))
			alias[i] = 0xcc;
	}
	vunmap(alias);
	return 0;
}

static int poison_text(struct kcage_sandbox *sb, int i)
{
	struct text_plan p = { .text = &sb->text[i] };
	unsigned long size = sb->text[i].end - sb->text[i].start;
	int ret = -ENOMEM;

	if (!size)
		return 0;
	p.keep = bitmap_zalloc(size, GFP_KERNEL);
	p.patched = bitmap_zalloc(size, GFP_KERNEL);
	p.patch = vzalloc(size);
	if (p.keep && p.patched && p.patch) {
		keep_sites(sb, &p);
		ret = plan_jmps(sb, &p);
		if (!ret)
			ret = apply_plan(&p);
	}
	bitmap_free(p.keep);
	bitmap_free(p.patched);
	vfree(p.patch);
	return ret;
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
	int i;

	for (i = 0; i < NR_TEXTS; i++)
		vfree(sb->text[i].copy);
	kvfree(sb->sites);
	kfree(sb->fentry);
	kfree(sb);
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
		ret = collect_sites(sb);
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
	ret = prepare(sb);
	if (ret)
		goto err_free;
	/* A module earlier at these addresses may have left translations. */
	forget_texts(sb);
	mutex_lock(&sandboxes_lock);
	list_add_rcu(&sb->node, &sandboxes);
	mutex_unlock(&sandboxes_lock);
	ret = hook_entries(sb);
	for (i = 0; !ret && i < NR_TEXTS; i++)
		ret = poison_text(sb, i);
	if (ret)
		goto err_unhook;
	__module_get(THIS_MODULE);	/* kcage stays while it has sandboxes */
	pr_info("kcage: %s: sandboxed: text=%lu+%lu bytes, %u ftrace entries, %u jmp entries, %u sites\n",
		mod->name, sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start,
		sb->text[TEXT_INIT].end - sb->text[TEXT_INIT].start,
		sb->nr_fentry, sb->nr_patched, sb->nr_sites);
	return 0;

err_unhook:
	if (sb->nr_fentry) {
		unregister_ftrace_function(&sb->ops);
		ftrace_free_filter(&sb->ops);
	}
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
	unsigned int i;

	mutex_lock(&sandboxes_lock);
	sb = sandbox_of(mod);
	if (!sb || !sb->text[TEXT_INIT].copy)
		goto out;
	t = &sb->text[TEXT_INIT];
	for (i = 0; i < sb->nr_fentry; i++)
		if (in_text(t, sb->fentry[i]))
			ftrace_set_filter_ip(&sb->ops, sb->fentry[i], 1, 0);
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
	if (sb->nr_fentry) {
		unregister_ftrace_function(&sb->ops);
		ftrace_free_filter(&sb->ops);
	}
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
	list_for_each_entry(sb, &sandboxes, node)
		seq_printf(m, "%s text=%lu init=%lu ftrace_entries=%u jmp_entries=%u unentered=%u sites=%u\n",
			   sb->mod->name,
			   sb->text[TEXT_CORE].end - sb->text[TEXT_CORE].start,
			   sb->text[TEXT_INIT].end - sb->text[TEXT_INIT].start,
			   sb->nr_fentry, sb->nr_patched, sb->nr_unentered,
			   sb->nr_sites);
	mutex_unlock(&sandboxes_lock);
	return 0;
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
