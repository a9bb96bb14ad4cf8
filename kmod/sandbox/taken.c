// SPDX-License-Identifier: GPL-2.0
/*
 * The functions of a module whose addresses its read-only data holds: the
 * callbacks of its const tables of operations (struct raid6_calls,
 * file_operations, ...), which the module calls through those pointers.
 *
 * An indirect call of a module to one of these is as good as a direct call
 * to it, which the module may always make: the pointer is in data the
 * module cannot write, put there by the module's relocations, not by its
 * code.  enforce.c lets such calls through without the function being
 * listed in the policy's entries, so that a policy need not name each
 * variant of an operation the module may pick at run time (raid6_pq picks
 * its fastest syndrome functions by timing them).  A function pointer the
 * module's code stores in writable data still has to be listed.
 *
 * The table is read when the module comes, before its init runs: its
 * read-only data and read-only-after-init data hold then what the linker
 * and the module loader put there, nothing its code wrote.  The tables
 * of the kernel's own that list every function (the ftrace call sites,
 * __mcount_loc, at each function's start; the kprobe blacklist) are not
 * the module's pointers and are skipped.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/bsearch.h>
#include "rt/own.h"
#include "rt/symbols.h"
#include "taken.h"

/**
 * struct kcage_taken - the functions a module's read-only data points at
 * @nr: entries in @fn
 * @fn: their addresses, sorted
 *
 * Written once by kcage_taken_collect() before its sandbox is published,
 * then read in any context without a lock; freed with the sandbox.
 */
struct kcage_taken {
	unsigned int nr;
	unsigned long fn[];
};

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Is @a in one of @mod's tables of all its functions (see the top)? */
static bool in_kernel_table(const struct module *mod, unsigned long a)
{
#ifdef CONFIG_FTRACE_MCOUNT_RECORD
	unsigned long t = (unsigned long)mod->ftrace_callsites;

	if (a >= t && a < t + mod->num_ftrace_callsites * sizeof(unsigned long))
		return true;
#endif
#ifdef CONFIG_KPROBES
	if (a >= (unsigned long)mod->kprobe_blacklist &&
	    a < (unsigned long)mod->kprobe_blacklist +
		mod->num_kprobe_blacklist * sizeof(unsigned long))
		return true;
#endif
	return false;
}

/*
 * The words of @mod's [@lo, @hi) that point into [@text, @text_end),
 * sorted, once.
 */
static unsigned int text_pointers(const struct module *mod, unsigned long lo,
				  unsigned long hi, unsigned long text,
				  unsigned long text_end, unsigned long *out,
				  unsigned int max)
{
	unsigned int n = 0, i, u;
	unsigned long a;

	for (a = ALIGN(lo, 8); a + 8 <= hi && n < max; a += 8) {
		unsigned long v = *(unsigned long *)a;

		if (v >= text && v < text_end && !in_kernel_table(mod, a))
			out[n++] = v;
	}
	sort(out, n, sizeof(*out), cmp_ulong, NULL);
	for (i = 0, u = 0; i < n; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
}

/**
 * kcage_taken_collect - the function starts @mod's read-only data points at
 * @mod: the module coming
 *
 * Process context, at MODULE_STATE_COMING.  Return: the table (NULL if
 * none, or without memory: then every indirect target must be listed).
 */
struct kcage_taken *kcage_taken_collect(const struct module *mod)
{
	unsigned long base = (unsigned long)mod->core_layout.base;
	unsigned long lo = base + mod->core_layout.text_size;
	unsigned long hi = base + mod->core_layout.ro_after_init_size;
	unsigned int max = (hi - lo) / 8, n, i, kept = 0;
	char name[KSYM_SYMBOL_LEN];
	struct kcage_taken *t;

	if (!max)
		return NULL;
	t = kcage_own_zalloc(struct_size(t, fn, max), GFP_KERNEL);
	if (!t)
		return NULL;
	n = text_pointers(mod, lo, hi, base, lo, t->fn, max);
	for (i = 0; i < n; i++)
		if (kcage_symbol_function(t->fn[i], name))
			t->fn[kept++] = t->fn[i];
	t->nr = kept;
	return t;
}

/* Does @t hold @fn?  Any context. */
bool kcage_taken_has(const struct kcage_taken *t, unsigned long fn)
{
	return t && bsearch(&fn, t->fn, t->nr, sizeof(fn), cmp_ulong);
}

void kcage_taken_free(struct kcage_taken *t)
{
	kcage_own_free(t);
}
