// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel API as a sandboxed module's policy describes it:
 * which calls hand the module a heap object (allocators), which take one
 * back (frees), which arguments must point where (api rules), which
 * kernel objects the module may touch by name (regions), and which
 * objects the kernel hands to its entries it may touch while they run
 * (grants).
 *
 * The translator sends a direct call or jump to a function the policy
 * names in allocators, frees or api through kcage_api_gate (gate.S)
 * instead of linking it (kcage_api_gate_for()).  Before the call,
 * kcage_api_before() checks the argument rules and takes a freed object
 * out of the module's heap (heap.c), so a second free is a pointer the
 * module does not own; after it, kcage_api_after() records an allocated
 * object.  A refused call does not happen: the policy's action decides
 * between returning -EPERM to the module (deny) and abandoning the call
 * into the module (quarantine).
 *
 * Calls through function pointers to these functions and objects the
 * kernel frees on the module's behalf (kfree_rcu(), devm_*) are not seen.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "rt/own.h"
#include "dbt/contain.h"
#include "access.h"
#include "api.h"
#include "rt/cache.h"
#include "rt/zone.h"
#include "enforce.h"
#include "dbt/frame.h"
#include "rt/heap.h"
#include "sandbox/sandbox.h"
#include "rt/symbols.h"
#include "sandbox/violation.h"
#include "policy/kcp.h"
#include "dbt/instrument.h"

/**
 * struct kcage_api_fn - a kernel function the policy says something about
 * @name:     its name (in the policy's strings)
 * @addr:     its address, set when a call to it is first translated: by
 *            any CPU's translator (with interrupts off), always to the
 *            same value, with WRITE_ONCE(); the gate reads it with
 *            READ_ONCE()
 * @alloc:    what it allocates, or NULL
 * @free:     which argument it frees, or NULL
 * @rules:    its argument rules (into &kcage_api.rules)
 * @nr_rules: entries in @rules
 *
 * All but @addr are written by kcage_api_bind() before the sandbox is
 * published, and freed with it (kcage_api_unbind()).
 */
struct kcage_api_fn {
	const char *name;
	unsigned long addr;
	const struct kcp_alloc *alloc;
	const struct kcp_free *free;
	const struct kcp_arg_rule **rules;
	unsigned int nr_rules;
};

/* A named kernel object, resolved when the policy is bound. */
struct kcage_region {
	unsigned long start;
	unsigned long end;
	u8 access;
};

/* An object the kernel passes to a module entry, resolved at binding. */
struct kcage_grant {
	unsigned long entry;
	u8 arg;
	u8 access;
	unsigned long size;
};

/**
 * struct kcage_api - what a sandbox's policy says about the kernel API
 * @grants:     objects the kernel passes to the module's entries
 * @nr_grants:  entries in @grants
 * @fns:        kernel functions with allocator, free or argument rules
 * @nr_fns:     entries in @fns
 * @rules:      the argument rules, which &kcage_api_fn.rules point into
 * @regions:    kernel objects the policy names, resolved at binding
 * @nr_regions: entries in @regions
 *
 * Built by kcage_api_bind() while the takeover builds the sandbox, before
 * it is published; read-only afterwards (but &kcage_api_fn.addr), read in
 * any context without a lock; freed with the sandbox by
 * kcage_api_unbind().  It points into the sandbox's private policy copy,
 * which lives as long.
 */
struct kcage_api {
	struct kcage_grant *grants;
	unsigned int nr_grants;
	struct kcage_api_fn *fns;
	unsigned int nr_fns;
	const struct kcp_arg_rule **rules;
	struct kcage_region *regions;
	unsigned int nr_regions;
};

static struct kcage_api_fn *fn_named(struct kcage_api *api, const char *name)
{
	unsigned int i;

	for (i = 0; i < api->nr_fns; i++)
		if (!strcmp(api->fns[i].name, name))
			return &api->fns[i];
	return NULL;
}

/* The record for @name, added if new (there is room for every name). */
static struct kcage_api_fn *fn_add(struct kcage_api *api, const char *name)
{
	struct kcage_api_fn *fn = fn_named(api, name);

	if (!fn) {
		fn = &api->fns[api->nr_fns++];
		fn->name = name;
	}
	return fn;
}

