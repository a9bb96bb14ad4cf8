// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a policy file (schema v1, documented in policy/README.md)
 * and how each lands in struct kcp_policy.  Files are merged in include
 * order: a file's includes first, then its own keys, so scalars the
 * including file sets win and lists are appended after the included ones.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

const char *access_name(unsigned int access)
{
	static const char *const names[] = {
		[KCP_ACCESS_READ] = "read",
		[KCP_ACCESS_WRITE] = "write",
		[KCP_ACCESS_READ | KCP_ACCESS_WRITE] = "rw",
	};

	return access < ARRAY_SIZE(names) ? names[access] : NULL;
}

const char *builtin_name(unsigned int bit)
{
	static const char *const names[] = { "data", "stack", "heap", "kernel_heap",
					       "caller_frames" };

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}

/* --symbols: a name the running kernel lacks is likely a typo. */
static void check_symbol(const struct loc *l, const char *name)
{
	if (!symbols_loaded())
		return;
	if (strpbrk(name, "*?")) {
		if (!symbols_glob_matches(name))
			diag_warn(l, "'%s' matches no symbol in %s", name, symbols_path());
		return;
	}
	if (symbols_has(name))
		return;
	diag_warn(l, "'%s' is not a symbol in %s", name, symbols_path());
	diag_suggest(l, symbols_closest(name));
}

/*
 * A record that repeats an earlier one.  The same record from two files
 * is what includes are for (two base files may both allow kfree), so it
 * is merged quietly; anything else is a mistake.
 */
static void repeated(const struct loc *l, const struct loc *first,
		     bool identical, const char *fmt, const char *name)
{
	if (identical && strcmp(l->file, first->file))
		return;
	diag_error(l, fmt, name);
	diag_note(first, "first given here");
}

static void add_name(struct ctx *c, enum kcp_list_id list, yaml_node_t *n,
		     const char *what, enum name_kind kind)
{
	struct vec *v = &c->b->lists[list];
	struct loc l = node_loc(c, n);
	struct name_r *r;
	const char *name;
	u32 i;

	if (!get_name(c, n, what, kind, &name))
		return;
	for (i = 0; i < v->n; i++) {
		r = VEC_AT(v, struct name_r, i);
		if (strcmp(r->name, name))
			continue;
		if (!strcmp(r->loc.file, l.file)) {
			diag_warn(&l, "'%s' is listed twice in '%s'", name, what);
			diag_note(&r->loc, "first given here");
		}
		return;
	}
	if (list != KCP_LIST_ENTRY_ALLOW)
		check_symbol(&l, name);
	r = vec_push(v, sizeof(*r));
	r->name = name;
	r->loc = l;
}

static void name_list(struct ctx *c, yaml_node_t *n, const char *what,
		      enum kcp_list_id list, enum name_kind kind)
{
	yaml_node_item_t *it;

	if (!expect(c, n, YAML_SEQUENCE_NODE, what))
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		add_name(c, list, node_at(c, *it), what, kind);
}

static void do_module(struct ctx *c, yaml_node_t *n)
{
	c->b->module_given = true;
	get_name(c, n, "module", NAME_MODULE, &c->b->module);
}

static void do_mode(struct ctx *c, yaml_node_t *n)
{
	unsigned int v;

	if (get_enum(c, n, "mode", kcp_mode_name, KCP_NR_MODES, &v))
		c->b->mode = v;
}

static void do_default_action(struct ctx *c, yaml_node_t *n)
{
	unsigned int v;

	if (get_enum(c, n, "action", kcp_action_name, KCP_NR_ACTIONS, &v))
		c->b->default_action = v;
}

