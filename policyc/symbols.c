// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's symbol names, from /proc/kallsyms ("addr type name [mod]")
 * or Module.symvers ("crc name module export [namespace]"), so that
 * --symbols can warn about allowlist entries the kernel does not have.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "policyc.h"

static char **syms;
static size_t nr_syms;
static const char *path;

bool symbols_loaded(void)
{
	return path != NULL;
}

const char *symbols_path(void)
{
	return path;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name on one line, or NULL when the line is neither format. */
static char *line_name(char *line)
{
	char *f[3];
	int n = 0;
	char *save, *tok = strtok_r(line, " \t\r\n", &save);

	for (; tok && n < 3; tok = strtok_r(NULL, " \t\r\n", &save))
		f[n++] = tok;
	if (n < 3)
		return NULL;
	if (strlen(f[1]) == 1)			/* kallsyms: type letter */
		return f[2];
	if (!strncmp(f[0], "0x", 2))		/* Module.symvers: CRC */
		return f[1];
	return NULL;
}

static int add_sym(const char *name)
{
	static size_t cap;
	char **v;

	if (nr_syms == cap) {
		cap = cap ? 2 * cap : 4096;
		v = realloc(syms, cap * sizeof(*syms));
		if (!v)
			return -1;
		syms = v;
	}
	syms[nr_syms] = strdup(name);
	return syms[nr_syms++] ? 0 : -1;
}

/* Returns 0, or -1 after telling why (an I/O or format error: exit 2). */
int symbols_load(const char *file)
{
	FILE *f = fopen(file, "r");
	char buf[4096], *name;
	unsigned int lineno = 0;

	if (!f) {
		diag_fatal("cannot open symbol file '%s': %s", file, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		if (buf[strspn(buf, " \t\r\n")] == '\0')
			continue;
		name = line_name(buf);
		if (!name) {
			diag_fatal("%s:%u: not a /proc/kallsyms or Module.symvers line",
				   file, lineno);
			fclose(f);
			return -1;
		}
		if (add_sym(name)) {
			diag_fatal("out of memory");
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	qsort(syms, nr_syms, sizeof(*syms), cmp_str);
	path = file;
	return 0;
}

bool symbols_has(const char *name)
{
	return bsearch(&name, syms, nr_syms, sizeof(*syms), cmp_str) != NULL;
}

bool symbols_glob_matches(const char *glob)
{
	size_t i;

	for (i = 0; i < nr_syms; i++)
		if (!fnmatch(glob, syms[i], 0))
			return true;
	return false;
}

/* Kallsyms has ~150k names; the length test skips most of them cheaply. */
const char *symbols_closest(const char *name)
{
	size_t i, len = strlen(name), l;
	unsigned int best_d = ~0u, d;
	const char *best = NULL;

	for (i = 0; i < nr_syms; i++) {
		l = strlen(syms[i]);
		if (l + (len + 2) / 3 < len || len + (l + 2) / 3 < l)
			continue;
		d = edit_distance(name, syms[i]);
		if (d < best_d && close_enough(name, syms[i], d)) {
			best = syms[i];
			best_d = d;
		}
	}
	return best;
}
