/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CONTAIN_H
#define KCAGE_CONTAIN_H

#include <linux/types.h>

struct pt_regs;
struct kcage_sandbox;
struct kcage_entry_frame;

void kcage_contain_init(void);
bool kcage_contain_any_frame(bool (*fn)(const struct kcage_entry_frame *f,
					void *arg), void *arg);
const struct kcage_sandbox *kcage_contain_current(void);
bool kcage_contain_fault(struct pt_regs *regs, int trapnr,
			 unsigned long error_code, unsigned long address);

#endif /* KCAGE_CONTAIN_H */
