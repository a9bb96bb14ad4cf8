// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink, the way kcage uses it: resolve the "kcage" family,
 * send one request, read every reply up to the ACK (or a dump's DONE),
 * and keep the kernel's extended-ACK message for the error report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "kcage.h"

/*
 * A policy of KCP_MAX_SIZE goes in one message, in attributes of at most
 * 64 KiB each; a reply that carries one is as large.
 */
#define BUF_SIZE	(KCP_MAX_SIZE + 64 * 1024)

/* One request on its way: what its replies go to, and how it ended. */
struct talk {
	struct kc *kc;
	uint16_t type;		/* the family the request went to */
	bool raw;		/* another family: no kcage attributes */
	mnl_cb_t raw_cb;	/* its replies, unparsed */
	kc_reply_cb cb;		/* kcage replies, checked by attr.c */
	void *data;
	int err;		/* the kernel's answer, or our own failure */
};

static void set_sockopt(struct mnl_socket *nl, int opt)
{
	int one = 1;

	/* both are optional comforts: old kernels lack them */
	mnl_socket_setsockopt(nl, opt, &one, sizeof(one));
}

/*
 * A generic netlink socket and its buffers, not yet tied to a family
 * (the self-check talks to nlctrl with it).  Returns an exit status.
 */
int kc_socket(struct kc *kc, bool verbose)
{
	memset(kc, 0, sizeof(*kc));
	kc->tx = malloc(BUF_SIZE);
	kc->rx = malloc(BUF_SIZE);
	if (!kc->tx || !kc->rx) {
		kc_close(kc);
		return verbose ? fail("out of memory") : EXIT_FAIL;
	}
	kc->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!kc->nl || mnl_socket_bind(kc->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		if (verbose)
			fail("cannot open a generic netlink socket: %s",
			     strerror(errno));
		kc_close(kc);
		return EXIT_FAIL;
	}
	/* the kernel's reasons for errors, without an echo of a 1 MiB request */
	set_sockopt(kc->nl, NETLINK_EXT_ACK);
	set_sockopt(kc->nl, NETLINK_CAP_ACK);
	kc->portid = mnl_socket_get_portid(kc->nl);
	kc->seq = time(NULL);
	return EXIT_OK;
}

/*
 * Open a socket and find the kcage family.  Prints what went wrong (if
 * @verbose) and returns an exit status: EXIT_NO_KCAGE if kcage.ko is not
 * loaded.
 */
int kc_connect(struct kc *kc, bool verbose)
{
	int ret;

	ret = kc_socket(kc, verbose);
	if (ret)
		return ret;
	ret = kc_resolve(kc, KCAGE_GENL_NAME, KCAGE_GENL_EVENTS, &kc->family,
			 &kc->events_group);
	if (ret == -ENOENT && verbose)
		fprintf(stderr, "kcage: the kcage module is not loaded (modprobe kcage, or insmod kcage.ko)\n");
	else if (ret && verbose)
		kc_perror(kc, ret, "cannot look up the kcage netlink family");
	if (ret)
		kc_close(kc);
	return ret == -ENOENT ? EXIT_NO_KCAGE : ret ? EXIT_FAIL : EXIT_OK;
}

int kc_open(struct kc *kc)
{
	return kc_connect(kc, true);
}

void kc_close(struct kc *kc)
{
	if (kc->nl)
		mnl_socket_close(kc->nl);
	free(kc->tx);
	free(kc->rx);
	memset(kc, 0, sizeof(*kc));
}

/* A request header for @cmd of the kcage family, in kc->tx. */
struct nlmsghdr *kc_request(struct kc *kc, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(kc->tx);
	struct genlmsghdr *g;

	nlh->nlmsg_type = kc->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++kc->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KCAGE_GENL_VERSION;
	return nlh;
}

static int extack_cb(const struct nlattr *a, void *data)
{
	struct kc *kc = data;
	const char *msg;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			break;
		msg = mnl_attr_get_str(a);
		/* we say "kcage: " once */
		if (!strncmp(msg, "kcage: ", 7))
			msg += 7;
		snprintf(kc->errmsg, sizeof(kc->errmsg), "%s", msg);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			kc->miss_type = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* The extended ACK attributes that start @off bytes into @nlh's payload. */
static void read_extack(struct kc *kc, const struct nlmsghdr *nlh, size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, off, extack_cb, kc);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		t->err = -EBADMSG;
		return MNL_CB_STOP;
	}
	/* the request comes back too, unless capped (NETLINK_CAP_ACK) */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	read_extack(t->kc, nlh, off);
	if (e->error == 0 && t->kc->errmsg[0]) {
		/* a success that comes with a word from the kernel */
		fprintf(stderr, "kcage: kernel: %s\n", t->kc->errmsg);
		t->kc->errmsg[0] = '\0';
	}
	if (!t->err)
		t->err = e->error > 0 ? -e->error : e->error;
	return MNL_CB_STOP;
}

