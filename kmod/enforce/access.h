/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What memory a sandboxed module may read and write (access.c), as the
 * checks bounds.c inserts ask it.
 */
#ifndef KCAGE_ACCESS_H
#define KCAGE_ACCESS_H

#include <linux/types.h>

struct kcage_sandbox;

/*
 * The word a check passes with the address: the access size in bytes
 * (an element's, for a rep string instruction) and what kind of access.
 */
#define KCAGE_ACCESS_SIZE	0xffffu
#define KCAGE_ACCESS_PERCPU	(1u << 30)	/* %gs-relative: the address is an offset */
#define KCAGE_ACCESS_LOAD	(1u << 29)	/* a load (else a store) */
#define KCAGE_ACCESS_PIVOT	(1u << 28)	/* a new %rsp (pivot.c) */
#define KCAGE_ACCESS_STRING	(1u << 27)	/* a string instruction: DF says which way */
#define KCAGE_ACCESS_FLOOR	(1u << 26)	/* %rsp - R, size R + A: a block's budget (floor.c) */

void kcage_access_data(const struct kcage_sandbox *sb, unsigned int i,
		       unsigned long *lo, unsigned long *hi);
bool kcage_access_own_data(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long end, unsigned long *lo, unsigned long *hi);
void kcage_access_image(const struct kcage_sandbox *sb, unsigned long *lo,
			unsigned long *hi);
bool kcage_access_percpu(const struct kcage_sandbox *sb, unsigned long off,
			 unsigned long size, bool load);
bool kcage_access_writable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size);
bool kcage_access_readable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size);
unsigned long kcage_access_slow_count(void);
void kcage_access_init(void);
bool kcage_access_on_stack(unsigned long a, unsigned long end, bool callers);
bool kcage_access_stack_range_ok(unsigned long low, unsigned long high);
unsigned long kcage_access_irq_stack_ptr(void);

#endif /* KCAGE_ACCESS_H */