static int collect_fns(struct kcage_api *api, const struct kcp_view *p)
{
	unsigned int n = p->nr_allocs + p->nr_frees + p->nr_arg_rules, i, r = 0;

	api->fns = kcage_own_calloc(n, sizeof(*api->fns), GFP_KERNEL);
	api->rules = kcage_own_calloc(p->nr_arg_rules, sizeof(*api->rules), GFP_KERNEL);
	if ((n && !api->fns) || (p->nr_arg_rules && !api->rules))
		return -ENOMEM;
	for (i = 0; i < p->nr_allocs; i++)
		fn_add(api, kcp_str(p, p->allocs[i].function))->alloc = &p->allocs[i];
	for (i = 0; i < p->nr_frees; i++)
		fn_add(api, kcp_str(p, p->frees[i].function))->free = &p->frees[i];
	for (i = 0; i < p->nr_arg_rules; i++)
		fn_add(api, kcp_str(p, p->arg_rules[i].function));
	/* each function's rules side by side in api->rules */
	for (i = 0; i < api->nr_fns; i++) {
		struct kcage_api_fn *fn = &api->fns[i];
		unsigned int j;

		fn->rules = &api->rules[r];
		for (j = 0; j < p->nr_arg_rules; j++)
			if (!strcmp(kcp_str(p, p->arg_rules[j].function), fn->name))
				api->rules[r++] = &p->arg_rules[j];
		fn->nr_rules = &api->rules[r] - fn->rules;
	}
	return 0;
}

/*
 * A region names a kernel object (vmlinux's, or one of a module the
 * sandboxed module depends on, which therefore outlives it).  One whose
 * name is not found is left out, with a warning: the module cannot
 * touch it then.
 */
static int resolve_regions(struct kcage_api *api, const struct kcp_view *p,
			   const char *module)
{
	unsigned int i;

	api->regions = kcage_own_calloc(p->nr_regions, sizeof(*api->regions), GFP_KERNEL);
	if (p->nr_regions && !api->regions)
		return -ENOMEM;
	for (i = 0; i < p->nr_regions; i++) {
		const struct kcp_region *r = &p->regions[i];
		const char *name = kcp_str(p, r->symbol);
		unsigned long a = kcage_symbol_lookup(name);
		struct kcage_region *k = &api->regions[api->nr_regions];

		if (!a) {
			pr_warn("%s: region %s: no kernel symbol of that name; left out\n",
				module, name);
			continue;
		}
		k->start = a + le64_to_cpu(r->offset);
		k->end = k->start + le64_to_cpu(r->size);
		k->access = r->access;
		api->nr_regions++;
	}
	return 0;
}

/* The address of @mod's function @name, or 0. */
static unsigned long module_function(const struct module *mod, const char *name)
{
	const struct mod_kallsyms *ks = rcu_dereference_raw(mod->kallsyms);
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++)
		if (!strcmp(ks->strtab + ks->symtab[i].st_name, name))
			return ks->symtab[i].st_value;
	return 0;
}

static int resolve_grants(struct kcage_api *api, const struct kcp_view *p,
			  const struct module *mod)
{
	unsigned int i;

	api->grants = kcage_own_calloc(p->nr_grants, sizeof(*api->grants), GFP_KERNEL);
	if (p->nr_grants && !api->grants)
		return -ENOMEM;
	for (i = 0; i < p->nr_grants; i++) {
		const struct kcp_grant *g = &p->grants[i];
		const char *name = kcp_str(p, g->entry);
		struct kcage_grant *k = &api->grants[api->nr_grants];

		k->entry = module_function(mod, name);
		if (!k->entry) {
			pr_warn("%s: grant for %s: the module has no such function; left out\n",
				mod->name, name);
			continue;
		}
		k->arg = g->arg;
		k->access = g->access;
		k->size = le64_to_cpu(g->size);
		api->nr_grants++;
	}
	return 0;
}

/**
 * kcage_api_bind - what @sb's policy @p says about the kernel API
 * @sb: the sandbox being built, not yet published
 * @p:  its policy
 *
 * Return: a new &struct kcage_api (kcage_api_unbind() frees it), or an
 * ERR_PTR.  @p must outlive it.
 */
struct kcage_api *kcage_api_bind(const struct kcage_sandbox *sb,
				 const struct kcp_view *p)
{
	struct kcage_api *api = kcage_own_zalloc(sizeof(*api), GFP_KERNEL);
	const struct module *mod = kcage_sandbox_module(sb);
	int ret;

	if (!api)
		return ERR_PTR(-ENOMEM);
	ret = collect_fns(api, p);
	if (!ret)
		ret = resolve_regions(api, p, mod->name);
	if (!ret)
		ret = resolve_grants(api, p, mod);
	if (ret) {
		kcage_api_unbind(api);
		return ERR_PTR(ret);
	}
	return api;
}

