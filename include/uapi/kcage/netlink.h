/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The kcage generic netlink family: how user space (the kcage tool, or
 * anything else) loads policies, reads statistics, changes modes and
 * follows violations.
 *
 * Family "kcage", version 1, in the initial network namespace only.
 * Every command takes and returns attributes of the one space below
 * (enum kcage_attr); unknown attributes are refused (strict validation).
 * Errors come back as the usual netlink error with an extended ACK
 * message and, where one attribute is at fault, its offset.
 *
 * A policy blob (KCAGE_A_POLICY) may be larger than one attribute holds
 * (65531 bytes): it is then split into several KCAGE_A_POLICY attributes,
 * concatenated in order, in requests and replies alike; a sender of a
 * large one may need a larger socket send buffer (SO_SNDBUF).
 *
 * Sequence numbers start at 1 when kcage.ko loads; a violation takes one
 * whether or not anyone listens.  Unloading kcage.ko drops every member
 * of the group.
 *
 * Permissions (docs/control-plane.md): commands that change anything,
 * and KCAGE_CMD_POLICY_GET for one policy's bytes, need CAP_SYS_ADMIN in
 * the initial user namespace.  Statistics (SANDBOX_GET, the POLICY_GET
 * dump, STATS_GET) hold names and counts, no addresses, and anyone may
 * read them.  Joining the "events" group (kernel addresses, pids, comms)
 * needs CAP_SYS_ADMIN.
 */
#ifndef _UAPI_KCAGE_NETLINK_H
#define _UAPI_KCAGE_NETLINK_H

#define KCAGE_GENL_NAME		"kcage"
#define KCAGE_GENL_VERSION	1
#define KCAGE_GENL_EVENTS	"events"	/* multicast group */

enum kcage_cmd {
	KCAGE_CMD_UNSPEC,
	/*
	 * Load a compiled policy (KCAGE_A_POLICY), checked by the kernel's
	 * decoder; it replaces one for the same module unless the request
	 * has NLM_F_EXCL (then -EEXIST).  KCAGE_A_MODE overrides the mode
	 * the policy was compiled with.  A module with a policy loaded is
	 * sandboxed when it next loads; a sandbox keeps the policy it was
	 * created with.  Reply: the ACK only.
	 */
	KCAGE_CMD_POLICY_LOAD,
	/* Remove the policy for KCAGE_A_MODULE (-ENOENT if none). */
	KCAGE_CMD_POLICY_REMOVE,
	/*
	 * dump: one summary per loaded policy (MODULE, MODE, POLICY_SIZE,
	 * POLICY_CRC).  do with KCAGE_A_MODULE: that summary and the blob
	 * itself in KCAGE_A_POLICY (needs CAP_SYS_ADMIN).
	 */
	KCAGE_CMD_POLICY_GET,
	/*
	 * dump, or do with KCAGE_A_MODULE: a sandboxed module's statistics
	 * (MODULE, MODE and POLICY_CRC if it has a policy, QUARANTINED, ENTRIES,
	 * BLOCKS, NATIVE_BYTES, CACHE_BYTES, HEAP_OBJECTS, TEXT_SIZE,
	 * VIOLATIONS).
	 */
	KCAGE_CMD_SANDBOX_GET,
	/*
	 * Switch a sandboxed module (KCAGE_A_MODULE) with a policy to
	 * KCAGE_A_MODE (audit or enforce); its translations are redone.
	 */
	KCAGE_CMD_SANDBOX_SET,
	/*
	 * Lift the quarantine of KCAGE_A_MODULE: -EINVAL if it is not
	 * quarantined, -EACCES if its policy says "release: false".
	 */
	KCAGE_CMD_SANDBOX_RELEASE,
	/* Event on the "events" group: one violation, attributes below. */
	KCAGE_CMD_VIOLATION,
	/* do: kcage's own counters (LAST_SEQ, DROPPED_TOTAL, ...). */
	KCAGE_CMD_STATS_GET,
	__KCAGE_CMD_MAX,
};
#define KCAGE_CMD_MAX (__KCAGE_CMD_MAX - 1)

enum kcage_attr {
	KCAGE_A_UNSPEC,
	KCAGE_A_PAD,			/* alignment of 64-bit attributes */
	KCAGE_A_MODULE,			/* string: module name */
	KCAGE_A_POLICY,			/* binary: compiled policy (policy.h) */
	KCAGE_A_MODE,			/* u8: enum kcp_mode */
	KCAGE_A_POLICY_SIZE,		/* u32: bytes */
	KCAGE_A_POLICY_CRC,		/* u32: the policy's checksum field */
	KCAGE_A_QUARANTINED,		/* u8: 0 or 1 */
	KCAGE_A_ENTRIES,		/* u64: calls from the kernel into it */
	KCAGE_A_BLOCKS,			/* u64: blocks translated, all CPUs */
	KCAGE_A_NATIVE_BYTES,		/* u64: native bytes translated */
	KCAGE_A_CACHE_BYTES,		/* u64: code-cache bytes written */
	KCAGE_A_HEAP_OBJECTS,		/* u64: heap objects it owns now */
	KCAGE_A_TEXT_SIZE,		/* u64: bytes of core text */
	/* nested: one u64 per violation kind, attribute type kind + 1 */
	KCAGE_A_VIOLATIONS,

	/* A violation event (KCAGE_CMD_VIOLATION) */
	KCAGE_A_SEQ,			/* u64: 1, 2, ... for every violation */
	KCAGE_A_TIME_NS,		/* u64: CLOCK_REALTIME, ns */
	KCAGE_A_KIND,			/* u8: enum kcp_kind */
	KCAGE_A_ACTION,			/* u8: enum kcp_action taken */
	KCAGE_A_PC,			/* u64: native address in the module */
	KCAGE_A_SYMBOL,			/* string: "func+0x1c/0x40" */
	KCAGE_A_ADDR,			/* u64: address touched or branched to */
	KCAGE_A_SIZE,			/* u32: bytes touched (accesses) */
	KCAGE_A_CPU,			/* u32 */
	KCAGE_A_PID,			/* u32: in the initial pid namespace */
	KCAGE_A_COMM,			/* string */
	KCAGE_A_RULE,			/* string: the policy rule that fired */
	KCAGE_A_DETAIL,			/* string: a few words, no spaces */
	/*
	 * u64: violations since the previous event that no event was sent
	 * for (event buffer full, or no memory).  A listener whose socket
	 * overflowed sees a gap in KCAGE_A_SEQ instead.
	 */
	KCAGE_A_DROPPED,

	/* KCAGE_CMD_STATS_GET */
	KCAGE_A_LAST_SEQ,		/* u64: sequence number of the last violation */
	KCAGE_A_DROPPED_TOTAL,		/* u64: violations no event was sent for */
	KCAGE_A_EVENTS_SENT,		/* u64 */
	KCAGE_A_SANDBOXES,		/* u32: sandboxed modules */
	KCAGE_A_POLICIES,		/* u32: loaded policies */

	/*
	 * KCAGE_CMD_VIOLATION in learn mode: string, what a policy would need
	 * to allow it ("kmalloc_trace", "kernel_heap", "grant:f:2:64", ...;
	 * kmod/enforce/learn.c)
	 */
	KCAGE_A_TARGET,
	__KCAGE_A_MAX,
};
#define KCAGE_A_MAX (__KCAGE_A_MAX - 1)

#endif /* _UAPI_KCAGE_NETLINK_H */