static void do_actions(struct ctx *c, yaml_node_t *n)
{
	const char *kinds[KCP_NR_KINDS];
	yaml_node_t *val;
	unsigned int k, v;

	if (!expect(c, n, YAML_MAPPING_NODE, "actions"))
		return;
	for (k = 0; k < KCP_NR_KINDS; k++)
		kinds[k] = kcp_kind_name(k);
	check_keys(c, n, "actions", kinds, KCP_NR_KINDS);
	for (k = 0; k < KCP_NR_KINDS; k++) {
		val = map_get(c, n, kinds[k]);
		if (val && get_enum(c, val, "action", kcp_action_name,
				    KCP_NR_ACTIONS, &v))
			c->b->actions[k] = v;
	}
}

/*
 * "release: false" keeps a quarantine until reboot: an administrator
 * cannot lift it through netlink.  The blob carries the exception (a
 * flag bit), so policies compiled before the key keep the default.
 */
static void do_release(struct ctx *c, yaml_node_t *n)
{
	bool on;

	if (get_bool(c, n, "release", &on))
		c->b->flags = on ? c->b->flags & ~KCP_FLAG_NO_RELEASE :
				   c->b->flags | KCP_FLAG_NO_RELEASE;
}

static void do_include(struct ctx *c, yaml_node_t *n)
{
	yaml_node_item_t *it;

	if (n->type == YAML_SCALAR_NODE) {
		include_file(c, n);
		return;
	}
	if (!expect(c, n, YAML_SEQUENCE_NODE, "include"))
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		include_file(c, node_at(c, *it));
}

static void do_calls(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "allow", "deny" };
	yaml_node_t *v;

	if (!expect(c, n, YAML_MAPPING_NODE, "calls"))
		return;
	check_keys(c, n, "calls", keys, ARRAY_SIZE(keys));
	v = map_get(c, n, "allow");
	if (v)
		name_list(c, v, "calls.allow", KCP_LIST_CALL_ALLOW, NAME_GLOB);
	v = map_get(c, n, "deny");
	if (v)
		name_list(c, v, "calls.deny", KCP_LIST_CALL_DENY, NAME_GLOB);
}

static void do_entries(struct ctx *c, yaml_node_t *n)
{
	name_list(c, n, "entries", KCP_LIST_ENTRY_ALLOW, NAME_GLOB);
}

/* A mapping with only @keys; false (after an error) if not a mapping. */
static bool record(struct ctx *c, yaml_node_t *n, const char *what,
		   const char *const *keys, size_t nr)
{
	if (!expect(c, n, YAML_MAPPING_NODE, what))
		return false;
	check_keys(c, n, what, keys, nr);
	return true;
}

static yaml_node_t *need(struct ctx *c, yaml_node_t *map, const char *key,
			 const char *what)
{
	yaml_node_t *n = map_get(c, map, key);
	struct loc l = node_loc(c, map);

	if (!n)
		diag_error(&l, "missing '%s' in '%s' entry", key, what);
	return n;
}

static bool get_arg(struct ctx *c, yaml_node_t *n, const char *what, u8 *out)
{
	u64 v;

	if (!n || !get_uint(c, n, what, 1, KCP_MAX_ARG, &v))
		return false;
	*out = v;
	return true;
}

static bool get_access(struct ctx *c, yaml_node_t *n, u8 *out)
{
	unsigned int v;

	if (!n || !get_enum(c, n, "access", access_name, 4, &v))
		return false;
	*out = v;
	return true;
}

/* Exactly one of "size_arg" (an argument holds it) and "size" (fixed). */
static bool get_size(struct ctx *c, yaml_node_t *map, const char *what,
		     u8 *size_arg, u64 *size)
{
	yaml_node_t *sa = map_get(c, map, "size_arg");
	yaml_node_t *sz = map_get(c, map, "size");
	struct loc l;

	if (sa && sz) {
		l = node_loc(c, sz);
		diag_error(&l, "give 'size_arg' or 'size' in '%s' entry, not both", what);
		return false;
	}
	if (!sa && !sz) {
		l = node_loc(c, map);
		diag_error(&l, "missing 'size_arg' or 'size' in '%s' entry", what);
		return false;
	}
	if (sa)
		return get_arg(c, sa, "size_arg", size_arg);
	return get_uint(c, sz, "size", 1, UINT64_MAX, size);
}

