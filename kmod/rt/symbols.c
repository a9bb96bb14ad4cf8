// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol names and sizes from kallsyms.  kallsyms_lookup_size_offset() is
 * not exported on 6.1, but sprint_symbol() is, and it prints
 * "name+0xoff/0xsize [mod]".
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sort.h>
#include "symbols.h"

/**
 * kcage_symbol_size - size of the symbol containing @addr
 * @addr:   any address inside a kernel or module symbol
 * @offset: if not NULL, set to @addr's offset in the symbol
 *
 * Return: the size in bytes, or 0 if @addr is in no known symbol.
 */
unsigned long kcage_symbol_size(unsigned long addr, unsigned long *offset)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size, off;
	char *plus, *slash;

	sprint_symbol(buf, addr);
	plus = strrchr(buf, '+');
	slash = strchr(buf, '/');
	if (!plus || !slash || slash < plus)
		return 0;
	*slash = '\0';
	*strchrnul(slash + 1, ' ') = '\0';
	if (kstrtoul(plus + 1, 16, &off) || kstrtoul(slash + 1, 16, &size))
		return 0;
	if (offset)
		*offset = off;
	return size;
}

/**
 * kcage_symbol_function - is @addr the start of a function?
 * @addr: a kernel address
 * @name: gets the function's name if it is
 */
bool kcage_symbol_function(unsigned long addr, char name[KSYM_SYMBOL_LEN])
{
	char *plus;

	sprint_symbol(name, addr);
	plus = strstr(name, "+0x0/");
	if (!plus)
		return false;
	*plus = '\0';
	return true;
}

/**
 * kcage_symbol_describe - @addr for a person
 * @addr: a kernel address
 * @buf:  gets "name", "name+0xoff" inside a symbol, or "0x..." outside any
 * @len:  room in @buf
 */
void kcage_symbol_describe(unsigned long addr, char *buf, size_t len)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned long off;

	if (!kcage_symbol_name(addr, name, &off))
		snprintf(buf, len, "0x%lx", addr);
	else if (off)
		snprintf(buf, len, "%s+0x%lx", name, off);
	else
		strscpy(buf, name, len);
}

/**
 * kcage_symbol_name - the symbol containing @addr, without its module
 * @addr:   a kernel address
 * @name:   gets its name
 * @offset: gets @addr's offset in it
 *
 * Return: false if @addr is in no known symbol.
 */
