/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_UNWIND_H
#define KCAGE_UNWIND_H

int kcage_unwind_init(void);
void kcage_unwind_exit(void);

#endif /* KCAGE_UNWIND_H */
