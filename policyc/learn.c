// SPDX-License-Identifier: GPL-2.0
/*
 * policyc --learn: a policy from what a module did in learn mode.
 *
 * In learn mode (kmod/learn.c) kcage reports the first of each thing a
 * module does that its policy does not allow, with a "target" naming what
 * would allow it; `kcage monitor --json` prints one JSON object a line.
 * This reads those lines (JSON is YAML: libyaml parses each) and writes a
 * policy that allows what was seen, as audit2allow does for SELinux:
 *
 *	call, indirect (calls.allow)	-> calls.allow
 *	indirect (entries)		-> entries
 *	write, read: kernel_heap	-> memory.builtin: kernel_heap
 *	             region:S:OFF:SIZE	-> memory.regions (merged per symbol)
 *	             grant:E:ARG:END	-> grants (merged per entry argument)
 *	privileged: INSN[:VALUE]	-> privileged
 *
 * The policy includes the one the module learned under (--base), whose
 * scalars it overrides (mode: enforce), and each line says where it was
 * first seen.  What no policy can allow (a return to the wrong place, a
 * crash, a failed argument rule, a branch into the middle of a function)
 * is listed in comments at the end, for a human to look at.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "policyc.h"

#define MAX_FIELDS	32

/* One event: its keys and values (scalars only). */
struct event {
	unsigned int n;
	char *key[MAX_FIELDS];
	char *value[MAX_FIELDS];
};

static const char *field(const struct event *ev, const char *key)
{
	unsigned int i;

	for (i = 0; i < ev->n; i++)
		if (!strcmp(ev->key[i], key))
			return ev->value[i];
	return "";
}

static void event_free(struct event *ev)
{
	while (ev->n--) {
		free(ev->key[ev->n]);
		free(ev->value[ev->n]);
	}
	ev->n = 0;
}

static bool is_null(const yaml_event_t *e)
{
	return e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       !strcmp((const char *)e->data.scalar.value, "null");
}

/* Parse one JSON line (a flat object) into @ev; false if it is not one. */
static bool event_parse(const char *line, struct event *ev)
{
	yaml_parser_t p;
	yaml_event_t e;
	bool ok = true, key = true, done = false;
	int depth = 0;

	ev->n = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)line, strlen(line));
	while (ok && !done) {
		if (!yaml_parser_parse(&p, &e)) {
			ok = false;
			break;
		}
		switch (e.type) {
		case YAML_MAPPING_START_EVENT:
			ok = !depth++;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_ALIAS_EVENT:
			ok = false;
			break;
		case YAML_SCALAR_EVENT:
			if (!depth || (key && ev->n == MAX_FIELDS)) {
				ok = false;
				break;
			}
			if (key)
				ev->key[ev->n] = xstrdup((char *)e.data.scalar.value);
			else	/* JSON null (no such attribute): empty */
				ev->value[ev->n++] = xstrdup(is_null(&e) ? "" :
							     (char *)e.data.scalar.value);
			key = !key;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	if (!key)	/* a key without its value */
		free(ev->key[ev->n]);
	if (!ok || !depth)
		event_free(ev);
	return ok && depth;
}

/* A name seen, with where first. */
struct name {
	char *name;
	char *where;
};

struct region {
	char *symbol;
	unsigned long lo, hi;
	bool read, write;
	char *where;
};

struct grant {
	char *entry;
	unsigned int arg;
	unsigned long size;
	bool read, write;
	char *where;
};

struct priv {
	char *insn;
	long value;	/* -1: an instruction without a port or MSR */
	char *where;
};

struct learned {
	const char *module;
	unsigned long events;
	struct name *calls, *entries, *notes;
	size_t nr_calls, nr_entries, nr_notes;
	struct region *regions;
	size_t nr_regions;
	struct grant *grants;
	size_t nr_grants;
	struct priv *privs;
	size_t nr_privs;
	unsigned long kernel_heap;	/* accesses seen */
	char *kernel_heap_where;
	bool check_reads;
};

static void *grow(void *arr, size_t n, size_t size)
{
	void *p = realloc(arr, (n + 1) * size);

	if (!p) {
		diag_fatal("out of memory");
		exit(EXIT_USAGE);
	}
	return p;
}

static void add_name(struct name **arr, size_t *n, const char *name,
		     const char *where)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*arr)[i].name, name))
			return;
	*arr = grow(*arr, *n, sizeof(**arr));
	(*arr)[(*n)++] = (struct name){ xstrdup(name), xstrdup(where) };
}

static void add_note(struct learned *l, const struct event *ev)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s at %s: %s %s%s%s", field(ev, "kind"),
		 field(ev, "symbol"), field(ev, "rule"), field(ev, "detail"),
		 *field(ev, "target") ? " " : "", field(ev, "target"));
	add_name(&l->notes, &l->nr_notes, buf, "");
}

