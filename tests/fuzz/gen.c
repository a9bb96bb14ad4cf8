// SPDX-License-Identifier: GPL-2.0
/*
 * Datagrams for the kcage family.  Two thirds of the messages are
 * semi-valid (a real command with the attributes it takes, their values
 * and the policy blob damaged), because the family validates strictly
 * and garbage rarely gets past nla_parse to the handlers; the rest are
 * garbage: unknown and output-only attribute types, wrong sizes, nested
 * junk, lying lengths, huge attribute counts, several messages in one
 * datagram and lying message lengths.  guard.c vets the result.
 */
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "kcage/netlink.h"
#include "nlfuzz.h"

/* The largest policy piece the kernel itself puts in one attribute. */
#define PIECE		65528
#define MAX_NAME	320

struct gen {
	struct msgbuf *m;
	const struct blob *base;
	size_t last;		/* offset of the last attribute, for repeats */
	unsigned int defused;
};

/* @n zeroed bytes at the end of the datagram, or NULL if there is no room. */
static void *room(struct msgbuf *m, size_t n)
{
	void *p;

	if (n > MSG_CAP - m->len)
		return NULL;
	p = m->b + m->len;
	memset(p, 0, n);
	m->len += n;
	return p;
}

/* Pad to where the kernel looks next, after junk of odd length. */
static bool align4(struct msgbuf *m)
{
	return room(m, NLA_ALIGN(m->len) - m->len) != NULL || m->len % 4 == 0;
}

/*
 * An attribute of @n bytes (random ones if @data is NULL) whose header
 * claims @claim bytes: the truth is NLA_HDRLEN + @n.
 */
static struct nlattr *attr_claim(struct gen *g, uint16_t type, const void *data,
				 size_t n, uint16_t claim)
{
	size_t start = g->m->len;
	struct nlattr *a = align4(g->m) ? room(g->m, NLA_HDRLEN) : NULL;
	void *p = a ? room(g->m, NLA_ALIGN(n)) : NULL;

	if (!p) {
		g->m->len = start;
		return NULL;
	}
	if (data)
		memcpy(p, data, n);
	else
		rnd_fill(p, n);
	a->nla_type = type;
	a->nla_len = claim;
	g->last = (uint8_t *)a - g->m->b;
	return a;
}

static struct nlattr *attr(struct gen *g, uint16_t type, const void *data, size_t n)
{
	return attr_claim(g, type, data, n, NLA_HDRLEN + n);
}

/* Names under NAME_PREFIX only, but every shape of string: guard.c checks. */
static void put_module(struct gen *g)
{
	char s[MAX_NAME + 1];
	size_t n;

	switch (below(8)) {
	case 0:			/* too long (the limit is 55), maybe unterminated */
		n = 48 + below(MAX_NAME - 48);
		memcpy(s, NAME_PREFIX, strlen(NAME_PREFIX));
		memset(s + strlen(NAME_PREFIX), 'x', n - strlen(NAME_PREFIX));
		s[n] = 0;
		attr(g, KCAGE_A_MODULE, s, n + below(2));
		break;
	case 1:			/* no NUL */
		attr(g, KCAGE_A_MODULE, VICTIM, sizeof(VICTIM) - 1);
		break;
	case 2:			/* "" or no bytes at all */
		attr(g, KCAGE_A_MODULE, "", below(2));
		break;
	case 3:			/* the prefix, then any bytes */
		n = strlen(NAME_PREFIX) + below(48);
		memcpy(s, NAME_PREFIX, strlen(NAME_PREFIX));
		rnd_fill(s + strlen(NAME_PREFIX), n - strlen(NAME_PREFIX) + 1);
		attr(g, KCAGE_A_MODULE, s, n + 1);
		break;
	default:
		attr(g, KCAGE_A_MODULE, VICTIM, sizeof(VICTIM));
		break;
	}
}

/* A mode: mostly one byte, 0..3 (3 is out of range); sometimes the wrong size. */
static void put_mode(struct gen *g)
{
	uint8_t v[8];

	rnd_fill(v, sizeof(v));
	if (!one_in(4))
		v[0] = below(4);
	attr(g, KCAGE_A_MODE, v, one_in(6) ? below(9) : 1);
}

/* A mutant policy, in one attribute or several (the kernel joins them). */
static void put_policy(struct gen *g)
{
	unsigned int cuts = one_in(5) ? 1 + below(4) : 0;
	struct blob b;
	size_t at = 0, n;

	g->defused += blob_mutate(g->base, &b);
	do {
		n = b.n - at < PIECE ? b.n - at : PIECE;
		if (cuts && n) {
			n = below(n + 1);
			cuts--;
		}
		if (!attr(g, KCAGE_A_POLICY, b.b + at, n))
			return;
		at += n;
		if (one_in(40))
			attr(g, KCAGE_A_POLICY, NULL, 0);
	} while (at < b.n);
}

