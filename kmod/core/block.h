/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building one translated basic block.
 *
 * The pipeline per instruction is decode -> instrument -> emit.  Decoding
 * stops at the first control transfer.  Everything that is not a control
 * transfer is copied (RIP-relative operands re-based); a control transfer
 * ends the block with one or more *exits*, each a rel32 branch to an exit
 * stub.  The host emits the stubs (they enter its dispatcher) and later
 * links an exit by rewriting the exit's rel32 to point at the translated
 * target directly (link.h).  The instrumentation stage is a host hook:
 * translate-only mode passes none, enforcement inserts its checks there.
 */
#ifndef KCAGE_CORE_BLOCK_H
#define KCAGE_CORE_BLOCK_H

#include "emit.h"

#define KC_BLOCK_MAX_INSNS 64
#define KC_INSTRUMENT_TRAP 1
#define KC_INSTRUMENT_SPLIT 2
#define KC_BLOCK_MAX_EXITS 2

/**
 * enum kc_exit_kind - how a block is left, when the target is not known
 * to be translated yet
 * @KC_EXIT_BRANCH:   direct jmp or the taken side of a jcc to @target
 * @KC_EXIT_FALLTHRU: the next instruction (after a jcc or a call, or a
 *                    block that reached its size limit)
 * @KC_EXIT_CALL:     direct call of @target; the call pushes the *cache*
 *                    address of the block's FALLTHRU exit as its return
 *                    address, so a plain ret comes back into the cache
 * @KC_EXIT_TRAP:     an instruction the core does not execute (int3, ud2,
 *                    undecodable); @target is its native address
 *
 * Indirect calls and jumps are not exits: the block pushes their target
 * and enters the host's dispatcher (@icall_entry, @ijmp_entry), which
 * looks the target up at run time.  A ret is copied as it is.
 */
enum kc_exit_kind {
	KC_EXIT_BRANCH,
	KC_EXIT_FALLTHRU,
	KC_EXIT_CALL,
	KC_EXIT_TRAP,
};

/**
 * struct kc_exit - one way out of a block
 * @kind:     see &enum kc_exit_kind
 * @target:   native target, or the native address of the trapping insn
 * @rel_off:  offset in the block of the rel32 that goes to this exit's
 *            stub; 4-byte aligned, so linking rewrites it atomically
 * @stub_off: offset in the block of the exit stub
 */
struct kc_exit {
	u8 kind;
	u64 target;
	u32 rel_off;
	u32 stub_off;
};

/**
 * struct kc_block - a translated basic block
 * @native_start: native address of the first instruction
 * @native_end:   native address just past the last instruction translated
 * @cache_start:  where the translation executes
 * @cache_len:    bytes of translation, stubs included
 * @nr_insns:     native instructions translated
 * @nr_exits:     valid entries in @exits
 * @exits:        the ways out
 * @pro_len:      bytes the instrumentation put before the first
 *                instruction; the copied instructions follow at their
 *                native offsets plus @pro_len
 * @ret_off:      if the block ends in a call, offset in the block of that
 *                call's return address (the translated call pushes it);
 *                0 otherwise.  Stack traces map it back to the native
 *                return address.
 * @last:         the instruction that ended the block
 */
struct kc_block {
	u64 native_start;
	u64 native_end;
	u64 cache_start;
	u32 cache_len;
	u16 nr_insns;
	u8 nr_exits;
	struct kc_exit exits[KC_BLOCK_MAX_EXITS];
	u32 pro_len;
	u32 ret_off;
	struct kc_insn last;
};

/**
 * enum kc_site_kind - instructions the kernel re-patches after load
 * @KC_SITE_NONE:        an ordinary instruction
 * @KC_SITE_JUMP_LABEL:  a static-key site (nop or jmp): translated as a
 *                       test of the key's enable count, so the translation
 *                       follows every later flip of the key
 * @KC_SITE_STATIC_CALL: a static call (call or tail jmp): translated as an
 *                       indirect call through the key's function pointer
 */
enum kc_site_kind {
	KC_SITE_NONE,
	KC_SITE_JUMP_LABEL,
	KC_SITE_STATIC_CALL,
};

