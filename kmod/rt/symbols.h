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

/* Called with one name of a symbol; true stops the walk. */
typedef bool (*kcage_name_fn)(const char *name, void *ctx);

bool kcage_symbol_text(unsigned long addr);
int kcage_symbol_exports(unsigned long addr, kcage_name_fn fn, void *ctx);
int kcage_symbols_init(void);
void kcage_symbols_exit(void);

#endif /* KCAGE_SYMBOLS_H */