/* Any other type: output-only ones, PAD, UNSPEC, past KCAGE_A_MAX, random. */
static uint16_t other_type(void)
{
	switch (below(4)) {
	case 0:
		return KCAGE_A_POLICY_SIZE + below(KCAGE_A_MAX - KCAGE_A_POLICY_SIZE + 1);
	case 1:
		return below(2);
	case 2:
		return KCAGE_A_MAX + 1 + below(8);
	default:
		return rnd() & NLA_TYPE_MASK;
	}
}

/* A scalar of a plausible or implausible size, of a wrong type. */
static void put_other(struct gen *g)
{
	static const uint8_t sizes[] = { 0, 1, 2, 3, 4, 8, 16, 64 };
	uint16_t type = other_type();

	attr(g, type, NULL, sizes[below(ARRAY_SIZE(sizes))]);
}

/* Nested attributes where none are expected, or junk marked nested. */
static void put_nested(struct gen *g, int depth)
{
	static const uint16_t types[] = {
		KCAGE_A_MODULE, KCAGE_A_POLICY, KCAGE_A_MODE, KCAGE_A_VIOLATIONS,
	};
	struct nlattr *a;
	size_t start;
	int k;

	a = attr(g, (one_in(3) ? other_type() : types[below(4)]) | NLA_F_NESTED,
		 NULL, 0);
	if (!a)
		return;
	start = (uint8_t *)a - g->m->b;
	for (k = below(5); k; k--) {
		if (depth < 3 && one_in(3))
			put_nested(g, depth + 1);
		else if (one_in(3))
			put_module(g);
		else
			put_other(g);
	}
	if (one_in(4))
		room(g->m, below(8));		/* unaligned junk inside */
	if (g->m->len - start <= 0xffff)
		a->nla_len = g->m->len - start;
	g->last = start;
}

/* nla_len below the header, past the message, or off by one. */
static void put_liar(struct gen *g)
{
	uint16_t type = one_in(2) ? other_type() : KCAGE_A_MODULE + below(3);
	size_t n = below(32);
	uint16_t claim;

	switch (below(4)) {
	case 0:
		claim = below(NLA_HDRLEN);
		break;
	case 1:
		claim = NLA_HDRLEN + n + 1 + below(64);
		break;
	case 2:
		claim = 0xffff;
		break;
	default:
		claim = NLA_HDRLEN + n - (n ? 1 : 0);
		break;
	}
	attr_claim(g, type, NULL, n, claim);
}

/* Thousands of small attributes: the parser's loop, not the handlers. */
static void put_many(struct gen *g)
{
	unsigned int k = 1000 + below(15000);
	uint16_t type = one_in(2) ? KCAGE_A_MODULE : other_type();

	while (k--) {
		if (!attr(g, type, "", type == KCAGE_A_MODULE)) /* "" if a name */
			break;
		if (one_in(64))
			type = one_in(2) ? KCAGE_A_MODE : other_type();
	}
}

/* One thing wrong with an otherwise plausible message. */
static void damage(struct gen *g)
{
	size_t n = g->m->len - g->last;
	struct nlattr *a;
	void *p;

	switch (below(6)) {
	case 0:			/* the last attribute again */
		if (g->last && align4(g->m) && n <= MSG_CAP - g->m->len) {
			memcpy(g->m->b + g->m->len, g->m->b + g->last, n);
			g->last = g->m->len;
			g->m->len += n;
		}
		break;
	case 1:
		put_other(g);
		break;
	case 2:
		put_nested(g, 0);
		break;
	case 3:
		put_liar(g);
		break;
	case 4:			/* flag bits on the last attribute's type */
		a = (void *)(g->m->b + g->last);
		if (g->last)
			a->nla_type |= one_in(2) ? NLA_F_NET_BYTEORDER : NLA_F_NESTED;
		break;
	default:		/* trailing bytes that are no attribute */
		n = 1 + below(3);
		p = room(g->m, n);
		if (p)
			rnd_fill(p, n);
		break;
	}
}