bool kcage_symbol_name(unsigned long addr, char name[KSYM_SYMBOL_LEN],
		       unsigned long *offset)
{
	char *plus, *slash;

	sprint_symbol(name, addr);
	plus = strrchr(name, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return false;
	*slash = '\0';
	if (kstrtoul(plus + 1, 16, offset))
		return false;
	*plus = '\0';
	return true;
}

static unsigned long (*lookup_name)(const char *name);

/*
 * kallsyms_lookup_name() is not exported on 6.1, and __symbol_get() only
 * finds EXPORT_SYMBOL_GPL symbols (Debian's 6.1 has that backport), but
 * a kprobe resolves a name when it is registered: one on the function
 * itself gives its address.
 */
static int find_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret = register_kprobe(&kp);

	if (ret)
		return ret;
	lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

/**
 * kcage_symbol_lookup - the address of the kernel symbol @name, or 0
 * @name: the symbol
 *
 * Process context.
 */
unsigned long kcage_symbol_lookup(const char *name)
{
	if (!lookup_name && find_lookup_name())
		return 0;
	return lookup_name(name);
}

/*
 * What a module can call by linking: the kernel's exported functions
 * (EXPORT_SYMBOL and EXPORT_SYMBOL_GPL, the __ksymtab and __ksymtab_gpl
 * sections) and other modules' exported functions.  kallsyms knows every
 * function, static ones and compiler fragments (foo.cold, foo.part.0)
 * included, so a name alone cannot tell them apart; an address can.
 *
 * The kernel's tables are sorted by name; @exports holds their entries
 * that are in the kernel's text, sorted by address, built once at init
 * and never written again.
 */
static const struct kernel_symbol **exports;
static unsigned int nr_exports;
static struct module *(*module_at)(unsigned long addr);
static unsigned long kernel_text, kernel_etext;

static unsigned long sym_value(const struct kernel_symbol *s)
{
	return (unsigned long)offset_to_ptr(&s->value_offset);
}

static const char *sym_name(const struct kernel_symbol *s)
{
	return offset_to_ptr(&s->name_offset);
}

static int cmp_export(const void *a, const void *b)
{
	unsigned long x = sym_value(*(const struct kernel_symbol * const *)a);
	unsigned long y = sym_value(*(const struct kernel_symbol * const *)b);

	return x < y ? -1 : x > y;
}

/* Add the text symbols of [@start, @stop) to @exports. */
static void add_exports(unsigned long start, unsigned long stop,
			unsigned long text, unsigned long etext)
{
	const struct kernel_symbol *s;

	for (s = (void *)start; s < (const struct kernel_symbol *)stop; s++)
		if (sym_value(s) >= text && sym_value(s) < etext)
			exports[nr_exports++] = s;
}

/**
 * kcage_symbols_init - find the kernel's exported functions
 *
 * Without them no call into the kernel could be attributed to an
 * exported function, so kcage refuses to load.
 *
 * Return: 0, or -ENOENT / -ENOMEM.
 */
int kcage_symbols_init(void)
{
	unsigned long ks = kcage_symbol_lookup("__start___ksymtab");
	unsigned long ke = kcage_symbol_lookup("__stop___ksymtab");
	unsigned long gs = kcage_symbol_lookup("__start___ksymtab_gpl");
	unsigned long ge = kcage_symbol_lookup("__stop___ksymtab_gpl");
	unsigned long text = kcage_symbol_lookup("_stext");
	unsigned long etext = kcage_symbol_lookup("_etext");
	size_t n;

	module_at = (void *)kcage_symbol_lookup("__module_address");
	if (!ks || ke < ks || !gs || ge < gs || !text || etext <= text ||
	    !module_at) {
		pr_err("cannot find the kernel's exported symbols\n");
		return -ENOENT;
	}
	kernel_text = text;
	kernel_etext = etext;
	n = (ke - ks + ge - gs) / sizeof(struct kernel_symbol);
	exports = kvmalloc_array(n, sizeof(*exports), GFP_KERNEL);
	if (!exports)
		return -ENOMEM;
	nr_exports = 0;
	add_exports(ks, ke, text, etext);
	add_exports(gs, ge, text, etext);
	sort(exports, nr_exports, sizeof(*exports), cmp_export, NULL);
	return 0;
}

void kcage_symbols_exit(void)
{
	kvfree(exports);
	exports = NULL;
	nr_exports = 0;
}

/* The first index of @exports whose address is not below @addr. */
static unsigned int first_export(unsigned long addr)
{
	unsigned int lo = 0, hi = nr_exports;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (sym_value(exports[mid]) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is @addr in the text of a formed module @mod (not its init text)? */
static bool in_core_text(const struct module *mod, unsigned long addr)
{
	return mod && mod->state != MODULE_STATE_UNFORMED &&
	       addr - (unsigned long)mod->core_layout.base < mod->core_layout.text_size;
}

/**
 * kcage_symbol_text - is @addr in code that stays?
 * @addr: a kernel address
 *
 * The kernel's text or a module's core text: not freed init text (whose
 * functions kallsyms may still name, through ftrace's records of them),
 * data, or memory no module owns.  Any context but NMI.
 */
bool kcage_symbol_text(unsigned long addr)
{
	bool ret;

	if (addr >= kernel_text && addr < kernel_etext)
		return true;
	preempt_disable();	/* the module stays while we read it */
	ret = in_core_text(module_at(addr), addr);
	preempt_enable();
	return ret;
}

/* Visit @addr's names among @n symbols at @syms; -ENOENT if none. */
static int module_exports(const struct kernel_symbol *syms, unsigned int n,
			  unsigned long addr, kcage_name_fn fn, void *ctx,
			  int found)
{
	unsigned int i;

	for (i = 0; i < n && found != 1; i++) {
		if (sym_value(&syms[i]) != addr)
			continue;
		found = 0;
		if (fn && fn(sym_name(&syms[i]), ctx))
			found = 1;
	}
	return found;
}

/**
 * kcage_symbol_exports - is @addr the entry of an exported function?
 * @addr: a kernel address
 * @fn:   if not NULL, called with each name @addr is exported under (the
 *        kernel's, or its module's), until it returns true
 * @ctx:  for @fn
 *
 * Only exact entries count: an address inside a function, a static
 * function, a compiler fragment or exported data is not exported.  Any
 * context but NMI.
 *
 * Return: -ENOENT if @addr is not an exported function's entry, 1 if @fn
 * returned true for one of its names, else 0.
 */
int kcage_symbol_exports(unsigned long addr, kcage_name_fn fn, void *ctx)
{
	struct module *mod;
	unsigned int i;
	int found = -ENOENT;

	for (i = first_export(addr); i < nr_exports &&
	     sym_value(exports[i]) == addr; i++) {
		found = 0;
		if (fn && fn(sym_name(exports[i]), ctx))
			return 1;
	}
	if (found >= 0)
		return found;
	preempt_disable();	/* the module stays while we read its tables */
	mod = module_at(addr);
	if (in_core_text(mod, addr)) {
		found = module_exports(mod->syms, mod->num_syms, addr, fn, ctx,
				       found);
		found = module_exports(mod->gpl_syms, mod->num_gpl_syms, addr,
				       fn, ctx, found);
	}
	preempt_enable();
	return found;
}
