/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcage's own stacks (kstack.c): where kcage's deep C paths run, instead
 * of on the stack of the module that got them called.
 */
#ifndef KCAGE_KSTACK_H
#define KCAGE_KSTACK_H

int kcage_kstack_init(void);
void kcage_kstack_exit(void);
unsigned long kcage_kstack_run(unsigned long (*fn)(void *arg), void *arg);
unsigned long kcage_kstack_caller_sp(void);

#endif /* KCAGE_KSTACK_H */
