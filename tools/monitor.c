// SPDX-License-Identifier: GPL-2.0
/*
 * kcage monitor: follow violations on the "events" multicast group.
 *
 * Every violation has a sequence number, so nothing is lost silently: the
 * listener joins the group first and only then asks for the last number
 * given (KCAGE_A_LAST_SEQ), and from there on expects one more with every
 * event.  A gap (our socket overflowed) is reported before the event that
 * shows it; events the kernel could not send at all are counted in each
 * event's "dropped".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "kcage.h"

#define RCVBUF_SIZE	(4 << 20)	/* room for bursts: 4 MiB */
#define EVENT_BUF_SIZE	(64 * 1024)	/* one datagram; kc_open gives more */

static const char usage[] =
"Usage: kcage monitor [--json] [--summary] [--count N]\n"
"\n"
"Prints every violation of a sandboxed module as it happens, one line\n"
"each, until interrupted (SIGINT or SIGTERM: exit status 0).  Lost\n"
"events are reported: \"kcage: lost N events (seq A-B)\" (text) or a\n"
"{\"type\":\"lost\",...} line (JSON).  Joining kcage's events needs\n"
"CAP_SYS_ADMIN: they hold kernel addresses.\n"
"\n"
"Options:\n"
"  -j, --json      one JSON object per line (schema in tools/README.md)\n"
"  -c, --count N   exit after N violations\n"
"  -s, --summary   print no events, only one line when the monitor ends:\n"
"                  events received, lost, dropped by the kernel, and the\n"
"                  first and last sequence numbers it covers\n"
"  -h, --help      show this help\n"
"\n"
"Exit status: 0 success (N events seen, or interrupted); 1 the events\n"
"cannot be joined or read; 2 usage error; 3 kcage.ko is not loaded.\n";

/* Start over from @last_seq, the last sequence number already given. */
void monitor_reset(struct monitor *m, uint64_t last_seq)
{
	m->baseline = last_seq;
	m->expected = last_seq + 1;
	m->synced = false;
}

/* The first baseline: the summary counts from there. */
void monitor_start(struct monitor *m, uint64_t last_seq)
{
	monitor_reset(m, last_seq);
	m->first_seq = last_seq + 1;
}

static void report_lost(struct monitor *m, uint64_t first, uint64_t last)
{
	struct json j;

	m->lost += last - first + 1;
	if (m->summary)
		return;
	if (!m->json) {
		fprintf(m->out, "kcage: lost %" PRIu64 " events (seq %" PRIu64
			"-%" PRIu64 ")\n", last - first + 1, first, last);
		fflush(m->out);
		return;
	}
	json_begin(&j, m->out, '{');
	json_str(&j, "type", "lost");
	json_u64(&j, "count", last - first + 1);
	json_u64(&j, "first_seq", first);
	json_u64(&j, "last_seq", last);
	json_end(&j, '}');
}

/*
 * Is @seq the one expected?  Events numbered up to the baseline can come
 * first: they happened while we were joining, and are not a gap (nor
 * counted in the summary).
 */
static void check_seq(struct monitor *m, uint64_t seq)
{
	if (!m->synced) {
		if (seq <= m->baseline)
			return;
		m->synced = true;
	}
	m->counted++;
	if (seq > m->expected) {
		report_lost(m, m->expected, seq - 1);
	} else if (seq < m->expected) {
		fflush(m->out);
		fprintf(stderr, "kcage: sequence numbers went back from %" PRIu64
			" to %" PRIu64 ": kcage.ko was reloaded; counting from there\n",
			m->expected - 1, seq);
	}
	m->expected = seq + 1;
}

/* "2026-11-25T08:37:11.123456Z" */
static void iso_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = ns / 1000000000u;
	struct tm tm;
	size_t n = 0;

	if (gmtime_r(&sec, &tm))
		n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + n, len - n, ".%06" PRIu64 "Z", ns % 1000000000u / 1000);
}