void kcage_api_unbind(struct kcage_api *api)
{
	if (!api)
		return;
	kcage_own_free(api->grants);
	kcage_own_free(api->regions);
	kcage_own_free(api->rules);
	kcage_own_free(api->fns);
	kcage_own_free(api);
}

/**
 * kcage_api_region_allows - is [@a, @end) inside a region with @access?
 * @api:    the sandbox's API view
 * @a:      first byte
 * @end:    past the last byte
 * @access: KCP_ACCESS_READ or KCP_ACCESS_WRITE
 * @lo:     gets the region's start, if not NULL
 * @hi:     gets the region's end, if not NULL
 */
bool kcage_api_region_allows(const struct kcage_api *api, unsigned long a,
			     unsigned long end, u8 access, unsigned long *lo,
			     unsigned long *hi)
{
	unsigned int i;

	for (i = 0; api && i < api->nr_regions; i++) {
		const struct kcage_region *r = &api->regions[i];

		if ((r->access & access) && a >= r->start && end <= r->end &&
		    end > a) {
			if (lo && hi) {
				*lo = r->start;
				*hi = r->end;
			}
			return true;
		}
	}
	return false;
}

/* Does a writable region cover a whole page (which okpage.c can cache)? */
bool kcage_api_region_pages(const struct kcage_api *api)
{
	unsigned int i;

	for (i = 0; api && i < api->nr_regions; i++) {
		const struct kcage_region *r = &api->regions[i];

		if ((r->access & KCP_ACCESS_WRITE) &&
		    PAGE_ALIGN(r->start) + PAGE_SIZE <= r->end)
			return true;
	}
	return false;
}

/* Does any grant let an entry write? */
bool kcage_api_has_write_grants(const struct kcage_api *api)
{
	unsigned int i;

	for (i = 0; api && i < api->nr_grants; i++)
		if (api->grants[i].access & KCP_ACCESS_WRITE)
			return true;
	return false;
}

/*
 * The first grant that lets entry @entry write: its argument number and
 * size.  False if none.
 */
bool kcage_api_entry_write_grant(const struct kcage_api *api, unsigned long entry,
				 unsigned int *arg, unsigned long *size)
{
	unsigned int i;

	for (i = 0; api && i < api->nr_grants; i++) {
		const struct kcage_grant *g = &api->grants[i];

		if (g->entry == entry && (g->access & KCP_ACCESS_WRITE)) {
			*arg = g->arg;
			*size = g->size;
			return true;
		}
	}
	return false;
}

struct grant_query {
	const struct kcage_api *api;
	unsigned long a, end;
	u8 access;
};

/* Does a running entry of the query's module grant the access asked? */
static bool record_grants(const unsigned long *rec, void *arg)
{
	const struct grant_query *q = arg;
	unsigned long t = rec[KCAGE_G_ENTRY / 8];
	unsigned long entry = kcage_cache_block_native(t) ?: kcage_cache_native(t);
	unsigned int i;

	for (i = 0; i < q->api->nr_grants; i++) {
		const struct kcage_grant *g = &q->api->grants[i];
		unsigned long p = rec[KCAGE_G_ARGS / 8 + g->arg - 1];

		if (g->entry == entry && (g->access & q->access) &&
		    q->a >= p && q->end <= p + g->size && p + g->size > p)
			return true;
	}
	return false;
}

/**
 * kcage_api_grant_allows - does a running entry grant [@a, @end)?
 * @api:    the sandbox's API view
 * @a:      first byte
 * @end:    past the last byte
 * @access: KCP_ACCESS_READ or KCP_ACCESS_WRITE
 *
 * A grant lasts while its entry runs: the gate records (shadow.h), which
 * the module cannot write, say which entries those are and what they
 * were passed.
 */
bool kcage_api_grant_allows(const struct kcage_api *api, unsigned long a,
			    unsigned long end, u8 access)
{
	struct grant_query q = { .api = api, .a = a, .end = end, .access = access };

	if (!api || !api->nr_grants || end <= a)
		return false;
	return kcage_zone_any_record(record_grants, &q);
}

/**
 * kcage_api_gate_for - the translator's api_gate hook (struct kc_block_ops)
 * @ctx: the sandbox being translated
 * @target: the branch's target
 *
 * A direct branch to a kernel function its policy allows and names in
 * allocators, frees or api goes through the gate.  One it does not allow
 * takes the exit path, where it is refused and reported.  Called with
 * interrupts off.
 */
