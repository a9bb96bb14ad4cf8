// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink socket: resolving the family, sending, and reading
 * every reply without ever waiting longer than asked (the socket is
 * non-blocking; waits are poll() with a timeout), counting replies by
 * kind and errors by errno.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "nlfuzz.h"

/* Replies: POLICY_GET can carry a policy as large as what we sent. */
#define RX_CAP		(MSG_CAP + 64 * 1024)
/* recv() calls per drain, so that a dump that never ends cannot hang us */
#define DRAIN_MAX	100000

static uint8_t rx[RX_CAP];

int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, size = 8 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/* The kernel builds extended ACK messages: exercise that path too. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Errors need not echo the request back: less to copy under TCG. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Room for dumps and errors between drains; root may exceed rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		one = -errno;
		close(fd);
		return one;
	}
	return fd;
}

int nl_send(int fd, const void *buf, size_t len, struct stats *st)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	int e;

	do
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n >= 0) {
		if (st)
			st->sent++;
		return 0;
	}
	e = errno;
	if (st)
		st->send_err[e < NR_ERRNO ? e : 0]++;
	return -e;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One datagram before time @end: its length, or -errno (-ETIMEDOUT). */
static ssize_t recv_until(int fd, long end)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	long left;

	for (;;) {
		n = recv(fd, rx, sizeof(rx), MSG_DONTWAIT | MSG_TRUNC);
		if (n >= 0)
			return n < RX_CAP ? n : RX_CAP;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		left = end - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		poll(&p, 1, left);
	}
}

/* NLMSG_OK() and NLMSG_NEXT(), with an unsigned count of bytes left. */
static bool msg_ok(const struct nlmsghdr *h, size_t left)
{
	return left >= sizeof(*h) && h->nlmsg_len >= sizeof(*h) &&
	       h->nlmsg_len <= left;
}

static const struct nlmsghdr *msg_next(const struct nlmsghdr *h, size_t *left)
{
	size_t step = NLMSG_ALIGN(h->nlmsg_len);

	*left -= step < *left ? step : *left;
	return (const void *)((const uint8_t *)h + step);
}

#define for_each_msg(h, buf, left) \
	for ((h) = (const void *)(buf); msg_ok((h), (left)); (h) = msg_next((h), &(left)))

/* The error of an NLMSG_ERROR (0 for an ack), or 1 if @h is none. */
static int error_of(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);

	if (h->nlmsg_type != NLMSG_ERROR)
		return 1;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e->error)))
		return -EBADMSG;
	return e->error;
}

static uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, (const uint8_t *)a + NLA_HDRLEN,
	       a->nla_len - NLA_HDRLEN < 4 ? a->nla_len - NLA_HDRLEN : 4);
	return v;	/* little-endian host: a u16 reads right too */
}

/* A CTRL_CMD_NEWFAMILY reply into @f: false if @h is none. */
static bool family_reply(const struct nlmsghdr *h, struct nl_family_info *f)
{
	const struct nlattr *a;
	long rem;

	if (h->nlmsg_type != GENL_ID_CTRL ||
	    h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return false;
	a = (const void *)((const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
	for (rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	     rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const uint8_t *)a + NLA_ALIGN(a->nla_len))) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CTRL_ATTR_FAMILY_ID:
			f->id = attr_u32(a);
			break;
		case CTRL_ATTR_VERSION:
			f->version = attr_u32(a);
			break;
		case CTRL_ATTR_MAXATTR:
			f->maxattr = attr_u32(a);
			break;
		}
	}
	return f->id;
}

/*
 * Send one well-formed request with NLM_F_ACK and wait for its ack:
 * 0, the error it got, or -ETIMEDOUT.  A family description on the way
 * (the reply to CTRL_CMD_GETFAMILY) is stored in @f.
 */
static int request(int fd, const void *buf, size_t len, int timeout_ms,
		   struct nl_family_info *f)
{
	const struct nlmsghdr *req = buf, *h;
	long end = now_ms() + timeout_ms;
	size_t left;
	ssize_t n;
	int err;

	err = nl_send(fd, buf, len, NULL);
	if (err)
		return err;
	for (;;) {
		n = recv_until(fd, end);
		if (n == -ENOBUFS)
			continue;
		if (n < 0)
			return n;
		left = n;
		for_each_msg(h, rx, left) {
			if (h->nlmsg_seq != req->nlmsg_seq)
				continue;	/* a straggler from the fuzzing */
			if (f && family_reply(h, f))
				continue;
			err = error_of(h);
			if (err <= 0)
				return err;
		}
	}
}

int nl_request(int fd, const void *buf, size_t len, int timeout_ms)
{
	return request(fd, buf, len, timeout_ms, NULL);
}

/* CTRL_CMD_GETFAMILY: 0 and @f, or -ENOENT if the family is not there. */
int nl_family(int fd, const char *name, struct nl_family_info *f)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		struct nlattr a;
		char name[GENL_NAMSIZ];
	} req;
	size_t n = strlen(name) + 1;
	int err;

	if (n > GENL_NAMSIZ)
		return -ENOENT;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_HDRLEN + n);
	req.h.nlmsg_type = GENL_ID_CTRL;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 0x6e6c6675;	/* "nlfu": not one the fuzzer uses soon */
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	req.a.nla_type = CTRL_ATTR_FAMILY_NAME;
	req.a.nla_len = NLA_HDRLEN + n;
	memcpy(req.name, name, n);
	memset(f, 0, sizeof(*f));
	err = request(fd, &req, req.h.nlmsg_len, 2000, f);
	if (!err && !f->id)
		err = -ENOENT;
	return err;
}

static void count(struct stats *st, size_t n)
{
	const struct nlmsghdr *h;
	size_t left = n;
	int err;

	for_each_msg(h, rx, left) {
		if (h->nlmsg_type == NLMSG_DONE) {
			st->done++;
			continue;
		}
		err = error_of(h);
		if (err > 0)
			st->data++;
		else if (!err)
			st->acks++;
		else
			st->err[-err < NR_ERRNO ? -err : 0]++;
	}
}

/*
 * Read and count whatever is queued, waiting up to @timeout_ms for the
 * first datagram.  Replies to a request are queued by the time sendmsg()
 * returns (genetlink handles it in the sender's context), and a dump
 * goes on as its replies are read, so draining with 0 after each send
 * keeps up.
 */
void nl_drain(int fd, struct stats *st, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int k;

	if (timeout_ms > 0 && poll(&p, 1, timeout_ms) <= 0)
		return;
	for (k = 0; k < DRAIN_MAX; k++) {
		n = recv(fd, rx, sizeof(rx), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == ENOBUFS) {
			st->lost++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n > RX_CAP) {
			st->truncated++;
			n = RX_CAP;
		}
		count(st, n);
	}
}

const char *errno_name(int e)
{
#define E(x) [x] = #x
	static const char *const names[] = {
		E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(E2BIG),
		E(EBADF), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY),
		E(EEXIST), E(ENODEV), E(EINVAL), E(ENOSPC), E(ERANGE),
		E(EBADMSG), E(EOVERFLOW), E(EMSGSIZE),
		E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(ECONNREFUSED), E(ENOBUFS),
		E(ETIMEDOUT),
	};
#undef E
	static char buf[16];

	if (e > 0 && e < (int)ARRAY_SIZE(names) && names[e])
		return names[e];
	if (e == 524)
		return "ENOTSUPP";	/* the kernel's own, should not leak out */
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}
