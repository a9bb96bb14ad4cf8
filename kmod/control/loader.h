/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_LOADER_H
#define KCAGE_LOADER_H

int kcage_loader_init(void);
void kcage_loader_exit(void);

#endif /* KCAGE_LOADER_H */
