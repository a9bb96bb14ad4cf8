/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policyc internals: diagnostics, the kernel symbol list, the YAML front
 * end and the blob dumper.  The encoder and decoder themselves live in
 * ../policy and are shared with kcage.ko.
 */
#ifndef POLICYC_H
#define POLICYC_H

#include <stdbool.h>
#include <stdio.h>
#include "kcp.h"

#define POLICYC_VERSION	"1.0"
#define MAX_ERRORS	50	/* then stop: later errors are mostly noise */

/* Exit codes, as documented in --help. */
enum {
	EXIT_OK = 0,
	EXIT_POLICY = 1,	/* the policy (or blob) is wrong */
	EXIT_USAGE = 2,		/* bad command line or I/O error */
};

/* A place in a YAML file, 1-based as editors count. */
struct loc {
	const char *file;
	unsigned int line;
	unsigned int col;
};

/* diag.c */
void diag_set_werror(bool on);
void diag_error(const struct loc *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warn(const struct loc *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(const struct loc *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int diag_errors(void);
bool diag_stopped(void);
unsigned int edit_distance(const char *a, const char *b);
bool close_enough(const char *typo, const char *cand, unsigned int dist);
const char *closest_of(const char *s, const char *const *cands, size_t n);
void diag_suggest(const struct loc *l, const char *best);

/* symbols.c */
int symbols_load(const char *path);
bool symbols_loaded(void);
const char *symbols_path(void);
bool symbols_has(const char *name);
bool symbols_glob_matches(const char *glob);
const char *symbols_closest(const char *name);

/* parse.c: returns the number of errors, or -1 if @path cannot be read. */
char *xstrdup(const char *s);
int policy_parse(const char *path, struct kcp_policy *p);
int add_include_dir(const char *dir);

/* learn.c */
int learn(const char *path, const char *module, const char *const *bases,
	  size_t nr_bases, const char *out);

/* dump.c */
void dump_yaml(FILE *f, const struct kcp_view *v);

#endif /* POLICYC_H */