/* An enum's name, or its number if this tool does not know it. */
static const char *enum_name(const char *(*name_of)(unsigned int),
			     unsigned int v, char *buf, size_t len)
{
	const char *name = name_of(v);

	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

struct event {
	const struct nlattr *const *tb;
	char time[40];
	const char *kind;
	const char *action;
	char kind_buf[12];
	char action_buf[12];
};

/* In JSON, an attribute the kernel did not send is null. */
static void j_num(struct json *j, const char *key,
		  const struct nlattr *const *tb, unsigned int type)
{
	if (!tb[type])
		json_null(j, key);
	else if (mnl_attr_get_payload_len(tb[type]) == sizeof(uint32_t))
		json_u64(j, key, kc_u32(tb, type));
	else
		json_u64(j, key, kc_u64(tb, type));
}

static void j_hex(struct json *j, const char *key,
		  const struct nlattr *const *tb, unsigned int type)
{
	if (tb[type])
		json_hex(j, key, kc_u64(tb, type));
	else
		json_null(j, key);
}

static void j_str(struct json *j, const char *key,
		  const struct nlattr *const *tb, unsigned int type,
		  const char *value)
{
	json_str(j, key, tb[type] ? value : NULL);
}

static void print_json(struct monitor *m, const struct event *ev)
{
	const struct nlattr *const *tb = ev->tb;
	struct json j;

	json_begin(&j, m->out, '{');
	json_str(&j, "type", "violation");
	j_num(&j, "seq", tb, KCAGE_A_SEQ);
	j_num(&j, "time_ns", tb, KCAGE_A_TIME_NS);
	j_str(&j, "time", tb, KCAGE_A_TIME_NS, ev->time);
	j_str(&j, "module", tb, KCAGE_A_MODULE, kc_str(tb, KCAGE_A_MODULE));
	j_str(&j, "kind", tb, KCAGE_A_KIND, ev->kind);
	j_str(&j, "action", tb, KCAGE_A_ACTION, ev->action);
	j_hex(&j, "pc", tb, KCAGE_A_PC);
	j_str(&j, "symbol", tb, KCAGE_A_SYMBOL, kc_str(tb, KCAGE_A_SYMBOL));
	j_hex(&j, "addr", tb, KCAGE_A_ADDR);
	j_num(&j, "size", tb, KCAGE_A_SIZE);
	j_num(&j, "cpu", tb, KCAGE_A_CPU);
	j_num(&j, "pid", tb, KCAGE_A_PID);
	j_str(&j, "comm", tb, KCAGE_A_COMM, kc_str(tb, KCAGE_A_COMM));
	j_str(&j, "rule", tb, KCAGE_A_RULE, kc_str(tb, KCAGE_A_RULE));
	j_str(&j, "detail", tb, KCAGE_A_DETAIL, kc_str(tb, KCAGE_A_DETAIL));
	j_num(&j, "dropped", tb, KCAGE_A_DROPPED);
	j_str(&j, "target", tb, KCAGE_A_TARGET, kc_str(tb, KCAGE_A_TARGET));
	json_end(&j, '}');
}

/* " key=value", value as one safe word; nothing if the kernel sent none. */
static void text_str(FILE *f, const char *key, const struct nlattr *const *tb,
		     unsigned int type)
{
	if (!tb[type])
		return;
	fprintf(f, " %s=", key);
	text_word(f, kc_str(tb, type));
}

static void text_num(FILE *f, const char *key, const struct nlattr *const *tb,
		     unsigned int type, bool hex)
{
	uint64_t v;

	if (!tb[type])
		return;
	if (mnl_attr_get_payload_len(tb[type]) == sizeof(uint32_t))
		v = kc_u32(tb, type);
	else
		v = kc_u64(tb, type);
	fprintf(f, hex ? " %s=0x%" PRIx64 : " %s=%" PRIu64, key, v);
}

/* "pc=func+0x1c/0x40 (0xffffffffc0001234)", as much as the kernel sent. */
static void text_pc(FILE *f, const struct nlattr *const *tb)
{
	const char *sym = kc_str(tb, KCAGE_A_SYMBOL);

	if (sym && *sym) {
		fputs(" pc=", f);
		text_word(f, sym);
		if (tb[KCAGE_A_PC])
			fprintf(f, " (0x%" PRIx64 ")", kc_u64(tb, KCAGE_A_PC));
	} else {
		text_num(f, "pc", tb, KCAGE_A_PC, true);
	}
}

/* One line, in the spirit of the kernel log's "kcage: violation ..." */
static void print_text(struct monitor *m, const struct event *ev)
{
	const struct nlattr *const *tb = ev->tb;
	FILE *f = m->out;

	fprintf(f, "seq=%" PRIu64, kc_u64(tb, KCAGE_A_SEQ));
	if (tb[KCAGE_A_TIME_NS])
		fprintf(f, " time=%s", ev->time);
	text_str(f, "module", tb, KCAGE_A_MODULE);
	if (tb[KCAGE_A_KIND])
		fprintf(f, " kind=%s", ev->kind);
	if (tb[KCAGE_A_ACTION])
		fprintf(f, " action=%s", ev->action);
	text_pc(f, tb);
	text_num(f, "addr", tb, KCAGE_A_ADDR, true);
	text_num(f, "size", tb, KCAGE_A_SIZE, false);
	text_num(f, "cpu", tb, KCAGE_A_CPU, false);
	text_num(f, "pid", tb, KCAGE_A_PID, false);
	text_str(f, "comm", tb, KCAGE_A_COMM);
	text_str(f, "rule", tb, KCAGE_A_RULE);
	text_str(f, "detail", tb, KCAGE_A_DETAIL);
	text_num(f, "dropped", tb, KCAGE_A_DROPPED, false);
	text_str(f, "target", tb, KCAGE_A_TARGET);
	fputc('\n', f);
	fflush(f);
}

/* A KCAGE_CMD_VIOLATION event: report any gap before it, then print it. */
void monitor_event(struct monitor *m, const struct nlattr *const *tb)
{
	struct event ev = { .tb = tb };

	if (tb[KCAGE_A_SEQ])
		check_seq(m, kc_u64(tb, KCAGE_A_SEQ));
	m->dropped += kc_u64(tb, KCAGE_A_DROPPED);
	m->events++;
	if (m->summary)
		return;
	iso_time(kc_u64(tb, KCAGE_A_TIME_NS), ev.time, sizeof(ev.time));
	ev.kind = enum_name(kcp_kind_name, kc_u8(tb, KCAGE_A_KIND), ev.kind_buf,
			    sizeof(ev.kind_buf));
	ev.action = enum_name(kcp_action_name, kc_u8(tb, KCAGE_A_ACTION),
			      ev.action_buf, sizeof(ev.action_buf));
	if (m->json)
		print_json(m, &ev);
	else
		print_text(m, &ev);
}

/*
 * --summary: what the listener saw from its start on.  Unless kcage.ko
 * was reloaded meanwhile, events + lost = last_seq - first_seq + 1.
 */
void monitor_summary(const struct monitor *m)
{
	uint64_t last = m->expected - 1;
	struct json j;

	if (!m->json) {
		fprintf(m->out, "kcage: summary: events=%" PRIu64 " lost=%" PRIu64
			" dropped=%" PRIu64 " first_seq=%" PRIu64 " last_seq=%"
			PRIu64 "\n", m->counted, m->lost, m->dropped,
			m->first_seq, last);
		fflush(m->out);
		return;
	}
	json_begin(&j, m->out, '{');
	json_str(&j, "type", "summary");
	json_u64(&j, "events", m->counted);
	json_u64(&j, "lost", m->lost);
	json_u64(&j, "dropped", m->dropped);
	json_u64(&j, "first_seq", m->first_seq);
	json_u64(&j, "last_seq", last);
	json_end(&j, '}');
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/*
 * SIGINT and SIGTERM end the monitor, with its summary.  They are blocked
 * except while it waits for events (@wait, for ppoll()), so that one
 * cannot slip in between the check of @stop and the wait.
 */
static void catch_signals(sigset_t *wait)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, wait);
	sigdelset(wait, SIGINT);
	sigdelset(wait, SIGTERM);
}

