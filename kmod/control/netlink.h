/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_NETLINK_H
#define KCAGE_NETLINK_H

#include <linux/types.h>

struct kcage_event;

int kcage_netlink_init(void);
void kcage_netlink_exit(void);
bool kcage_netlink_listening(void);
int kcage_netlink_send_event(const struct kcage_event *ev);

#endif /* KCAGE_NETLINK_H */
