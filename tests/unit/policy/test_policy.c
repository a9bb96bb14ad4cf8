// SPDX-License-Identifier: GPL-2.0
/*
 * User-space tests of the policy codec (policy/), built with ASan and
 * UBSan: round trips, the encoder's refusals, every truncation and bit
 * flip, damage behind a valid checksum, a bounded mutation-fuzz pass, and
 * the crash-regression corpus (files named on the command line).
 */
#include <stdio.h>
#include <stdlib.h>
#include "samples.h"
#include "../unit.h"

static int decode(void *b, long n, struct kcp_view *v, struct kcp_error *e)
{
	return kcp_decode(b, n, v, e);
}

static void round_trip(void)
{
	struct kcp_policy p;
	struct kcp_error err;
	struct kcp_view v;
	long n, n2;
	void *b, *b2;
	u32 i;

	sample_policy(0, &p);
	b = sample_blob(0, &n);
	UNIT_EXPECT(!decode(b, n, &v, &err), "decode: %s", err.msg);
	UNIT_EXPECT(!strcmp(kcp_str(&v, v.hdr->module), p.module), "module");
	UNIT_EXPECT(v.hdr->mode == p.mode && v.hdr->default_action == p.default_action &&
		    !memcmp(v.hdr->actions, p.actions, KCP_NR_KINDS), "header fields");
	for (i = 0; i < p.lists[KCP_LIST_CALL_ALLOW].n; i++)
		UNIT_EXPECT(!strcmp(kcp_str(&v, v.lists[KCP_LIST_CALL_ALLOW][i].name),
				    p.lists[KCP_LIST_CALL_ALLOW].v[i]), "allow %u", i);
	UNIT_EXPECT(v.nr_arg_rules == p.nr_arg_rules &&
		    v.arg_rules[0].size_arg == 3 && v.arg_rules[1].check == KCP_ARG_OWNED,
		    "argument rules");
	UNIT_EXPECT(v.nr_privs == p.nr_privs && le32_to_cpu(v.privs[2].lo) == 0x60,
		    "privileged rules");
	b2 = sample_blob(0, &n2);
	UNIT_EXPECT(n == n2 && !memcmp(b, b2, n), "encoding is deterministic");
	free(b);
	free(b2);
}

/* Each rule of the format, broken in the model, is refused by the encoder. */
static void encoder_refuses(void)
{
	static const char *const empty[] = { "" };
	char long_name[KCP_NAME_MAX + 2];
	struct kcp_policy p;
	struct kcp_region_m bad_region = { "x", 4, 0, 8 };
	struct kcp_priv_m bad_priv = { KCP_PRIV_CLI, 1, 1 };
	struct kcp_priv_m bad_range = { KCP_PRIV_IN, 9, 8 };
	struct kcp_alloc_m both = { .function = "f", .size_arg = 1, .size = 8 };
	struct kcp_alloc_m string_and_size = { .function = "f", .string_arg = 1, .size = 8 };
	struct kcp_alloc_m string_arg_7 = { .function = "f", .string_arg = 7 };
	struct kcp_alloc_m mapped_and_arg = {
		.function = "f", .result_size = KCP_RESULT_MAPPING, .size_arg = 1
	};
	struct kcp_alloc_m result_size_3 = { .function = "f", .result_size = 3 };

	sample_policy(1, &p);
	p.module = NULL;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "no module");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	p.module = long_name;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "name too long");
	sample_policy(1, &p);
	p.lists[KCP_LIST_CALL_DENY] = (struct kcp_names){ (const char **)empty, 1 };
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "empty name");
	sample_policy(1, &p);
	p.mode = KCP_NR_MODES;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "mode");
	sample_policy(1, &p);
	p.regions = &bad_region;
	p.nr_regions = 1;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "access");
	sample_policy(1, &p);
	p.privs = &bad_priv;
	p.nr_privs = 1;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "range on cli");
	p.privs = &bad_range;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "lo > hi");
	sample_policy(1, &p);
	p.allocs = &both;
	p.nr_allocs = 1;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "size_arg and size");
	p.allocs = &string_and_size;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "string_arg and size");
	p.allocs = &string_arg_7;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "string_arg 7");
	p.allocs = &mapped_and_arg;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "mapped and size_arg");
	p.allocs = &result_size_3;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "result_size 3");
}

/*
 * Header flags: both known bits survive a round trip, and a bit this
 * version does not define is refused by the encoder and the decoder (a
 * newer policyc's restriction must not be silently dropped).
 */
static void header_flags(void)
{
	const u32 unknown = KCP_FLAG_NO_RELEASE << 1;
	struct kcp_policy p;
	struct kcp_error err;
	struct kcp_view v;
	struct kcp_header *h;
	long n;
	u8 *b;

	sample_policy(1, &p);
	p.flags = KCP_FLAG_CHECK_READS | KCP_FLAG_NO_RELEASE;
	n = kcp_encode(&p, NULL, 0);
	b = aligned_alloc(8, (n + 7) & ~7l);
	UNIT_EXPECT(b && kcp_encode(&p, b, n) == n, "encode");
	if (!b)
		return;
	h = (void *)b;
	UNIT_EXPECT(!decode(b, n, &v, &err), "decode: %s", err.msg);
	UNIT_EXPECT(le32_to_cpu(v.hdr->flags) == p.flags, "flags 0x%x",
		    le32_to_cpu(v.hdr->flags));
	h->flags = cpu_to_le32(KCP_FLAG_NO_RELEASE | unknown);
	reseal(b, n);
	UNIT_EXPECT(decode(b, n, &v, &err) == -EINVAL &&
		    !strcmp(err.msg, "unknown flags 0x6"), "%s", err.msg);
	p.flags = unknown;
	UNIT_EXPECT(kcp_encode(&p, NULL, 0) == -EINVAL, "unknown flag encoded");
	free(b);
}

