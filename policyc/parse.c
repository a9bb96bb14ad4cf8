// SPDX-License-Identifier: GPL-2.0
/*
 * YAML files into struct kcp_policy: loading documents with libyaml,
 * following includes, and the typed accessors the schema is written
 * with.  Every accessor reports its own errors with the node's position,
 * so the schema code only decides what to do with a value that is good.
 *
 * Strings are strdup'ed out of the YAML documents and never freed: the
 * process compiles one policy and exits.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "parse.h"

void *vec_push(struct vec *v, size_t size)
{
	void *p;

	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		p = realloc(v->v, v->cap * size);
		if (!p) {
			diag_fatal("out of memory");
			exit(EXIT_USAGE);
		}
		v->v = p;
	}
	p = (char *)v->v + v->n++ * size;
	memset(p, 0, size);
	return p;
}

/* strdup(), or exit: policyc cannot go on without memory. */
char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		diag_fatal("out of memory");
		exit(EXIT_USAGE);
	}
	return d;
}

struct loc node_loc(const struct ctx *c, const yaml_node_t *n)
{
	struct loc l = { c->file, n->start_mark.line + 1, n->start_mark.column + 1 };

	return l;
}

yaml_node_t *node_at(const struct ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static const char *type_name(yaml_node_type_t t)
{
	switch (t) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

bool expect(const struct ctx *c, const yaml_node_t *n, yaml_node_type_t t,
	    const char *what)
{
	struct loc l = node_loc(c, n);

	if (n->type == t)
		return true;
	diag_error(&l, "'%s' must be %s, got %s", what, type_name(t),
		   type_name(n->type));
	return false;
}

static void key_error(const struct ctx *c, const yaml_node_t *k,
		      const char *what, const char *const *keys, size_t nr)
{
	struct loc l = node_loc(c, k);

	if (what)
		diag_error(&l, "unknown key '%s' in '%s'", scalar(k), what);
	else
		diag_error(&l, "unknown key '%s' at the top level", scalar(k));
	diag_suggest(&l, closest_of(scalar(k), keys, nr));
}

/* The first pair of @map whose key is @key, or NULL. */
static yaml_node_pair_t *pair_of(const struct ctx *c, const yaml_node_t *map,
				 const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		k = node_at(c, p->key);
		if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), key))
			return p;
	}
	return NULL;
}

/* Unknown and repeated keys; YAML itself allows repeats, we do not. */
void check_keys(const struct ctx *c, const yaml_node_t *map, const char *what,
		const char *const *keys, size_t nr)
{
	yaml_node_pair_t *p, *first;
	yaml_node_t *k;
	struct loc l, fl;
	size_t i;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		k = node_at(c, p->key);
		l = node_loc(c, k);
		if (k->type != YAML_SCALAR_NODE) {
			diag_error(&l, "keys must be scalars, got %s", type_name(k->type));
			continue;
		}
		for (i = 0; i < nr && strcmp(keys[i], scalar(k)); i++)
			;
		if (i == nr) {
			key_error(c, k, what, keys, nr);
			continue;
		}
		first = pair_of(c, map, scalar(k));
		if (first != p) {
			fl = node_loc(c, node_at(c, first->key));
			diag_error(&l, "duplicate key '%s'", scalar(k));
			diag_note(&fl, "first given here");
		}
	}
}

yaml_node_t *map_get(const struct ctx *c, const yaml_node_t *map,
		     const char *key)
{
	yaml_node_pair_t *p = pair_of(c, map, key);

	return p ? node_at(c, p->value) : NULL;
}

