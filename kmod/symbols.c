// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol sizes from kallsyms.  kallsyms_lookup_size_offset() is not exported
 * on 6.1, but sprint_symbol() is, and it prints "name+0xoff/0xsize [mod]".
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
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
