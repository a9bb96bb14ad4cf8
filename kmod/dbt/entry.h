/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_ENTRY_H
#define KCAGE_ENTRY_H

/* For kcage_enter_direct: offsets in struct kcage_sandbox (entry.c checks) */
#define KCAGE_SB_QUARANTINED	0	/* bit 0: entries refused */
#define KCAGE_SB_STATS		8	/* __percpu, its entry count first */

#ifndef __ASSEMBLY__
struct kcage_sandbox;

int kcage_entry_hook(struct kcage_sandbox *sb);
void kcage_entry_init_done(struct kcage_sandbox *sb);
void kcage_entry_unhook(struct kcage_sandbox *sb);
unsigned long kcage_entry_fast_count(void);
#endif /* __ASSEMBLY__ */

#endif /* KCAGE_ENTRY_H */