static void add_region(struct ctx *c, const struct kcp_region_m *m,
		       const struct loc *l)
{
	struct vec *v = &c->b->regions;
	struct region_r *r;
	u32 i;

	for (i = 0; i < v->n; i++) {
		r = VEC_AT(v, struct region_r, i);
		if (strcmp(r->m.symbol, m->symbol) || r->m.offset != m->offset)
			continue;
		repeated(l, &r->loc, r->m.size == m->size && r->m.access == m->access,
			 "region '%s' at this offset is already declared", m->symbol);
		return;
	}
	check_symbol(l, m->symbol);
	r = vec_push(v, sizeof(*r));
	r->m = *m;
	r->loc = *l;
}

static void region_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "symbol", "offset", "size", "access" };
	const char *what = "memory.regions";
	struct kcp_region_m m = { 0 };
	struct loc l = node_loc(c, n);
	yaml_node_t *off;
	bool ok;

	if (!record(c, n, what, keys, ARRAY_SIZE(keys)))
		return;
	ok = need(c, n, "symbol", what) &&
	     get_name(c, map_get(c, n, "symbol"), "symbol", NAME_SYMBOL, &m.symbol);
	off = map_get(c, n, "offset");
	ok &= !off || get_uint(c, off, "offset", 0, UINT64_MAX, &m.offset);
	ok &= need(c, n, "size", what) &&
	      get_uint(c, map_get(c, n, "size"), "size", 1, UINT64_MAX, &m.size);
	ok &= get_access(c, need(c, n, "access", what), &m.access);
	if (ok && m.offset + m.size < m.offset) {
		diag_error(&l, "region '%s': offset + size overflows", m.symbol);
		ok = false;
	}
	if (ok)
		add_region(c, &m, &l);
}

static void do_builtin(struct ctx *c, yaml_node_t *n)
{
	yaml_node_item_t *it;
	unsigned int bit;
	u32 mask = 0;
	struct loc l;

	if (!expect(c, n, YAML_SEQUENCE_NODE, "memory.builtin"))
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		if (!get_enum(c, node_at(c, *it), "builtin region", builtin_name,
			      KCP_NR_BUILTINS, &bit))
			continue;
		if (mask & (1u << bit)) {
			l = node_loc(c, node_at(c, *it));
			diag_error(&l, "'%s' is listed twice in 'memory.builtin'",
				   builtin_name(bit));
		}
		mask |= 1u << bit;
	}
	c->b->builtin = mask;
}

static void do_memory(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "check_reads", "builtin", "regions" };
	yaml_node_item_t *it;
	yaml_node_t *v;
	bool on;

	if (!expect(c, n, YAML_MAPPING_NODE, "memory"))
		return;
	check_keys(c, n, "memory", keys, ARRAY_SIZE(keys));
	v = map_get(c, n, "check_reads");
	if (v && get_bool(c, v, "check_reads", &on))
		c->b->flags = on ? c->b->flags | KCP_FLAG_CHECK_READS :
				   c->b->flags & ~KCP_FLAG_CHECK_READS;
	v = map_get(c, n, "builtin");
	if (v)
		do_builtin(c, v);
	v = map_get(c, n, "regions");
	if (!v || !expect(c, v, YAML_SEQUENCE_NODE, "memory.regions"))
		return;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		region_item(c, node_at(c, *it));
}

const char *result_size_name(unsigned int v)
{
	static const char *const names[] = {
		[KCP_RESULT_MAPPING] = "mapping",
		[KCP_RESULT_SLAB] = "slab",
	};

	return v < ARRAY_SIZE(names) ? names[v] : NULL;
}

/*
 * An allocator's size: "string_arg" (the object copies the string that
 * argument points at, as kstrdup's does), "result_size" (the mapping or
 * slab object returned is the object: ioremap's, bio_kmalloc's), or else
 * get_size()'s.
 */
