/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_VIOLATION_H
#define KCAGE_VIOLATION_H

#include <linux/types.h>

struct kcage_sandbox;

/**
 * struct kcage_violation - what a sandboxed module did wrong
 * @kind:   &enum kcp_kind
 * @pc:     native address of the instruction
 * @addr:   address it touched or went to (0 if none)
 * @size:   bytes touched (0 if not an access)
 * @detail: a few words for the log ("page fault", "BUG"), no spaces
 *          needed to be quoted
 * @rule:   the policy clause that fired ("calls.deny", "memory.writes");
 *          NULL for the kind's usual one (violation.c)
 * @rule_arg: the entry of that clause, if one did (a pattern of
 *          calls.deny, the function of an api rule), else NULL; valid for
 *          the call only
 */
struct kcage_violation {
	u8 kind;
	unsigned long pc;
	unsigned long addr;
	unsigned int size;
	const char *detail;
	const char *rule;
	const char *rule_arg;
};

u8 kcage_violation(const struct kcage_sandbox *sb,
		   const struct kcage_violation *v);
void kcage_violation_set_learner(bool (*first)(const struct kcage_sandbox *sb,
					       const struct kcage_violation *v,
					       char *target, size_t len));
unsigned long kcage_violation_count(void);

#endif /* KCAGE_VIOLATION_H */
