// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz's promise, checked on the host with the kernel's own decoder
 * (policy/decode.c): after guard.c, no datagram the generator makes has
 * the kernel dispatch a message to another family, name a module outside
 * NAME_PREFIX, or load a policy for another module than VICTIM; and
 * enough of them are valid that the handlers are reached.  Also: the
 * built-in and re-homed policies decode, naming VICTIM.
 *   selftest [POLICY.kcp ...]   (compiled policies to re-home)
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "kcage/netlink.h"
#include "kcp.h"
#include "nlfuzz.h"
#include "../unit/unit.h"

#define FAMILY		0x1234
#define ROUNDS		200000

/* What the decoder said about every policy the kernel would have read. */
static unsigned long accepted, refused[NR_ERRNO];
static char **files;
static int nr_files;

static int decode(const uint8_t *b, size_t n, struct kcp_view *v, struct kcp_error *e)
{
	static uint8_t *copy;	/* 8-aligned, as kvmalloc's */
	int ret;

	if (!copy)
		copy = aligned_alloc(8, KCP_MAX_SIZE);
	if (n > KCP_MAX_SIZE)
		return -E2BIG;	/* netlink.c refuses it before decoding */
	memcpy(copy, b, n);
	ret = kcp_decode(copy, n, v, e);
	if (!ret && strcmp(kcp_str(v, v->hdr->module), VICTIM))
		return 1;
	return ret;
}

static void check_base(const char *what, const struct blob *b)
{
	struct kcp_error err;
	struct kcp_view v;
	int ret = decode(b->b, b->n, &v, &err);

	UNIT_EXPECT(ret == 0, "%s: %s", what, ret == 1 ? "names another module" : err.msg);
}

/* File @i of the command line, re-homed to VICTIM. */
static int read_base(int i, struct blob *b)
{
	static uint8_t buf[1 << 16];
	const char *why = "cannot read";
	size_t n = 0;
	FILE *f = fopen(files[i], "rb");

	if (f) {
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
	if (n && !blob_rehome(buf, n, b, &why))
		return 0;
	UNIT_EXPECT(0, "%s: %s", files[i], why);
	return -1;
}

static void base_policies(void)
{
	struct blob b;
	int i;

	UNIT_EXPECT(!blob_builtin(&b), "built-in");
	check_base("built-in", &b);
	free(b.b);
	for (i = 0; i < nr_files; i++) {
		if (read_base(i, &b))
			continue;
		check_base(files[i], &b);
		free(b.b);
	}
}

/* One dispatched genetlink message, as kcage reads it. */
static void check_message(uint8_t *msg, size_t len)
{
	struct nlattr *a;
	struct kcp_error err;
	struct kcp_view v;
	uint8_t *blob = malloc(len + 1);
	size_t n = 0;
	long rem;
	int ret;

	for (a = (void *)(msg + NLMSG_HDRLEN + GENL_HDRLEN),
	     rem = (long)len - NLMSG_HDRLEN - GENL_HDRLEN;
	     rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len), a = (void *)((uint8_t *)a + NLA_ALIGN(a->nla_len))) {
		char *s = (char *)a + NLA_HDRLEN;
		size_t sn = a->nla_len - NLA_HDRLEN;

		if ((a->nla_type & NLA_TYPE_MASK) == KCAGE_A_MODULE)
			UNIT_EXPECT(!strnlen(s, sn) || *s == '#' ||
				    !strncmp(s, NAME_PREFIX, strlen(NAME_PREFIX)),
				    "module name '%.*s'", (int)strnlen(s, sn), s);
		if ((a->nla_type & NLA_TYPE_MASK) == KCAGE_A_POLICY) {
			memcpy(blob + n, s, sn);
			n += sn;
		}
	}
	if (n) {
		ret = decode(blob, n, &v, &err);
		UNIT_EXPECT(ret != 1, "a policy for '%s' would load",
			    kcp_str(&v, v.hdr->module));
		if (!ret)
			accepted++;
		else if (ret < 0 && -ret < NR_ERRNO)
			refused[-ret]++;
	}
	free(blob);
}

/* netlink_rcv_skb()'s loop over a datagram. */
static unsigned long check_datagram(uint8_t *buf, size_t len)
{
	unsigned long dispatched = 0;
	struct nlmsghdr *h;
	size_t pos = 0, step;

	while (len - pos >= NLMSG_HDRLEN) {
		h = (void *)(buf + pos);
		if (h->nlmsg_len < NLMSG_HDRLEN || len - pos < h->nlmsg_len)
			break;
		if ((h->nlmsg_flags & NLM_F_REQUEST) && h->nlmsg_type >= NLMSG_MIN_TYPE) {
			UNIT_EXPECT(h->nlmsg_type == FAMILY, "type 0x%x", h->nlmsg_type);
			if (h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
				check_message((uint8_t *)h, h->nlmsg_len);
			dispatched++;
		}
		step = NLMSG_ALIGN(h->nlmsg_len);
		pos += step < len - pos ? step : len - pos;
	}
	return dispatched;
}

static void fuzz_base(const struct blob *base, unsigned long rounds)
{
	struct msgbuf m = { .b = aligned_alloc(8, MSG_CAP) };
	unsigned long dispatched = 0, defused = 0, i;
	uint32_t seq = 0;

	if (!m.b)
		abort();
	memset(refused, 0, sizeof(refused));
	accepted = 0;
	for (i = 0; i < rounds; i++) {
		defused += gen_datagram(&m, FAMILY, &seq, base);
		defused += guard_datagram(m.b, m.len, FAMILY);
		UNIT_EXPECT(!guard_datagram(m.b, m.len, FAMILY), "guard not idempotent");
		dispatched += check_datagram(m.b, m.len);
	}
	printf("# nlfuzz: %lu datagrams, %lu messages dispatched, %lu fixes; policies: "
	       "%lu accepted, refused EINVAL=%lu EBADMSG=%lu E2BIG=%lu EPROTONOSUPPORT=%lu\n",
	       rounds, dispatched, defused, accepted, refused[EINVAL], refused[EBADMSG],
	       refused[E2BIG], refused[EPROTONOSUPPORT]);
	UNIT_EXPECT(accepted > rounds / 100, "only %lu valid policies: too blunt", accepted);
	UNIT_EXPECT(refused[EINVAL] > rounds / 20, "resealed damage rarely reaches the checks");
	free(m.b);
}

/* The built-in policy, then each file re-homed (its old name stays in it). */
static void guarded_datagrams(void)
{
	struct blob base;
	int i;

	rng_seed(1);
	if (blob_builtin(&base))
		abort();
	fuzz_base(&base, ROUNDS);
	free(base.b);
	for (i = 0; i < nr_files; i++) {
		if (read_base(i, &base))
			continue;
		fuzz_base(&base, ROUNDS / 4);
		free(base.b);
	}
}

int main(int argc, char **argv)
{
	static const struct unit_case cases[] = {
		{ "base_policies", base_policies },
		{ "guarded_datagrams", guarded_datagrams },
		{ NULL, NULL },
	};

	files = argv + 1;
	nr_files = argc - 1;
	return unit_run("nlfuzz", cases);
}
