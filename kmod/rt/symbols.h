/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_SYMBOLS_H
#define KCAGE_SYMBOLS_H

#include <linux/kallsyms.h>

unsigned long kcage_symbol_size(unsigned long addr, unsigned long *offset);
unsigned long kcage_symbol_lookup(const char *name);
bool kcage_symbol_function(unsigned long addr, char name[KSYM_SYMBOL_LEN]);
bool kcage_symbol_name(unsigned long addr, char name[KSYM_SYMBOL_LEN],
		       unsigned long *offset);
void kcage_symbol_describe(unsigned long addr, char *buf, size_t len);

#endif /* KCAGE_SYMBOLS_H */