static void add_region(struct learned *l, const char *sym, unsigned long off,
		       unsigned long size, bool write, const char *where)
{
	struct region *r;
	size_t i;

	for (i = 0; i < l->nr_regions; i++) {
		r = &l->regions[i];
		if (!strcmp(r->symbol, sym)) {
			if (off < r->lo)
				r->lo = off;
			if (off + size > r->hi)
				r->hi = off + size;
			r->write |= write;
			r->read |= !write;
			return;
		}
	}
	l->regions = grow(l->regions, l->nr_regions, sizeof(*r));
	l->regions[l->nr_regions++] = (struct region){
		xstrdup(sym), off, off + size, !write, write, xstrdup(where),
	};
}

static void add_grant(struct learned *l, const char *entry, unsigned int arg,
		      unsigned long size, bool write, const char *where)
{
	struct grant *g;
	size_t i;

	for (i = 0; i < l->nr_grants; i++) {
		g = &l->grants[i];
		if (!strcmp(g->entry, entry) && g->arg == arg) {
			if (size > g->size)
				g->size = size;
			g->write |= write;
			g->read |= !write;
			return;
		}
	}
	l->grants = grow(l->grants, l->nr_grants, sizeof(*g));
	l->grants[l->nr_grants++] = (struct grant){
		xstrdup(entry), arg, size, !write, write, xstrdup(where),
	};
}

static void add_priv(struct learned *l, const char *insn, long value,
		     const char *where)
{
	size_t i;

	for (i = 0; i < l->nr_privs; i++)
		if (!strcmp(l->privs[i].insn, insn) && l->privs[i].value == value)
			return;
	l->privs = grow(l->privs, l->nr_privs, sizeof(*l->privs));
	l->privs[l->nr_privs++] = (struct priv){ xstrdup(insn), value, xstrdup(where) };
}

/* "region:S:OFF:SIZE" or "grant:E:ARG:END" into @l; false if neither. */
static bool learn_object(struct learned *l, const char *t, bool write,
			 const char *where)
{
	char name[256];
	unsigned long a, b;
	unsigned int arg;

	if (sscanf(t, "region:%255[^:]:%lu:%lu", name, &a, &b) == 3 && b) {
		add_region(l, name, a, b, write, where);
		return true;
	}
	if (sscanf(t, "grant:%255[^:]:%u:%lu", name, &arg, &b) == 3 &&
	    arg >= 1 && arg <= 6 && b) {
		add_grant(l, name, arg, b, write, where);
		return true;
	}
	return false;
}

static void learn_access(struct learned *l, const struct event *ev, bool write)
{
	const char *t = field(ev, "target"), *where = field(ev, "symbol");

	if (!write)
		l->check_reads = true;
	if (!strcmp(t, "kernel_heap")) {
		if (!l->kernel_heap++)
			l->kernel_heap_where = xstrdup(where);
	} else if (strcmp(t, "data") && strcmp(t, "stack") &&
		   !learn_object(l, t, write, where)) {
		add_note(l, ev);
	}
}

static void learn_priv(struct learned *l, const struct event *ev)
{
	static const char *const ranged[] = { "in", "out", "rdmsr", "wrmsr" };
	const char *t = field(ev, "target");
	char insn[16];
	long value = -1;
	unsigned long v;
	size_t i;

	if (sscanf(t, "%15[a-z]:%lu", insn, &v) != 2) {
		add_note(l, ev);
		return;
	}
	for (i = 0; i < sizeof(ranged) / sizeof(ranged[0]); i++)
		if (!strcmp(insn, ranged[i]))
			value = v;
	add_priv(l, insn, value, field(ev, "symbol"));
}

static void learn_event(struct learned *l, const struct event *ev)
{
	const char *kind = field(ev, "kind"), *rule = field(ev, "rule");
	const char *t = field(ev, "target"), *where = field(ev, "symbol");
	bool branch = !strcmp(kind, "call") || !strcmp(kind, "indirect");

	l->events++;
	if (branch && !strcmp(rule, "entries") && *t && !strchr(t, '+'))
		add_name(&l->entries, &l->nr_entries, t, where);
	else if (branch && !strcmp(rule, "calls.allow") && *t && !strchr(t, '+'))
		add_name(&l->calls, &l->nr_calls, t, where);
	else if (!strcmp(kind, "write") || !strcmp(kind, "read"))
		learn_access(l, ev, !strcmp(kind, "write"));
	else if (!strcmp(kind, "privileged"))
		learn_priv(l, ev);
	else
		add_note(l, ev);	/* denied by name, mid-function, ... */
}