u64 kcage_api_gate_for(void *ctx, u64 target)
{
	const struct kcage_sandbox *sb = ctx;
	struct kcage_api *api = kcage_sandbox_api(sb);
	char name[KSYM_SYMBOL_LEN];
	struct kcage_api_fn *fn;

	lockdep_assert(irqs_disabled());
	if (!api || !api->nr_fns || kcage_sandbox_find(target))
		return 0;
	if (!kcage_symbol_function(target, name) || !kcage_enforce_link_ok(sb, target))
		return 0;
	fn = fn_named(api, name);
	if (!fn)
		return 0;
	WRITE_ONCE(fn->addr, target);
	return (unsigned long)kcage_api_gate;
}

static struct kcage_api_fn *fn_at(const struct kcage_sandbox *sb,
				  unsigned long addr)
{
	struct kcage_api *api = kcage_sandbox_api(sb);
	unsigned int i;

	for (i = 0; api && i < api->nr_fns; i++)
		if (READ_ONCE(api->fns[i].addr) == addr)
			return &api->fns[i];
	return NULL;
}

/* A pointer the kernel's frees accept and ignore. */
static bool nothing_to_free(unsigned long p)
{
	return ZERO_OR_NULL_PTR((void *)p);
}

#define ARG_DETAILS(check) { \
	"arg1_not_" check, "arg2_not_" check, "arg3_not_" check, \
	"arg4_not_" check, "arg5_not_" check, "arg6_not_" check }

static const char *const arg_details[KCP_NR_ARG_CHECKS][6] = {
	[KCP_ARG_WRITABLE] = ARG_DETAILS("writable"),
	[KCP_ARG_READABLE] = ARG_DETAILS("readable"),
	[KCP_ARG_OWNED] = ARG_DETAILS("owned"),
};

/* Does argument rule @r hold for the call in @f?  Sets @v's address. */
static bool rule_holds(const struct kcage_sandbox *sb,
		       const struct kcp_arg_rule *r,
		       const struct kcage_api_frame *f, struct kcage_violation *v)
{
	unsigned long a = f->args[r->arg - 1], size;

	v->addr = a;
	v->detail = arg_details[r->check][r->arg - 1];
	if (r->check == KCP_ARG_OWNED) {
		v->size = 0;
		return nothing_to_free(a) || kcage_heap_owns(sb, a, a + 1);
	}
	size = r->size_arg ? f->args[r->size_arg - 1] : le64_to_cpu(r->size);
	v->size = size;
	if (!size)
		return true;
	if (r->check == KCP_ARG_WRITABLE)
		return kcage_access_writable(sb, a, size);
	return kcage_access_readable(sb, a, size);
}

/* 0 if every rule of @fn holds (or the policy says go on), else where to. */
static unsigned long check_rules(const struct kcage_sandbox *sb,
				 const struct kcage_api_fn *fn,
				 const struct kcage_api_frame *f)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_API, .pc = f->pc, .rule = "api",
		.rule_arg = fn->name,
	};
	unsigned int i;

	for (i = 0; i < fn->nr_rules; i++) {
		unsigned long go;

		if (rule_holds(sb, fn->rules[i], f, &v))
			continue;
		go = kcage_enforce_refused(kcage_violation(sb, &v));
		if (go)
			return go;
	}
	return 0;
}

/* What kcage_api_before() leaves in the frame's state for after. */
#define FREED_PTR	0	/* an object given up before the call */
#define FREED_SIZE	1	/* its size */
#define RECORD		2	/* the heap record reserved for its result */

/*
 * The length of the string at @s plus its NUL, read as the allocator
 * will.  If it cannot be read (kstrdup(NULL) returns NULL; a bad pointer
 * faults in the allocator, as natively, not here), 1.
 */
static unsigned long string_size(const char *s)
{
	unsigned long n;
	char c;

	for (n = 0; n < KMALLOC_MAX_SIZE; n++) {
		if (get_kernel_nofault(c, s + n))
			return 1;
		if (!c)
			return n + 1;
	}
	return 1;
}

/* find_vm_area(), not exported; kcage_api_init() looks it up */
static struct vm_struct *(*find_area)(const void *addr);

/* Process context, at load. */
void kcage_api_init(void)
{
	find_area = (void *)kcage_symbol_lookup("find_vm_area");
	if (!find_area)
		pr_warn("no find_vm_area: mappings from allocators with 'result_size: mapping' are not recorded\n");
}

/*
 * The bytes from @addr to the end of the mapping (ioremap()) that holds
 * it, without its guard page; 0 if none.  Process context: the mapping
 * functions sleep, so their callers can.
 */
static unsigned long mapping_size(unsigned long addr)
{
	struct vm_struct *area = find_area ? find_area((void *)addr) : NULL;
	unsigned long start;

	if (!area)
		return 0;
	start = (unsigned long)area->addr;
	return start + get_vm_area_size(area) - addr;
}

