/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_WATCH_H
#define KCAGE_WATCH_H

struct seq_file;

int kcage_watch_init(void);
void kcage_watch_exit(void);
int kcage_watch_show(struct seq_file *m, void *unused);

#endif /* KCAGE_WATCH_H */
