// SPDX-License-Identifier: GPL-2.0
/*
 * Poisoning a sandboxed module's native text.  Once kcage has copied the
 * text and hooked the entries, every byte is overwritten with int3 through
 * a writable alias, except the sites the kernel patches later (ftrace,
 * jump labels, static calls: it checks their bytes first) and the jmps
 * that send functions without an ftrace site to their entry stubs.  Any
 * path into the native text that bypasses translation then traps.
 */
#include <linux/kdebug.h>
#include <linux/bitmap.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "sandbox/sandbox_priv.h"
#include "dbt/xlate.h"
#include "dbt/fixup.h"
#include "poison.h"
#include "takeover.h"

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
		pr_info("%s: %s cannot be entered except by translated code\n",
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
		    kcage_takeover_has_fentry(sb, sym->st_value) ||
		    kcage_sites_is_trampoline(ks, i))
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

/* Poison text area @i of @sb.  Return: 0 or an error. */
int kcage_poison_text(struct kcage_sandbox *sb, int i)
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

static atomic_long_t native_execs;

long kcage_poison_native_execs(void)
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
		pr_err("native code of a sandboxed module executed at %pS\n",
		       (void *)ip);
	}
	rcu_read_unlock();
	return NOTIFY_DONE;
}


static struct notifier_block native_trap_nb = {
	.notifier_call = native_trap,
};

int kcage_poison_init(void)
{
	return register_die_notifier(&native_trap_nb);
}

void kcage_poison_exit(void)
{
	unregister_die_notifier(&native_trap_nb);
}
