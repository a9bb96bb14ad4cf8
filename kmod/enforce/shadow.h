/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow stack's checks (shadow.c); the stack itself lies in the
 * task's zone (rt/zone.h).
 */
#ifndef KCAGE_SHADOW_H
#define KCAGE_SHADOW_H

#include <linux/types.h>

struct kc_emitter;

int kcage_shadow_emit_return_check(struct kc_emitter *e);
unsigned long kcage_shadow_return(unsigned long slot, unsigned long from);

#endif /* KCAGE_SHADOW_H */
