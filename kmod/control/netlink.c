// SPDX-License-Identifier: GPL-2.0
/*
 * The "kcage" generic netlink family: kcage's control plane and its
 * violation events (include/uapi/kcage/netlink.h has the contract).
 *
 * Every request is validated strictly against one attribute policy before
 * a handler sees it; what the policy cannot say (a module name must not be
 * empty, a blob must decode) the handlers check, answering with an
 * extended-ACK message that names the attribute.  The family lives in the
 * initial network namespace only, so that "CAP_SYS_ADMIN in the initial
 * user namespace" is what netlink_capable() checks.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include "sandbox/events.h"
#include "netlink.h"
#include "takeover.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"
#include "kcage/netlink.h"
#include "policy/kcp.h"

/* An attribute holds at most U16_MAX bytes: a policy comes in pieces. */
#define POLICY_PIECE	65528

/* genl_ops.internal_flags */
#define NEEDS_ADMIN	BIT(0)

enum { GROUP_EVENTS };

static const struct genl_multicast_group groups[] = {
	[GROUP_EVENTS] = { .name = KCAGE_GENL_EVENTS,
			   .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

static const struct nla_policy attr_policy[KCAGE_A_MAX + 1] = {
	[KCAGE_A_MODULE] = { .type = NLA_NUL_STRING, .len = MODULE_NAME_LEN - 1 },
	[KCAGE_A_POLICY] = { .type = NLA_BINARY },
	[KCAGE_A_MODE] = NLA_POLICY_MAX(NLA_U8, KCP_NR_MODES - 1),
};

static struct genl_family family;

/* The module named in the request; NULL (and an error set) if none. */
static const char *module_attr(struct genl_info *info)
{
	const struct nlattr *a = info->attrs[KCAGE_A_MODULE];

	if (GENL_REQ_ATTR_CHECK(info, KCAGE_A_MODULE))
		return NULL;
	if (!nla_len(a) || !*(const char *)nla_data(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "empty module name");
		return NULL;
	}
	return nla_data(a);
}

/*
 * The policy blob: the KCAGE_A_POLICY attributes of the request, in
 * order, in one kvmalloc'd buffer (which kcage_policy_load() takes).
 */
static void *policy_attr(struct genl_info *info, size_t *len)
{
	const struct nlattr *a;
	size_t n = 0;
	void *blob;
	int rem;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(a) == KCAGE_A_POLICY)
			n += nla_len(a);
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no policy (KCAGE_A_POLICY) given");
		return ERR_PTR(-EINVAL);
	}
	if (n > KCP_MAX_SIZE) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_POLICY],
				    "policy larger than 1 MiB");
		return ERR_PTR(-E2BIG);
	}
	blob = kvmalloc(n, GFP_KERNEL);
	if (!blob)
		return ERR_PTR(-ENOMEM);
	*len = 0;
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != KCAGE_A_POLICY)
			continue;
		memcpy(blob + *len, nla_data(a), nla_len(a));
		*len += nla_len(a);
	}
	return blob;
}

static int cmd_policy_load(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *mode = info->attrs[KCAGE_A_MODE];
	bool replace = !(info->nlhdr->nlmsg_flags & NLM_F_EXCL);
	struct kcp_error err = { 0 };
	size_t len;
	void *blob;
	int ret;

	blob = policy_attr(info, &len);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	ret = kcage_policy_load(blob, len, mode ? nla_get_u8(mode) : -1,
				replace, &err);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "a policy for this module is loaded (NLM_F_EXCL)");
	if (ret && ret != -EEXIST && err.what) {
		/* a static format (struct kcp_error); the log has it filled in */
		NL_SET_BAD_ATTR(info->extack, info->attrs[KCAGE_A_POLICY]);
		info->extack->_msg = err.what;
	}
	return ret;
}

static int cmd_policy_remove(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = module_attr(info);
	int ret;

	if (!name)
		return -EINVAL;
	ret = kcage_policy_remove(name);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "no policy loaded for this module");
	return ret;
}

static int put_policy_info(struct sk_buff *msg,
			   const struct kcage_policy_info *p)
{
	if (nla_put_string(msg, KCAGE_A_MODULE, p->module) ||
	    nla_put_u8(msg, KCAGE_A_MODE, p->mode) ||
	    nla_put_u32(msg, KCAGE_A_POLICY_SIZE, p->size) ||
	    nla_put_u32(msg, KCAGE_A_POLICY_CRC, p->crc))
		return -EMSGSIZE;
	return 0;
}

static int put_blob(struct sk_buff *msg, const u8 *blob, size_t len)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = min_t(size_t, len - off, POLICY_PIECE);
		if (nla_put(msg, KCAGE_A_POLICY, n, blob + off))
			return -EMSGSIZE;
	}
	return 0;
}

