// SPDX-License-Identifier: GPL-2.0
/*
 * policyc --learn: a policy from what a module did in learn mode.
 *
 * In learn mode (kmod/enforce/learn.c) kcage reports the first of each thing a
 * module does that its policy does not allow, with a "target" naming what
 * would allow it; `kcage monitor --json` prints one JSON object a line.
 * This reads those lines (JSON is YAML: libyaml parses each) and writes a
 * policy that allows what was seen, as audit2allow does for SELinux:
 *
 *	call, indirect (calls.allow)	-> calls.allow
 *	indirect (entries)		-> entries
 *	write, read: kernel_heap	-> memory.builtin: kernel_heap
 *	             caller_frames	-> memory.builtin: caller_frames
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
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "parse.h"

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

/*
 * An object accessed: a kernel variable (memory.regions: @name, bytes
 * [@lo, @hi) of it) or an argument of an entry (grants: @name, argument
 * @arg, [0, @hi)).
 */
struct object {
	char *name;
	unsigned int arg;
	unsigned long lo, hi;
	unsigned int access;	/* KCP_ACCESS_* */
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
	struct vec calls, entries, notes;	/* struct name */
	struct vec regions, grants;		/* struct object */
	struct vec privs;			/* struct priv */
	unsigned long kernel_heap;	/* accesses seen */
	char *kernel_heap_where;
	unsigned long caller_frames;	/* likewise */
	char *caller_frames_where;
	bool check_reads;
};

static void add_name(struct vec *v, const char *name, const char *where)
{
	struct name *n;
	u32 i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(VEC_AT(v, struct name, i)->name, name))
			return;
	n = vec_push(v, sizeof(*n));
	n->name = xstrdup(name);
	n->where = xstrdup(where);
}

static void add_note(struct learned *l, const struct event *ev)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s at %s: %s %s%s%s", field(ev, "kind"),
		 field(ev, "symbol"), field(ev, "rule"), field(ev, "detail"),
		 *field(ev, "target") ? " " : "", field(ev, "target"));
	add_name(&l->notes, buf, "");
}

/* [@lo, @hi) of object (@name, @arg), merged with what was seen of it. */
static void add_object(struct vec *v, const char *name, unsigned int arg,
		       unsigned long lo, unsigned long hi, bool write,
		       const char *where)
{
	unsigned int access = write ? KCP_ACCESS_WRITE : KCP_ACCESS_READ;
	struct object *o;
	u32 i;

	for (i = 0; i < v->n; i++) {
		o = VEC_AT(v, struct object, i);
		if (!strcmp(o->name, name) && o->arg == arg) {
			if (lo < o->lo)
				o->lo = lo;
			if (hi > o->hi)
				o->hi = hi;
			o->access |= access;
			return;
		}
	}
	o = vec_push(v, sizeof(*o));
	*o = (struct object){ xstrdup(name), arg, lo, hi, access, xstrdup(where) };
}

static void add_priv(struct learned *l, const char *insn, long value,
		     const char *where)
{
	struct priv *p;
	u32 i;

	for (i = 0; i < l->privs.n; i++) {
		p = VEC_AT(&l->privs, struct priv, i);
		if (!strcmp(p->insn, insn) && p->value == value)
			return;
	}
	p = vec_push(&l->privs, sizeof(*p));
	*p = (struct priv){ xstrdup(insn), value, xstrdup(where) };
}