/* Room for bursts; the forced size needs CAP_NET_ADMIN, the other not. */
static void grow_rcvbuf(struct kc *ev)
{
	int fd = mnl_socket_get_fd(ev->nl);
	int size = RCVBUF_SIZE;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int join_events(struct kc *ev, uint32_t group)
{
	int ret;

	if (!group)
		return fail("kcage.ko has no '%s' multicast group: is it from another version?",
			    KCAGE_GENL_EVENTS);
	ret = kc_join(ev, group);
	if (ret == -EPERM || ret == -EACCES)
		return fail("joining kcage events needs CAP_SYS_ADMIN");
	if (ret)
		return fail("cannot join kcage events: %s", strerror(-ret));
	return EXIT_OK;
}

/*
 * Also follow nlctrl's notifications, to see kcage.ko unloaded and loaded
 * again: the kernel drops our membership with the family.  Optional.
 */
static void join_nlctrl(struct kc *ev)
{
	uint16_t id;
	uint32_t group = 0;

	if (!kc_resolve(ev, "nlctrl", "notify", &id, &group) && group)
		kc_join(ev, group);
}

/*
 * Join first, then read the baseline: a violation between the two is
 * then both received and at most the baseline (not a false gap).
 * @req is a second socket, so that no reply mixes with the events.
 */
static int start(struct monitor *m, struct kc *ev, struct kc *req)
{
	struct stats st;
	int ret;

	ret = join_events(ev, req->events_group);
	if (ret)
		return ret;
	ev->family = req->family;
	ret = stats_get(req, &st);
	if (ret) {
		kc_perror(req, ret, "cannot read kcage's last sequence number");
		return EXIT_FAIL;
	}
	monitor_reset(m, st.last_seq);
	return EXIT_OK;
}

/* kcage.ko came back: find its new family and group, and start again. */
static void restart(struct monitor *m, struct kc *ev, struct kc *req)
{
	kc_close(req);
	if (kc_open(req) || start(m, ev, req)) {
		fprintf(stderr, "kcage: cannot follow the new kcage.ko; still waiting\n");
		return;
	}
	fprintf(stderr, "kcage: kcage.ko is loaded again; listening\n");
}

static int ctrl_name_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*(const char **)data = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

static void on_ctrl(struct monitor *m, struct kc *ev, struct kc *req,
		    const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const char *name = NULL;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return;
	mnl_attr_parse(nlh, sizeof(*g), ctrl_name_cb, &name);
	if (!name || strcmp(name, KCAGE_GENL_NAME))
		return;
	if (g->cmd == CTRL_CMD_DELFAMILY)
		fprintf(stderr, "kcage: kcage.ko was unloaded; waiting for it to come back\n");
	else if (g->cmd == CTRL_CMD_NEWFAMILY)
		restart(m, ev, req);
}

static void on_message(struct monitor *m, struct kc *ev, struct kc *req,
		       const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[KCAGE_A_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		on_ctrl(m, ev, req, nlh);
		return;
	}
	if (nlh->nlmsg_type != ev->family || kc_parse(nlh, tb) ||
	    g->cmd != KCAGE_CMD_VIOLATION)
		return;
	monitor_event(m, tb);
}

/*
 * Our socket overflowed: the gap shows with the next event.  In a flood
 * that happens all the time, so say it at most once a second.
 */
static void report_overflow(void)
{
	static unsigned long times;
	static time_t said;
	struct timespec now;

	times++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (said && now.tv_sec == said)
		return;
	if (times == 1)
		fprintf(stderr, "kcage: socket overflowed; events lost\n");
	else
		fprintf(stderr, "kcage: socket overflowed; events lost (%lu times)\n",
			times);
	said = now.tv_sec;
	times = 0;
}

/* Wait for the next datagram, or a signal: 0, 1 (stop), or -errno. */
static int wait_events(struct kc *ev, const sigset_t *wait)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(ev->nl), .events = POLLIN };

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, wait) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
	return 1;
}

