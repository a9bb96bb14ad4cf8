/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_SYMBOLS_H
#define KCAGE_SYMBOLS_H

unsigned long kcage_symbol_size(unsigned long addr, unsigned long *offset);

#endif /* KCAGE_SYMBOLS_H */
