/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sandbox.c, sites.c and poison.c share about a sandboxed module.
 */
#ifndef KCAGE_SANDBOX_PRIV_H
#define KCAGE_SANDBOX_PRIV_H

#include <linux/ftrace.h>
#include <linux/list.h>
#include <linux/module.h>
#include "sandbox.h"
#include "policy/kcp.h"

enum { TEXT_CORE, TEXT_INIT, NR_TEXTS };

/**
 * struct kcage_text - one text area of a sandboxed module
 * @start: Native start.  Set by the takeover before the sandbox is
 *         published; constant from then on.
 * @end:   Native end.  Set with @start; the init text's is lowered to
 *         @start (WRITE_ONCE(), under &kcage_sandboxes_lock) once the
 *         module's init has run, so readers, which hold no lock, use
 *         READ_ONCE() (in_text()).
 * @copy:  The bytes the translator reads, ftrace sites turned into nops.
 *         In kcage's own memory (rt/own.c).  Written before publication,
 *         read-only afterwards; freed with the sandbox, after it is
 *         unpublished and a grace period passed.
 */
struct kcage_text {
	unsigned long start;
	unsigned long end;
	u8 *copy;
};

/* A site the kernel patches, with how many native bytes it must find. */
struct kcage_site_entry {
	unsigned long ip;
	unsigned int len;
	struct kc_site site;
};

/**
 * struct kcage_sandbox_stats - one CPU's counters of a sandbox
 * @entries:      entries from the kernel (any context: this_cpu_inc())
 * @blocks:       blocks translated (by this CPU's translator, interrupts off)
 * @native_bytes: native bytes of those blocks
 * @cache_bytes:  bytes of the code cache they took, headers included
 *
 * Only its own CPU writes them; kcage_sandbox_info() sums them racily.
 */
struct kcage_sandbox_stats {
	u64 entries;
	u64 blocks;
	u64 native_bytes;
	u64 cache_bytes;
};

/**
 * struct kcage_sandbox - a module run only through translation
 *
 * In kcage's own memory (rt/own.c), which no sandboxed module may write,
 * whatever its policy.  Built by the takeover (control/takeover.c) and
 * published complete
 * (kcage_sandbox_publish()); unless a field says otherwise it is written
 * only before publication and is read-only while published, so the
 * translator and the checks read it without a lock, in any context, under
 * rcu_read_lock() or with interrupts off.  It is freed, with everything it
 * points to, by the takeover once it is unpublished and a grace period has
 * passed (kcage_sandbox_unpublish()).
 *
 * @quarantined: Bit 0 set: entries are refused.  Set with test_and_set_bit()
 *               in any context (a violation); cleared only by
 *               kcage_sandbox_release() under &kcage_sandboxes_lock.  First
 *               field: kcage_enter_direct (entry.c) reads it at a fixed offset.
 * @stats:       Entry and translation counters, per CPU: each CPU adds to
 *               its own (entries in any context, blocks with interrupts
 *               off); summed racily when asked.  Second field, for the same
 *               reason as @quarantined.  Freed with the sandbox.
 * @node:        Entry in the registry (sandbox.c).  Changed under
 *               &kcage_sandboxes_lock; walked under RCU by the translator.
 * @mod:         The module.  It outlives the sandbox: the sandbox is
 *               destroyed at its MODULE_STATE_GOING.
 * @text:        Its core and init text (&struct kcage_text).
 * @sites:       Jump-label and static-call sites, sorted by ip (sites.c).
 * @nr_sites:    Entries in @sites.
 * @fentry:      Its ftrace sites (function entries), sorted.
 * @nr_fentry:   Entries in @fentry.
 * @nr_patched:  Functions without an ftrace site, entered through a jmp to
 *               an entry stub (poison.c).
 * @nr_unentered: Functions too short for that jmp.
 * @core_ops:    The ftrace direct calls of its core text's sites (entry.c);
 *               registered after publication, unregistered before
 *               unpublication, by the takeover.
 * @init_ops:    The ftrace handler redirecting its init text's entries;
 *               likewise, and unregistered once init has run.
 * @core_hooked: @core_ops is registered.  Written by entry.c during its
 *               module's own notifications (COMING, LIVE, GOING), which
 *               come one after another.
 * @init_hooked: @init_ops is registered; likewise.
 * @policy_blob: Private copy of its policy (kcage_policy_copy()), NULL if it
 *               has none (then nothing is checked: translate-only).  In
 *               kcage's own memory (rt/own.c); freed with the sandbox.
 * @policy:      The decoder's view of @policy_blob.
 * @api:         What @policy says about kernel functions and objects
 *               (api.c); freed with the sandbox (kcage_api_unbind()).
 * @mode:        &enum kcp_mode it runs in (with a policy).  Changed by
 *               kcage_takeover_set_mode() under &kcage_sandboxes_lock with
 *               WRITE_ONCE(); read with READ_ONCE() in any context.
 * @actions:     What to do about each kind of violation (&enum kcp_action,
 *               by &enum kcp_kind), from its policy and @mode; written like
 *               @mode.
 * @violations:  Violations seen, by kind; atomic, incremented in any
 *               context.
 * @okpage:      Its slot (okpage.c), or -1: its kernel page the checks let
 *               through, its lookup-table tag (ibl.h).  Given back with
 *               kcage_okpage_put() when the sandbox is freed.
 * @learn:       What it was seen doing, in learn mode (learn.c), else NULL;
 *               its table is filled locklessly, in any context.
 * @taken:       The functions its read-only data points at (taken.c), with
 *               a policy; freed with the sandbox.
 * @metadata:    What of its image the kernel reads again, and its data
 *               (metadata.c), with a policy; freed with the sandbox.
 */
