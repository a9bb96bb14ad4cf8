// SPDX-License-Identifier: GPL-2.0
/*
 * The block builder: native bytes in, one translated block out.  See
 * block.h for the shape of a block.
 */
#include "block.h"

static struct kc_exit *add_exit(struct kc_block *blk, u8 kind, u64 target)
{
	struct kc_exit *x = &blk->exits[blk->nr_exits++];

	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->target = target;
	return x;
}

/* Emit "jmp <stub>" with a placeholder; the stub offset is patched later. */
static int emit_exit_jmp(struct kc_emitter *e, struct kc_exit *x)
{
	int ret = kc_emit_jmp(e, kc_emit_pc(e));

	x->rel_off = e->pos - 4;
	return ret;
}

/* The control transfer that ends the block: branches to (future) stubs. */
static int emit_terminator(struct kc_emitter *e, struct kc_block *blk,
			   const struct kc_insn *insn, const u8 *bytes)
{
	u64 next = insn->ip + insn->len;
	struct kc_exit *x;
	int ret;

	switch (insn->kind) {
	case KC_INSN_JMP:
		return emit_exit_jmp(e, add_exit(blk, KC_EXIT_BRANCH, insn->target));
	case KC_INSN_JCC:
		x = add_exit(blk, KC_EXIT_BRANCH, insn->target);
		ret = kc_emit_branch(e, insn, bytes, kc_emit_pc(e));
		x->rel_off = e->pos - 4;
		if (ret)
			return ret;
		return emit_exit_jmp(e, add_exit(blk, KC_EXIT_FALLTHRU, next));
	case KC_INSN_CALL:
		x = add_exit(blk, KC_EXIT_CALL, insn->target);
		x->ret = next;
		return emit_exit_jmp(e, x);
	case KC_INSN_CALL_IND:
	case KC_INSN_JMP_IND:
	case KC_INSN_RET:
		return emit_exit_jmp(e, add_exit(blk, KC_EXIT_INDIRECT, insn->ip));
	default:
		return emit_exit_jmp(e, add_exit(blk, KC_EXIT_TRAP, insn->ip));
	}
}

/* Stubs go right after the block; point each exit's rel32 at its stub. */
static int emit_stubs(const struct kc_block_ops *ops, struct kc_emitter *e,
		      struct kc_block *blk)
{
	unsigned int i;
	int ret;

	for (i = 0; i < blk->nr_exits; i++) {
		struct kc_exit *x = &blk->exits[i];
		s32 rel;

		x->stub_off = e->pos;
		rel = (s32)(x->stub_off - (x->rel_off + 4));
		memcpy(e->buf + x->rel_off, &rel, 4);
		ret = ops->emit_stub(ops->ctx, e, blk, x);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Privileged instructions are copied like plain ones: whether they may run
 * is the instrumentation stage's decision, not the translator's.
 */
static bool ends_block(const struct kc_insn *insn)
{
	return insn->kind != KC_INSN_PLAIN && insn->kind != KC_INSN_PRIV;
}

/**
 * kc_build_block - translate the basic block starting at native @ip
 * @dec: decoder
 * @ops: host hooks
 * @ip:  native address of the block
 * @e:   emitter positioned where the block goes; on error the caller
 *       discards everything past its starting position
 * @blk: filled with the block's description
 *
 * Return: 0; -ENOSPC (cache full), -ERANGE (target out of rel32 reach),
 * -EFAULT (code unreadable) or an error from a hook.  Undecodable bytes
 * are not an error: they end the block with a TRAP exit, so the host
 * reports them if and when they are reached.
 */
int kc_build_block(const struct kc_decoder *dec, const struct kc_block_ops *ops,
		   u64 ip, struct kc_emitter *e, struct kc_block *blk)
{
	struct kc_insn *insn = &blk->last;
	u8 bytes[16];
	size_t n;
	int ret;

	memset(blk, 0, offsetof(struct kc_block, last));
	blk->native_start = ip;
	blk->cache_start = kc_emit_pc(e);
	for (;;) {
		n = ops->read_code(ops->ctx, ip, bytes, 15);
		if (!n)
			return -EFAULT;
		if (kc_decode(dec, bytes, n, ip, insn)) {
			insn->ip = ip;
			insn->len = 0;
			insn->kind = KC_INSN_NR_KINDS;	/* undecodable: a trap */
			ret = emit_exit_jmp(e, add_exit(blk, KC_EXIT_TRAP, ip));
			break;
		}
		if (ops->instrument) {
			ret = ops->instrument(ops->ctx, e, insn);
			if (ret)
				return ret;
		}
		blk->nr_insns++;
		if (ends_block(insn)) {
			ret = emit_terminator(e, blk, insn, bytes);
			ip += insn->len;
			break;
		}
		ret = kc_emit_copy(e, insn, bytes);
		if (ret)
			return ret;
		ip += insn->len;
		if (blk->nr_insns == KC_BLOCK_MAX_INSNS) {
			ret = emit_exit_jmp(e, add_exit(blk, KC_EXIT_FALLTHRU, ip));
			break;
		}
	}
	if (ret)
		return ret;
	blk->native_end = ip;
	ret = emit_stubs(ops, e, blk);
	if (ret)
		return ret;
	blk->cache_len = kc_emit_pc(e) - blk->cache_start;
	return 0;
}

/**
 * kc_link_exit - make exit @exit of @blk branch straight to @cache_target
 * @blk:          a built block
 * @exit:         index into @blk->exits
 * @cache_target: the translation of the exit's target
 * @rel32_alias:  writable alias of the exit's rel32 field
 *
 * Return: 0, or -ERANGE if the target is out of rel32 reach.  The caller
 * is responsible for making the 4-byte store safe against concurrent
 * execution of the block.
 */
int kc_link_exit(const struct kc_block *blk, unsigned int exit,
		 u64 cache_target, u8 *rel32_alias)
{
	const struct kc_exit *x = &blk->exits[exit];
	s64 d = (s64)(cache_target - (blk->cache_start + x->rel_off + 4));
	s32 rel = (s32)d;

	if (d != rel)
		return -ERANGE;
	memcpy(rel32_alias, &rel, 4);
	return 0;
}
