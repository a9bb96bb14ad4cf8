/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_GRANT_H
#define KCAGE_GRANT_H

#include <linux/types.h>

struct kcage_sandbox;

u8 kcage_grant_owner(const struct kcage_sandbox *sb);

#endif /* KCAGE_GRANT_H */
