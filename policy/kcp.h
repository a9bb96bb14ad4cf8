/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kcage policy model and its one encoder and decoder, shared by
 * policyc and kcage.ko.  The model (struct kcp_policy) is what the YAML
 * front end builds; kcp_encode() turns it into the binary format of
 * <kcage/policy.h>; kcp_decode() checks a blob from anywhere, trusting
 * nothing, and gives a read-only view of it.
 */
#ifndef KCP_H
#define KCP_H

#include "kcp_host.h"
#include "kcage/policy.h"

#define KCP_MAX_ARG		6	/* arguments passed in registers */
#define KCP_MAX_RECORDS		65536	/* per section */
/* The header flags this format version defines; any other bit is refused. */
#define KCP_FLAGS_ALL		(KCP_FLAG_CHECK_READS | KCP_FLAG_NO_RELEASE)

/* The name lists, in the order of their sections after KCP_SEC_STRINGS. */
enum kcp_list_id {
	KCP_LIST_CALL_ALLOW,
	KCP_LIST_CALL_DENY,
	KCP_LIST_ENTRY_ALLOW,
	KCP_NR_LISTS,
};

struct kcp_names {
	const char **v;
	u32 n;
};

struct kcp_region_m {
	const char *symbol;
	u8 access;
	u64 offset;
	u64 size;
};

struct kcp_alloc_m {
	const char *function;
	u8 size_arg;
	u8 string_arg;
	u8 result_size;		/* enum kcp_result_size */
	u64 size;
};

struct kcp_free_m {
	const char *function;
	u8 ptr_arg;
};

struct kcp_arg_rule_m {
	const char *function;
	u8 arg;
	u8 check;
	u8 size_arg;
	u64 size;
};

struct kcp_grant_m {
	const char *entry;
	u8 arg;
	u8 access;
	u64 size;
};

struct kcp_priv_m {
	u8 insn;
	u32 lo;
	u32 hi;
};

/**
 * struct kcp_policy - a policy, as the front end builds it
 *
 * Field meanings are those of <kcage/policy.h>.  Arrays keep the order of
 * the source, and the encoder keeps it too, so compiling is deterministic.
 */
struct kcp_policy {
	const char *module;
	u8 mode;
	u8 default_action;
	u8 actions[KCP_NR_KINDS];
	u32 flags;
	u32 builtin_writes;
	struct kcp_names lists[KCP_NR_LISTS];
	struct kcp_region_m *regions;
	u32 nr_regions;
	struct kcp_alloc_m *allocs;
	u32 nr_allocs;
	struct kcp_free_m *frees;
	u32 nr_frees;
	struct kcp_arg_rule_m *arg_rules;
	u32 nr_arg_rules;
	struct kcp_grant_m *grants;
	u32 nr_grants;
	struct kcp_priv_m *privs;
	u32 nr_privs;
};

/**
 * struct kcp_view - a blob kcp_decode() accepted, seen through its sections
 * @size:     bytes in the blob
 * @hdr:      its header
 * @strings:  the string section (starts and ends with NUL)
 * @nr_strings: bytes in it
 * @lists:    name lists, by &enum kcp_list_id
 * ...:       the record sections, each with its count
 */
struct kcp_view {
	u32 size;
	const struct kcp_header *hdr;
	const char *strings;
	u32 nr_strings;
	const struct kcp_name *lists[KCP_NR_LISTS];
	u32 nr_lists[KCP_NR_LISTS];
	const struct kcp_region *regions;
	u32 nr_regions;
	const struct kcp_alloc *allocs;
	u32 nr_allocs;
	const struct kcp_free *frees;
	u32 nr_frees;
	const struct kcp_arg_rule *arg_rules;
	u32 nr_arg_rules;
	const struct kcp_grant *grants;
	u32 nr_grants;
	const struct kcp_priv *privs;
	u32 nr_privs;
};

/*
 * Why kcp_decode() refused a blob: an errno, a sentence (@msg), and the
 * same without its numbers (@what, a constant string, for callers that can
 * only pass one on: netlink's extended ACK).
 */
struct kcp_error {
	int code;
	const char *what;
	char msg[128];
};

/* Rules the encoder and the decoder both apply to a field. */
static inline bool kcp_valid_arg(unsigned int arg)
{
	return arg >= 1 && arg <= KCP_MAX_ARG;
}

static inline bool kcp_valid_size_arg(unsigned int arg, u64 size)
{
	/* exactly one of: the size is an argument, or a constant */
	return arg ? kcp_valid_arg(arg) && !size : size != 0;
}

/* An allocator's size: an argument, a constant, a string's copy, its result's. */
static inline bool kcp_valid_alloc_size(unsigned int arg, unsigned int string_arg,
					unsigned int result_size, u64 size)
{
	if (result_size)
		return result_size < KCP_NR_RESULT_SIZES && !string_arg && !arg && !size;
	if (string_arg)
		return kcp_valid_arg(string_arg) && !arg && !size;
	return kcp_valid_size_arg(arg, size);
}

static inline bool kcp_valid_access(unsigned int access)
{
	return access && !(access & ~(KCP_ACCESS_READ | KCP_ACCESS_WRITE));
}

static inline bool kcp_priv_has_range(unsigned int insn)
{
	return insn == KCP_PRIV_IN || insn == KCP_PRIV_OUT ||
	       insn == KCP_PRIV_RDMSR || insn == KCP_PRIV_WRMSR;
}

extern const u32 kcp_rec_size[KCP_NR_SECTIONS];

long kcp_encode(const struct kcp_policy *p, void *buf, size_t cap);
int kcp_decode(const void *blob, size_t size, struct kcp_view *v,
	       struct kcp_error *err);
const char *kcp_str(const struct kcp_view *v, __le32 off);

/* Names of the enums, as the YAML spells them; NULL when out of range. */
const char *kcp_mode_name(unsigned int mode);
const char *kcp_action_name(unsigned int action);
const char *kcp_kind_name(unsigned int kind);
const char *kcp_check_name(unsigned int check);
const char *kcp_priv_name(unsigned int insn);
int kcp_lookup(const char *(*name_of)(unsigned int), unsigned int nr,
	       const char *s);

#endif /* KCP_H */
