/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_ENFORCE_H
#define KCAGE_ENFORCE_H

#include <linux/types.h>
#include "core/decode.h"

struct kcage_sandbox;
struct kc_insn;
struct kc_emitter;

unsigned long kcage_enforce_refused(u8 action);
int kcage_emit_check_start(struct kc_emitter *e);
int kcage_pivot_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, bool first);
bool kcage_pivot_checked(const struct kc_insn *insn);
bool kcage_pivot_replaces(const struct kc_insn *insn);
bool kcage_pivot_delta(const struct kc_insn *insn, s32 *delta);

/* The largest constant move of %rsp floor.c checks instead of pivot.c */
#define KCAGE_PIVOT_DELTA_MAX	4096
int kcage_emit_check_call(struct kc_emitter *e, u32 arg, unsigned long stub,
			  u64 pc);
int kcage_priv_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			  const struct kc_insn *insn, bool first);
void kcage_bounds_new_block(const struct kcage_sandbox *sb,
			    const struct kc_insn *insn);
int kcage_bounds_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, const struct kc_block *blk);
unsigned long kcage_bounds_coalesced_count(void);
bool kcage_flags_dead(const struct kcage_sandbox *sb, const struct kc_insn *insn);
bool kcage_is_return(const struct kcage_sandbox *sb, const struct kc_insn *insn);

#endif /* KCAGE_ENFORCE_H */
