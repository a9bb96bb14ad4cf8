/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emitting translated code into a code-cache buffer.  The buffer is written
 * through one address (@buf, a writable alias) and will execute at another
 * (@base), which is how kcage keeps the cache W^X; all displacements are
 * computed against @base.
 */
#ifndef KCAGE_CORE_EMIT_H
#define KCAGE_CORE_EMIT_H

#include "decode.h"

/**
 * struct kc_emitter - a cursor in a code-cache buffer
 * @buf:  where bytes are written (writable alias of the cache)
 * @base: the address @buf[0] executes at
 * @cap:  bytes available
 * @pos:  bytes written so far
 */
struct kc_emitter {
	u8 *buf;
	u64 base;
	size_t cap;
	size_t pos;
};

static inline u64 kc_emit_pc(const struct kc_emitter *e)
{
	return e->base + e->pos;
}

int kc_emit_bytes(struct kc_emitter *e, const void *bytes, size_t n);
int kc_emit_copy(struct kc_emitter *e, const struct kc_insn *insn,
		 const u8 *bytes);
int kc_emit_jmp(struct kc_emitter *e, u64 target);
int kc_emit_call(struct kc_emitter *e, u64 target);
int kc_emit_jcc(struct kc_emitter *e, u8 cc, u64 target);
int kc_emit_jcc8(struct kc_emitter *e, u8 cc, u8 skip);
int kc_patch_jump8(struct kc_emitter *e, size_t at, size_t target);
int kc_emit_jump_fwd(struct kc_emitter *e, int cc, bool near, size_t *at);
int kc_patch_jump(struct kc_emitter *e, size_t at, size_t target);
int kc_emit_align_rel32(struct kc_emitter *e, unsigned int oplen);
int kc_emit_push_target(struct kc_emitter *e, const struct kc_insn *insn,
			const u8 *bytes);
int kc_emit_push_reg(struct kc_emitter *e, unsigned int reg);
int kc_emit_mov_imm64(struct kc_emitter *e, unsigned int reg, u64 imm);
int kc_emit_push_mem(struct kc_emitter *e, u64 addr);
int kc_emit_cmp_mem32_zero(struct kc_emitter *e, u64 addr);
int kc_emit_cmp_mem64_zero(struct kc_emitter *e, u64 addr);
int kc_jcc_cc(const struct kc_insn *insn);
int kc_emit_branch(struct kc_emitter *e, const struct kc_insn *insn,
		   const u8 *bytes, u64 target);

#endif /* KCAGE_CORE_EMIT_H */
