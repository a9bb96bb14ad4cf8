// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the list of kernel functions that never return
 * (noreturn.c): the crash reporters a module's compiled-in checks call,
 * the exits, and ordinary functions that are neither.
 */
#include <kunit/test.h>
#include <linux/fortify-string.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include "dbt/noreturn.h"

void __stack_chk_fail(void);

/* The suites run before kcage_init(); resolving twice is harmless. */
static int noreturn_suite_init(struct kunit_suite *suite)
{
	kcage_noreturn_init();
	return 0;
}

static void crash_reporters(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kcage_noreturn_crash((unsigned long)fortify_panic));
	KUNIT_EXPECT_TRUE(test, kcage_noreturn_crash((unsigned long)__stack_chk_fail));
	KUNIT_EXPECT_TRUE(test, kcage_noreturn_crash((unsigned long)panic));
	KUNIT_EXPECT_TRUE(test, kcage_noreturn((unsigned long)fortify_panic));
}

static void exits_are_not_crashes(struct kunit *test)
{
	unsigned long exit = (unsigned long)__module_put_and_kthread_exit;

	KUNIT_EXPECT_TRUE(test, kcage_noreturn(exit));
	KUNIT_EXPECT_FALSE(test, kcage_noreturn_crash(exit));
	KUNIT_EXPECT_TRUE(test, kcage_noreturn((unsigned long)kthread_complete_and_exit));
}

static void ordinary_functions(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, kcage_noreturn((unsigned long)_printk));
	KUNIT_EXPECT_FALSE(test, kcage_noreturn((unsigned long)kfree));
	KUNIT_EXPECT_FALSE(test, kcage_noreturn((unsigned long)fortify_panic + 1));
	KUNIT_EXPECT_FALSE(test, kcage_noreturn(0));
}

static struct kunit_case kcage_noreturn_cases[] = {
	KUNIT_CASE(crash_reporters),
	KUNIT_CASE(exits_are_not_crashes),
	KUNIT_CASE(ordinary_functions),
	{}
};

static struct kunit_suite kcage_noreturn_suite = {
	.name = "kcage_noreturn",
	.suite_init = noreturn_suite_init,
	.test_cases = kcage_noreturn_cases,
};

kunit_test_suite(kcage_noreturn_suite);
