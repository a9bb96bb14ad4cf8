// SPDX-License-Identifier: GPL-2.0
/*
 * How kcage says what went wrong: "kcage: ..." for failures, and for
 * usage errors the subcommand and where its help is, with exit status 2.
 */
#include <stdarg.h>
#include "kcage.h"

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("kcage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kcage %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return try_help(cmd);
}

int try_help(const char *cmd)
{
	fprintf(stderr, "Try 'kcage %s --help'.\n", cmd);
	return EXIT_USAGE;
}

/*
 * A line for the kernel log as well as standard error: a module that
 * modprobe or udev could not load through kcage should be explained where
 * an administrator looks first (dmesg), not only on a terminal that may
 * not exist.  Needs root; without it the kernel log is silently skipped.
 */
void log_both(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	FILE *kmsg;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "kcage: %s\n", line);
	kmsg = fopen("/dev/kmsg", "w");
	if (kmsg) {
		fprintf(kmsg, "<4>kcage: %s\n", line);
		fclose(kmsg);
	}
}