/*
 * The size of the slab object (or large kmalloc() pages) at @addr, as
 * ksize() gives it; 0 for other memory, which ksize() would warn about.
 */
static unsigned long slab_size(unsigned long addr)
{
	struct page *head;

	if (!virt_addr_valid((void *)addr))
		return 0;
	head = compound_head(virt_to_page((void *)addr));
	if (!PageSlab(head) && !PageCompound(head))
		return 0;
	return ksize((void *)addr);
}

/*
 * The size of the object the allocator call in @f asks for (before the
 * call: for a size known only after, a guess the record can grow past),
 * or got (after, with its result in @f->ret).
 */
static unsigned long alloc_size(const struct kcage_api_fn *fn,
				const struct kcage_api_frame *f, bool after)
{
	switch (fn->alloc->result_size) {
	case KCP_RESULT_MAPPING:
		return after ? mapping_size(f->ret) : PAGE_SIZE;
	case KCP_RESULT_SLAB:
		return after ? slab_size(f->ret) : 256;
	}
	if (fn->alloc->string_arg)
		return string_size((const char *)f->args[fn->alloc->string_arg - 1]);
	return fn->alloc->size_arg ? f->args[fn->alloc->size_arg - 1] :
				     le64_to_cpu(fn->alloc->size);
}

/*
 * The record of an allocator's result is reserved before the call: with
 * no memory for it, the module's stores into the object would all be
 * refused, so the allocation fails instead, as it could natively.
 */
static unsigned long reserve_record(const struct kcage_sandbox *sb,
				    const struct kcage_api_fn *fn,
				    struct kcage_api_frame *f)
{
	unsigned long size = alloc_size(fn, f, false);

	f->state[RECORD] = (unsigned long)kcage_heap_reserve(size);
	if (f->state[RECORD])
		return 0;
	pr_warn_ratelimited("%s: no memory to record an object of %lu bytes from %s: the allocation fails\n",
			    kcage_sandbox_name(sb), size, fn->name);
	return (unsigned long)kcage_fail_null;
}

/**
 * kcage_api_before - called by kcage_api_gate before the call in @f
 * @f: the gate's frame: the call, its arguments, its state
 *
 * Return: 0 to make the call, else where to go instead (enforce.c).
 */
unsigned long kcage_api_before(struct kcage_api_frame *f)
{
	const struct kcage_sandbox *sb;
	const struct kcage_api_fn *fn;
	unsigned long go = 0, p;

	f->state[FREED_PTR] = 0;
	f->state[RECORD] = 0;
	rcu_read_lock();
	sb = kcage_sandbox_find(f->pc);
	fn = sb ? fn_at(sb, f->fn) : NULL;
	if (!sb)
		go = kcage_contain_unattributed(f->pc, "kernel API call");
	if (fn)
		go = check_rules(sb, fn, f);
	if (fn && fn->alloc && !go)
		go = reserve_record(sb, fn, f);
	if (fn && fn->free && !go) {
		p = f->args[fn->free->ptr_arg - 1];
		if (!nothing_to_free(p) &&
		    kcage_heap_disown(sb, p, &f->state[FREED_SIZE]))
			f->state[FREED_PTR] = p;
	}
	rcu_read_unlock();
	return go;
}

/* A value an allocator returns when it has nothing to give. */
static bool no_object(unsigned long r)
{
	return ZERO_OR_NULL_PTR((void *)r) || IS_ERR_VALUE(r);
}

/* Called by kcage_api_gate after the call in @f, with its result. */
void kcage_api_after(struct kcage_api_frame *f)
{
	struct heap_obj *rec = (struct heap_obj *)f->state[RECORD];
	const struct kcage_sandbox *sb;
	const struct kcage_api_fn *fn;

	rcu_read_lock();
	sb = kcage_sandbox_find(f->pc);
	fn = sb ? fn_at(sb, f->fn) : NULL;
	if (!rec)
		goto out;
	if (!fn || !fn->alloc)
		kcage_heap_unreserve(rec);	/* its sandbox went away */
	else if (!no_object(f->ret))
		kcage_heap_own_reserved(rec, sb, f->ret, alloc_size(fn, f, true));
	else if (f->state[FREED_PTR] && !f->ret)
		/* krealloc() failed: the old object is still the module's */
		kcage_heap_own_reserved(rec, sb, f->state[FREED_PTR],
					f->state[FREED_SIZE]);
	else
		kcage_heap_unreserve(rec);
out:
	rcu_read_unlock();
}
