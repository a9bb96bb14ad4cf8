/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_TRAP_H
#define KCAGE_TRAP_H

/*
 * kcage_trap()'s answer for an instruction the model refuses: abandon the
 * call into the module with -EPERM (1 is never a native address to go on at).
 */
#define KCAGE_TRAP_EPERM	1UL

unsigned long kcage_trap(unsigned long native);

#endif /* KCAGE_TRAP_H */
