/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz: malformed and semi-valid requests to the kcage generic netlink
 * family, run inside the test VM (README.md here).  Shared declarations
 * of its parts: the random source, policy blobs, message generation, the
 * safety guard and the socket.
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The only module a policy the fuzzer sends may name, and the prefix of
 * every name it puts in KCAGE_A_MODULE: no real module is called so, so
 * fuzzing cannot replace, remove, switch or release anything but its own
 * dummy policy (guard.c makes sure; main.c removes the dummy at the end).
 */
#define VICTIM		"nlfuzz_victim"
#define NAME_PREFIX	"nlfuzz"

/*
 * A datagram's room: a little more than the default socket send buffer
 * (net.core.wmem_default, 212992), so that the largest sometimes draw
 * EMSGSIZE from sendmsg instead of reaching the family.
 */
#define MSG_CAP		(256 * 1024)

#define NR_ERRNO	4096	/* errno values counted individually */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* rng.c: xorshift64*, so that a seed replays a run exactly. */
void rng_seed(uint64_t seed);
uint64_t rnd(void);
uint32_t below(uint32_t n);		/* 0 .. n - 1; 0 for n == 0 */
bool one_in(uint32_t n);
void rnd_fill(void *p, size_t n);

/* blob.c: compiled policies (include/uapi/kcage/policy.h) and mutants. */
struct blob {
	uint8_t *b;
	size_t n;
};

uint32_t blob_crc(const uint8_t *b, size_t n);
void blob_seal(uint8_t *b, size_t n);
int blob_builtin(struct blob *out);
int blob_rehome(const uint8_t *in, size_t n, struct blob *out,
		const char **why);
unsigned int blob_mutate(const struct blob *base, struct blob *out);
bool blob_foreign(const uint8_t *b, size_t n);

/* gen.c: one datagram of one or more netlink messages. */
struct msgbuf {
	uint8_t *b;		/* MSG_CAP bytes, 8-byte aligned */
	size_t len;
};

unsigned int gen_datagram(struct msgbuf *m, uint16_t family, uint32_t *seq,
		  const struct blob *base);

/* guard.c: returns how many places it had to defuse. */
unsigned int guard_datagram(uint8_t *buf, size_t len, uint16_t family);

/* nl.c: the socket, family lookup, sending and counting replies. */
struct stats {
	unsigned long sent;		/* datagrams sendmsg took */
	unsigned long acks;		/* NLMSG_ERROR with error 0 */
	unsigned long data;		/* replies with attributes */
	unsigned long done;		/* NLMSG_DONE: dumps finished */
	unsigned long lost;		/* ENOBUFS: replies the socket dropped */
	unsigned long truncated;	/* replies larger than our buffer */
	unsigned long defused;		/* places guard.c or blob.c fixed */
	unsigned long withheld;		/* datagrams not sent: the guard failed */
	unsigned long err[NR_ERRNO];	/* NLMSG_ERROR, by errno */
	unsigned long send_err[NR_ERRNO];	/* sendmsg failures, by errno */
};

struct nl_family_info {
	uint16_t id;
	uint32_t version;
	uint32_t maxattr;
};

int nl_open(void);
int nl_family(int fd, const char *name, struct nl_family_info *f);
int nl_send(int fd, const void *buf, size_t len, struct stats *st);
void nl_drain(int fd, struct stats *st, int timeout_ms);
int nl_request(int fd, const void *buf, size_t len, int timeout_ms);
const char *errno_name(int e);

#endif /* NLFUZZ_H */