/* A dump ends with DONE, carrying its error as an int. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(int));
		read_extack(t->kc, nlh, sizeof(int));
	}
	if (!t->err)
		t->err = err > 0 ? -err : err;
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KCAGE_A_MAX + 1];
	struct talk *t = data;
	int ret;

	if (nlh->nlmsg_type != t->type || t->err)
		return MNL_CB_OK;	/* not ours, or already failed */
	if (t->raw)
		ret = t->raw_cb ? t->raw_cb(nlh, t->data) : MNL_CB_OK;
	else if (kc_parse(nlh, tb))
		ret = MNL_CB_ERROR;
	else
		ret = t->cb ? t->cb(nlh, tb, t->data) : MNL_CB_OK;
	/* on a failure, go on reading up to the ACK: the socket stays usable */
	if (ret == MNL_CB_ERROR)
		t->err = errno > 0 ? -errno : -EPROTO;
	return MNL_CB_OK;
}

/* Netlink refuses a message larger than the socket's send buffer. */
static void make_room(struct kc *kc, size_t len)
{
	int fd = mnl_socket_get_fd(kc->nl);
	int size = len + 4096;

	if (len < 64 * 1024)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

static int run(struct kc *kc, struct nlmsghdr *nlh, struct talk *t)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {	/* libmnl wants it writable */
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	ssize_t n;
	int ret;

	kc->errmsg[0] = '\0';
	kc->miss_type = -1;
	make_room(kc, nlh->nlmsg_len);
	if (mnl_socket_sendto(kc->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(kc->nl, kc->rx, BUF_SIZE);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(kc->rx, n, nlh->nlmsg_seq, kc->portid,
				  data_cb, t, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return errno > 0 ? -errno : -EPROTO;
	} while (ret > MNL_CB_STOP);
	return t->err;
}

/*
 * Send @nlh and hand each reply to @cb, its attributes checked.  A do
 * request is acknowledged (NLM_F_ACK), a dump ends with DONE; both ways
 * this returns 0 or a negative errno, the kernel's message in kc->errmsg.
 */
int kc_talk(struct kc *kc, struct nlmsghdr *nlh, kc_reply_cb cb, void *data)
{
	struct talk t = { .kc = kc, .type = nlh->nlmsg_type, .cb = cb,
			  .data = data };

	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	return run(kc, nlh, &t);
}

/* The same, for other families (nlctrl): @cb parses its replies itself. */
int kc_talk_raw(struct kc *kc, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct talk t = { .kc = kc, .type = nlh->nlmsg_type, .raw = true,
			  .raw_cb = cb, .data = data };

	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	return run(kc, nlh, &t);
}

/*
 * "kcage: WHAT: the kernel's message (strerror)", and a hint for the
 * errors every command can meet.
 */
void kc_perror(const struct kc *kc, int err, const char *fmt, ...)
{
	va_list ap;

	fputs("kcage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (kc->errmsg[0])
		fprintf(stderr, ": %s", kc->errmsg);
	if (kc->miss_type >= 0)
		fprintf(stderr, ": missing attribute '%s'",
			kc_attr_name(kc->miss_type));
	fprintf(stderr, " (%s)\n", strerror(-err));
	if (err == -EPERM && !kc->errmsg[0])
		fprintf(stderr, "kcage: this needs root (CAP_SYS_ADMIN)\n");
}

/* What CTRL_CMD_GETFAMILY tells about a family, and what we look for. */
struct family {
	const char *group;	/* the multicast group wanted, or NULL */
	uint16_t id;
	uint32_t group_id;
};

static int group_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };
	struct family *f = data;
	const struct nlattr *g;

	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(g, a) {
		unsigned int type = mnl_attr_get_type(g);

		if (type == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(g, MNL_TYPE_NUL_STRING) == 0)
			tb[type] = g;
		else if (type == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(g, MNL_TYPE_U32) == 0)
			tb[type] = g;
	}
	if (f->group && tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), f->group))
		f->group_id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct family *f = data;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		f->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		mnl_attr_parse_nested(a, group_cb, f);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			   data) < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * The id of the generic netlink family @name and, if @group is not NULL,
 * of its multicast group @group (0 if it has none of that name).
 * Returns 0, -ENOENT if there is no such family, or another -errno.
 */
int kc_resolve(struct kc *kc, const char *name, const char *group,
	       uint16_t *id, uint32_t *group_id)
{
	struct family f = { .group = group };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(kc->tx);
	struct genlmsghdr *g;
	int ret;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++kc->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = kc_talk_raw(kc, nlh, family_cb, &f);
	if (ret)
		return ret;
	if (!f.id)
		return -EPROTO;
	*id = f.id;
	if (group_id)
		*group_id = f.group_id;
	return 0;
}

/* Join multicast group @group: 0 or -errno (-EPERM: not allowed). */
int kc_join(struct kc *kc, uint32_t group)
{
	if (mnl_socket_setsockopt(kc->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}