static bool get_alloc_size(struct ctx *c, yaml_node_t *map, struct kcp_alloc_m *m)
{
	yaml_node_t *s = map_get(c, map, "string_arg");
	yaml_node_t *rs = map_get(c, map, "result_size");
	unsigned int v;
	struct loc l;

	if (!s && !rs)
		return get_size(c, map, "allocators", &m->size_arg, &m->size);
	if ((s && rs) || map_get(c, map, "size_arg") || map_get(c, map, "size")) {
		l = node_loc(c, s ? s : rs);
		diag_error(&l, "give one of 'size_arg', 'size', 'string_arg' and 'result_size' in 'allocators' entry");
		return false;
	}
	if (s)
		return get_arg(c, s, "string_arg", &m->string_arg);
	if (!get_enum(c, rs, "result_size", result_size_name, KCP_NR_RESULT_SIZES, &v))
		return false;
	m->result_size = v;
	return true;
}

static void alloc_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "function", "size_arg", "size", "string_arg",
					    "result_size" };
	struct kcp_alloc_m m = { 0 };
	struct loc l = node_loc(c, n);
	struct alloc_r *r;
	yaml_node_t *f;
	u32 i;

	if (!record(c, n, "allocators", keys, ARRAY_SIZE(keys)))
		return;
	f = need(c, n, "function", "allocators");
	if (!(f && get_name(c, f, "function", NAME_SYMBOL, &m.function)) |
	    !get_alloc_size(c, n, &m))
		return;
	for (i = 0; i < c->b->allocs.n; i++) {
		r = VEC_AT(&c->b->allocs, struct alloc_r, i);
		if (!strcmp(r->m.function, m.function)) {
			repeated(&l, &r->loc, r->m.size_arg == m.size_arg &&
				 r->m.string_arg == m.string_arg &&
				 r->m.result_size == m.result_size && r->m.size == m.size,
				 "allocator '%s' is already declared", m.function);
			return;
		}
	}
	check_symbol(&l, m.function);
	r = vec_push(&c->b->allocs, sizeof(*r));
	r->m = m;
	r->loc = l;
}

static void free_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "function", "arg" };
	struct kcp_free_m m = { 0 };
	struct loc l = node_loc(c, n);
	struct free_r *r;
	yaml_node_t *f;
	u32 i;

	if (!record(c, n, "frees", keys, ARRAY_SIZE(keys)))
		return;
	f = need(c, n, "function", "frees");
	if (!(f && get_name(c, f, "function", NAME_SYMBOL, &m.function)) |
	    !get_arg(c, need(c, n, "arg", "frees"), "arg", &m.ptr_arg))
		return;
	for (i = 0; i < c->b->frees.n; i++) {
		r = VEC_AT(&c->b->frees, struct free_r, i);
		if (!strcmp(r->m.function, m.function)) {
			repeated(&l, &r->loc, r->m.ptr_arg == m.ptr_arg,
				 "free function '%s' is already declared", m.function);
			return;
		}
	}
	check_symbol(&l, m.function);
	r = vec_push(&c->b->frees, sizeof(*r));
	r->m = m;
	r->loc = l;
}

/* "owned" is about the pointer alone; the others check a byte range. */
static bool rule_size(struct ctx *c, yaml_node_t *n, struct kcp_arg_rule_m *m)
{
	yaml_node_t *s = map_get(c, n, "size_arg");
	struct loc l;

	if (!s)
		s = map_get(c, n, "size");
	if (m->check != KCP_ARG_OWNED)
		return get_size(c, n, "api", &m->size_arg, &m->size);
	if (!s)
		return true;
	l = node_loc(c, s);
	diag_error(&l, "check 'owned' takes no 'size_arg' or 'size'");
	return false;
}

