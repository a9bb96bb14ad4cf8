// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the owned-object table (heap.c): ownership of whole
 * objects only, per owner, gone after a free or a new allocation of the
 * same bytes, for small objects hashed by granule and for big ones.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include "rt/heap.h"
#include "rt/own.h"

/* Owners are only compared: any two distinct addresses do. */
static const int owner_a, owner_b;
#define A ((const void *)&owner_a)
#define B ((const void *)&owner_b)

/* Made-up addresses: the table never dereferences them. */
#define BASE 0xffff888100000000UL

static void small_object_owned_whole(struct kunit *test)
{
	unsigned long o = BASE + 0x1f8;	/* straddles a 512-byte granule */

	KUNIT_ASSERT_EQ(test, kcage_heap_own(A, o, 64), 0);
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, o, o + 64));
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, o + 8, o + 16));
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, o + 63, o + 64));
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o + 60, o + 68));
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o - 1, o + 1));
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(B, o, o + 8));
	KUNIT_EXPECT_EQ(test, kcage_heap_count(A), 1UL);
	KUNIT_EXPECT_EQ(test, kcage_heap_forget(A), 1UL);
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o, o + 8));
}

static void free_ends_ownership(struct kunit *test)
{
	unsigned long o = BASE + 0x10000, size = 0;

	KUNIT_ASSERT_EQ(test, kcage_heap_own(A, o, 128), 0);
	KUNIT_EXPECT_FALSE(test, kcage_heap_disown(A, o + 8, NULL));	/* not its start */
	KUNIT_EXPECT_FALSE(test, kcage_heap_disown(B, o, NULL));	/* not B's */
	KUNIT_EXPECT_TRUE(test, kcage_heap_disown(A, o, &size));
	KUNIT_EXPECT_EQ(test, size, 128UL);
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o, o + 8));	/* use after free */
	KUNIT_EXPECT_FALSE(test, kcage_heap_disown(A, o, NULL));	/* double free */
}

static void reallocation_replaces_owner(struct kunit *test)
{
	unsigned long o = BASE + 0x20000;

	KUNIT_ASSERT_EQ(test, kcage_heap_own(A, o, 256), 0);
	/* freed behind the table's back, then handed to B */
	KUNIT_ASSERT_EQ(test, kcage_heap_own(B, o + 128, 64), 0);
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o, o + 8));
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(B, o + 128, o + 192));
	KUNIT_EXPECT_EQ(test, kcage_heap_count(A), 0UL);
	kcage_heap_forget(B);
}

static void big_object(struct kunit *test)
{
	unsigned long o = BASE + SZ_1M;

	KUNIT_ASSERT_EQ(test, kcage_heap_own(A, o, SZ_64K), 0);
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, o + SZ_32K, o + SZ_32K + 8));
	KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, o, o + SZ_64K));
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o, o + SZ_64K + 1));
	/* a small allocation inside it: the big record was stale */
	KUNIT_ASSERT_EQ(test, kcage_heap_own(B, o + SZ_4K, 32), 0);
	KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, o, o + 8));
	KUNIT_EXPECT_EQ(test, kcage_heap_forget(A), 0UL);
	KUNIT_EXPECT_EQ(test, kcage_heap_forget(B), 1UL);
}

static void many_objects(struct kunit *test)
{
	unsigned long i;

	for (i = 0; i < 2000; i++)
		KUNIT_ASSERT_EQ(test, kcage_heap_own(A, BASE + 0x100000 + i * 96, 96), 0);
	for (i = 0; i < 2000; i++)
		KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, BASE + 0x100000 + i * 96 + 40,
							BASE + 0x100000 + i * 96 + 48));
	KUNIT_EXPECT_EQ(test, kcage_heap_count(A), 2000UL);
	for (i = 0; i < 2000; i += 2)
		KUNIT_EXPECT_TRUE(test, kcage_heap_disown(A, BASE + 0x100000 + i * 96, NULL));
	KUNIT_EXPECT_EQ(test, kcage_heap_forget(A), 1000UL);
}

/*
 * Records reserved before the allocation (api.c) have room for the chains
 * an object of that size may span wherever it lands, and fall back to
 * the list of big objects when it spans more.
 */
static void reserved_records(struct kunit *test)
{
	unsigned long o = BASE + 2 * SZ_1M, sizes[] = { 1, 96, 512, 8192, 8193, 9000 };
	struct heap_obj *rec;
	unsigned int i, shift;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (shift = 0; shift < 2; shift++) {
			unsigned long start = o + shift * 500, size = sizes[i];

			rec = kcage_heap_reserve(size);
			KUNIT_ASSERT_NOT_NULL(test, rec);
			kcage_heap_own_reserved(rec, A, start, size);
			KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, start, start + size));
			KUNIT_EXPECT_TRUE(test, kcage_heap_owns(A, start + size - 1,
								start + size));
			KUNIT_EXPECT_FALSE(test, kcage_heap_owns(A, start, start + size + 1));
			KUNIT_EXPECT_TRUE(test, kcage_heap_disown(A, start, NULL));
		}
	}
	rec = kcage_heap_reserve(64);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	kcage_heap_unreserve(rec);
	KUNIT_EXPECT_EQ(test, kcage_heap_forget(A), 0UL);
}

static struct kunit_case kcage_heap_cases[] = {
	KUNIT_CASE(small_object_owned_whole),
	KUNIT_CASE(free_ends_ownership),
	KUNIT_CASE(reallocation_replaces_owner),
	KUNIT_CASE(big_object),
	KUNIT_CASE(many_objects),
	KUNIT_CASE(reserved_records),
	{}
};

/*
 * Module suites run when the module is COMING, before kcage_init(): set up
 * kcage's own memory, where the records live, here (kcage_init() then
 * finds it done; module exit frees it).
 */
static int kcage_heap_suite_init(struct kunit_suite *suite)
{
	return kcage_own_init();
}

static struct kunit_suite kcage_heap_suite = {
	.name = "kcage_heap",
	.suite_init = kcage_heap_suite_init,
	.test_cases = kcage_heap_cases,
};

kunit_test_suite(kcage_heap_suite);
