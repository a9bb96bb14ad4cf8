/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_API_H
#define KCAGE_API_H

#include <linux/types.h>

struct kcage_api;
struct kcage_sandbox;
struct kcp_view;

struct kcage_api *kcage_api_bind(const struct kcage_sandbox *sb,
				 const struct kcp_view *p);
void kcage_api_init(void);
void kcage_api_unbind(struct kcage_api *api);
bool kcage_api_region_allows(const struct kcage_api *api, unsigned long a,
			     unsigned long end, u8 access, unsigned long *lo,
			     unsigned long *hi);
bool kcage_api_region_pages(const struct kcage_api *api);
bool kcage_api_has_write_grants(const struct kcage_api *api);
bool kcage_api_entry_write_grant(const struct kcage_api *api, unsigned long entry,
				 unsigned int *arg, unsigned long *size);
bool kcage_api_grant_allows(const struct kcage_api *api, unsigned long a,
			    unsigned long end, u8 access);

#endif /* KCAGE_API_H */
