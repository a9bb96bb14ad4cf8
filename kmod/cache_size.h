/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_CACHE_SIZE_H
#define KCAGE_CACHE_SIZE_H

/* Bytes of code cache, shared out equally between the possible CPUs. */
#define KCAGE_CACHE_SIZE (8 * 1024 * 1024)

#endif /* KCAGE_CACHE_SIZE_H */
