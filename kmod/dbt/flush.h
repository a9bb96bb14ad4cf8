/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_FLUSH_H
#define KCAGE_FLUSH_H

void kcage_flush_request(void);
void kcage_flush_cancel(void);
void kcage_flush_everything(void);
int kcage_flush_translations(void);
void kcage_flush_stats(unsigned long *flushes, unsigned long *freed);

#endif /* KCAGE_FLUSH_H */
