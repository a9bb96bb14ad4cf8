/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The YAML front end's private state: the policy as it accumulates over
 * a file and its includes, each record with the place it came from so
 * that later conflicts can point at both.
 */
#ifndef POLICYC_PARSE_H
#define POLICYC_PARSE_H

#include <yaml.h>
#include "policyc.h"

struct vec {
	void *v;
	u32 n;
	u32 cap;
};

#define VEC_AT(vec, type, i)	(&((type *)(vec)->v)[i])

struct name_r { const char *name; struct loc loc; };
struct region_r { struct kcp_region_m m; struct loc loc; };
struct alloc_r { struct kcp_alloc_m m; struct loc loc; };
struct free_r { struct kcp_free_m m; struct loc loc; };
struct rule_r { struct kcp_arg_rule_m m; struct loc loc; };
struct grant_r { struct kcp_grant_m m; struct loc loc; };
struct priv_r { struct kcp_priv_m m; struct loc loc; };

struct build {
	const char *module;
	u8 mode;
	u8 default_action;
	u8 actions[KCP_NR_KINDS];
	u32 flags;
	u32 builtin;
	struct vec lists[KCP_NR_LISTS];		/* struct name_r */
	struct vec regions, allocs, frees, rules, grants, privs;
	struct vec seen;			/* char *: files merged */
	bool module_given;			/* even if its value was bad */
	bool broken;				/* a file did not parse */
};

/* One file being read; @parent is the file that included it. */
struct ctx {
	struct build *b;
	yaml_document_t *doc;
	const char *file;	/* as the user or the include spelled it */
	const char *real;	/* realpath, to find cycles */
	const struct ctx *parent;
};

enum name_kind {
	NAME_MODULE,	/* a module name: letters, digits, '_' */
	NAME_SYMBOL,	/* an exact symbol name */
	NAME_GLOB,	/* a symbol name or a glob with '*' and '?' */
};

/* parse.c: files, includes, and helpers for the schema */
int parse_file(struct build *b, const char *path, const struct ctx *parent,
	       const struct loc *from);
void *vec_push(struct vec *v, size_t size);
struct loc node_loc(const struct ctx *c, const yaml_node_t *n);
yaml_node_t *node_at(const struct ctx *c, int index);
const char *scalar(const yaml_node_t *n);
bool expect(const struct ctx *c, const yaml_node_t *n, yaml_node_type_t t,
	    const char *what);
void check_keys(const struct ctx *c, const yaml_node_t *map, const char *what,
		const char *const *keys, size_t nr);
yaml_node_t *map_get(const struct ctx *c, const yaml_node_t *map,
		     const char *key);
bool get_uint(const struct ctx *c, const yaml_node_t *n, const char *what,
	      u64 min, u64 max, u64 *out);
bool get_bool(const struct ctx *c, const yaml_node_t *n, const char *what,
	      bool *out);
bool get_enum(const struct ctx *c, const yaml_node_t *n, const char *what,
	      const char *(*name_of)(unsigned int), unsigned int nr,
	      unsigned int *out);
bool get_name(const struct ctx *c, const yaml_node_t *n, const char *what,
	      enum name_kind kind, const char **out);
void include_file(struct ctx *c, const yaml_node_t *n);
bool get_range(const struct ctx *c, const yaml_node_t *n, const char *what,
	       u32 max, u32 *lo, u32 *hi);

/* schema.c: the keys of a policy file */
void schema_file(struct ctx *c, yaml_node_t *root);
void schema_finish(struct build *b, struct kcp_policy *p);
const char *access_name(unsigned int access);
const char *builtin_name(unsigned int bit);
const char *result_size_name(unsigned int v);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* POLICYC_PARSE_H */
