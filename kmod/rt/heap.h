/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_HEAP_H
#define KCAGE_HEAP_H

#include <linux/types.h>

/* Owners are sandboxes; the table only compares their addresses. */
bool kcage_heap_owns(const void *owner, unsigned long a, unsigned long end);
int kcage_heap_own(const void *owner, unsigned long start, unsigned long size);
struct heap_obj;
struct heap_obj *kcage_heap_reserve(unsigned long size);
void kcage_heap_unreserve(struct heap_obj *o);
void kcage_heap_own_reserved(struct heap_obj *o, const void *owner,
			     unsigned long start, unsigned long size);
bool kcage_heap_disown(const void *owner, unsigned long start,
		       unsigned long *size);
unsigned long kcage_heap_forget(const void *owner);
unsigned long kcage_heap_count(const void *owner);
unsigned long kcage_heap_untracked(void);
void kcage_heap_drop(unsigned long start, unsigned long end);

#endif /* KCAGE_HEAP_H */
