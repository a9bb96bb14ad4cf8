/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_ENFORCE_H
#define KCAGE_ENFORCE_H

#include <linux/types.h>
#include "core/decode.h"

struct kcage_sandbox;
struct kc_insn;
struct kc_emitter;

/* What a checked branch does: go on, or go where the check says. */
struct kcage_verdict {
	bool allowed;	/* to the target as asked */
	bool cacheable;	/* and it may be linked or cached: always allowed */
	unsigned long instead;	/* if !allowed: where to go instead */
};

struct kcage_verdict kcage_enforce_branch(const struct kcage_sandbox *sb,
					  unsigned long pc, unsigned long target,
					  bool indirect);
unsigned long kcage_enforce_refused(u8 action);
bool kcage_enforce_same_function(const struct kcage_sandbox *sb,
				 unsigned long src, unsigned long target);
bool kcage_enforce_link_ok(const struct kcage_sandbox *sb, unsigned long target);
bool kcage_enforce_cacheable_everywhere(unsigned long target);
int kcage_enforce_instrument(void *ctx, struct kc_emitter *e,
			     const struct kc_insn *insn, const struct kc_block *blk);
int kcage_emit_check_start(struct kc_emitter *e);
int kcage_emit_op_rax(struct kc_emitter *e, const struct kc_insn *insn,
		      const ZydisDecodedOperand *op, u8 opcode, int pushed);
int kcage_pivot_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			   const struct kc_insn *insn, bool first);
bool kcage_pivot_checked(const struct kc_insn *insn);
int kcage_emit_check_call(struct kc_emitter *e, u32 arg, unsigned long stub,
			  u64 pc);
int kcage_priv_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			  const struct kc_insn *insn, bool first);
void kcage_bounds_new_block(const struct kcage_sandbox *sb,
			    const struct kc_insn *insn);
int kcage_bounds_instrument(const struct kcage_sandbox *sb, struct kc_emitter *e,
			    const struct kc_insn *insn, const struct kc_block *blk);
unsigned long kcage_bounds_coalesced_count(void);
unsigned long kcage_enforce_priv_trap(const struct kcage_sandbox *sb,
				      unsigned long native);

#endif /* KCAGE_ENFORCE_H */
