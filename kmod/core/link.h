/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linking: how a block's exits reach the host's dispatcher until their
 * targets are translated, and how they are then pointed at the target's
 * translation directly.
 *
 * An exit's stub is "call <the host's exit dispatcher>" followed by a
 * struct kc_exit_record, so the call's return address is the record's
 * address: the dispatcher reads the exit's target and kind from it, and
 * finds the exit's rel32 (kc_exit_record_rel32()) to link it.
 */
#ifndef KCAGE_CORE_LINK_H
#define KCAGE_CORE_LINK_H

#include "block.h"

/**
 * struct kc_exit_record - the data of an exit stub, after its call
 * @target:   the exit's native target, sign-extended: kernel and module
 *            text lie in the top 2 GiB (user-space hosts run from the
 *            bottom 2 GiB)
 * @rel_back: the record's address minus the address of the exit's rel32
 * @kind:     the exit's &enum kc_exit_kind
 */
struct kc_exit_record {
	s32 target;
	u16 rel_back;
	u8 kind;
} __packed;

static inline u64 kc_exit_record_target(const struct kc_exit_record *r)
{
	return (u64)(s64)r->target;
}

/* The address (where it executes) of the rel32 of @r's exit. */
static inline u64 kc_exit_record_rel32(const struct kc_exit_record *r)
{
	return (u64)(uintptr_t)r - r->rel_back;
}

int kc_emit_exit_stub(struct kc_emitter *e, const struct kc_block *blk,
		      const struct kc_exit *exit, u64 dispatch_exit);
int kc_link_rel32(u64 rel32, u8 *rel32_alias, u64 target);
int kc_link_exit(const struct kc_block *blk, unsigned int exit,
		 u64 cache_target, u8 *rel32_alias);
unsigned int kc_link_known(const struct kc_block *blk, u8 *block_alias,
			   u64 (*resolve)(void *ctx, const struct kc_exit *exit),
			   void *ctx);

#endif /* KCAGE_CORE_LINK_H */