struct kcage_sandbox {
	unsigned long quarantined;
	struct kcage_sandbox_stats __percpu *stats;
	struct list_head node;
	struct module *mod;
	struct kcage_text text[NR_TEXTS];
	struct kcage_site_entry *sites;
	unsigned int nr_sites;
	unsigned long *fentry;
	unsigned int nr_fentry;
	unsigned int nr_patched;
	unsigned int nr_unentered;
	struct ftrace_ops core_ops;
	struct ftrace_ops init_ops;
	bool core_hooked;
	bool init_hooked;
	void *policy_blob;
	struct kcp_view policy;
	struct kcage_api *api;
	u8 mode;
	u8 actions[KCP_NR_KINDS];
	atomic_long_t violations[KCP_NR_KINDS];
	int okpage;
	struct kcage_learn *learn;
	struct kcage_taken *taken;
	struct kcage_metadata *metadata;
};

static inline bool in_text(const struct kcage_text *t, unsigned long ip)
{
	return ip >= t->start && ip < READ_ONCE(t->end);
}

static inline const struct kcage_text *text_of(const struct kcage_sandbox *sb,
					unsigned long ip)
{
	int i;

	for (i = 0; i < NR_TEXTS; i++)
		if (in_text(&sb->text[i], ip))
			return &sb->text[i];
	return NULL;
}

int kcage_sites_collect(struct kcage_sandbox *sb);
bool kcage_sites_is_trampoline(const struct mod_kallsyms *ks, unsigned int i);

/* Held by writers of the registry (sandbox.c, control/takeover.c). */
extern struct mutex kcage_sandboxes_lock;

bool kcage_sandbox_same_name(const char *a, const char *b);
struct kcage_sandbox *kcage_sandbox_named(const char *name);
struct kcage_sandbox *kcage_sandbox_of(const struct module *mod);
void kcage_sandbox_publish(struct kcage_sandbox *sb);
void kcage_sandbox_unpublish(struct kcage_sandbox *sb);
bool kcage_sandbox_none(void);
void kcage_sandbox_count_policy(bool bound);

#endif /* KCAGE_SANDBOX_PRIV_H */