/* Decimal without leading zeros (YAML 1.1 would read them as octal) or 0x hex. */
static bool parse_u64(const char *s, u64 *out)
{
	int base = 10;
	u64 v = 0, d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		return false;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* Well-formed but too large for 64 bits, as opposed to not a number. */
static bool all_digits(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return s[2] && strspn(s + 2, "0123456789abcdefABCDEF") == strlen(s + 2);
	return s[0] > '0' && s[0] <= '9' && strspn(s, "0123456789") == strlen(s);
}

bool get_uint(const struct ctx *c, const yaml_node_t *n, const char *what,
	      u64 min, u64 max, u64 *out)
{
	struct loc l = node_loc(c, n);
	const char *s;

	if (!expect(c, n, YAML_SCALAR_NODE, what))
		return false;
	s = scalar(n);
	if (!parse_u64(s, out)) {
		if (all_digits(s))
			diag_error(&l, "'%s' value %s is out of range (at most %#llx)",
				   what, s, (unsigned long long)max);
		else
			diag_error(&l, "malformed integer '%s' for '%s' (expected decimal or 0x hex%s)",
				   s, what, s[0] == '-' ? ", not negative" :
				   s[0] == '0' && s[1] >= '0' && s[1] <= '9' ?
				   ", without leading zeros" : "");
		return false;
	}
	if (*out < min || *out > max) {
		if (max < 1000)
			diag_error(&l, "'%s' must be between %llu and %llu, got %s",
				   what, (unsigned long long)min,
				   (unsigned long long)max, s);
		else if (*out < min)
			diag_error(&l, "'%s' must be at least %llu, got %s", what,
				   (unsigned long long)min, s);
		else
			diag_error(&l, "'%s' value %s is out of range (at most %#llx)",
				   what, s, (unsigned long long)max);
		return false;
	}
	return true;
}

/* Spellings YAML 1.1 took for booleans; we want one obvious way. */
static bool yaml11_bool(const char *s)
{
	static const char *const v[] = { "yes", "no", "on", "off", "y", "n" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		if (!strcasecmp(s, v[i]))
			return true;
	return false;
}

bool get_bool(const struct ctx *c, const yaml_node_t *n, const char *what,
	      bool *out)
{
	static const char *const vals[] = { "false", "true" };
	struct loc l = node_loc(c, n);

	if (!expect(c, n, YAML_SCALAR_NODE, what))
		return false;
	if (!strcmp(scalar(n), "true") || !strcmp(scalar(n), "false")) {
		*out = scalar(n)[0] == 't';
		return true;
	}
	diag_error(&l, "'%s' must be true or false, got '%s'%s", what, scalar(n),
		   yaml11_bool(scalar(n)) ? " (YAML 1.1's yes/no/on/off are not accepted)" : "");
	diag_suggest(&l, closest_of(scalar(n), vals, 2));
	return false;
}

/* "a, b or c": the valid spellings, for the error message. */
static void list_names(char *buf, size_t cap, const char *const *v, size_t nr)
{
	size_t i, len = 0, last = nr;

	while (last > 0 && !v[last - 1])
		last--;
	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		if (!v[i])
			continue;
		if (len)
			len += snprintf(buf + len, cap - len, "%s",
					i == last - 1 ? " or " : ", ");
		if (len < cap)
			len += snprintf(buf + len, cap - len, "%s", v[i]);
		if (len >= cap)
			return;
	}
}

bool get_enum(const struct ctx *c, const yaml_node_t *n, const char *what,
	      const char *(*name_of)(unsigned int), unsigned int nr,
	      unsigned int *out)
{
	const char *names[32];
	struct loc l = node_loc(c, n);
	char valid[256];
	unsigned int i;

	if (!expect(c, n, YAML_SCALAR_NODE, what))
		return false;
	for (i = 0; i < nr && i < ARRAY_SIZE(names); i++) {
		names[i] = name_of(i);
		if (names[i] && !strcmp(names[i], scalar(n))) {
			*out = i;
			return true;
		}
	}
	list_names(valid, sizeof(valid), names, i);
	diag_error(&l, "invalid %s '%s' (expected %s)", what, scalar(n), valid);
	diag_suggest(&l, closest_of(scalar(n), names, i));
	return false;
}

static bool sym_char(char ch, bool first)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')
		return true;
	if (ch == '.')
		return !first;
	return ch >= '0' && ch <= '9' && !first;
}

/* Where @s breaks the rules of @kind, or NULL; *why says how. */
static const char *bad_char(const char *s, enum name_kind kind, const char **why)
{
	const char *p;

	for (p = s; *p; p++) {
		if (kind == NAME_MODULE) {
			if (!sym_char(*p, false) || *p == '.') {
				*why = "module names use letters, digits and '_'";
				return p;
			}
			continue;
		}
		if (kind == NAME_GLOB && (*p == '*' || *p == '?'))
			continue;
		if (!sym_char(*p, p == s)) {
			*why = kind == NAME_GLOB ?
				"symbol names use letters, digits, '_' and '.'; globs add '*' and '?'" :
				"symbol names use letters, digits, '_' and '.', and do not start with a digit or '.'";
			return p;
		}
	}
	return NULL;
}

/* The module name with '-' as the kernel spells it, '_'. */
static void suggest_module(const struct loc *l, const char *s)
{
	char fixed[KCP_NAME_MAX + 1];
	size_t i;

	if (!strchr(s, '-') || strlen(s) > KCP_NAME_MAX)
		return;
	for (i = 0; s[i]; i++)
		fixed[i] = s[i] == '-' ? '_' : s[i];
	fixed[i] = '\0';
	diag_suggest(l, fixed);
}

