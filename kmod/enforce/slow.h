/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow paths of the inline checks (slow.S), which emitted checks
 * call; not called from C.
 */
#ifndef KCAGE_SLOW_H
#define KCAGE_SLOW_H

void kcage_slow_return(void);
void kcage_slow_call_full(void);
void kcage_slow_access(void);
void kcage_slow_access_rep(void);
void kcage_slow_priv(void);

#endif /* KCAGE_SLOW_H */
