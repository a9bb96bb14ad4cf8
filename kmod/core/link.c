// SPDX-License-Identifier: GPL-2.0
/*
 * Exit stubs and linking (see link.h).  A link rewrites one 4-byte
 * aligned rel32 with one store, so code running the block concurrently
 * sees either the old target (the stub: it dispatches again) or the new
 * one, never a torn mix.
 */
#include "link.h"

/**
 * kc_emit_exit_stub - emit the stub of @exit at the emitter's position
 * @e:             the emitter, inside the block's stubs
 * @blk:           the block being built
 * @exit:          the exit, its rel32 already emitted
 * @dispatch_exit: the host's exit dispatcher, which the stub calls
 *
 * For a host's &kc_block_ops.emit_stub.
 *
 * Return: 0, -ERANGE if the target or the distance back to the rel32 does
 * not fit the record, or an error of the emitter.
 */
int kc_emit_exit_stub(struct kc_emitter *e, const struct kc_block *blk,
		      const struct kc_exit *exit, u64 dispatch_exit)
{
	struct kc_exit_record r = { .target = (s32)exit->target,
				    .kind = exit->kind };
	u64 back;
	int ret;

	if (kc_exit_record_target(&r) != exit->target)
		return -ERANGE;
	ret = kc_emit_call(e, dispatch_exit);
	if (ret)
		return ret;
	back = kc_emit_pc(e) - (blk->cache_start + exit->rel_off);
	r.rel_back = (u16)back;
	if (r.rel_back != back)
		return -ERANGE;
	return kc_emit_bytes(e, &r, sizeof(r));
}

/**
 * kc_link_rel32 - point the rel32 at @rel32 to @target
 * @rel32:       where the rel32 executes (4-byte aligned)
 * @rel32_alias: a writable alias of it
 * @target:      where the branch is to go
 *
 * Return: 0, or -ERANGE if @target is out of rel32 reach.  The caller
 * owns the code: it alone writes it (the kernel: the CPU whose chunk it
 * is).
 */
int kc_link_rel32(u64 rel32, u8 *rel32_alias, u64 target)
{
	s64 d = (s64)(target - (rel32 + 4));

	if (d != (s32)d)
		return -ERANGE;
	*(volatile s32 *)rel32_alias = (s32)d;
	return 0;
}

/**
 * kc_link_exit - make exit @exit of @blk branch straight to @cache_target
 * @blk:          a built block
 * @exit:         index into @blk->exits
 * @cache_target: the translation of the exit's target
 * @rel32_alias:  writable alias of the exit's rel32 field
 *
 * Return: 0, or -ERANGE if the target is out of rel32 reach.
 */
int kc_link_exit(const struct kc_block *blk, unsigned int exit,
		 u64 cache_target, u8 *rel32_alias)
{
	return kc_link_rel32(blk->cache_start + blk->exits[exit].rel_off,
			     rel32_alias, cache_target);
}

/**
 * kc_link_known - link the exits of a block just built whose targets are
 * already known
 * @blk:         the block
 * @block_alias: a writable alias of the block's start
 * @resolve:     where an exit's target runs (a translation, or the native
 *               address for code that runs natively), or 0 to leave the
 *               exit to the dispatcher: not translated yet, or the host
 *               wants to see it every time
 * @ctx:         passed to @resolve
 *
 * A trap exit is never linked: the host must see the trap every time.
 *
 * Return: how many exits were linked.
 */
unsigned int kc_link_known(const struct kc_block *blk, u8 *block_alias,
			   u64 (*resolve)(void *ctx, const struct kc_exit *exit),
			   void *ctx)
{
	unsigned int i, n = 0;

	for (i = 0; i < blk->nr_exits; i++) {
		const struct kc_exit *ex = &blk->exits[i];
		u64 t;

		if (ex->kind == KC_EXIT_TRAP)
			continue;
		t = resolve(ctx, ex);
		if (t && !kc_link_exit(blk, i, t, block_alias + ex->rel_off))
			n++;
	}
	return n;
}
