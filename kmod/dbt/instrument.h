/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The translator's seam: every call the translator runtime (dbt/) makes
 * into enforcement (enforce/), and nothing else.  dbt/ sits below
 * enforce/ and depends on no other enforce/ header; enforce/ implements
 * these.  They are direct calls: no function pointer on a path that runs
 * translated code (retpolines make those slow).  scripts/check-layers.py
 * fails the build's checks on any other call from dbt/ up.
 *
 * Translation time (a block is being built):
 *  - kcage_enforce_instrument() adds the checks before one instruction;
 *  - kcage_shadow_call_prologue() records a direct call on the shadow
 *    stack;
 *  - kcage_api_gate_for() sends a call to a kernel function with
 *    argument rules through the API gate;
 *  - kcage_enforce_link_ok() says if an exit may be linked directly.
 * Dispatch time (a branch left the cache):
 *  - kcage_enforce_branch(), kcage_enforce_same_function() and
 *    kcage_enforce_cacheable_everywhere() decide an indirect branch;
 *  - kcage_shadow_tail_call() checks a jump out of the cache as the
 *    return it amounts to;
 *  - kcage_shadow_full() refuses an indirect call into translated code
 *    the shadow stack has no room left for (dispatch.S).
 * Entry time (the kernel called into the module, entry.c, gate.S):
 *  - kcage_shadow_make_room() frees shadow-stack entries of gone frames
 *    for an entry's boundary;
 *  - kcage_grant_word() and kcage_grant_enter() hand the entry its write
 *    grants, kcage_grant_clear() drops them;
 *  - kcage_api_before() and kcage_api_after() run an API rule around a
 *    kernel call (gate.S).
 * Trap time: kcage_enforce_priv_trap() decides a privileged instruction
 * that was translated into a trap (trap.c).
 */
#ifndef KCAGE_INSTRUMENT_H
#define KCAGE_INSTRUMENT_H

#include <linux/types.h>

struct kcage_sandbox;
struct kcage_api_frame;
struct kc_insn;
struct kc_emitter;
struct kc_block;

/* What a checked branch does: go on, or go where the check says. */
struct kcage_verdict {
	bool allowed;	/* to the target as asked */
	bool cacheable;	/* and it may be linked or cached: always allowed */
	unsigned long instead;	/* if !allowed: where to go instead */
};

/* In a grant word (kcage_grant_word()): the entry has no write grant. */
#define KCAGE_GRANT_NO_ARG	0xffUL

/* enforce/enforce.c */
int kcage_enforce_instrument(void *ctx, struct kc_emitter *e,
			     const struct kc_insn *insn, const struct kc_block *blk);
bool kcage_enforce_link_ok(const struct kcage_sandbox *sb, unsigned long target);
struct kcage_verdict kcage_enforce_branch(const struct kcage_sandbox *sb,
					  unsigned long pc, unsigned long target,
					  bool indirect);
bool kcage_enforce_same_function(const struct kcage_sandbox *sb,
				 unsigned long src, unsigned long target);
bool kcage_enforce_cacheable_everywhere(unsigned long target);

/* enforce/priv.c */
unsigned long kcage_enforce_priv_trap(const struct kcage_sandbox *sb,
				      unsigned long native);

/* enforce/shadow.c */
int kcage_shadow_call_prologue(void *ctx, struct kc_emitter *e, u64 target,
			       u64 *ret_field);
unsigned long kcage_shadow_tail_call(unsigned long slot, unsigned long pc);
/* What kcage_shadow_full() returns when the call is not refused */
#define KCAGE_SHADOW_AGAIN	0	/* there is room now: push */
#define KCAGE_SHADOW_GO_ON	1	/* call unrecorded */
unsigned long kcage_shadow_full(unsigned long from, unsigned long slot);
bool kcage_shadow_make_room(unsigned long slot);

/* enforce/api.c */
u64 kcage_api_gate_for(void *ctx, u64 target);
unsigned long kcage_api_before(struct kcage_api_frame *f);
void kcage_api_after(struct kcage_api_frame *f);

/* enforce/grant.c */
unsigned long kcage_grant_word(const struct kcage_sandbox *sb, unsigned long native);
void kcage_grant_enter(unsigned long word, const unsigned long *args);
void kcage_grant_clear(void);

#endif /* KCAGE_INSTRUMENT_H */
