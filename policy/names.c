// SPDX-License-Identifier: GPL-2.0
/*
 * The names policies use for the format's enums (one table each, shared
 * by the YAML front end, the dumper and the kernel's messages), and the
 * record size of each section.
 */
#include "kcp.h"

#define NAME_OF(fn, table)					\
const char *fn(unsigned int i)					\
{								\
	return i < sizeof(table) / sizeof(table[0]) ? table[i] : NULL; \
}

static const char *const modes[KCP_NR_MODES] = {
	[KCP_MODE_ENFORCE] = "enforce",
	[KCP_MODE_AUDIT] = "audit",
	[KCP_MODE_LEARN] = "learn",
};

static const char *const actions[KCP_NR_ACTIONS] = {
	[KCP_ACTION_LOG] = "log",
	[KCP_ACTION_DENY] = "deny",
	[KCP_ACTION_QUARANTINE] = "quarantine",
	[KCP_ACTION_PANIC] = "panic",
};

static const char *const kinds[KCP_NR_KINDS] = {
	[KCP_KIND_CALL] = "call",
	[KCP_KIND_INDIRECT] = "indirect",
	[KCP_KIND_RETURN] = "return",
	[KCP_KIND_WRITE] = "write",
	[KCP_KIND_READ] = "read",
	[KCP_KIND_API] = "api",
	[KCP_KIND_PRIVILEGED] = "privileged",
	[KCP_KIND_FAULT] = "fault",
	[KCP_KIND_BUG] = "bug",
};

static const char *const checks[KCP_NR_ARG_CHECKS] = {
	[KCP_ARG_WRITABLE] = "writable",
	[KCP_ARG_READABLE] = "readable",
	[KCP_ARG_OWNED] = "owned",
};

static const char *const privs[KCP_NR_PRIV] = {
	[KCP_PRIV_CLI] = "cli",
	[KCP_PRIV_STI] = "sti",
	[KCP_PRIV_IN] = "in",
	[KCP_PRIV_OUT] = "out",
	[KCP_PRIV_RDMSR] = "rdmsr",
	[KCP_PRIV_WRMSR] = "wrmsr",
	[KCP_PRIV_HLT] = "hlt",
	[KCP_PRIV_WBINVD] = "wbinvd",
	[KCP_PRIV_INVLPG] = "invlpg",
	[KCP_PRIV_STAC] = "stac",
};

/* Record sizes of the sections, in section order (strings: bytes). */
const u32 kcp_rec_size[KCP_NR_SECTIONS] = {
	[KCP_SEC_STRINGS] = 1,
	[KCP_SEC_CALL_ALLOW] = sizeof(struct kcp_name),
	[KCP_SEC_CALL_DENY] = sizeof(struct kcp_name),
	[KCP_SEC_ENTRY_ALLOW] = sizeof(struct kcp_name),
	[KCP_SEC_REGIONS] = sizeof(struct kcp_region),
	[KCP_SEC_ALLOCS] = sizeof(struct kcp_alloc),
	[KCP_SEC_FREES] = sizeof(struct kcp_free),
	[KCP_SEC_ARG_RULES] = sizeof(struct kcp_arg_rule),
	[KCP_SEC_GRANTS] = sizeof(struct kcp_grant),
	[KCP_SEC_PRIVS] = sizeof(struct kcp_priv),
};

NAME_OF(kcp_mode_name, modes)
NAME_OF(kcp_action_name, actions)
NAME_OF(kcp_kind_name, kinds)
NAME_OF(kcp_check_name, checks)
NAME_OF(kcp_priv_name, privs)

/* The value whose name is @s, or -1. */
int kcp_lookup(const char *(*name_of)(unsigned int), unsigned int nr,
	       const char *s)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (name_of(i) && !strcmp(name_of(i), s))
			return i;
	return -1;
}
