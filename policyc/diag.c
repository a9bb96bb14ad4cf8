// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics in the "file:line:column: error: message" form that editors
 * and CI logs understand, and the did-you-mean machinery behind the notes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "policyc.h"

static bool werror;
static unsigned int nr_errors;
static bool stopped;

void diag_set_werror(bool on)
{
	werror = on;
}

unsigned int diag_errors(void)
{
	return nr_errors;
}

/* Past MAX_ERRORS the parser stops: one typo can cascade into hundreds. */
bool diag_stopped(void)
{
	return stopped;
}

static void vemit(const struct loc *l, const char *kind, const char *fmt,
		  va_list ap)
{
	if (l && l->file)
		fprintf(stderr, "%s:%u:%u: %s: ", l->file, l->line, l->col, kind);
	else
		fprintf(stderr, "policyc: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void count_error(void)
{
	if (++nr_errors < MAX_ERRORS)
		return;
	if (!stopped)
		fprintf(stderr, "policyc: note: too many errors (%u), stopping\n",
			nr_errors);
	stopped = true;
}

void diag_error(const struct loc *l, const char *fmt, ...)
{
	va_list ap;

	if (stopped)
		return;
	va_start(ap, fmt);
	vemit(l, "error", fmt, ap);
	va_end(ap);
	count_error();
}

/* With --Werror a warning is an error in every respect, its label too. */
void diag_warn(const struct loc *l, const char *fmt, ...)
{
	va_list ap;

	if (stopped)
		return;
	va_start(ap, fmt);
	vemit(l, werror ? "error" : "warning", fmt, ap);
	va_end(ap);
	if (werror)
		count_error();
}

void diag_note(const struct loc *l, const char *fmt, ...)
{
	va_list ap;

	if (stopped)
		return;
	va_start(ap, fmt);
	vemit(l, "note", fmt, ap);
	va_end(ap);
}

/* Usage and I/O problems: no location, and the caller exits with 2. */
void diag_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(NULL, "error", fmt, ap);
	va_end(ap);
}

static unsigned int min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Damerau-Levenshtein distance (optimal string alignment): insertions,
 * deletions, substitutions and swaps of two neighbours all cost 1, so
 * "wirte" is one edit from "write".  Three rows are enough.
 */
unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int *mem = calloc(3 * (lb + 1), sizeof(*mem));
	unsigned int *pp = mem, *p = mem + lb + 1, *c = p + lb + 1, *t, d;

	if (!mem)
		return ~0u;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			d = a[i - 1] != b[j - 1];
			c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + d);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
		}
		t = pp; pp = p; p = c; c = t;
	}
	d = p[lb];
	free(mem);
	return d;
}

/* A suggestion must be much closer than a random word of that length. */
bool close_enough(const char *typo, const char *cand, unsigned int dist)
{
	size_t n = strlen(typo) > strlen(cand) ? strlen(typo) : strlen(cand);

	return dist > 0 && dist <= (n + 2) / 3;
}

const char *closest_of(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned int best_d = ~0u, d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		d = edit_distance(s, cands[i]);
		if (d < best_d && close_enough(s, cands[i], d)) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

void diag_suggest(const struct loc *l, const char *best)
{
	if (best)
		diag_note(l, "did you mean '%s'?", best);
}
