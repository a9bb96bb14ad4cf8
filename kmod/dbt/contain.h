/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CONTAIN_H
#define KCAGE_CONTAIN_H

#include <linux/types.h>

struct pt_regs;
struct kcage_sandbox;

void kcage_contain_init(void);
const struct kcage_sandbox *kcage_contain_current(void);
bool kcage_contain_is_exit(unsigned long native);
bool kcage_contain_in_exit(void);
bool kcage_contain_is_bail(unsigned long addr);
bool kcage_contain_fault(struct pt_regs *regs, int trapnr,
			 unsigned long error_code, unsigned long address);

struct kcage_violation;

unsigned long kcage_contain_stop(const struct kcage_sandbox *sb,
				 const struct kcage_violation *v);
unsigned long kcage_contain_stop_at_pc(const struct kcage_violation *v);
unsigned long kcage_contain_unattributed(unsigned long pc, const char *what);

#endif /* KCAGE_CONTAIN_H */