/* "region:S:OFF:SIZE" or "grant:E:ARG:END" into @l; false if neither. */
static bool learn_object(struct learned *l, const char *t, bool write,
			 const char *where)
{
	char name[256];
	unsigned long a, b;
	unsigned int arg;

	if (sscanf(t, "region:%255[^:]:%lu:%lu", name, &a, &b) == 3 && b) {
		add_object(&l->regions, name, 0, a, a + b, write, where);
		return true;
	}
	if (sscanf(t, "grant:%255[^:]:%u:%lu", name, &arg, &b) == 3 &&
	    arg >= 1 && arg <= 6 && b) {
		add_object(&l->grants, name, arg, 0, b, write, where);
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
	} else if (!strcmp(t, "caller_frames")) {
		if (!l->caller_frames++)
			l->caller_frames_where = xstrdup(where);
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
		add_name(&l->entries, t, where);
	else if (branch && !strcmp(rule, "calls.allow") && *t && !strchr(t, '+'))
		add_name(&l->calls, t, where);
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

static void write_names(FILE *f, const struct vec *v, const char *head,
			const char *fmt)
{
	u32 i;

	if (v->n)
		fputs(head, f);
	for (i = 0; i < v->n; i++) {
		const struct name *n = VEC_AT(v, struct name, i);

		fprintf(f, fmt, n->name, n->where);
	}
}

/* The builtins learned: kernel_heap, caller_frames. */
static u32 learned_builtins(const struct learned *l)
{
	return (l->kernel_heap ? KCP_BUILTIN_KERNEL_HEAP : 0) |
	       (l->caller_frames ? KCP_BUILTIN_CALLER_FRAMES : 0);
}

static void write_seen(FILE *f, const char *what, unsigned long n,
		       const char *where)
{
	fprintf(f, "%s: %lu instruction%s, the first %s", what, n,
		n == 1 ? "" : "s", where);
}

/*
 * memory.builtin, if kernel_heap or caller_frames was learned: the bases'
 * builtins (which a builtin list here replaces) and those.
 */
static void write_builtin(FILE *f, const struct learned *l, u32 base)
{
	u32 mask = base | learned_builtins(l), bit;
	const char *sep = "";

	fputs("  builtin: [", f);
	for (bit = 0; bit < KCP_NR_BUILTINS; bit++) {
		if (mask & (1u << bit)) {
			fprintf(f, "%s%s", sep, builtin_name(bit));
			sep = ", ";
		}
	}
	fputs("]  # ", f);
	if (l->kernel_heap)
		write_seen(f, "kernel objects", l->kernel_heap, l->kernel_heap_where);
	if (l->kernel_heap && l->caller_frames)
		fputs("; ", f);
	if (l->caller_frames)
		write_seen(f, "callers' frames", l->caller_frames,
			   l->caller_frames_where);
	fputc('\n', f);
}

static void write_memory(FILE *f, const struct learned *l, u32 base_builtin)
{
	u32 i;

	if (!l->check_reads && !learned_builtins(l) && !l->regions.n)
		goto grants;
	fputs("memory:\n", f);
	if (l->check_reads)
		fputs("  check_reads: true\n", f);
	if (learned_builtins(l))
		write_builtin(f, l, base_builtin);
	if (l->regions.n)
		fputs("  regions:\n", f);
	for (i = 0; i < l->regions.n; i++) {
		const struct object *r = VEC_AT(&l->regions, struct object, i);

		fprintf(f, "    - { symbol: %s, offset: %lu, size: %lu, access: %s }  # %s\n",
			r->name, r->lo, r->hi - r->lo, access_name(r->access),
			r->where);
	}
grants:
	if (l->grants.n)
		fputs("grants:\n", f);
	for (i = 0; i < l->grants.n; i++) {
		const struct object *g = VEC_AT(&l->grants, struct object, i);

		fprintf(f, "  - { entry: %s, arg: %u, size: %lu, access: %s }  # %s\n",
			g->name, g->arg, g->hi, access_name(g->access), g->where);
	}
}

static void write_privs(FILE *f, const struct learned *l)
{
	u32 i;

	if (l->privs.n)
		fputs("privileged:\n", f);
	for (i = 0; i < l->privs.n; i++) {
		const struct priv *p = VEC_AT(&l->privs, struct priv, i);
		const char *what = strcmp(p->insn, "in") && strcmp(p->insn, "out") ?
				   "msrs" : "ports";

		if (p->value < 0)
			fprintf(f, "  - %s  # %s\n", p->insn, p->where);
		else
			fprintf(f, "  - { insn: %s, %s: 0x%lx }  # %s\n", p->insn, what,
				p->value, p->where);
	}
}

/* @path as a file that includes it from @dir reaches it. */
static const char *from_dir(const char *path, const char *dir, char *buf, size_t len)
{
	if (path[0] == '/' || !dir)
		return path;
	snprintf(buf, len, "%s/%s", dir, path);
	return buf;
}

/*
 * The builtins the policies @bases (as included from the directory of
 * @out) give together; the default for one that cannot be read.
 */
static u32 base_builtins(const char *const *bases, size_t nr_bases, const char *out)
{
	char *copy = out ? xstrdup(out) : NULL, *slash = copy ? strrchr(copy, '/') : NULL;
	const char *dir = slash ? (*slash = '\0', copy) : NULL;
	char buf[PATH_MAX];
	struct kcp_policy p;
	u32 mask = 0;
	size_t i;

	for (i = 0; i < nr_bases; i++) {
		memset(&p, 0, sizeof(p));
		if (policy_parse(from_dir(bases[i], dir, buf, sizeof(buf)), &p))
			mask |= KCP_BUILTIN_DEFAULT;
		else
			mask |= p.builtin_writes;
	}
	free(copy);
	return nr_bases ? mask : KCP_BUILTIN_DEFAULT;
}

static void write_policy(FILE *f, const struct learned *l, const char *const *bases,
			 size_t nr_bases, const char *from, u32 base_builtin)
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
	write_names(f, &l->calls, "calls:\n  allow:\n", "    - %s  # %s\n");
	write_names(f, &l->entries, "entries:\n",
		    "  - %s  # called through a pointer at %s\n");
	write_memory(f, l, base_builtin);
	write_privs(f, l);
	write_names(f, &l->notes, "# Seen, and not something a policy allows:\n",
		    "#   %s%s\n");
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
	write_policy(f, &l, bases, nr_bases, path,
		     learned_builtins(&l) ? base_builtins(bases, nr_bases, out) : 0);
	if ((f != stdout && fclose(f)) || (f == stdout && fflush(f))) {
		diag_fatal("cannot write '%s': %s", out ? out : "standard output",
			   strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
