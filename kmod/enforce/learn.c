// SPDX-License-Identifier: GPL-2.0
/*
 * Learn mode: what a module does that its policy does not
 * allow yet, each thing reported once, with what a policy would need to
 * allow it.
 *
 * A module runs in learn mode under a policy whose mode is "learn" (often
 * one that allows nothing yet): every violation is let through, as in
 * audit mode, but only the first of each kind of thing is reported, so a
 * workload's millions of stores into kernel objects make a few hundred
 * events, and each event carries a "target" that names what to allow:
 *
 *	call, indirect	the function branched to ("ext4_get_inode_loc")
 *	write, read	percpu (static per-CPU data), data (its own), stack (its
 *			frames), caller_frames (its kernel callers' frames, on
 *			the stack it runs on), grant:ENTRY:ARG:END (the access falls within
 *			END bytes of argument ARG of the running entry ENTRY of
 *			the module), kernel_heap (a kernel heap object,
 *			page or dynamic per-CPU area),
 *			region:SYMBOL:OFFSET:SIZE (a kernel variable: all of
 *			it, or the pages of it touched if kallsyms does not
 *			know its size), or unknown
 *	privileged	the instruction, and its port or MSR when known;
 *			nothing for one the instruction model refuses (rule
 *			insn.model: no policy can allow it, policyc learn
 *			lists it as seen and not allowable)
 *	api, return	nothing more: the function or rule, in the event
 *
 * "Thing" is the key a violation is deduplicated by: the target for
 * branches, the instruction and the target for accesses.  `policyc learn`
 * turns the events (`kcage monitor --json`) into a policy.  Keys live in
 * a fixed table per sandbox, inserted without locks (any context, NMI
 * included); when it is full, violations are reported every time.
 */
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "rt/own.h"
#include "core/decode.h"
#include "access.h"
#include "rt/cache.h"
#include "rt/kheap.h"
#include "learn.h"
#include "sandbox/sandbox.h"
#include "rt/zone.h"
#include "rt/symbols.h"
#include "sandbox/violation.h"
#include "dbt/xlate.h"
#include "policy/kcp.h"

#define LEARN_SLOTS	8192	/* keys per sandbox */
#define LEARN_PROBES	64
#define GRANT_REACH	4096	/* bytes past an argument a grant may cover */

/**
 * struct kcage_learn - what a sandbox in learn mode was seen doing
 * @keys: Keys of the things reported, open-addressed, 0 for an empty
 *        slot.  A slot goes from 0 to a key once, with cmpxchg64(), in
 *        any context (NMI included), and is never cleared: no lock.
 *
 * Allocated when a policy in learn mode is bound, before the sandbox is
 * published; freed with the sandbox.
 */
struct kcage_learn {
	u64 keys[LEARN_SLOTS];
};

struct kcage_learn *kcage_learn_alloc(void)
{
	return kcage_own_zalloc(sizeof(struct kcage_learn), GFP_KERNEL);
}

void kcage_learn_free(struct kcage_learn *l)
{
	kcage_own_free(l);
}

/* Is @key new to @l?  Then it is in @l now. */
static bool first_time(struct kcage_learn *l, u64 key)
{
	unsigned int i, slot = hash_64(key, 13);

	key |= 1;	/* 0 is an empty slot */
	for (i = 0; i < LEARN_PROBES; i++) {
		u64 *k = &l->keys[(slot + i) % LEARN_SLOTS];
		u64 old = READ_ONCE(*k);

		if (old == key)
			return false;
		if (!old) {
			old = cmpxchg64(k, 0, key);
			if (!old || old == key)
				return !old;
		}
	}
	return true;	/* full around here: report it again */
}

struct grant_find {
	const struct kcage_sandbox *sb;
	unsigned long a, end;
	unsigned long entry;
	unsigned int arg;
	unsigned long off;
};

/* The argument of a running entry of the module that @a lies just past. */
static bool record_args(const unsigned long *rec, void *arg)
{
	struct grant_find *f = arg;
	unsigned long t = rec[KCAGE_G_ENTRY / 8];
	unsigned long entry = kcage_cache_block_native(t) ?: kcage_cache_native(t);
	unsigned int i;

	if (!entry || kcage_sandbox_find(entry) != f->sb)
		return false;
	for (i = 0; i < 6; i++) {
		unsigned long p = rec[KCAGE_G_ARGS / 8 + i];

		if (p >= PAGE_OFFSET && f->a >= p && f->end - p <= GRANT_REACH &&
		    (!f->entry || f->a - p < f->off)) {
			f->entry = entry;
			f->arg = i + 1;
			f->off = f->a - p;
		}
	}
	return f->entry;	/* the innermost entry that has one */
}

