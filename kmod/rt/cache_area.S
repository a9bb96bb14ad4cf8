/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The code cache: a zero-filled executable area inside kcage's own module
 * image.  @nobits keeps kcage.ko small; the module loader allocates the
 * area with the rest of kcage's text, maps it read-only + executable
 * (STRICT_MODULE_RWX) and, because it lies inside kcage, the kernel already
 * treats addresses in it as kcage's text (exception tables, unwinding,
 * __kernel_text_address).  It is written only through a separate writable
 * alias (cache.c), so W^X holds.
 */
#include "cache_size.h"

	.section .kcage.cache, "ax", @nobits
	.balign 4096
	.globl kcage_cache_area
kcage_cache_area:
	.skip KCAGE_CACHE_SIZE
	.globl kcage_cache_area_end
kcage_cache_area_end:
