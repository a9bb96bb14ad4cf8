/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_DEBUGFS_H
#define KCAGE_DEBUGFS_H

void kcage_debugfs_init(void);
void kcage_debugfs_exit(void);

#endif /* KCAGE_DEBUGFS_H */