/*
 * What a policy would allow the access @v with: into @buf; its identity
 * (for the key) in *@id.
 */
static void describe_access(const struct kcage_sandbox *sb,
			    const struct kcage_violation *v, char *buf,
			    size_t len, unsigned long *id)
{
	struct grant_find f = { .sb = sb, .a = v->addr, .end = v->addr + v->size };
	unsigned long lo, hi, off, size;
	char name[KSYM_SYMBOL_LEN];

	if (!strncmp(v->detail, "percpu", 6)) {
		/* dynamic per-CPU data is heap; the rest, static variables */
		bool heap = kcage_kheap_percpu_allows(v->addr, v->addr + v->size);

		*id = heap ? 2 : 1;
		strscpy(buf, heap ? "kernel_heap" : "percpu", len);
	} else if (kcage_access_own_data(sb, v->addr, v->addr + 1, &lo, &hi)) {
		*id = 4;
		strscpy(buf, "data", len);
	} else if (kcage_access_on_stack(v->addr, v->addr + v->size, false)) {
		*id = 5;
		strscpy(buf, "stack", len);
	} else if (kcage_access_on_stack(v->addr, v->addr + v->size, true)) {
		/*
		 * An object of a kernel caller's frame.  An argument of the
		 * entry may point to it, and a grant would be tighter, but
		 * which registers hold arguments is not known here: a grant
		 * from a leftover pointer in %r9 would not hold next time.
		 */
		*id = 6;
		strscpy(buf, "caller_frames", len);
	} else if (kcage_zone_any_record(record_args, &f)) {
		*id = f.entry ^ f.arg;
		kcage_symbol_name(f.entry, name, &off);
		snprintf(buf, len, "grant:%s:%u:%lu", name, f.arg, f.end - (v->addr - f.off));
	} else if (kcage_kheap_allows(v->addr, v->addr + v->size, &lo, &hi)) {
		*id = 2;
		strscpy(buf, "kernel_heap", len);
	} else if (kcage_symbol_name(v->addr, name, &off)) {
		size = kcage_symbol_size(v->addr, NULL);
		if (size > off && off + v->size <= size && size <= SZ_16M) {
			/* all of the variable: an instruction is seen once */
			*id = v->addr - off;
			snprintf(buf, len, "region:%s:0:%lu", name, size);
		} else {
			/*
			 * kallsyms has no sensible size (the last variable of
			 * a module's .bss): the pages touched, each seen once
			 */
			lo = off & PAGE_MASK;
			hi = PAGE_ALIGN(off + v->size);
			*id = v->addr - off + lo;
			snprintf(buf, len, "region:%s:%lu:%lu", name, lo, hi - lo);
		}
	} else {
		*id = 3;
		strscpy(buf, "unknown", len);
	}
}

/**
 * learn_first - is @v the first of its kind in @sb, which learns?
 * @sb:     the sandbox, held as for kcage_violation()
 * @v:      the violation
 * @target: gets what would allow it (see the top of this file)
 * @len:    room in @target
 */
static bool learn_first(const struct kcage_sandbox *sb,
			const struct kcage_violation *v, char *target, size_t len)
{
	struct kcage_learn *l = kcage_sandbox_learn(sb);
	unsigned long id;
	u64 key;

	target[0] = '\0';
	switch (v->kind) {
	case KCP_KIND_CALL:
	case KCP_KIND_INDIRECT:
		kcage_symbol_describe(v->addr, target, len);
		key = (u64)v->kind << 56 ^ v->addr;
		break;
	case KCP_KIND_WRITE:
	case KCP_KIND_READ:
		/* what the kernel reads again of the module: no policy allows it */
		if (v->rule && !strcmp(v->rule, "memory.loader_metadata")) {
			key = (u64)v->kind << 56 ^ v->pc;
			break;
		}
		describe_access(sb, v, target, len, &id);
		key = (u64)v->kind << 56 ^ v->pc ^ hash_64(id, 48) << 8;
		break;
	case KCP_KIND_PRIVILEGED:
		/* refused by the instruction model: no policy can allow it */
		if (v->rule && !strcmp(v->rule, "insn.model")) {
			key = (u64)v->kind << 56 ^ v->pc;
			break;
		}
		snprintf(target, len, "%s:%lu", kcage_priv_name_at(sb, v->pc), v->addr);
		key = (u64)v->kind << 56 ^ v->pc ^ hash_64(v->addr, 48) << 8;
		break;
	default:
		key = (u64)v->kind << 56 ^ v->pc ^ hash_64(v->addr, 48) << 8;
		break;
	}
	return !l || first_time(l, key);
}

/* Violations in learn mode are reported as learn_first() says. */
void __init kcage_learn_init(void)
{
	kcage_violation_set_learner(learn_first);
}
