/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_IBL_H
#define KCAGE_IBL_H

#include <linux/const.h>

/*
 * The indirect-branch lookup table: per CPU, direct-mapped, probed by the
 * assembly fast path of the dispatchers (dispatch.S) with no call into C.
 * Entry i holds a key hashing to i, its translation, and the native
 * target.  The key is the target as the translated branch pushed it: the
 * native address, or for a sandbox with a policy that address tagged
 * with the sandbox's tag (kcage_ibl_tag(), core/block.c): xor'ed with
 * the tag at bit KCAGE_IBL_SHIFT, then bits 48-63 replaced by the tag.
 * The module picks every bit of the target, but the translated code
 * writes the top 16 bits of the key after it, so no target of one
 * sandbox's branches gives another's key, and what one sandbox's policy
 * allowed is never found by another's branches.  (The tag is no secret:
 * a module may read everything.)  The native target comes back from the
 * low 48 bits, sign-extended; a target that was not canonical (which
 * would fault natively) goes where its canonical form goes.
 */
#define KCAGE_IBL_BITS		10
#define KCAGE_IBL_ENTRIES	(1 << KCAGE_IBL_BITS)
#define KCAGE_IBL_SHIFT		4	/* low bits of code addresses vary little */
#define KCAGE_IBL_ENTRY_SHIFT	5
#define KCAGE_IBL_ENTRY_SIZE	(1 << KCAGE_IBL_ENTRY_SHIFT)

/*
 * The key of an entry from the kernel through a function's ftrace site
 * (entry.c): the site's address with bit 62 flipped, which no kernel
 * address and no tagged key has, and a hash bit, so that the entry and
 * branches to the same function use different slots.  Such an entry
 * holds the grant word (grant.c) and the sandbox instead of the native
 * address.
 */
#define KCAGE_IBL_ENTRY_TAG	(_BITUL(62) | (0x200 << KCAGE_IBL_SHIFT))

#ifdef __ASSEMBLY__
/*
 * IBL_SLOT key, entry: \entry = the address of this CPU's table entry
 * for the key in register \key (flags clobbered).  Preempted midway, a
 * task probes the first CPU's table, which is as good (ibl.c).  The
 * table's address is a static per-CPU variable of kcage's, which no
 * policy lets a module write; the tables are kcage's own memory.
 */
/*
 * IBL_HOLD / IBL_RELEASE: around a probe's reads of an entry (key,
 * translation, key again), no flush can start: it runs under
 * stop_machine(), which needs every CPU to schedule its stopper.
 * Without it, a task preempted between the first two reads while a flush
 * freed the translation's chunk and put the same key back for a new
 * translation would go to the old translation's address.  Release is
 * preempt_enable(): a reschedule that came due meanwhile happens there.
 * Neither touches a register; release clobbers the flags.
 */
.macro IBL_HOLD
	incl	PER_CPU_VAR(__preempt_count)
.endm

.macro IBL_RELEASE
	decl	PER_CPU_VAR(__preempt_count)
	jnz	.Libl_release_\@
	call	__SCT__preempt_schedule
.Libl_release_\@:
.endm

.macro IBL_SLOT key:req, entry:req
	movq	\key, \entry
	shrq	$KCAGE_IBL_SHIFT, \entry
	andq	$(KCAGE_IBL_ENTRIES - 1), \entry
	shlq	$KCAGE_IBL_ENTRY_SHIFT, \entry
	addq	PER_CPU_VAR(kcage_ibl_base), \entry
.endm
#else
#include <linux/types.h>

int kcage_ibl_init(void);
void kcage_ibl_exit(void);
void kcage_ibl_insert(unsigned long key, unsigned long native, unsigned long cache);
void kcage_ibl_insert_entry(unsigned long native, unsigned long cache,
			    unsigned long grant, const void *sb);
u32 kcage_ibl_tag(int slot);
unsigned long kcage_ibl_untag(unsigned long key);

/* A key a tagged branch pushed: kernel code addresses have bit 63 set. */
static inline bool kcage_ibl_tagged(unsigned long key)
{
	return !(key >> 63);
}

/* The tag a tagged key carries. */
static inline u32 kcage_ibl_key_tag(unsigned long key)
{
	return key >> 48;
}
void kcage_ibl_forget(int cpu, unsigned long start, unsigned long end);
#endif

#endif /* KCAGE_IBL_H */
