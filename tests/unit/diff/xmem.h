/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executable memory for the user-space translator host: one memfd mapped
 * twice, read+execute where code runs and read+write where it is written,
 * as kcage's code cache is written through a second mapping in the kernel.
 * The mappings are placed within rel32 reach of a given address (the test
 * binary's text), since translated code calls into it with rel32 branches.
 */
#ifndef KCAGE_DIFF_XMEM_H
#define KCAGE_DIFF_XMEM_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct xmem - a W^X pair of mappings of the same pages
 * @rx:   where the code executes
 * @rw:   where it is written; @rw[i] is the byte executed at @rx[i]
 * @size: bytes in each mapping
 */
struct xmem {
	uint8_t *rx;
	uint8_t *rw;
	size_t size;
};

int xmem_map_near(struct xmem *m, size_t size, const void *near);
void xmem_unmap(struct xmem *m);

#endif /* KCAGE_DIFF_XMEM_H */
