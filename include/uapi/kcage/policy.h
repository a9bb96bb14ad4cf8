/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The compiled kcage policy ("kcp"): what policyc writes and kcage.ko
 * reads.  Everything is little-endian with explicit sizes; records are
 * 4- or 8-byte aligned within the blob.
 *
 * Layout: a struct kcp_header, then sections, each an array of records
 * (or, for KCP_SEC_STRINGS, bytes) at an 8-byte aligned offset.  Names are
 * u32 offsets into the string section, which holds NUL-terminated strings
 * and starts with an empty one (offset 0 = "no name").  The checksum is
 * the CRC-32 (IEEE 802.3, as zlib's crc32()) of the whole blob computed
 * with the checksum field set to zero.
 */
#ifndef _UAPI_KCAGE_POLICY_H
#define _UAPI_KCAGE_POLICY_H

#include <linux/types.h>

#define KCP_MAGIC	0x5043434bu	/* "KCCP" read as little-endian */
#define KCP_VERSION	1
#define KCP_MAX_SIZE	(1u << 20)	/* the kernel refuses anything larger */
#define KCP_NAME_MAX	128		/* longest name, NUL excluded */

enum kcp_mode {
	KCP_MODE_ENFORCE,	/* stop violations as the actions say */
	KCP_MODE_AUDIT,		/* report violations, allow them */
	KCP_MODE_LEARN,		/* record what the module does */
	KCP_NR_MODES,
};

enum kcp_action {
	KCP_ACTION_LOG,
	KCP_ACTION_DENY,
	KCP_ACTION_QUARANTINE,
	KCP_ACTION_PANIC,
	KCP_NR_ACTIONS,
	KCP_ACTION_DEFAULT = 0xff,	/* in actions[]: use default_action */
};

/* Violation kinds: the keys of a policy's "actions:" map. */
enum kcp_kind {
	KCP_KIND_CALL,		/* direct call to a kernel function not allowed */
	KCP_KIND_INDIRECT,	/* indirect call or jump to a target not allowed */
	KCP_KIND_RETURN,	/* return to an address no call pushed */
	KCP_KIND_WRITE,		/* store outside the writable regions */
	KCP_KIND_READ,		/* load outside the readable regions */
	KCP_KIND_API,		/* a kernel-API argument rule failed */
	KCP_KIND_PRIVILEGED,	/* privileged instruction not allowed */
	KCP_KIND_FAULT,		/* fault without a fixup in module code */
	KCP_KIND_BUG,		/* BUG() in module code */
	KCP_NR_KINDS,
};

/* Regions every module may write (header.builtin_writes bits). */
#define KCP_BUILTIN_DATA	(1u << 0)	/* its own .data/.bss */
#define KCP_BUILTIN_STACK	(1u << 1)	/* its frames on the stack it runs on */
#define KCP_BUILTIN_HEAP	(1u << 2)	/* heap objects it owns */
#define KCP_BUILTIN_KERNEL_HEAP	(1u << 3)	/* the kernel's heap (kmod/rt/kheap.c) */
#define KCP_BUILTIN_CALLER_FRAMES (1u << 4)	/* with stack: its kernel callers' frames too */
#define KCP_BUILTIN_DEFAULT	0x7u		/* data, stack, heap */
#define KCP_BUILTIN_ALL		0x1fu
#define KCP_NR_BUILTINS		5

#define KCP_ACCESS_READ		(1u << 0)
#define KCP_ACCESS_WRITE	(1u << 1)

#define KCP_FLAG_CHECK_READS	(1u << 0)
#define KCP_FLAG_NO_RELEASE	(1u << 1)	/* quarantine cannot be released */

enum kcp_arg_check {
	KCP_ARG_WRITABLE,	/* [arg, arg + size) must be writable */
	KCP_ARG_READABLE,	/* [arg, arg + size) must be readable */
	KCP_ARG_OWNED,		/* arg must be a heap object the module owns */
	KCP_NR_ARG_CHECKS,
};

enum kcp_priv_insn {
	KCP_PRIV_CLI,
	KCP_PRIV_STI,
	KCP_PRIV_IN,		/* lo..hi: port range */
	KCP_PRIV_OUT,		/* lo..hi: port range */
	KCP_PRIV_RDMSR,		/* lo..hi: MSR range */
	KCP_PRIV_WRMSR,		/* lo..hi: MSR range */
	KCP_PRIV_HLT,
	KCP_PRIV_WBINVD,
	KCP_PRIV_INVLPG,
	KCP_PRIV_STAC,		/* set AC: supervisor access to user pages */
	KCP_NR_PRIV,
};

enum kcp_section_id {
	KCP_SEC_STRINGS,	/* bytes */
	KCP_SEC_CALL_ALLOW,	/* struct kcp_name: kernel functions, globs */
	KCP_SEC_CALL_DENY,	/* struct kcp_name */
	KCP_SEC_ENTRY_ALLOW,	/* struct kcp_name: module functions */
	KCP_SEC_REGIONS,	/* struct kcp_region */
	KCP_SEC_ALLOCS,		/* struct kcp_alloc */
	KCP_SEC_FREES,		/* struct kcp_free */
	KCP_SEC_ARG_RULES,	/* struct kcp_arg_rule */
	KCP_SEC_GRANTS,		/* struct kcp_grant */
	KCP_SEC_PRIVS,		/* struct kcp_priv */
	KCP_NR_SECTIONS,
};

struct kcp_section {
	__le32 offset;		/* from the start of the blob, 8-aligned */
	__le32 count;		/* records (bytes for KCP_SEC_STRINGS) */
};

struct kcp_header {
	__le32 magic;
	__le16 version;
	__le16 header_size;	/* sizeof(struct kcp_header) */
	__le32 total_size;	/* of the whole blob */
	__le32 checksum;
	__le32 flags;		/* KCP_FLAG_* */
	__le32 module;		/* name of the module the policy applies to */
	__le32 builtin_writes;	/* KCP_BUILTIN_* */
	__u8 mode;		/* enum kcp_mode */
	__u8 default_action;	/* enum kcp_action */
	__u8 reserved[2];	/* zero */
	__u8 actions[16];	/* per enum kcp_kind; KCP_ACTION_DEFAULT if unset */
	struct kcp_section sections[KCP_NR_SECTIONS];
};

struct kcp_name {
	__le32 name;
};

/* A named kernel object the module may access: symbol + [offset, size). */
struct kcp_region {
	__le32 symbol;
	__u8 access;		/* KCP_ACCESS_* */
	__u8 reserved[3];
	__le64 offset;
	__le64 size;
};

/* An allocator's object as big as what it returned (struct kcp_alloc). */
enum kcp_result_size {
	KCP_RESULT_NONE,	/* sized otherwise */
	KCP_RESULT_MAPPING,	/* the mapping it returned (ioremap()) */
	KCP_RESULT_SLAB,	/* the slab object it returned, ksize() */
	KCP_NR_RESULT_SIZES,
};

/*
 * A kernel function whose return value becomes an object the module owns.
 * Its size is an argument, a constant, one more than the length of the
 * string an argument points at (kstrdup), or the size of what it returned
 * (a mapping, a slab object): exactly one of @size_arg, @size, @string_arg
 * and @result_size is set.
 */
struct kcp_alloc {
	__le32 function;
	__u8 size_arg;		/* 1-based argument holding the size; 0: @size */
	__u8 string_arg;	/* 1-based argument: a string the object copies */
	__u8 result_size;	/* enum kcp_result_size */
	__u8 reserved;
	__le64 size;
};

/* A kernel function after which its argument is no longer the module's. */
struct kcp_free {
	__le32 function;
	__u8 ptr_arg;		/* 1-based */
	__u8 reserved[3];
};

/* A check on an argument of a kernel function, before the call. */
struct kcp_arg_rule {
	__le32 function;
	__u8 arg;		/* 1-based */
	__u8 check;		/* enum kcp_arg_check */
	__u8 size_arg;		/* 1-based argument holding the size; 0: @size */
	__u8 reserved;
	__le64 size;
};

/* An object the kernel passes into a module entry the module may access. */
struct kcp_grant {
	__le32 entry;		/* module function */
	__u8 arg;		/* 1-based */
	__u8 access;		/* KCP_ACCESS_* */
	__u8 reserved[2];
	__le64 size;
};

/* A privileged instruction the module may execute, with an operand range. */
struct kcp_priv {
	__u8 insn;		/* enum kcp_priv_insn */
	__u8 reserved[3];
	__le32 lo;
	__le32 hi;
};

#endif /* _UAPI_KCAGE_POLICY_H */