static int listen_events(struct monitor *m, struct kc *ev, struct kc *req,
			 unsigned long count, const sigset_t *wait)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len, ret;

	while (!(ret = wait_events(ev, wait))) {
		n = mnl_socket_recvfrom(ev->nl, ev->rx, EVENT_BUF_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			report_overflow();
			continue;
		}
		if (n < 0 && errno == ENOSPC) {
			/* truncated: not an event (they are a few hundred bytes) */
			fprintf(stderr, "kcage: skipped a notification too large to read\n");
			continue;
		}
		if (n < 0)
			return fail("cannot read events: %s", strerror(errno));
		len = n;
		for (nlh = (const void *)ev->rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			on_message(m, ev, req, nlh);
			if (count && m->events >= count)
				return EXIT_OK;
		}
	}
	if (ret < 0)
		return fail("cannot wait for events: %s", strerror(-ret));
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, struct monitor *m,
		      unsigned long *count)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *end;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "jc:sh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			m->json = true;
			break;
		case 's':
			m->summary = true;
			break;
		case 'c':
			errno = 0;
			*count = strtoul(optarg, &end, 10);
			if (errno || *end || !*count || *optarg == '-')
				return usage_error("monitor", "--count wants a number of events, 1 or more, not '%s'",
						   optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EXIT_OK);
		default:
			return try_help("monitor");
		}
	}
	if (optind < argc)
		return usage_error("monitor", "unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor m = { .out = stdout };
	unsigned long count = 0;
	struct kc ev, req;
	sigset_t wait;
	int ret;

	ret = parse_args(argc, argv, &m, &count);
	if (ret)
		return ret;
	catch_signals(&wait);
	ret = kc_open(&ev);
	if (ret)
		return ret;
	ret = kc_open(&req);
	if (ret) {
		kc_close(&ev);
		return ret;
	}
	join_nlctrl(&ev);
	grow_rcvbuf(&ev);
	ret = start(&m, &ev, &req);
	if (!ret) {
		monitor_start(&m, m.baseline);
		ret = listen_events(&m, &ev, &req, count, &wait);
	}
	if (!ret && m.summary)
		monitor_summary(&m);
	kc_close(&req);
	kc_close(&ev);
	return ret;
}
