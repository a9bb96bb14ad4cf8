/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcage's own memory (own.c): allocations the access checks refuse to
 * every sandboxed module, whatever its policy.
 */
#ifndef KCAGE_OWN_H
#define KCAGE_OWN_H

#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/types.h>

struct kmem_cache;

int kcage_own_init(void);
void kcage_own_exit(void);
void *kcage_own_zalloc(size_t size, gfp_t gfp);
void kcage_own_free(const void *p);
void *kcage_own_alloc_pages(unsigned int order);
void kcage_own_free_pages(void *p, unsigned int order);
bool kcage_own_slab(const struct kmem_cache *s);
void __percpu *kcage_own_alloc_percpu(size_t size, size_t align);
void kcage_own_free_percpu(void __percpu *p);
bool kcage_own_percpu_overlaps(unsigned long off, unsigned long end);

/* kcage_own_zalloc() of @n elements of @size bytes; NULL on overflow. */
static inline void *kcage_own_calloc(size_t n, size_t size, gfp_t gfp)
{
	return kcage_own_zalloc(array_size(n, size), gfp);
}

#define kcage_own_percpu(type) \
	((type __percpu *)kcage_own_alloc_percpu(sizeof(type), __alignof__(type)))

#endif /* KCAGE_OWN_H */