bool get_name(const struct ctx *c, const yaml_node_t *n, const char *what,
	      enum name_kind kind, const char **out)
{
	struct loc l = node_loc(c, n);
	const char *s, *bad, *why;
	size_t len;

	if (!expect(c, n, YAML_SCALAR_NODE, what))
		return false;
	s = scalar(n);
	len = strlen(s);
	if (!len) {
		diag_error(&l, "empty name in '%s'", what);
		return false;
	}
	if (len > KCP_NAME_MAX) {
		diag_error(&l, "name '%.20s...' in '%s' is %zu characters long (at most %d)",
			   s, what, len, KCP_NAME_MAX);
		return false;
	}
	if (kind == NAME_SYMBOL && strpbrk(s, "*?")) {
		diag_error(&l, "'%s' is a glob, but '%s' takes exact names", s, what);
		return false;
	}
	bad = bad_char(s, kind, &why);
	if (bad) {
		diag_error(&l, "invalid character '%c' in '%s' (%s)", *bad, s, why);
		if (kind == NAME_MODULE)
			suggest_module(&l, s);
		return false;
	}
	*out = xstrdup(s);
	return true;
}

static bool get_pair(const struct ctx *c, const yaml_node_t *n, const char *what,
		     u32 max, u32 *lo, u32 *hi)
{
	struct loc l = node_loc(c, n);
	yaml_node_item_t *it = n->data.sequence.items.start;
	u64 a, b;

	if (n->data.sequence.items.top - it != 2) {
		diag_error(&l, "'%s' range must be [lo, hi], got %d values", what,
			   (int)(n->data.sequence.items.top - it));
		return false;
	}
	if (!get_uint(c, node_at(c, it[0]), what, 0, max, &a) |
	    !get_uint(c, node_at(c, it[1]), what, 0, max, &b))
		return false;
	if (a > b) {
		diag_error(&l, "'%s' range [%#llx, %#llx] is backwards (lo > hi)",
			   what, (unsigned long long)a, (unsigned long long)b);
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}

/* N or [lo, hi]. */
bool get_range(const struct ctx *c, const yaml_node_t *n, const char *what,
	       u32 max, u32 *lo, u32 *hi)
{
	struct loc l = node_loc(c, n);
	u64 v;

	if (n->type == YAML_SEQUENCE_NODE)
		return get_pair(c, n, what, max, lo, hi);
	if (n->type != YAML_SCALAR_NODE) {
		diag_error(&l, "'%s' must be a number or [lo, hi], got a mapping", what);
		return false;
	}
	if (!get_uint(c, n, what, 0, max, &v))
		return false;
	*lo = *hi = v;
	return true;
}

/* An include path is relative to the directory of the file naming it. */
static char *resolve(const char *from, const char *path)
{
	const char *slash = strrchr(from, '/');
	size_t dir = slash ? (size_t)(slash - from + 1) : 0;
	char *s;

	if (path[0] == '/' || !dir)
		return xstrdup(path);
	s = malloc(dir + strlen(path) + 1);
	if (!s) {
		diag_fatal("out of memory");
		exit(EXIT_USAGE);
	}
	memcpy(s, from, dir);
	strcpy(s + dir, path);
	return s;
}

/* "a.yaml -> b.yaml -> a.yaml": from the file that repeats to the repeat. */
static void cycle_error(const struct ctx *parent, const char *real,
			const char *path, const struct loc *from)
{
	const struct ctx *stack[64], *p;
	char chain[2048] = "";
	size_t len = 0;
	int n = 0;

	for (p = parent; p && n < 64; p = p->parent) {
		stack[n++] = p;
		if (!strcmp(p->real, real))
			break;
	}
	while (n-- > 0 && len < sizeof(chain))
		len += snprintf(chain + len, sizeof(chain) - len, "%s -> ",
				stack[n]->file);
	diag_error(from, "include cycle: %s%s", chain, path);
}

static bool seen(struct build *b, const char *real)
{
	u32 i;

	for (i = 0; i < b->seen.n; i++)
		if (!strcmp(*VEC_AT(&b->seen, char *, i), real))
			return true;
	*(char **)vec_push(&b->seen, sizeof(char *)) = xstrdup(real);
	return false;
}

static void syntax_error(const char *file, yaml_parser_t *p)
{
	struct loc l = { file, p->problem_mark.line + 1, p->problem_mark.column + 1 };

	if (p->context)
		diag_error(&l, "YAML syntax error: %s (%s)", p->problem, p->context);
	else
		diag_error(&l, "YAML syntax error: %s", p->problem ? p->problem : "unknown");
}

/* One document, no more: a second "---" is almost surely a mistake. */
static void check_single(const struct ctx *c, yaml_parser_t *parser)
{
	yaml_document_t extra;
	yaml_node_t *root;
	struct loc l = { c->file, 1, 1 };

	if (!yaml_parser_load(parser, &extra)) {
		syntax_error(c->file, parser);
		return;
	}
	root = yaml_document_get_root_node(&extra);
	if (root) {
		l.line = extra.start_mark.line + 1;
		l.col = extra.start_mark.column + 1;
		diag_error(&l, "a policy file holds one YAML document; found another");
	}
	yaml_document_delete(&extra);
}

static void parse_doc(struct ctx *c, FILE *f)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct loc l = { c->file, 1, 1 };

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		syntax_error(c->file, &parser);
		c->b->broken = true;
		yaml_parser_delete(&parser);
		return;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		diag_error(&l, "empty policy file");
		c->b->broken = true;
	} else {
		check_single(c, &parser);
		schema_file(c, root);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

static bool on_stack(const struct ctx *c, const char *real)
{
	for (; c; c = c->parent)
		if (!strcmp(c->real, real))
			return true;
	return false;
}

/*
 * Read @path and merge it into @b.  @from is where @parent included it
 * (NULL for the file on the command line).  Returns -1 only when the
 * command line's file cannot be read, an I/O error; everything else is
 * a diagnostic.
 */
int parse_file(struct build *b, const char *path, const struct ctx *parent,
	       const struct loc *from)
{
	struct ctx c = { .b = b, .file = path, .parent = parent };
	char real[PATH_MAX];
	FILE *f;

	f = fopen(path, "r");
	if (!f || !realpath(path, real)) {
		if (!from) {
			diag_fatal("cannot open '%s': %s", path, strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		diag_error(from, "cannot open included file '%s': %s", path,
			   strerror(errno));
		if (f)
			fclose(f);
		return 0;
	}
	if (on_stack(parent, real))
		cycle_error(parent, real, path, from);
	else if (!seen(b, real)) {
		c.real = real;
		parse_doc(&c, f);
	}
	fclose(f);
	return 0;
}

/*
 * Where "include:" looks for a relative name that is not next to the file
 * naming it: the -I directories, then the installed base policies.
 */
#define MAX_INCLUDE_DIRS	16

static const char *include_dirs[MAX_INCLUDE_DIRS];
static size_t nr_include_dirs;

int add_include_dir(const char *dir)
{
	if (nr_include_dirs == MAX_INCLUDE_DIRS) {
		diag_fatal("more than %d include directories", MAX_INCLUDE_DIRS);
		return -1;
	}
	include_dirs[nr_include_dirs++] = dir;
	return 0;
}

/* @name in the first include directory that has it, or NULL. */
static char *search_include_dirs(const char *name)
{
	size_t i, len;
	char *path;

	for (i = 0; i < nr_include_dirs; i++) {
		len = strlen(include_dirs[i]) + strlen(name) + 2;
		path = malloc(len);
		if (!path) {
			diag_fatal("out of memory");
			exit(EXIT_USAGE);
		}
		snprintf(path, len, "%s/%s", include_dirs[i], name);
		if (!access(path, F_OK))
			return path;
		free(path);
	}
	return NULL;
}

/* Called by the schema for each name in "include:". */
void include_file(struct ctx *c, const yaml_node_t *n)
{
	struct loc l = node_loc(c, n);
	const char *name;
	char *path, *found;

	if (!expect(c, n, YAML_SCALAR_NODE, "include"))
		return;
	name = scalar(n);
	if (!*name) {
		diag_error(&l, "empty file name in 'include'");
		return;
	}
	path = resolve(c->file, name);
	if (name[0] != '/' && access(path, F_OK)) {
		found = search_include_dirs(name);
		if (found) {
			free(path);
			path = found;
		}
	}
	parse_file(c->b, path, c, &l);
}

static void build_init(struct build *b)
{
	memset(b, 0, sizeof(*b));
	b->mode = KCP_MODE_ENFORCE;
	b->default_action = KCP_ACTION_DENY;
	memset(b->actions, KCP_ACTION_DEFAULT, sizeof(b->actions));
	b->builtin = KCP_BUILTIN_DEFAULT;
}

int policy_parse(const char *path, struct kcp_policy *p)
{
	struct build b;
	struct loc l = { path, 1, 1 };

	build_init(&b);
	if (parse_file(&b, path, NULL, NULL) < 0)
		return -1;
	/* After a syntax error the key may well be in the part not read. */
	if (!b.module && !b.module_given && !b.broken)
		diag_error(&l, "missing required key 'module' (the module this policy applies to)");
	schema_finish(&b, p);
	return diag_errors();
}
