// SPDX-License-Identifier: GPL-2.0
/*
 * The sites of a sandboxed module that the kernel patches after load:
 * jump labels (static keys), static calls and the trampolines of static
 * calls the module defines.  The translator asks, for every instruction,
 * whether it is one; its translation then follows the key rather than the
 * bytes (core/block.c), and poison.c leaves their native bytes alone,
 * since the kernel checks them before each patch.
 */
#include <linux/bsearch.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/static_call_types.h>
#include <linux/string.h>
#include "rt/own.h"
#include "sandbox_priv.h"

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
		int len;

		if (!text_of(sb, ip))
			continue;
		len = jump_site_len(sb, ip);
		if (len < 0) {
			pr_err("%s: unexpected jump-label site at %pS\n",
			       mod->name, (void *)ip);
			return -EINVAL;
		}
		s->ip = ip;
		s->len = len;
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

bool kcage_sites_is_trampoline(const struct mod_kallsyms *ks, unsigned int i)
{
	return (ks->typetab[i] == 't' || ks->typetab[i] == 'T') &&
	       str_has_prefix(ks->strtab + ks->symtab[i].st_name, SCT_PREFIX);
}

static unsigned int count_trampolines(const struct mod_kallsyms *ks)
{
	unsigned int i, n = 0;

	for (i = 0; i < ks->num_symtab; i++)
		n += kcage_sites_is_trampoline(ks, i);
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

		if (!kcage_sites_is_trampoline(ks, i) || !text_of(sb, ks->symtab[i].st_value))
			continue;
		s->site.addr = key_of(ks, name);
		if (!s->site.addr) {
			pr_err("%s: no key for %s\n", sb->mod->name, name);
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

/* Collect @sb's sites, sorted by address.  Return: 0 or an error. */
int kcage_sites_collect(struct kcage_sandbox *sb)
{
	struct module *mod = sb->mod;
	size_t n = mod->num_jump_entries + mod->num_static_call_sites +
		   count_trampolines(rcu_dereference_raw(mod->kallsyms));
	int ret;

	if (!n)
		return 0;
	sb->sites = kcage_own_calloc(n, sizeof(*sb->sites), GFP_KERNEL);
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
