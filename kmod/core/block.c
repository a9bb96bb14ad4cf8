// SPDX-License-Identifier: GPL-2.0
/*
 * The block builder: native bytes in, one translated block out.  See
 * block.h for the shape of a block.
 */
#include "block.h"

/* Offset of the emitter's position from the start of the block. */
static u32 block_off(const struct kc_emitter *e, const struct kc_block *blk)
{
	return (u32)(kc_emit_pc(e) - blk->cache_start);
}

static struct kc_exit *add_exit(struct kc_block *blk, u8 kind, u64 target)
{
	struct kc_exit *x = &blk->exits[blk->nr_exits++];

	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->target = target;
	return x;
}

/* A call that ends the block: remember where it returns to. */
static int emit_call(struct kc_emitter *e, struct kc_block *blk, u64 target)
{
	int ret = kc_emit_call(e, target);

	blk->ret_off = block_off(e, blk);
	return ret;
}

/* Emit "jmp <stub>" with a placeholder; the stub offset is patched later. */
static int emit_exit_jmp(struct kc_emitter *e, struct kc_block *blk,
			 struct kc_exit *x)
{
	int ret = kc_emit_align_rel32(e, 1);

	if (!ret)
		ret = kc_emit_jmp(e, kc_emit_pc(e));
	x->rel_off = block_off(e, blk) - 4;
	return ret;
}

static int fallthru(struct kc_emitter *e, struct kc_block *blk, u64 next)
{
	return emit_exit_jmp(e, blk, add_exit(blk, KC_EXIT_FALLTHRU, next));
}

/* "jmp ijmp_entry", after "push $ip" if the host wants the jump's address. */
static int emit_ijmp(const struct kc_block_ops *ops, struct kc_emitter *e, u64 ip)
{
	int ret;

	if (ops->ijmp_source) {
		if ((u64)(s64)(s32)ip != ip)
			return -ERANGE;
		ret = kc_emit_push_imm32(e, (s32)ip);
		if (ret)
			return ret;
	}
	return kc_emit_jmp(e, ops->ijmp_entry);
}

/*
 * The pushed target tagged with the host's tag: xor'ed with it at bit 4
 * (the host's lookup table hashes from there, so callers spread), then
 * its top 16 bits overwritten with it.  The module chooses all 64 bits
 * of its target, so only bits it cannot choose keep tags apart:
 *	call: xorq $(tag << 4), (%rsp) ; movw $tag, 6(%rsp)
 *	jump: pushfq ; xorq $(tag << 4), 8(%rsp) ; popfq ; movw $tag, 6(%rsp)
 * (flags live across a jump; a call leaves them undefined).
 */
static int emit_tag(const struct kc_block_ops *ops, struct kc_emitter *e, bool call)
{
	u32 tag = ops->ibl_tag;
	const u8 movw[] = { 0x66, 0xc7, 0x44, 0x24, 0x06, tag & 0xff, tag >> 8 };
	int ret;

	if (!tag)
		return 0;
	if (tag > 0x3fff)	/* bit 62 and 63 of a tagged key stay clear */
		return -EINVAL;
	if (call)
		ret = kc_emit_xor_mem_imm(e, KC_MEM(KC_RSP, 0), tag << 4);
	else
		ret = kc_emit_pushf(e) ?:
		      kc_emit_xor_mem_imm(e, KC_MEM(KC_RSP, 8), tag << 4) ?:
		      kc_emit_popf(e);
	return ret ?: kc_emit_bytes(e, movw, sizeof(movw));
}

/* Enter the host's dispatcher, the target already pushed. */
static int emit_dispatch(const struct kc_block_ops *ops, struct kc_emitter *e,
			 struct kc_block *blk, bool call, u64 ip, u64 next)
{
	int ret;

	if (!ops->icall_entry || !ops->ijmp_entry)
		return -EOPNOTSUPP;
	ret = emit_tag(ops, e, call);
	if (ret)
		return ret;
	if (!call)
		return emit_ijmp(ops, e, ip);
	ret = emit_call(e, blk, ops->icall_entry);
	return ret ? ret : fallthru(e, blk, next);
}

static int thunk_reg(const struct kc_block_ops *ops, u64 target)
{
	return ops->thunk_reg ? ops->thunk_reg(ops->ctx, target) : -1;
}

/*
 * "jcc __x86_indirect_thunk_r" (a conditional tail call through r):
 *	j<!cc> over ; push %r ; jmp ijmp_entry ; over: <fallthrough exit>
 */
static int emit_jcc_thunk(const struct kc_block_ops *ops, struct kc_emitter *e,
			  struct kc_block *blk, int cc, int reg, u64 ip, u64 next)
{
	struct kc_label over;
	int ret;