/* One policy with its bytes; needs CAP_SYS_ADMIN (NEEDS_ADMIN). */
static int cmd_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = module_attr(info);
	struct kcage_policy_info p;
	struct sk_buff *msg;
	void *blob, *hdr;
	int ret;

	if (!name)
		return -EINVAL;
	ret = kcage_policy_get(name, &p, &blob);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "no policy loaded for this module");
	if (ret)
		return ret;
	ret = -ENOMEM;
	msg = genlmsg_new(p.size + NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &family, 0, KCAGE_CMD_POLICY_GET);
	ret = -EMSGSIZE;
	if (!hdr || put_policy_info(msg, &p) || put_blob(msg, blob, p.size)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kvfree(blob);
	return ret;
}

/* Dumps resume at the index in cb->args[0]. */
static int dump_policies(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kcage_policy_info p;
	unsigned int i;
	void *hdr;

	for (i = cb->args[0]; !kcage_policy_info(i, &p); i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &family, NLM_F_MULTI,
				  KCAGE_CMD_POLICY_GET);
		if (!hdr)
			break;
		if (put_policy_info(skb, &p)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int put_violations(struct sk_buff *msg, const u64 *counts)
{
	struct nlattr *nest = nla_nest_start(msg, KCAGE_A_VIOLATIONS);
	unsigned int k;

	if (!nest)
		return -EMSGSIZE;
	for (k = 0; k < KCP_NR_KINDS; k++)
		if (nla_put_u64_64bit(msg, k + 1, counts[k], KCAGE_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_sandbox_info(struct sk_buff *msg,
			    const struct kcage_sandbox_info *s)
{
	if (nla_put_string(msg, KCAGE_A_MODULE, s->module) ||
	    (s->has_policy &&
	     (nla_put_u8(msg, KCAGE_A_MODE, s->mode) ||
	      nla_put_u32(msg, KCAGE_A_POLICY_CRC, s->policy_crc))) ||
	    nla_put_u8(msg, KCAGE_A_QUARANTINED, s->quarantined) ||
	    nla_put_u64_64bit(msg, KCAGE_A_ENTRIES, s->entries, KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_BLOCKS, s->blocks, KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_NATIVE_BYTES, s->native_bytes,
			      KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_CACHE_BYTES, s->cache_bytes,
			      KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_HEAP_OBJECTS, s->heap_objects,
			      KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_TEXT_SIZE, s->text_size,
			      KCAGE_A_PAD))
		return -EMSGSIZE;
	return put_violations(msg, s->violations);
}

static int cmd_sandbox_get(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = module_attr(info);
	struct kcage_sandbox_info s;
	struct sk_buff *msg;
	void *hdr;

	if (!name)
		return -EINVAL;
	if (kcage_sandbox_info_by_name(name, &s)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "no sandboxed module of this name");
		return -ENOENT;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &family, 0, KCAGE_CMD_SANDBOX_GET);
	if (!hdr || put_sandbox_info(msg, &s)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int dump_sandboxes(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kcage_sandbox_info s;
	unsigned int i;
	void *hdr;

	for (i = cb->args[0]; !kcage_sandbox_info(i, &s); i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &family, NLM_F_MULTI,
				  KCAGE_CMD_SANDBOX_GET);
		if (!hdr)
			break;
		if (put_sandbox_info(skb, &s)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int cmd_sandbox_set(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = module_attr(info);
	u8 mode;
	int ret;

	if (!name || GENL_REQ_ATTR_CHECK(info, KCAGE_A_MODE))
		return -EINVAL;
	mode = nla_get_u8(info->attrs[KCAGE_A_MODE]);
	if (mode != KCP_MODE_AUDIT && mode != KCP_MODE_ENFORCE) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODE],
				    "a sandbox switches between audit and enforce only");
		return -EINVAL;
	}
	ret = kcage_takeover_set_mode(name, mode);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "no sandboxed module of this name");
	else if (ret == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "module runs without a policy: no mode to switch");
	return ret;
}

static int cmd_sandbox_release(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = module_attr(info);
	int ret;

	if (!name)
		return -EINVAL;
	ret = kcage_sandbox_release(name, false);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KCAGE_A_MODULE],
				    "no sandboxed module of this name");
	else if (ret == -EINVAL)
		NL_SET_ERR_MSG(info->extack, "module is not quarantined");
	else if (ret == -EACCES)
		NL_SET_ERR_MSG(info->extack, "its policy forbids release (release: false)");
	return ret;
}

static int cmd_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	u64 last, dropped, sent;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &family, 0, KCAGE_CMD_STATS_GET);
	kcage_events_stats(&last, &dropped, &sent);
	if (!hdr ||
	    nla_put_u64_64bit(msg, KCAGE_A_LAST_SEQ, last, KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_DROPPED_TOTAL, dropped, KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_EVENTS_SENT, sent, KCAGE_A_PAD) ||
	    nla_put_u32(msg, KCAGE_A_SANDBOXES, kcage_sandbox_count()) ||
	    nla_put_u32(msg, KCAGE_A_POLICIES, kcage_policy_count())) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Changing anything needs CAP_SYS_ADMIN in the initial user namespace.
 * On 6.1 pre_doit runs for doit requests only: KCAGE_CMD_POLICY_GET's
 * dump (summaries, open to all) is not checked, its doit (the bytes) is.
 */
static int pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		    struct genl_info *info)
{
	if ((ops->internal_flags & NEEDS_ADMIN) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "kcage: this needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

static const struct genl_ops ops[] = {
	{ .cmd = KCAGE_CMD_POLICY_LOAD, .doit = cmd_policy_load,
	  .internal_flags = NEEDS_ADMIN },
	{ .cmd = KCAGE_CMD_POLICY_REMOVE, .doit = cmd_policy_remove,
	  .internal_flags = NEEDS_ADMIN },
	{ .cmd = KCAGE_CMD_POLICY_GET, .doit = cmd_policy_get,
	  .dumpit = dump_policies, .internal_flags = NEEDS_ADMIN },
	{ .cmd = KCAGE_CMD_SANDBOX_GET, .doit = cmd_sandbox_get,
	  .dumpit = dump_sandboxes },
	{ .cmd = KCAGE_CMD_SANDBOX_SET, .doit = cmd_sandbox_set,
	  .internal_flags = NEEDS_ADMIN },
	{ .cmd = KCAGE_CMD_SANDBOX_RELEASE, .doit = cmd_sandbox_release,
	  .internal_flags = NEEDS_ADMIN },
	{ .cmd = KCAGE_CMD_STATS_GET, .doit = cmd_stats_get },
};

static struct genl_family family = {
	.name = KCAGE_GENL_NAME,
	.version = KCAGE_GENL_VERSION,
	.maxattr = KCAGE_A_MAX,
	.policy = attr_policy,
	.pre_doit = pre_doit,
	.ops = ops,
	.n_ops = ARRAY_SIZE(ops),
	.mcgrps = groups,
	.n_mcgrps = ARRAY_SIZE(groups),
	.module = THIS_MODULE,
};

static bool registered;

/* Does anyone listen to events?  Any context. */
bool kcage_netlink_listening(void)
{
	bool on;

	if (!READ_ONCE(registered))
		return false;
	rcu_read_lock();
	on = genl_has_listeners(&family, &init_net, GROUP_EVENTS) > 0;
	rcu_read_unlock();
	return on;
}

static int put_event(struct sk_buff *msg, const struct kcage_event *ev)
{
	if (nla_put_u64_64bit(msg, KCAGE_A_SEQ, ev->seq, KCAGE_A_PAD) ||
	    nla_put_u64_64bit(msg, KCAGE_A_TIME_NS, ev->time_ns, KCAGE_A_PAD) ||
	    nla_put_string(msg, KCAGE_A_MODULE, ev->module) ||
	    nla_put_u8(msg, KCAGE_A_KIND, ev->kind) ||
	    nla_put_u8(msg, KCAGE_A_ACTION, ev->action) ||
	    nla_put_u64_64bit(msg, KCAGE_A_PC, ev->pc, KCAGE_A_PAD) ||
	    nla_put_string(msg, KCAGE_A_SYMBOL, ev->symbol) ||
	    nla_put_u64_64bit(msg, KCAGE_A_ADDR, ev->addr, KCAGE_A_PAD) ||
	    nla_put_u32(msg, KCAGE_A_SIZE, ev->size) ||
	    nla_put_u32(msg, KCAGE_A_CPU, ev->cpu) ||
	    nla_put_u32(msg, KCAGE_A_PID, ev->pid) ||
	    nla_put_string(msg, KCAGE_A_COMM, ev->comm) ||
	    nla_put_string(msg, KCAGE_A_RULE, ev->rule) ||
	    nla_put_string(msg, KCAGE_A_DETAIL, ev->detail) ||
	    nla_put_u64_64bit(msg, KCAGE_A_DROPPED, ev->dropped, KCAGE_A_PAD) ||
	    (ev->target[0] && nla_put_string(msg, KCAGE_A_TARGET, ev->target)))
		return -EMSGSIZE;
	return 0;
}

/**
 * kcage_netlink_send_event - multicast @ev to the "events" group
 * @ev: the event
 *
 * Process context (events.c).
 *
 * Return: 0 (every listener got it), -ESRCH (nobody listens), -ENOBUFS
 * (some listener's socket was full: it sees a gap) or -ENOMEM.
 */
int kcage_netlink_send_event(const struct kcage_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &family, 0, KCAGE_CMD_VIOLATION);
	if (!hdr || put_event(msg, ev)) {
		nlmsg_free(msg);
		return -ENOMEM;	/* NLMSG_GOODSIZE holds any event */
	}
	genlmsg_end(msg, hdr);
	return genlmsg_multicast(&family, msg, 0, GROUP_EVENTS, GFP_KERNEL);
}

int kcage_netlink_init(void)
{
	static const struct kcage_event_sink sink = {
		.listening = kcage_netlink_listening,
		.send = kcage_netlink_send_event,
	};
	int ret = genl_register_family(&family);

	if (ret)
		return ret;
	WRITE_ONCE(registered, true);
	kcage_events_set_sink(&sink);
	return 0;
}

void kcage_netlink_exit(void)
{
	WRITE_ONCE(registered, false);
	genl_unregister_family(&family);
}