static void every_truncation_refused(void)
{
	struct kcp_error err;
	struct kcp_view v;
	long n, i;
	void *b = sample_blob(0, &n);

	for (i = 0; i < n; i++)
		UNIT_EXPECT(decode(b, i, &v, &err) < 0, "%ld bytes accepted", i);
	free(b);
}

static void every_bit_flip_refused(void)
{
	struct kcp_error err;
	struct kcp_view v;
	long n, i;
	u8 *b = sample_blob(0, &n);
	int bit;

	for (i = 0; i < n; i++)
		for (bit = 0; bit < 8; bit++) {
			b[i] ^= 1 << bit;
			UNIT_EXPECT(decode(b, n, &v, &err) < 0, "byte %ld bit %d", i, bit);
			b[i] ^= 1 << bit;
		}
	UNIT_EXPECT(!decode(b, n, &v, &err), "restored: %s", err.msg);
	free(b);
}

/* A decoder error names what is wrong (the message is part of the ABI). */
static void resealed_damage_messages(void)
{
	struct kcp_error err;
	struct kcp_view v;
	long n;
	u8 *b = sample_blob(0, &n);
	struct kcp_header *h = (void *)b;
	struct kcp_arg_rule *r = (void *)(b + le32_to_cpu(h->sections[KCP_SEC_ARG_RULES].offset));

	r[1].size_arg = 2;	/* an "owned" rule has no size */
	reseal(b, n);
	UNIT_EXPECT(decode(b, n, &v, &err) == -EINVAL &&
		    !strcmp(err.msg, "argument rule 1 is malformed"), "%s", err.msg);
	r[1].size_arg = 0;
	h->actions[KCP_NR_KINDS] = 0;	/* beyond the known kinds */
	reseal(b, n);
	UNIT_EXPECT(decode(b, n, &v, &err) == -EINVAL &&
		    !strcmp(err.msg, "action 0 for kind 9 out of range"), "%s", err.msg);
	h->actions[KCP_NR_KINDS] = KCP_ACTION_DEFAULT;
	h->sections[KCP_SEC_PRIVS].offset = cpu_to_le32(n);
	reseal(b, n);
	UNIT_EXPECT(decode(b, n, &v, &err) == -EINVAL &&
		    strstr(err.msg, "past the blob"), "%s", err.msg);
	free(b);
}

static u64 rng = 0x9e3779b97f4a7c15ull;

static u64 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Mutate a sample: random bytes, resealed half the time; never a crash. */
static void mutation_fuzz(void)
{
	unsigned long accepted = 0, sum = 0;
	struct kcp_error err;
	struct kcp_view v;
	long n;
	int round, k;

	for (round = 0; round < 200000; round++) {
		u8 *b = sample_blob(round % NR_SAMPLES, &n);
		long len = n;

		for (k = 1 + next() % 4; k; k--)
			b[next() % n] = next();
		if (next() % 4 == 0)
			len = next() % (n + 1);
		if (next() % 2)
			reseal(b, len < (long)sizeof(struct kcp_header) ? n : len);
		if (!decode(b, len, &v, &err)) {
			accepted++;
			sum += walk_view(&v);
		}
		free(b);
	}
	printf("# unit/policy: 200000 mutations, %lu accepted (walked, sum %lu)\n",
	       accepted, sum);
	UNIT_EXPECT(accepted > 0, "no mutation accepted: the fuzz pass is too blunt");
}

static int corpus_failed;

static void corpus(int argc, char **argv)
{
	struct kcp_error err;
	struct kcp_view v;
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		long n;
		void *b;

		if (!f) {
			printf("FAIL unit/policy/corpus: cannot open %s\n", argv[i]);
			corpus_failed = 1;
			continue;
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		b = malloc(n ? n : 1);
		if (!b || fread(b, 1, n, f) != (size_t)n)
			abort();
		fclose(f);
		if (!decode(b, n, &v, &err))
			walk_view(&v);
		free(b);
	}
	printf("PASS unit/policy/corpus (%d files)\n", argc - 1);
}

int main(int argc, char **argv)
{
	static const struct unit_case cases[] = {
		{ "round_trip", round_trip },
		{ "encoder_refuses", encoder_refuses },
		{ "header_flags", header_flags },
		{ "every_truncation_refused", every_truncation_refused },
		{ "every_bit_flip_refused", every_bit_flip_refused },
		{ "resealed_damage_messages", resealed_damage_messages },
		{ "mutation_fuzz", mutation_fuzz },
		{ NULL, NULL },
	};
	int ret = unit_run("policy", cases);

	corpus(argc, argv);
	return ret || corpus_failed;
}
