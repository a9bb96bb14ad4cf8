/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CACHE_H
#define KCAGE_CACHE_H

#include "core/block.h"

/**
 * struct kcage_cpu_cache - the chunk of the code cache a CPU appends to
 * @exec:  Where its code executes (inside kcage's text).
 * @write: Writable alias of @exec.
 * @size:  Bytes in the chunk (0: none yet).
 * @used:  Bytes handed out so far.
 * @cpu:   The CPU; -1 for the entry stubs' chunk.  Set at init.
 *
 * @exec, @write, @size and @used belong to the CPU's translator, which
 * changes them only on that CPU with interrupts off (cache.c takes a new
 * chunk for it under chunks_lock, but fills these in outside it); the
 * entry stubs' chunk is changed under stub_lock instead.  A flush, with
 * every other CPU stopped, empties them all (@size = @used = 0); nothing
 * else writes them.  Other CPUs read none of them: a chunk is found from
 * an address (kcage_cache_chunk()).  The structures are static and never
 * freed; the chunks they point to are reused only by a flush.
 */
struct kcage_cpu_cache {
	u8 *exec;
	u8 *write;
	size_t size;
	size_t used;
	int cpu;
};

#define KCAGE_BLOCK_HDR_SIZE 24
/* Bytes of checks a block may have before its first instruction: pro_len. */
#define KCAGE_BLOCK_MAX_PRO (1 << 13)

/**
 * struct kcage_block_hdr - written before every block in the cache
 *
 * Written once, by the CPU that owns the chunk (kcage_cache_commit()), and
 * never changed; read locklessly by any CPU (faults, stack traces, grants)
 * and by a flush.  @magic is written with the rest of the header, and the
 * next header's @magic is cleared, before the block is handed out.  It
 * lives as long as its chunk: until a flush finds nothing referring to it.
 *
 * @magic:      marks a committed block (cache.c)
 * @native:     native address of the block (kernel text: a sign-extended s32)
 * @len:        bytes of code after the header, exit stubs included
 * @native_len: native bytes of the block before its last instruction;
 *              after @pro_len bytes, the block holds those instructions
 *              at their native offsets (checks go only before the first
 *              instruction and into the code replacing the last one)
 * @nr_exits:   valid entries in @rel_off and @stub_off
 * @pinned:     an entry stub, which native text jumps to
 * @pro_len:    bytes of checks before the first instruction (enforcement);
 *              the copied instructions start there (a block whose checks
 *              do not fit is not committed: xlate.c)
 * @rel_off:    offsets in the block of each exit's rel32
 * @stub_off:   offsets in the block of each exit's stub
 * @last_len:   native length of the instruction that ends the block
 * @ret_tail:   if that instruction is a call, offset of its translation's
 *              return address from @native_len; else 0
 *
 * With it a flush finds, in a chunk it keeps, every exit that was linked
 * into a chunk it frees, and a fault or a stack trace in the cache finds
 * its native address.
 */
struct kcage_block_hdr {
	u32 magic;
	s32 native;
	u16 len;
	u16 native_len;
	u16 nr_exits : 2;
	u16 pinned : 1;
	u16 pro_len : 13;
	u16 rel_off[KC_BLOCK_MAX_EXITS];
	u16 stub_off[KC_BLOCK_MAX_EXITS];
	u8 last_len;
	u8 ret_tail;
} __packed;

/* cache_area.S: the executable area, inside kcage.ko's own text */
extern u8 kcage_cache_area[], kcage_cache_area_end[];

int kcage_cache_init(void);
void kcage_cache_exit(void);
struct kcage_cpu_cache *kcage_cache_cpu(int cpu);
void kcage_cache_emitter(struct kcage_cpu_cache *c, struct kc_emitter *e);
void kcage_cache_commit(struct kcage_cpu_cache *c, const struct kc_emitter *e,
			const struct kcage_block_hdr *hdr);
bool kcage_cache_contains(unsigned long addr);
int kcage_cache_chunk(unsigned long addr);
unsigned long kcage_cache_native(unsigned long addr);
unsigned long kcage_cache_block_native(unsigned long block);
int kcage_cache_owner(unsigned long addr);
bool kcage_cache_low(void);
void kcage_cache_stub_emitter(struct kc_emitter *e);
void kcage_cache_stub_commit(const struct kc_emitter *e, bool keep,
			     unsigned long native);
unsigned int kcage_cache_flush(const unsigned long *live);
void kcage_cache_unpin_all(void);
unsigned int kcage_cache_nr_chunks(void);
void *kcage_cache_alias(unsigned long addr);
unsigned int kcage_cache_chunks(unsigned int *total);

#endif /* KCAGE_CACHE_H */
