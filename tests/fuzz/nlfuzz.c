// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: send the kcage generic netlink family malformed and semi-valid
 * requests, read every reply, and say what came back.  A finished run
 * exits 0 whatever the kernel answered: the verdict is the kernel's (no
 * oops, KASAN or lockdep report, state unchanged), which the VM test
 * checks.  See README.md for what is generated and how the fuzzer keeps
 * to its own dummy module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "kcage/netlink.h"
#include "kcage/policy.h"
#include "nlfuzz.h"

enum {
	EXIT_DONE = 0,
	EXIT_SETUP = 1,		/* no netlink socket */
	EXIT_USAGE = 2,		/* bad arguments, unreadable or invalid --policy */
	EXIT_NO_FAMILY = 3,	/* no such family (kcage.ko not loaded), or not kcage's */
};

struct opts {
	unsigned long long seed;
	unsigned long iterations;
	const char *family;
	const char *policy;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: nlfuzz [--seed N] [--iterations N] [--family NAME] [--policy FILE.kcp]\n"
"\n"
"Sends the generic netlink family NAME (default kcage) N (default 10000)\n"
"malformed and semi-valid requests generated from seed N (default 1),\n"
"reads every reply, and prints one line: messages sent, acks, errors by\n"
"errno.  Policies it sends are mutants of FILE.kcp (or of a built-in one)\n"
"re-homed to the module '" VICTIM "', and every module name it sends\n"
"starts with '" NAME_PREFIX "': it touches nothing else, and removes its\n"
"dummy policy at the end.\n"
"\n"
"Exit status: 0 finished; 1 no netlink socket; 2 usage error or bad\n"
"--policy file; 3 the family is not registered, or is not kcage's.\n");
}

static int number(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || !*s || *end || *s == '-' ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "family", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;

	while ((c = getopt_long(argc, argv, "s:n:f:p:h", longs, NULL)) != -1) {
		switch (c) {
		case 's':
			if (number(optarg, &o->seed))
				return -1;
			break;
		case 'n':
			if (number(optarg, &v) || v > (unsigned long)-1)
				return -1;
			o->iterations = v;
			break;
		case 'f':
			o->family = optarg;
			break;
		case 'p':
			o->policy = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_DONE);
		default:
			return -1;
		}
	}
	return optind == argc && *o->family ? 0 : -1;
}

/* A whole file of at most KCP_MAX_SIZE bytes, or NULL. */
static uint8_t *read_file(const char *path, size_t *n)
{
	uint8_t *b = aligned_alloc(8, KCP_MAX_SIZE + 8);
	FILE *f = fopen(path, "rb");

	if (f && b) {
		*n = fread(b, 1, KCP_MAX_SIZE + 1, f);
		if (!ferror(f) && *n <= KCP_MAX_SIZE) {
			fclose(f);
			return b;
		}
	}
	if (f)
		fclose(f);
	free(b);
	return NULL;
}

/* The valid policy every mutant starts from. */
static int base_blob(const struct opts *o, struct blob *base)
{
	const char *why;
	uint8_t *in;
	size_t n = 0;
	int ret;

	if (!o->policy)
		return blob_builtin(base);
	in = read_file(o->policy, &n);
	if (!in) {
		fprintf(stderr, "nlfuzz: %s: cannot read (or larger than %u bytes)\n",
			o->policy, KCP_MAX_SIZE);
		return -1;
	}
	ret = blob_rehome(in, n, base, &why);
	if (ret)
		fprintf(stderr, "nlfuzz: %s: %s\n", o->policy, why);
	free(in);
	return ret;
}

/* Remove the dummy policy: 0, -ENOENT (none left), or why not. */
static int remove_victim(int fd, uint16_t family)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		struct nlattr a;
		char name[NLA_ALIGN(sizeof(VICTIM))];
	} req;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_HDRLEN + sizeof(VICTIM));
	req.h.nlmsg_type = family;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 0x6e6c6676;
	req.g.cmd = KCAGE_CMD_POLICY_REMOVE;
	req.g.version = KCAGE_GENL_VERSION;
	req.a.nla_type = KCAGE_A_MODULE;
	req.a.nla_len = NLA_HDRLEN + sizeof(VICTIM);
	memcpy(req.name, VICTIM, sizeof(VICTIM));
	return nl_request(fd, &req, req.h.nlmsg_len, 2000);
}

