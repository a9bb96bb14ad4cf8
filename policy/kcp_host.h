/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy codec needs from its host: fixed-width types, errno
 * values, memcpy/strlen, little-endian conversion and CRC-32.  The codec
 * is compiled into kcage.ko and into policyc; this header is the only
 * place that knows which.
 */
#ifndef KCP_HOST_H
#define KCP_HOST_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/crc32.h>
#include <asm/byteorder.h>

static inline u32 kcp_crc32(const void *p, size_t n)
{
	return ~crc32_le(~0u, p, n);
}
#else
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))
#define le16_to_cpu(x) le16toh((uint16_t)(x))
#define le32_to_cpu(x) le32toh((uint32_t)(x))
#define le64_to_cpu(x) le64toh((uint64_t)(x))

static inline u32 kcp_crc32(const void *p, size_t n)
{
	return (u32)crc32(0, p, (uInt)n);
}
#endif

#endif /* KCP_HOST_H */
