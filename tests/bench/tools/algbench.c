// SPDX-License-Identifier: GPL-2.0
/*
 * algbench: hash or encrypt a buffer many times through the kernel's
 * AF_ALG sockets, for make bench (tests/bench/vm/crypto.sh).
 *
 *   algbench hash ALG SIZE COUNT          e.g. hash sha256-avx2 4096 20000
 *   algbench skcipher ALG SIZE COUNT      e.g. skcipher cbc-aes-aesni 4096 20000
 *
 * ALG is an algorithm or a driver name (/proc/crypto); a driver name
 * pins the implementation the benchmark measures.  Each operation's
 * output feeds the next one's input (a digest is folded into the buffer,
 * a ciphertext becomes the next plaintext), so the one line printed,
 *
 *   algbench: sha256-avx2 20000 x 4096 bytes sum=0123456789abcdef
 *
 * depends on every operation: a wrong result anywhere changes the sum.
 */
#include <errno.h>
#include <linux/if_alg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define MAX_DIGEST 64
#define AES_BLOCK 16

/* FNV-1a, 64 bits: enough to tell one run's outputs from another's. */
static uint64_t fnv(uint64_t h, const uint8_t *p, size_t len)
{
	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static void die(const char *what)
{
	fprintf(stderr, "algbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* An operation socket for @alg of @type, keyed with @key if not NULL. */
static int alg_open(const char *type, const char *alg, const uint8_t *key,
		    size_t keylen)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	int tfm, op;

	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", type);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", alg);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		die("socket(AF_ALG)");
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)))
		die(alg);
	if (key && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen))
		die("ALG_SET_KEY");
	op = accept(tfm, NULL, 0);
	if (op < 0)
		die("accept");
	return op;
}

static void fill(uint8_t *buf, size_t len)
{
	uint32_t x = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = x >> 16;
	}
}

/* Digest @buf, fold the digest into it, @count times. */
static uint64_t bench_hash(int op, uint8_t *buf, size_t size, long count)
{
	uint8_t digest[MAX_DIGEST];
	uint64_t sum = 0xcbf29ce484222325ull;
	ssize_t dlen = 0;
	long i;
	ssize_t j;

	for (i = 0; i < count; i++) {
		if (send(op, buf, size, 0) != (ssize_t)size)
			die("send");
		dlen = read(op, digest, sizeof(digest));
		if (dlen <= 0)
			die("read digest");
		for (j = 0; j < dlen; j++)
			buf[(i * dlen + j) % size] ^= digest[j];
		sum = fnv(sum, digest, dlen);
	}
	return sum;
}

/* Encrypt @buf in place (CBC: the IV chains too), @count times. */
static uint64_t bench_skcipher(int op, uint8_t *buf, size_t size, long count)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t)) +
		  CMSG_SPACE(sizeof(struct af_alg_iv) + AES_BLOCK)] = { 0 };
	uint8_t iv[AES_BLOCK] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *c;
	struct af_alg_iv *aiv;
	long i;

	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(*aiv) + AES_BLOCK);
	aiv = (struct af_alg_iv *)CMSG_DATA(c);
	aiv->ivlen = AES_BLOCK;
	for (i = 0; i < count; i++) {
		memcpy(aiv->iv, iv, AES_BLOCK);
		if (sendmsg(op, &msg, 0) != (ssize_t)size)
			die("sendmsg");
		if (read(op, buf, size) != (ssize_t)size)
			die("read ciphertext");
		memcpy(iv, buf + size - AES_BLOCK, AES_BLOCK);
	}
	return fnv(0xcbf29ce484222325ull, buf, size);
}

int main(int argc, char **argv)
{
	static const uint8_t key[16] = "kcage-bench-key";
	uint8_t *buf;
	size_t size;
	long count;
	uint64_t sum;
	int op;

	if (argc != 5 || (strcmp(argv[1], "hash") && strcmp(argv[1], "skcipher"))) {
		fprintf(stderr, "usage: algbench hash|skcipher ALG SIZE COUNT\n");
		return 2;
	}
	size = strtoul(argv[3], NULL, 0);
	count = strtol(argv[4], NULL, 0);
	if (!size || size % AES_BLOCK || count <= 0) {
		fprintf(stderr, "algbench: SIZE must be a positive multiple of %d, COUNT positive\n",
			AES_BLOCK);
		return 2;
	}
	buf = malloc(size);
	if (!buf)
		die("malloc");
	fill(buf, size);
	if (!strcmp(argv[1], "hash")) {
		op = alg_open("hash", argv[2], NULL, 0);
		sum = bench_hash(op, buf, size, count);
	} else {
		op = alg_open("skcipher", argv[2], key, sizeof(key));
		sum = bench_skcipher(op, buf, size, count);
	}
	printf("algbench: %s %ld x %zu bytes sum=%016llx\n", argv[2], count, size,
	       (unsigned long long)sum);
	return 0;
}