	if (cc < 0)
		return -EOPNOTSUPP;
	kc_label_init(&over, true);
	ret = kc_emit_jcc_label(e, kc_cc_not(cc), &over);
	ret = ret ?: kc_emit_push_reg(e, reg);
	ret = ret ?: emit_dispatch(ops, e, blk, false, ip, next);
	ret = ret ?: kc_label_bind(e, &over);
	return ret ? ret : fallthru(e, blk, next);
}

/*
 * A direct branch to a kernel function the host watches (allocators,
 * frees, functions with argument rules) goes through its gate instead:
 *	[j<!cc> over ;] movabs $target, %r10 ; movabs $ip, %r11 ;
 *	call/jmp gate [; over: <fallthrough exit>]
 * %r10 and %r11 carry nothing into a function, so they are free here.
 */
static int emit_api_branch(struct kc_emitter *e, struct kc_block *blk,
			   const struct kc_insn *insn, u64 gate)
{
	u64 next = insn->ip + insn->len;
	struct kc_label over;
	int ret = 0;

	kc_label_init(&over, true);
	if (insn->kind == KC_INSN_JCC)
		ret = kc_jcc_cc(insn) < 0 ? -EOPNOTSUPP :
		      kc_emit_jcc_label(e, kc_cc_not(kc_jcc_cc(insn)), &over);
	ret = ret ?: kc_emit_mov_imm64(e, KC_R10, insn->target);
	ret = ret ?: kc_emit_mov_imm64(e, KC_R11, insn->ip);
	if (ret)
		return ret;
	if (insn->kind == KC_INSN_CALL)
		ret = emit_call(e, blk, gate);
	else
		ret = kc_emit_jmp(e, gate);
	if (ret || insn->kind == KC_INSN_JMP)
		return ret;
	ret = insn->kind == KC_INSN_JCC ? kc_label_bind(e, &over) : 0;
	return ret ? ret : fallthru(e, blk, next);
}

/* Fill the imm32 at address @at with the address just emitted up to. */
static void patch_ret32(struct kc_emitter *e, u64 at)
{
	s32 v = (s32)kc_emit_pc(e);

	memcpy(e->buf + (at - e->base), &v, 4);
}

static int emit_direct(const struct kc_block_ops *ops, struct kc_emitter *e,
		       struct kc_block *blk, const struct kc_insn *insn,
		       const u8 *bytes)
{
	u64 next = insn->ip + insn->len;
	int reg = thunk_reg(ops, insn->target);
	struct kc_exit *x;
	u64 fix;
	int ret;

	if (reg >= 0 && insn->kind == KC_INSN_JCC)
		return emit_jcc_thunk(ops, e, blk, kc_jcc_cc(insn), reg, insn->ip, next);
	if (reg >= 0) {
		ret = kc_emit_push_reg(e, reg);
		return ret ? ret : emit_dispatch(ops, e, blk,
						 insn->kind == KC_INSN_CALL, insn->ip, next);
	}
	if (ops->api_gate) {
		u64 gate = ops->api_gate(ops->ctx, insn->target);

		if (gate)
			return emit_api_branch(e, blk, insn, gate);
	}
	switch (insn->kind) {
	case KC_INSN_JMP:
		return emit_exit_jmp(e, blk, add_exit(blk, KC_EXIT_BRANCH, insn->target));
	case KC_INSN_CALL:
		x = add_exit(blk, KC_EXIT_CALL, insn->target);
		fix = 0;
		ret = ops->call_prologue ?
		      ops->call_prologue(ops->ctx, e, insn->target, &fix) : 0;
		ret = ret ?: kc_emit_align_rel32(e, 1);
		if (!ret)
			ret = emit_call(e, blk, kc_emit_pc(e));
		x->rel_off = block_off(e, blk) - 4;
		if (!ret && fix)
			patch_ret32(e, fix);
		return ret ? ret : fallthru(e, blk, next);
	default:	/* KC_INSN_JCC */
		x = add_exit(blk, KC_EXIT_BRANCH, insn->target);
		/* loop/jrcxz become "op +2; jmp +5; jmp rel32" (see emit.c) */
		ret = kc_emit_align_rel32(e, kc_jcc_cc(insn) >= 0 ? 2 : insn->len + 3);
		if (!ret)
			ret = kc_emit_branch(e, insn, bytes, kc_emit_pc(e));
		x->rel_off = block_off(e, blk) - 4;
		return ret ? ret : fallthru(e, blk, next);
	}
}

/*
 * A static call goes through the key's function pointer; a NULL one (from
 * static_call_cond()) makes the call do nothing, as the kernel's NOP/RET
 * patch of the site would:
 *	cmpq $0, func ; je 1f ; pushq func ; call icall_entry
 *	1: <fallthrough exit>
 * or, for a tail call:
 *	cmpq $0, func ; je 1f ; pushq func ; jmp ijmp_entry ; 1: ret
 */