static void add_rule(struct ctx *c, const struct kcp_arg_rule_m *m,
		     const struct loc *l)
{
	struct vec *v = &c->b->rules;
	struct rule_r *r;
	u32 i;

	for (i = 0; i < v->n; i++) {
		r = VEC_AT(v, struct rule_r, i);
		if (strcmp(r->m.function, m->function) || r->m.arg != m->arg ||
		    r->m.check != m->check)
			continue;
		repeated(l, &r->loc, r->m.size_arg == m->size_arg &&
			 r->m.size == m->size,
			 "this rule for '%s' is already declared", m->function);
		return;
	}
	check_symbol(l, m->function);
	r = vec_push(v, sizeof(*r));
	r->m = *m;
	r->loc = *l;
}

static void rule_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {
		"function", "arg", "check", "size_arg", "size"
	};
	struct kcp_arg_rule_m m = { 0 };
	struct loc l = node_loc(c, n);
	unsigned int check;
	yaml_node_t *f, *k;
	bool ok;

	if (!record(c, n, "api", keys, ARRAY_SIZE(keys)))
		return;
	f = need(c, n, "function", "api");
	ok = f && get_name(c, f, "function", NAME_SYMBOL, &m.function);
	ok &= get_arg(c, need(c, n, "arg", "api"), "arg", &m.arg);
	k = need(c, n, "check", "api");
	if (!k || !get_enum(c, k, "check", kcp_check_name, KCP_NR_ARG_CHECKS, &check))
		return;
	m.check = check;
	if (rule_size(c, n, &m) && ok)
		add_rule(c, &m, &l);
}

static void grant_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "entry", "arg", "size", "access" };
	struct kcp_grant_m m = { 0 };
	struct loc l = node_loc(c, n);
	struct grant_r *r;
	yaml_node_t *e, *s;
	bool ok;
	u32 i;

	if (!record(c, n, "grants", keys, ARRAY_SIZE(keys)))
		return;
	e = need(c, n, "entry", "grants");
	ok = e && get_name(c, e, "entry", NAME_SYMBOL, &m.entry);
	ok &= get_arg(c, need(c, n, "arg", "grants"), "arg", &m.arg);
	s = need(c, n, "size", "grants");
	ok &= s && get_uint(c, s, "size", 1, UINT64_MAX, &m.size);
	ok &= get_access(c, need(c, n, "access", "grants"), &m.access);
	if (!ok)
		return;
	for (i = 0; i < c->b->grants.n; i++) {
		r = VEC_AT(&c->b->grants, struct grant_r, i);
		if (!strcmp(r->m.entry, m.entry) && r->m.arg == m.arg) {
			repeated(&l, &r->loc, r->m.size == m.size &&
				 r->m.access == m.access,
				 "this argument of '%s' already has a grant", m.entry);
			return;
		}
	}
	r = vec_push(&c->b->grants, sizeof(*r));
	r->m = m;
	r->loc = l;
}

/* The operand key an instruction takes, and its largest value. */
static const char *operand_key(unsigned int insn, u32 *max)
{
	switch (insn) {
	case KCP_PRIV_IN:
	case KCP_PRIV_OUT:
		*max = 0xffff;
		return "ports";
	case KCP_PRIV_RDMSR:
	case KCP_PRIV_WRMSR:
		*max = 0xffffffff;
		return "msrs";
	default:
		return NULL;
	}
}

static void add_priv(struct ctx *c, const struct kcp_priv_m *m,
		     const struct loc *l)
{
	const char *name = kcp_priv_name(m->insn);
	struct vec *v = &c->b->privs;
	struct priv_r *r;
	u32 i, max;

	for (i = 0; i < v->n; i++) {
		r = VEC_AT(v, struct priv_r, i);
		if (r->m.insn != m->insn || r->m.hi < m->lo || m->hi < r->m.lo)
			continue;
		repeated(l, &r->loc, r->m.lo == m->lo && r->m.hi == m->hi,
			 operand_key(m->insn, &max) ?
			 "'%s' operand range overlaps an earlier one" :
			 "'%s' is already allowed", name);
		return;
	}
	r = vec_push(v, sizeof(*r));
	r->m = *m;
	r->loc = *l;
}

