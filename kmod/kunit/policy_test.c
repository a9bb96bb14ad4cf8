// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the kernel side of the policy codec: a blob encoded here
 * decodes, and every kind of damage a hostile or broken policyc could do
 * is refused with the right error, without reading outside the blob
 * (KASAN watches on the debug kernel).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "policy/kcp.h"

struct blob {
	u8 *b;
	long n;
};

static const char *const allow[] = { "_printk", "mutex_*" };
static struct kcp_region_m region = { "jiffies", KCP_ACCESS_READ, 0, 8 };
static struct kcp_arg_rule_m rule = { "memcpy", 1, KCP_ARG_WRITABLE, 3, 0 };
static struct kcp_priv_m privs[] = { { KCP_PRIV_CLI, 0, 0 }, { KCP_PRIV_IN, 0x60, 0x64 } };

static void sample(struct kcp_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->module = "kc_hello";
	p->default_action = KCP_ACTION_DENY;
	p->builtin_writes = KCP_BUILTIN_ALL;
	memset(p->actions, KCP_ACTION_DEFAULT, sizeof(p->actions));
	p->actions[KCP_KIND_WRITE] = KCP_ACTION_QUARANTINE;
	p->lists[KCP_LIST_CALL_ALLOW].v = (const char **)allow;
	p->lists[KCP_LIST_CALL_ALLOW].n = ARRAY_SIZE(allow);
	p->regions = &region;
	p->nr_regions = 1;
	p->arg_rules = &rule;
	p->nr_arg_rules = 1;
	p->privs = privs;
	p->nr_privs = ARRAY_SIZE(privs);
}

static struct blob encode(struct kunit *test)
{
	struct kcp_policy p;
	struct blob bl;

	sample(&p);
	bl.n = kcp_encode(&p, NULL, 0);
	KUNIT_ASSERT_GT(test, bl.n, 0L);
	bl.b = kunit_kzalloc(test, bl.n, GFP_KERNEL);	/* kmalloc: 8-aligned */
	KUNIT_ASSERT_NOT_NULL(test, bl.b);
	KUNIT_ASSERT_EQ(test, kcp_encode(&p, bl.b, bl.n), bl.n);
	return bl;
}

/* Recompute the checksum after a deliberate change, to reach later checks. */
static void reseal(struct blob *bl)
{
	struct kcp_header *h = (void *)bl->b;

	h->checksum = 0;
	h->checksum = cpu_to_le32(kcp_crc32(bl->b, bl->n));
}

static int decode(struct blob *bl, struct kcp_error *err)
{
	struct kcp_view v;

	return kcp_decode(bl->b, bl->n, &v, err);
}

static void valid_blob_decodes(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_error err;
	struct kcp_view v;

	KUNIT_ASSERT_EQ(test, kcp_decode(bl.b, bl.n, &v, &err), 0);
	KUNIT_EXPECT_STREQ(test, kcp_str(&v, v.hdr->module), "kc_hello");
	KUNIT_EXPECT_EQ(test, v.nr_lists[KCP_LIST_CALL_ALLOW], 2u);
	KUNIT_EXPECT_STREQ(test, kcp_str(&v, v.lists[KCP_LIST_CALL_ALLOW][1].name),
			   "mutex_*");
	KUNIT_EXPECT_EQ(test, v.nr_privs, 2u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(v.privs[1].hi), 0x64u);
	KUNIT_EXPECT_EQ(test, v.hdr->actions[KCP_KIND_WRITE], KCP_ACTION_QUARANTINE);
}

static void every_truncation_refused(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_error err;
	long n;

	for (n = 0; n < bl.n; n++) {
		struct blob cut = { bl.b, n };

		KUNIT_EXPECT_LT_MSG(test, decode(&cut, &err), 0, "%ld bytes", n);
	}
}

static void every_bit_flip_refused(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_error err;
	long i;
	int bit;

	for (i = 0; i < bl.n; i++)
		for (bit = 0; bit < 8; bit++) {
			bl.b[i] ^= 1 << bit;
			KUNIT_EXPECT_LT_MSG(test, decode(&bl, &err), 0,
					    "byte %ld bit %d", i, bit);
			bl.b[i] ^= 1 << bit;
		}
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), 0);
}

/* Damage that the checksum does not catch (resealed) is still refused. */
static void resealed_damage_refused(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_header *h = (void *)bl.b;
	struct kcp_view v;
	struct kcp_error err;
	u32 save;

	KUNIT_ASSERT_EQ(test, kcp_decode(bl.b, bl.n, &v, &err), 0);

	h->version = cpu_to_le16(2);
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EPROTONOSUPPORT);
	h->version = cpu_to_le16(KCP_VERSION);

	h->mode = KCP_NR_MODES;
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EINVAL);
	h->mode = KCP_MODE_ENFORCE;

	save = h->sections[KCP_SEC_REGIONS].count;
	h->sections[KCP_SEC_REGIONS].count = cpu_to_le32(1000000);
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -E2BIG);
	h->sections[KCP_SEC_REGIONS].count = cpu_to_le32(2);
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EINVAL);	/* overlaps the next */
	h->sections[KCP_SEC_REGIONS].count = save;

	/* a name pointing past the string section */
	save = h->module;
	h->module = cpu_to_le32(le32_to_cpu(h->sections[KCP_SEC_STRINGS].count));
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.msg, "module name missing or malformed");
	h->module = save;

	/* an unterminated string section */
	bl.b[le32_to_cpu(h->sections[KCP_SEC_STRINGS].offset) +
	     le32_to_cpu(h->sections[KCP_SEC_STRINGS].count) - 1] = 'x';
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EINVAL);
}

static void misaligned_and_oversized_refused(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_error err;
	struct kcp_view v;
	u8 *big;

	KUNIT_EXPECT_EQ(test, kcp_decode(bl.b + 1, bl.n - 1, &v, &err), -EINVAL);
	big = kunit_kzalloc(test, KCP_MAX_SIZE + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memcpy(big, bl.b, bl.n);
	KUNIT_EXPECT_EQ(test, kcp_decode(big, KCP_MAX_SIZE + 8, &v, &err), -E2BIG);
}

/*
 * Header flags: the known ones decode; an unknown one is refused with a
 * message and, for netlink's extended ACK, the same without its numbers.
 */
static void header_flags(struct kunit *test)
{
	struct blob bl = encode(test);
	struct kcp_header *h = (void *)bl.b;
	struct kcp_error err;

	h->flags = cpu_to_le32(KCP_FLAG_CHECK_READS | KCP_FLAG_NO_RELEASE);
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), 0);
	h->flags = cpu_to_le32(KCP_FLAG_NO_RELEASE | (1u << 2));
	reseal(&bl);
	KUNIT_EXPECT_EQ(test, decode(&bl, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.msg, "unknown flags 0x6");
	KUNIT_EXPECT_STREQ(test, err.what, "unknown policy flags");
}

static struct kunit_case kcage_policy_cases[] = {
	KUNIT_CASE(valid_blob_decodes),
	KUNIT_CASE(every_truncation_refused),
	KUNIT_CASE(every_bit_flip_refused),
	KUNIT_CASE(resealed_damage_refused),
	KUNIT_CASE(misaligned_and_oversized_refused),
	KUNIT_CASE(header_flags),
	{}
};

static struct kunit_suite kcage_policy_suite = {
	.name = "kcage_policy",
	.test_cases = kcage_policy_cases,
};

kunit_test_suite(kcage_policy_suite);