/**
 * struct kc_site - what the host knows about a patched site
 * @kind:   see &enum kc_site_kind
 * @jump_if_enabled: JUMP_LABEL: jump when the count is > 0 (else when <= 0)
 * @tail:   STATIC_CALL: a tail call (jmp)
 * @addr:   JUMP_LABEL: the key's s32 enable count; STATIC_CALL: the
 *          key's function pointer
 * @target: JUMP_LABEL: where the jump goes
 */
struct kc_site {
	u8 kind;
	bool jump_if_enabled;
	bool tail;
	u64 addr;
	u64 target;
};

/**
 * struct kc_block_ops - what the host provides to the block builder
 * @read_code:   copy up to @len native code bytes at @ip into @buf; return
 *               how many were readable (fewer near the end of the text)
 * @instrument:  the instrumentation stage, called before each instruction
 *               is emitted, with the block built so far (@blk->nr_insns
 *               is 0 for the block's first instruction); may emit
 *               code only for the first instruction (a prologue) or the
 *               one ending the block, so that every other copied
 *               instruction keeps its native offset; returns 0,
 *               KC_INSTRUMENT_TRAP to end the block before the
 *               instruction with a trap exit (the host decides at run time
 *               what the instruction may do), KC_INSTRUMENT_SPLIT to end
 *               it before the instruction with a fallthrough exit (the
 *               instruction then starts the next block, where its
 *               prologue goes), or an error; NULL for translate-only
 * @emit_stub:   emit the stub for @exit at the emitter's position
 * @thunk_reg:   if @target is a retpoline thunk (__x86_indirect_thunk_r),
 *               the register number r (0-15) it jumps through, else -1;
 *               NULL if the host has none
 * @site:        describe the patched site at @ip, or return false; NULL
 *               if the host has none
 * @icall_entry: dispatcher for indirect calls: entered by a call with the
 *               target pushed just before the return address
 * @ijmp_entry:  dispatcher for indirect jumps: entered by a jmp with the
 *               target on top of the stack, or, with @ijmp_source, the
 *               jump's native address (imm32, sign-extended) above it
 * @ijmp_source: push the native address of each indirect jump too
 * @ibl_tag:     if not 0 (at most 0x3fff), the pushed target of every
 *               indirect call and jump has bits 4 and up xor'ed with it
 *               and then bits 48-63 replaced by it, before the
 *               dispatcher is entered (the flags kept for a jump), so
 *               that the host can key its lookup table by caller too:
 *               whatever the target, no other tag's key comes out
 * @api_gate:    if a direct call or jump to @target (outside the code
 *               being translated) must go through the host's gate around
 *               kernel calls, the gate's address, else 0; the gate is
 *               entered by the same kind of branch with @target in %r10
 *               and the branch's native address in %r11; NULL if none
 * @call_prologue: before a direct call to @target, emit what the host
 *               wants run just before it; set *@ret_field to the address
 *               of a 4-byte field in it to be filled with the call's
 *               return address (its low 32 bits: the field is a
 *               sign-extended imm32), or 0; return 0 or an error; NULL if
 *               the host has none
 * @ctx:         passed to every hook
 */
struct kc_block_ops {
	size_t (*read_code)(void *ctx, u64 ip, u8 *buf, size_t len);
	int (*instrument)(void *ctx, struct kc_emitter *e,
			  const struct kc_insn *insn, const struct kc_block *blk);
	int (*emit_stub)(void *ctx, struct kc_emitter *e,
			 const struct kc_block *blk, const struct kc_exit *exit);
	int (*thunk_reg)(void *ctx, u64 target);
	bool (*site)(void *ctx, u64 ip, struct kc_site *site);
	u64 icall_entry;
	u64 ijmp_entry;
	bool ijmp_source;
	u32 ibl_tag;
	u64 (*api_gate)(void *ctx, u64 target);
	int (*call_prologue)(void *ctx, struct kc_emitter *e, u64 target,
			     u64 *ret_field);
	void *ctx;
};

int kc_build_block(const struct kc_decoder *dec, const struct kc_block_ops *ops,
		   u64 ip, struct kc_emitter *e, struct kc_block *blk);

#endif /* KCAGE_CORE_BLOCK_H */
