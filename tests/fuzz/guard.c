// SPDX-License-Identifier: GPL-2.0
/*
 * The last look at a datagram before it is sent: whatever the generator
 * did, the kernel must not act on anything but the fuzzer's own dummy
 * module.  The guard reads the datagram as Linux 6.1 does (the message
 * loop of netlink_rcv_skb(), then genetlink's attribute area walked as
 * nla_for_each_attr() does) and, for every message the kernel would hand
 * to a family:
 *
 *  - sends it to kcage: a request with another type would reach another
 *    family (a message hidden in the tail of a lying one can have any);
 *  - makes every KCAGE_A_MODULE name empty, or start with NAME_PREFIX or
 *    '#' (which no module name has; the guard writes it over the first
 *    byte of any other), so no command can remove, read, switch or
 *    release a real module;
 *  - joins the KCAGE_A_POLICY attributes as kcage does and, if the blob
 *    could load for another module than VICTIM (blob_foreign()), breaks
 *    its checksum.
 *
 * Only the attribute type's low bits count, as with nla_type(), and every
 * attribute of a type is checked, whichever one nla_parse() would keep.
 * Everything is fixed in place; the fixes are counted ("defused").
 */
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "kcage/netlink.h"
#include "kcage/policy.h"
#include "nlfuzz.h"

#define ATTRS_AT	(NLMSG_HDRLEN + GENL_HDRLEN)

/* nla_for_each_attr(): @rem is signed, as in the kernel. */
#define for_each_attr(a, start, len, rem)					\
	for ((a) = (struct nlattr *)(start), (rem) = (long)(len);		\
	     (rem) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&		\
	     (a)->nla_len <= (rem);						\
	     (rem) -= NLA_ALIGN((a)->nla_len),					\
	     (a) = (struct nlattr *)((uint8_t *)(a) + NLA_ALIGN((a)->nla_len)))

static unsigned int guard_name(struct nlattr *a)
{
	char *s = (char *)a + NLA_HDRLEN;
	size_t len = strnlen(s, a->nla_len - NLA_HDRLEN);

	if (!len || *s == '#' || (len >= strlen(NAME_PREFIX) &&
				  !memcmp(s, NAME_PREFIX, strlen(NAME_PREFIX))))
		return 0;
	*s = '#';	/* no module name has one */
	return 1;
}

/* Flip a bit of the checksum field, in whichever piece it landed. */
static void break_checksum(uint8_t *attrs, size_t len)
{
	size_t at = 0, want = offsetof(struct kcp_header, checksum);
	struct nlattr *a;
	long rem;

	for_each_attr(a, attrs, len, rem) {
		size_t n = a->nla_len - NLA_HDRLEN;

		if ((a->nla_type & NLA_TYPE_MASK) != KCAGE_A_POLICY)
			continue;
		if (want < at + n) {
			((uint8_t *)a + NLA_HDRLEN)[want - at] ^= 1;
			return;
		}
		at += n;
	}
}

/* kcage's policy_attr(): every KCAGE_A_POLICY payload, in order. */
static unsigned int guard_policy(uint8_t *attrs, size_t len)
{
	struct nlattr *a;
	size_t total = 0;
	uint8_t *blob;
	long rem;
	bool foreign;

	for_each_attr(a, attrs, len, rem)
		if ((a->nla_type & NLA_TYPE_MASK) == KCAGE_A_POLICY)
			total += a->nla_len - NLA_HDRLEN;
	if (total < sizeof(struct kcp_header))
		return 0;		/* shorter than a header: refused */
	blob = malloc(total);
	if (!blob)
		abort();
	total = 0;
	for_each_attr(a, attrs, len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != KCAGE_A_POLICY)
			continue;
		memcpy(blob + total, (uint8_t *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
		total += a->nla_len - NLA_HDRLEN;
	}
	foreign = blob_foreign(blob, total);
	free(blob);
	if (foreign)
		break_checksum(attrs, len);
	return foreign;
}

static unsigned int guard_message(struct nlmsghdr *h, uint16_t family)
{
	unsigned int fixed = 0;
	struct nlattr *a;
	uint8_t *attrs;
	size_t len;
	long rem;

	if (h->nlmsg_type != family) {
		h->nlmsg_type = family;
		fixed++;
	}
	if (h->nlmsg_len < ATTRS_AT)
		return fixed;		/* genetlink refuses it */
	attrs = (uint8_t *)h + ATTRS_AT;
	len = h->nlmsg_len - ATTRS_AT;
	for_each_attr(a, attrs, len, rem)
		if ((a->nla_type & NLA_TYPE_MASK) == KCAGE_A_MODULE)
			fixed += guard_name(a);
	return fixed + guard_policy(attrs, len);
}

/* netlink_rcv_skb(): which messages of @buf the kernel dispatches. */
unsigned int guard_datagram(uint8_t *buf, size_t len, uint16_t family)
{
	unsigned int fixed = 0;
	struct nlmsghdr *h;
	size_t pos = 0, step;

	while (len - pos >= NLMSG_HDRLEN) {
		h = (struct nlmsghdr *)(buf + pos);
		if (h->nlmsg_len < NLMSG_HDRLEN || len - pos < h->nlmsg_len)
			break;
		if ((h->nlmsg_flags & NLM_F_REQUEST) &&
		    h->nlmsg_type >= NLMSG_MIN_TYPE)
			fixed += guard_message(h, family);
		step = NLMSG_ALIGN(h->nlmsg_len);
		pos += step < len - pos ? step : len - pos;
	}
	return fixed;
}
