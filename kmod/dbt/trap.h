/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_TRAP_H
#define KCAGE_TRAP_H

unsigned long kcage_trap(unsigned long native);

#endif /* KCAGE_TRAP_H */
