// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol names and sizes from kallsyms.  kallsyms_lookup_size_offset() is
 * not exported on 6.1, but sprint_symbol() is, and it prints
 * "name+0xoff/0xsize [mod]".
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
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
