/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CACHE_SIZE_H
#define KCAGE_CACHE_SIZE_H

/* Bytes of code cache, dealt out to the CPUs in 64 KiB chunks (cache.c). */
#define KCAGE_CACHE_SIZE (8 * 1024 * 1024)

#endif /* KCAGE_CACHE_SIZE_H */
