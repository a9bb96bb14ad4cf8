/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_XLATE_H
#define KCAGE_XLATE_H

#include <linux/types.h>

/**
 * struct kcage_xlate_stats - what one CPU's translator did
 * @blocks:       blocks translated
 * @native_bytes: native bytes those blocks cover
 * @cache_bytes:  code cache bytes they take: exit stubs, block headers and
 *                alignment included
 * @entries:      entries from the kernel into a sandboxed function
 * @exits:        block exits that went through the dispatcher
 * @links:        of those, exits linked so they never will again
 * @indirect:     indirect calls and jumps that missed the inline lookup
 *                table (ibl.c) and were dispatched in C
 * @indirect_new: of those, to a target not seen before on this CPU
 * @refused:      entries refused and translations that could not be made
 *                (quarantine, cache full, NMI inside the translator)
 * @xlate_ns:     time spent building and linking blocks that were made,
 *                by local_clock() (under QEMU -icount: guest instructions)
 */
struct kcage_xlate_stats {
	u64 blocks;
	u64 native_bytes;
	u64 cache_bytes;
	u64 entries;
	u64 exits;
	u64 links;
	u64 indirect;
	u64 indirect_new;
	u64 refused;
	u64 xlate_ns;
};

int kcage_xlate_init(void);
void kcage_xlate_exit(void);
struct kcage_sandbox;

unsigned long kcage_xlate_enter(const struct kcage_sandbox *sb,
				unsigned long native);
unsigned long kcage_xlate_enter_direct(const struct kcage_sandbox *sb,
				       unsigned long native, unsigned long grant);
unsigned long kcage_xlate_entry(unsigned long native);
unsigned long kcage_xlate_resume(unsigned long native);
unsigned long kcage_xlate_entry_stub(unsigned long native);
void kcage_xlate_forget(unsigned long start, unsigned long end);
bool kcage_xlate_is_thunk(unsigned long target);
void kcage_xlate_reset(void);
void kcage_xlate_forget_indirect(void);
void kcage_xlate_clear(void);
void kcage_xlate_stats(struct kcage_xlate_stats *sum);

struct kc_decoder;
const struct kc_decoder *kcage_xlate_decoder(void);

#endif /* KCAGE_XLATE_H */