static void print_counts(const char *what, const unsigned long *c)
{
	const char *sep = "";
	int e;

	printf("%s", what);
	for (e = 0; e < NR_ERRNO; e++) {
		if (!c[e])
			continue;
		printf("%s%s=%lu", sep, e ? errno_name(e) : "other", c[e]);
		sep = ", ";
	}
	if (!*sep)
		printf("none");
}

static void summary(const struct stats *st, const struct opts *o, int cleanup)
{
	printf("nlfuzz: %lu messages, %lu acks, ", st->sent, st->acks);
	print_counts("errors: ", st->err);
	printf("; %lu replies, %lu dumps done, %lu lost, %lu truncated; ",
	       st->data, st->done, st->lost, st->truncated);
	print_counts("send failed: ", st->send_err);
	printf("; %lu defused, %lu withheld; cleanup: %s; seed %llu\n",
	       st->defused, st->withheld,
	       cleanup == 0 ? "removed" : cleanup == -ENOENT ? "nothing left" :
	       errno_name(-cleanup), o->seed);
}

/*
 * The family's id, if it is kcage's: guard.c knows kcage's attributes
 * only, and random commands to another family (nl80211, devlink, ...)
 * could change the machine.  Returns 0 or the exit status.
 */
static int find_family(int fd, const char *name, uint16_t *id)
{
	struct nl_family_info f;
	int err = nl_family(fd, name, &f);

	if (err) {
		fprintf(stderr, "nlfuzz: generic netlink family '%s' %s\n", name,
			err == -ENOENT ? "not found (is kcage.ko loaded?)" :
			strerror(-err));
		return err == -ENOENT ? EXIT_NO_FAMILY : EXIT_SETUP;
	}
	if (f.version != KCAGE_GENL_VERSION || f.maxattr != KCAGE_A_MAX) {
		fprintf(stderr, "nlfuzz: family '%s' is not kcage's (version %u, "
			"%u attributes; kcage: %u, %u): not fuzzing it\n", name,
			f.version, f.maxattr, KCAGE_GENL_VERSION, KCAGE_A_MAX);
		return EXIT_NO_FAMILY;
	}
	*id = f.id;
	return 0;
}

static void fuzz(int fd, uint16_t family, const struct opts *o,
		 const struct blob *base, struct stats *st)
{
	struct msgbuf m = { .b = aligned_alloc(8, MSG_CAP) };
	uint32_t seq = 0;
	unsigned long i;

	if (!m.b)
		abort();
	for (i = 0; i < o->iterations; i++) {
		st->defused += gen_datagram(&m, family, &seq, base);
		st->defused += guard_datagram(m.b, m.len, family);
		/* Fixes are local and final; if one ever were not, do not send. */
		if (guard_datagram(m.b, m.len, family)) {
			st->withheld++;
			continue;
		}
		nl_send(fd, m.b, m.len, st);
		nl_drain(fd, st, 0);
	}
	nl_drain(fd, st, 200);	/* anything late */
	free(m.b);
}

int main(int argc, char **argv)
{
	struct opts o = { .seed = 1, .iterations = 10000, .family = KCAGE_GENL_NAME };
	static struct stats st;
	struct blob base;
	uint16_t family;
	int fd, err;

	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	rng_seed(o.seed);
	if (base_blob(&o, &base))
		return EXIT_USAGE;
	fd = nl_open();
	if (fd < 0) {
		fprintf(stderr, "nlfuzz: generic netlink socket: %s\n", strerror(-fd));
		return EXIT_SETUP;
	}
	err = find_family(fd, o.family, &family);
	if (err) {
		close(fd);
		return err;
	}
	fuzz(fd, family, &o, &base, &st);
	summary(&st, &o, remove_victim(fd, family));
	close(fd);
	free(base.b);
	return EXIT_DONE;
}
