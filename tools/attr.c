// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of the kcage family, checked for type and size before
 * anything reads them.  The kernel is trusted, but a mismatch between
 * this tool and the module it talks to should give a clear error, never
 * a read past the end of a message.  Attributes newer than this tool are
 * ignored, so that an older tool works with a newer module.
 */
#include <errno.h>
#include "kcage.h"

static const struct {
	const char *name;
	enum mnl_attr_data_type type;
} attrs[KCAGE_A_MAX + 1] = {
	[KCAGE_A_PAD] = { "pad", MNL_TYPE_UNSPEC },
	[KCAGE_A_MODULE] = { "module", MNL_TYPE_NUL_STRING },
	[KCAGE_A_POLICY] = { "policy", MNL_TYPE_BINARY },
	[KCAGE_A_MODE] = { "mode", MNL_TYPE_U8 },
	[KCAGE_A_POLICY_SIZE] = { "policy_size", MNL_TYPE_U32 },
	[KCAGE_A_POLICY_CRC] = { "policy_crc", MNL_TYPE_U32 },
	[KCAGE_A_QUARANTINED] = { "quarantined", MNL_TYPE_U8 },
	[KCAGE_A_ENTRIES] = { "entries", MNL_TYPE_U64 },
	[KCAGE_A_BLOCKS] = { "blocks", MNL_TYPE_U64 },
	[KCAGE_A_NATIVE_BYTES] = { "native_bytes", MNL_TYPE_U64 },
	[KCAGE_A_CACHE_BYTES] = { "cache_bytes", MNL_TYPE_U64 },
	[KCAGE_A_HEAP_OBJECTS] = { "heap_objects", MNL_TYPE_U64 },
	[KCAGE_A_TEXT_SIZE] = { "text_size", MNL_TYPE_U64 },
	[KCAGE_A_VIOLATIONS] = { "violations", MNL_TYPE_NESTED },
	[KCAGE_A_SEQ] = { "seq", MNL_TYPE_U64 },
	[KCAGE_A_TIME_NS] = { "time_ns", MNL_TYPE_U64 },
	[KCAGE_A_KIND] = { "kind", MNL_TYPE_U8 },
	[KCAGE_A_ACTION] = { "action", MNL_TYPE_U8 },
	[KCAGE_A_PC] = { "pc", MNL_TYPE_U64 },
	[KCAGE_A_SYMBOL] = { "symbol", MNL_TYPE_NUL_STRING },
	[KCAGE_A_ADDR] = { "addr", MNL_TYPE_U64 },
	[KCAGE_A_SIZE] = { "size", MNL_TYPE_U32 },
	[KCAGE_A_CPU] = { "cpu", MNL_TYPE_U32 },
	[KCAGE_A_PID] = { "pid", MNL_TYPE_U32 },
	[KCAGE_A_COMM] = { "comm", MNL_TYPE_NUL_STRING },
	[KCAGE_A_RULE] = { "rule", MNL_TYPE_NUL_STRING },
	[KCAGE_A_DETAIL] = { "detail", MNL_TYPE_NUL_STRING },
	[KCAGE_A_TARGET] = { "target", MNL_TYPE_NUL_STRING },
	[KCAGE_A_DROPPED] = { "dropped", MNL_TYPE_U64 },
	[KCAGE_A_LAST_SEQ] = { "last_seq", MNL_TYPE_U64 },
	[KCAGE_A_DROPPED_TOTAL] = { "dropped_total", MNL_TYPE_U64 },
	[KCAGE_A_EVENTS_SENT] = { "events_sent", MNL_TYPE_U64 },
	[KCAGE_A_SANDBOXES] = { "sandboxes", MNL_TYPE_U32 },
	[KCAGE_A_POLICIES] = { "policies", MNL_TYPE_U32 },
};

/* For messages: "module", "policy", ... */
const char *kc_attr_name(unsigned int type)
{
	if (type > KCAGE_A_MAX || !attrs[type].name)
		return "unknown";
	return attrs[type].name;
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type > KCAGE_A_MAX || type == KCAGE_A_PAD ||
	    attrs[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, attrs[type].type) < 0) {
		fprintf(stderr, "kcage: the kernel sent a malformed '%s' attribute (%u bytes): is kcage.ko from another version?\n",
			attrs[type].name, mnl_attr_get_payload_len(a));
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

/*
 * The attributes of a kcage message into @tb (KCAGE_A_MAX + 1 entries),
 * the last of each type; KCAGE_A_POLICY may come in pieces, which
 * blob.c collects itself.  Returns 0 or -EPROTO.
 */
int kc_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	unsigned int i;

	for (i = 0; i <= KCAGE_A_MAX; i++)
		tb[i] = NULL;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		fprintf(stderr, "kcage: the kernel sent a message too short for a generic netlink header\n");
		return -EPROTO;
	}
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb) < 0)
		return -EPROTO;
	return 0;
}

struct violations {
	uint64_t *counts;
	uint64_t total;
};

static int violation_cb(const struct nlattr *a, void *data)
{
	struct violations *v = data;
	unsigned int type = mnl_attr_get_type(a);

	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0) {
		fprintf(stderr, "kcage: the kernel sent a malformed violation count (type %u)\n",
			type);
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	/* type is kind + 1; kinds this tool has no name for count in total */
	if (type >= 1 && type <= KCP_NR_KINDS)
		v->counts[type - 1] = mnl_attr_get_u64(a);
	v->total += mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

/* KCAGE_A_VIOLATIONS: @counts[KCP_NR_KINDS] by kind, and their @total. */
int kc_parse_violations(const struct nlattr *nest, uint64_t *counts,
			uint64_t *total)
{
	struct violations v = { .counts = counts };
	unsigned int k;

	for (k = 0; k < KCP_NR_KINDS; k++)
		counts[k] = 0;
	*total = 0;
	if (!nest)
		return 0;
	if (mnl_attr_parse_nested(nest, violation_cb, &v) < 0)
		return -EPROTO;
	*total = v.total;
	return 0;
}

/* Accessors for checked attributes: NULL or 0 when absent. */
const char *kc_str(const struct nlattr *const *tb, unsigned int type)
{
	return tb[type] ? mnl_attr_get_str(tb[type]) : NULL;
}

uint64_t kc_u64(const struct nlattr *const *tb, unsigned int type)
{
	return tb[type] ? mnl_attr_get_u64(tb[type]) : 0;
}

uint32_t kc_u32(const struct nlattr *const *tb, unsigned int type)
{
	return tb[type] ? mnl_attr_get_u32(tb[type]) : 0;
}

uint8_t kc_u8(const struct nlattr *const *tb, unsigned int type)
{
	return tb[type] ? mnl_attr_get_u8(tb[type]) : 0;
}