/* { insn: in, ports: [lo, hi] }: the operand key must suit the insn. */
static bool priv_operand(struct ctx *c, yaml_node_t *n, struct kcp_priv_m *m)
{
	static const char *const opkeys[] = { "ports", "msrs" };
	const char *want, *name = kcp_priv_name(m->insn);
	struct loc l = node_loc(c, n);
	yaml_node_t *v;
	bool ok = true;
	u32 max = 0;
	size_t i;

	want = operand_key(m->insn, &max);
	for (i = 0; i < ARRAY_SIZE(opkeys); i++) {
		v = map_get(c, n, opkeys[i]);
		if (!v || (want && !strcmp(want, opkeys[i])))
			continue;
		l = node_loc(c, v);
		diag_error(&l, "'%s' takes no '%s'%s%s%s", name, opkeys[i],
			   want ? " (use '" : "", want ? want : "", want ? "')" : "");
		ok = false;
	}
	if (!want || !ok)
		return ok;
	v = map_get(c, n, want);
	if (!v) {
		diag_error(&l, "'%s' needs '%s': N or [lo, hi]", name, want);
		return false;
	}
	return get_range(c, v, want, max, &m->lo, &m->hi);
}

static void priv_item(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "insn", "ports", "msrs" };
	const char *what = "privileged instruction";
	struct kcp_priv_m m = { 0 };
	struct loc l = node_loc(c, n);
	yaml_node_t *insn = n;
	unsigned int v;
	u32 max;

	if (n->type == YAML_MAPPING_NODE) {
		check_keys(c, n, "privileged", keys, ARRAY_SIZE(keys));
		insn = need(c, n, "insn", "privileged");
		if (!insn)
			return;
	} else if (n->type != YAML_SCALAR_NODE) {
		diag_error(&l, "'privileged' entries must be an instruction name or a mapping, got a sequence");
		return;
	}
	if (!get_enum(c, insn, what, kcp_priv_name, KCP_NR_PRIV, &v))
		return;
	m.insn = v;
	if (n->type == YAML_SCALAR_NODE && operand_key(v, &max)) {
		diag_error(&l, "'%s' needs an operand range: { insn: %s, %s: [lo, hi] }",
			   scalar(n), scalar(n), operand_key(v, &max));
		return;
	}
	if (n->type == YAML_MAPPING_NODE && !priv_operand(c, n, &m))
		return;
	add_priv(c, &m, &l);
}

static void each_item(struct ctx *c, yaml_node_t *n, const char *what,
		      void (*fn)(struct ctx *, yaml_node_t *))
{
	yaml_node_item_t *it;

	if (!expect(c, n, YAML_SEQUENCE_NODE, what))
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		fn(c, node_at(c, *it));
}

static void do_allocators(struct ctx *c, yaml_node_t *n)
{
	each_item(c, n, "allocators", alloc_item);
}

static void do_frees(struct ctx *c, yaml_node_t *n)
{
	each_item(c, n, "frees", free_item);
}

static void do_api(struct ctx *c, yaml_node_t *n)
{
	each_item(c, n, "api", rule_item);
}

static void do_grants(struct ctx *c, yaml_node_t *n)
{
	each_item(c, n, "grants", grant_item);
}

static void do_privileged(struct ctx *c, yaml_node_t *n)
{
	each_item(c, n, "privileged", priv_item);
}

static const struct {
	const char *key;
	void (*fn)(struct ctx *c, yaml_node_t *n);
} top[] = {
	{ "module", do_module },
	{ "mode", do_mode },
	{ "default_action", do_default_action },
	{ "actions", do_actions },
	{ "release", do_release },
	{ "include", NULL },		/* first of all, see schema_file() */
	{ "calls", do_calls },
	{ "entries", do_entries },
	{ "memory", do_memory },
	{ "allocators", do_allocators },
	{ "frees", do_frees },
	{ "api", do_api },
	{ "grants", do_grants },
	{ "privileged", do_privileged },
};