/* The attributes @cmd takes, mostly; now and then the others too. */
static void semi_valid(struct gen *g, uint8_t cmd)
{
	bool load = cmd == KCAGE_CMD_POLICY_LOAD;
	bool named = cmd >= KCAGE_CMD_POLICY_REMOVE &&
		     cmd <= KCAGE_CMD_SANDBOX_RELEASE;
	bool moded = load || cmd == KCAGE_CMD_SANDBOX_SET;

	if (moded ? one_in(2) : one_in(12))
		put_mode(g);
	if (named ? !one_in(8) : one_in(12))
		put_module(g);
	if (load ? !one_in(10) : one_in(12))
		put_policy(g);
	if (moded && one_in(4))
		put_mode(g);		/* before or after the others */
}

static void garbage(struct gen *g)
{
	int k;

	if (one_in(40)) {
		put_many(g);
		return;
	}
	for (k = below(10); k; k--) {
		switch (below(6)) {
		case 0:
			put_module(g);
			break;
		case 1:
			put_mode(g);
			break;
		case 2:
			put_policy(g);
			break;
		case 3:
			put_nested(g, 0);
			break;
		case 4:
			put_liar(g);
			break;
		default:
			put_other(g);
			break;
		}
	}
}

/* Real commands mostly; also 0, just past the last, and anything. */
static uint8_t gen_cmd(void)
{
	switch (below(10)) {
	case 0:
		return KCAGE_CMD_UNSPEC;
	case 1:
		return KCAGE_CMD_MAX + 1 + below(4);
	case 2:
		return rnd();
	default:
		return 1 + below(KCAGE_CMD_MAX);
	}
}

/* NLM_F_REQUEST nearly always (else the kernel only acks), plus a mix. */
static uint16_t gen_flags(void)
{
	static const uint16_t bits[] = {
		NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_APPEND, NLM_F_MULTI, NLM_F_DUMP_INTR,
	};
	uint16_t f;
	size_t i;

	if (one_in(16))
		return rnd();
	f = one_in(20) ? 0 : NLM_F_REQUEST;
	if (one_in(2))
		f |= NLM_F_ACK;
	if (one_in(6))
		f |= NLM_F_DUMP;
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (one_in(10))
			f |= bits[i];
	return f;
}

static size_t message(struct gen *g, uint16_t family, uint32_t seq)
{
	struct nlmsghdr *h = align4(g->m) ? room(g->m, NLMSG_HDRLEN) : NULL;
	struct genlmsghdr *gh;
	uint8_t cmd = gen_cmd();
	size_t start;

	if (!h)
		return g->m->len;
	start = (uint8_t *)h - g->m->b;
	h->nlmsg_type = one_in(40) ? below(NLMSG_MIN_TYPE) : family;
	h->nlmsg_flags = gen_flags();
	h->nlmsg_seq = seq;
	h->nlmsg_pid = one_in(20) ? (uint32_t)rnd() : 0;
	gh = one_in(40) ? NULL : room(g->m, GENL_HDRLEN);
	if (gh) {
		gh->cmd = cmd;
		gh->version = one_in(10) ? rnd() : KCAGE_GENL_VERSION;
		gh->reserved = one_in(10) ? rnd() : 0;
	}
	g->last = 0;
	if (one_in(3))
		garbage(g);
	else
		semi_valid(g, cmd);
	if (one_in(3))
		damage(g);
	h->nlmsg_len = g->m->len - start;
	return start;
}

/* One message's length lies, or the datagram is cut short. */
static void lie(struct msgbuf *m, const size_t *starts, unsigned int n)
{
	struct nlmsghdr *h = (void *)(m->b + starts[below(n)]);

	if ((size_t)((uint8_t *)h - m->b) + NLMSG_HDRLEN > m->len)
		return;
	switch (below(5)) {
	case 0:
		h->nlmsg_len = below(NLMSG_HDRLEN);
		break;
	case 1:		/* shorter: the kernel reads the rest as more messages */
		h->nlmsg_len = NLMSG_HDRLEN + below(h->nlmsg_len);
		break;
	case 2:
		h->nlmsg_len += 1 + below(4096);
		break;
	case 3:
		h->nlmsg_len = rnd();
		break;
	default:
		m->len = below(m->len + 1);
		break;
	}
}

/*
 * Fill @m with one datagram: usually one message, sometimes up to four.
 * Returns how many policy mutants had to be defused (blob.c).
 */
unsigned int gen_datagram(struct msgbuf *m, uint16_t family, uint32_t *seq,
			  const struct blob *base)
{
	struct gen g = { .m = m, .base = base };
	unsigned int i, n = one_in(5) ? 2 + below(3) : 1;
	size_t starts[4];

	m->len = 0;
	for (i = 0; i < n; i++)
		starts[i] = message(&g, family, ++*seq);
	if (one_in(6))
		lie(m, starts, n);
	return g.defused;
}