/* Read @path's events of @l->module (the first event's, if NULL). */
static int read_events(const char *path, struct learned *l)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	unsigned long nr = 0, bad = 0;
	struct event ev;

	if (!f) {
		diag_fatal("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		nr++;
		if (!event_parse(line, &ev)) {
			if (line[strspn(line, " \t\r\n")])
				bad++;
			continue;
		}
		if (!strcmp(field(&ev, "type"), "violation")) {
			if (!l->module)
				l->module = xstrdup(field(&ev, "module"));
			if (!strcmp(field(&ev, "module"), l->module))
				learn_event(l, &ev);
		}
		if (!strcmp(field(&ev, "type"), "lost"))
			fprintf(stderr, "policyc: %s:%lu: warning: events were lost: run the workload again\n",
				path, nr);
		event_free(&ev);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (bad)
		fprintf(stderr, "policyc: %s: warning: %lu lines are not JSON events\n",
			path, bad);
	return 0;
}

static const char *access_name(bool read, bool write)
{
	return read && write ? "rw" : write ? "write" : "read";
}

static void write_policy(FILE *f, const struct learned *l, const char *const *bases,
			 size_t nr_bases, const char *from)
{
	size_t i;

	fprintf(f, "# Learned by policyc --learn from %s: %lu events of %s in\n"
		   "# learn mode.  Each rule is something the workload did that the\n"
		   "# policy it ran under did not allow; the comment says where it\n"
		   "# was first seen.  Review it before enforcing.\n",
		from, l->events, l->module);
	fprintf(f, "module: %s\nmode: enforce\n", l->module);
	for (i = 0; i < nr_bases; i++)
		fprintf(f, "%s%s%s", i ? ", " : "include: [", bases[i],
			i + 1 == nr_bases ? "]\n" : "");
	if (l->nr_calls) {
		fputs("calls:\n  allow:\n", f);
		for (i = 0; i < l->nr_calls; i++)
			fprintf(f, "    - %s  # %s\n", l->calls[i].name, l->calls[i].where);
	}
	if (l->nr_entries) {
		fputs("entries:\n", f);
		for (i = 0; i < l->nr_entries; i++)
			fprintf(f, "  - %s  # called through a pointer at %s\n",
				l->entries[i].name, l->entries[i].where);
	}
	fputs("memory:\n", f);
	if (l->check_reads)
		fputs("  check_reads: true\n", f);
	fprintf(f, "  builtin: [data, stack, heap%s]", l->kernel_heap ? ", kernel_heap" : "");
	if (l->kernel_heap)
		fprintf(f, "  # kernel objects: %lu instruction%s, the first %s",
			l->kernel_heap, l->kernel_heap == 1 ? "" : "s", l->kernel_heap_where);
	fputc('\n', f);
	if (l->nr_regions)
		fputs("  regions:\n", f);
	for (i = 0; i < l->nr_regions; i++) {
		const struct region *r = &l->regions[i];

		fprintf(f, "    - { symbol: %s, offset: %lu, size: %lu, access: %s }  # %s\n",
			r->symbol, r->lo, r->hi - r->lo, access_name(r->read, r->write),
			r->where);
	}
	if (l->nr_grants)
		fputs("grants:\n", f);
	for (i = 0; i < l->nr_grants; i++) {
		const struct grant *g = &l->grants[i];

		fprintf(f, "  - { entry: %s, arg: %u, size: %lu, access: %s }  # %s\n",
			g->entry, g->arg, g->size, access_name(g->read, g->write), g->where);
	}
	if (l->nr_privs)
		fputs("privileged:\n", f);
	for (i = 0; i < l->nr_privs; i++) {
		const struct priv *p = &l->privs[i];
		const char *what = strcmp(p->insn, "in") && strcmp(p->insn, "out") ?
				   "msrs" : "ports";

		if (p->value < 0)
			fprintf(f, "  - %s  # %s\n", p->insn, p->where);
		else
			fprintf(f, "  - { insn: %s, %s: 0x%lx }  # %s\n", p->insn, what,
				p->value, p->where);
	}
	if (l->nr_notes)
		fputs("# Seen, and not something a policy allows:\n", f);
	for (i = 0; i < l->nr_notes; i++)
		fprintf(f, "#   %s\n", l->notes[i].name);
}

/**
 * learn - write the policy learned from the events in @path
 * @module: whose events (NULL: the first event's module)
 * @bases:  policies to include (the one it learned under)
 * @out:    where (NULL: standard output)
 */
int learn(const char *path, const char *module, const char *const *bases,
	  size_t nr_bases, const char *out)
{
	struct learned l = { .module = module };
	FILE *f = stdout;

	if (read_events(path, &l))
		return EXIT_USAGE;
	if (!l.module) {
		diag_fatal("%s: no violation events: nothing to learn", path);
		return EXIT_POLICY;
	}
	if (out)
		f = fopen(out, "w");
	if (!f) {
		diag_fatal("cannot write '%s': %s", out, strerror(errno));
		return EXIT_USAGE;
	}
	write_policy(f, &l, bases, nr_bases, path);
	if ((f != stdout && fclose(f)) || (f == stdout && fflush(f))) {
		diag_fatal("cannot write '%s': %s", out ? out : "standard output",
			   strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