static void dispatch(struct ctx *c, yaml_node_t *root, yaml_node_pair_t *p)
{
	yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
	size_t i;

	if (k->type != YAML_SCALAR_NODE || map_get(c, root, scalar(k)) != v)
		return;		/* reported by check_keys(), or a repeat */
	for (i = 0; i < ARRAY_SIZE(top); i++)
		if (!strcmp(top[i].key, scalar(k)) && top[i].fn)
			top[i].fn(c, v);
}

void schema_file(struct ctx *c, yaml_node_t *root)
{
	const char *keys[ARRAY_SIZE(top)];
	struct loc l = node_loc(c, root);
	yaml_node_pair_t *p;
	yaml_node_t *inc;
	size_t i;

	if (root->type != YAML_MAPPING_NODE) {
		diag_error(&l, "a policy must be a mapping (module: ..., calls: ...), got %s",
			   root->type == YAML_SCALAR_NODE ? "a scalar" : "a sequence");
		c->b->broken = true;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(top); i++)
		keys[i] = top[i].key;
	check_keys(c, root, NULL, keys, ARRAY_SIZE(keys));
	/* Included files go first so that this file's scalars override them. */
	inc = map_get(c, root, "include");
	if (inc)
		do_include(c, inc);
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++)
		dispatch(c, root, p);
}

static bool has_entry(const struct build *b, const char *name)
{
	const struct vec *v = &b->lists[KCP_LIST_ENTRY_ALLOW];
	u32 i;

	for (i = 0; i < v->n; i++)
		if (!fnmatch(VEC_AT(v, struct name_r, i)->name, name, 0))
			return true;
	return false;
}

/* Checks that need every file merged first. */
static void cross_checks(const struct build *b)
{
	const struct grant_r *g;
	u32 i;

	for (i = 0; i < b->grants.n; i++) {
		g = VEC_AT(&b->grants, struct grant_r, i);
		if (!has_entry(b, g->m.entry))
			diag_warn(&g->loc, "grant for '%s', which is not in 'entries'",
				  g->m.entry);
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		diag_fatal("out of memory");
		exit(EXIT_USAGE);
	}
	return p;
}

/* The records, without their locations, in source order. */
#define EXPORT(dst, nr, src, type, rtype) do {				\
		u32 i_;							\
		(dst) = xcalloc((src).n, sizeof(type));			\
		for (i_ = 0; i_ < (src).n; i_++)			\
			(dst)[i_] = VEC_AT(&(src), rtype, i_)->m;	\
		(nr) = (src).n;						\
	} while (0)

void schema_finish(struct build *b, struct kcp_policy *p)
{
	u32 l, i;

	cross_checks(b);
	memset(p, 0, sizeof(*p));
	p->module = b->module;
	p->mode = b->mode;
	p->default_action = b->default_action;
	memcpy(p->actions, b->actions, sizeof(p->actions));
	p->flags = b->flags;
	p->builtin_writes = b->builtin;
	for (l = 0; l < KCP_NR_LISTS; l++) {
		p->lists[l].v = xcalloc(b->lists[l].n, sizeof(char *));
		for (i = 0; i < b->lists[l].n; i++)
			p->lists[l].v[i] = VEC_AT(&b->lists[l], struct name_r, i)->name;
		p->lists[l].n = b->lists[l].n;
	}
	EXPORT(p->regions, p->nr_regions, b->regions, struct kcp_region_m, struct region_r);
	EXPORT(p->allocs, p->nr_allocs, b->allocs, struct kcp_alloc_m, struct alloc_r);
	EXPORT(p->frees, p->nr_frees, b->frees, struct kcp_free_m, struct free_r);
	EXPORT(p->arg_rules, p->nr_arg_rules, b->rules, struct kcp_arg_rule_m, struct rule_r);
	EXPORT(p->grants, p->nr_grants, b->grants, struct kcp_grant_m, struct grant_r);
	EXPORT(p->privs, p->nr_privs, b->privs, struct kcp_priv_m, struct priv_r);
}
