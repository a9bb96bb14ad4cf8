/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_GRANT_H
#define KCAGE_GRANT_H

#include <linux/types.h>

struct kcage_sandbox;

void kcage_grant_clear(void);
u8 kcage_grant_owner(const struct kcage_sandbox *sb);
void kcage_grant_enter(const struct kcage_sandbox *sb, unsigned long native,
		       const unsigned long *args);

#endif /* KCAGE_GRANT_H */