static int emit_static_call(const struct kc_block_ops *ops, struct kc_emitter *e,
			    struct kc_block *blk, const struct kc_site *site,
			    u64 ip, u64 next)
{
	struct kc_label none;
	int ret;

	if (!ops->icall_entry || !ops->ijmp_entry)
		return -EOPNOTSUPP;
	kc_label_init(&none, true);
	ret = kc_emit_cmp_mem64_zero(e, site->addr);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_E, &none);
	ret = ret ?: kc_emit_push_mem(e, site->addr);
	ret = ret ?: emit_tag(ops, e, !site->tail);
	if (!ret && site->tail)
		ret = emit_ijmp(ops, e, ip);
	else if (!ret)
		ret = emit_call(e, blk, ops->icall_entry);
	ret = ret ?: kc_label_bind(e, &none);
	if (ret)
		return ret;
	if (site->tail)
		return kc_emit_ret(e);
	return fallthru(e, blk, next);
}

/* A site the kernel re-patches: follow the key, not today's bytes. */
static int emit_site(const struct kc_block_ops *ops, struct kc_emitter *e,
		     struct kc_block *blk, const struct kc_insn *insn,
		     const struct kc_site *site)
{
	u64 next = insn->ip + insn->len;
	struct kc_exit *x;
	int ret;

	if (site->kind == KC_SITE_STATIC_CALL)
		return emit_static_call(ops, e, blk, site, insn->ip, next);
	ret = kc_emit_cmp_mem32_zero(e, site->addr);
	if (!ret)
		ret = kc_emit_align_rel32(e, 2);
	x = add_exit(blk, KC_EXIT_BRANCH, site->target);
	/* jg when enabled (count > 0), jle otherwise */
	if (!ret)
		ret = kc_emit_jcc(e, site->jump_if_enabled ? 0xf : 0xe, kc_emit_pc(e));
	x->rel_off = block_off(e, blk) - 4;
	return ret ? ret : fallthru(e, blk, next);
}

/* The control transfer that ends the block. */
static int emit_terminator(const struct kc_block_ops *ops, struct kc_emitter *e,
			   struct kc_block *blk, const struct kc_insn *insn,
			   const u8 *bytes)
{
	u64 next = insn->ip + insn->len;
	int ret;

	switch (insn->kind) {
	case KC_INSN_JMP:
	case KC_INSN_JCC:
	case KC_INSN_CALL:
		return emit_direct(ops, e, blk, insn, bytes);
	case KC_INSN_CALL_IND:
	case KC_INSN_JMP_IND:
		ret = kc_emit_push_target(e, insn, bytes);
		return ret ? ret : emit_dispatch(ops, e, blk,
						 insn->kind == KC_INSN_CALL_IND, insn->ip, next);
	case KC_INSN_RET:
		return kc_emit_copy(e, insn, bytes);
	default:
		return emit_exit_jmp(e, blk, add_exit(blk, KC_EXIT_TRAP, insn->ip));
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

		x->stub_off = block_off(e, blk);
		rel = (s32)(x->stub_off - (x->rel_off + 4));
		memcpy(e->buf + (blk->cache_start - e->base) + x->rel_off, &rel, 4);
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
	struct kc_site site;
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
			ret = emit_exit_jmp(e, blk, add_exit(blk, KC_EXIT_TRAP, ip));
			break;
		}
		if (ops->instrument) {
			bool first = !blk->nr_insns;

			ret = ops->instrument(ops->ctx, e, insn, blk);
			if (ret == KC_INSTRUMENT_TRAP) {
				ret = emit_exit_jmp(e, blk, add_exit(blk, KC_EXIT_TRAP, ip));
				break;
			}
			if (ret == KC_INSTRUMENT_SPLIT && !first) {
				ret = fallthru(e, blk, ip);
				break;
			}
			if (ret && ret != KC_INSTRUMENT_SPLIT)
				return ret;
			if (first)
				blk->pro_len = block_off(e, blk);
		}
		blk->nr_insns++;
		if (ops->site && ops->site(ops->ctx, ip, &site)) {
			ret = emit_site(ops, e, blk, insn, &site);
			ip += insn->len;
			break;
		}
		if (ends_block(insn)) {
			ret = emit_terminator(ops, e, blk, insn, bytes);
			ip += insn->len;
			break;
		}
		ret = kc_emit_copy(e, insn, bytes);
		if (ret)
			return ret;
		ip += insn->len;
		if (blk->nr_insns == KC_BLOCK_MAX_INSNS) {
			ret = fallthru(e, blk, ip);
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
