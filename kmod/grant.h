/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_GRANT_H
#define KCAGE_GRANT_H

#include <linux/types.h>

/* In a grant word (kcage_grant_word()): the entry has no write grant. */
#define KCAGE_GRANT_NO_ARG	0xffUL

struct kcage_sandbox;

void kcage_grant_clear(void);
u8 kcage_grant_owner(const struct kcage_sandbox *sb);
void kcage_grant_enter(unsigned long word, const unsigned long *args);
unsigned long kcage_grant_word(const struct kcage_sandbox *sb, unsigned long native);

#endif /* KCAGE_GRANT_H */
