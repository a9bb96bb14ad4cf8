/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host interface of kcage's translator core.
 *
 * Everything under kmod/core/ builds both inside the kernel module and in
 * user space (tests/unit, fuzzing, benchmarks).  Core files include only
 * this header for what a host provides: fixed-width types, bool, size_t,
 * memcpy/memset, U32_MAX/U64_MAX and __packed.  The kernel or libc header behind them is
 * picked here and nowhere else.
 */
#ifndef KCAGE_CORE_HOST_H
#define KCAGE_CORE_HOST_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/limits.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define __packed __attribute__((packed))
#define U32_MAX UINT32_MAX
#define U64_MAX UINT64_MAX
#endif

#define INT32_MIN_VALUE (-2147483647LL - 1)
#define INT32_MAX_VALUE 2147483647LL

#endif /* KCAGE_CORE_HOST_H */
