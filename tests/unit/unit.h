/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness for user-space tests of kmod/core: each case
 * prints "PASS unit/<suite>/<case>" or "FAIL unit/<suite>/<case>: why",
 * the format make check collects.
 */
#ifndef KCAGE_UNIT_H
#define KCAGE_UNIT_H

#include <stdio.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

/* The first failure of the running case, empty while it passes. */
static char unit_why[256];

#define UNIT_EXPECT(cond, fmt, ...)                                          \
	do {                                                                 \
		if (!(cond) && !unit_why[0])                                 \
			snprintf(unit_why, sizeof(unit_why), "%s:%d: " fmt,  \
				 __FILE__, __LINE__, ##__VA_ARGS__);         \
	} while (0)

/* Runs every case; returns the process exit status. */
static inline int unit_run(const char *suite, const struct unit_case *cases)
{
	int failed = 0;

	for (; cases->name; cases++) {
		unit_why[0] = '\0';
		cases->fn();
		if (unit_why[0]) {
			printf("FAIL unit/%s/%s: %s\n", suite, cases->name, unit_why);
			failed = 1;
		} else {
			printf("PASS unit/%s/%s\n", suite, cases->name);
		}
	}
	return failed;
}

#endif /* KCAGE_UNIT_H */
