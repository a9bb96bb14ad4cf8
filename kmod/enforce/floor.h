/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stack floor and ceiling (floor.c): how far push, pushf, call and
 * constant moves may move %rsp before a check.
 */
#ifndef KCAGE_FLOOR_H
#define KCAGE_FLOOR_H

#include <linux/types.h>

struct kcage_sandbox;
struct kc_emitter;
struct kc_insn;
struct kc_block;

int kcage_floor_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, const struct kc_block *blk);
unsigned long kcage_floor_check(unsigned long low, unsigned long span,
				unsigned long pc);

#endif /* KCAGE_FLOOR_H */
