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
 * @start: native start; @end: native end (== @start once dropped)
 * @copy:  the bytes the translator reads, ftrace sites turned into nops
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

/* Counted on the CPU that did it, summed when asked. */
struct kcage_sandbox_stats {
	u64 entries;
	u64 blocks;
	u64 native_bytes;
	u64 cache_bytes;
};

/**
 * struct kcage_sandbox - a module run only through translation
 * @node:       entry in the registry (sandbox.c), under RCU
 * @mod:        the module
 * @text:       its core and init text
 * @sites:      jump-label and static-call sites, sorted by ip
 * @nr_sites:   entries in @sites
 * @fentry:     ftrace sites (function entries), sorted
 * @nr_fentry:  entries in @fentry
 * @nr_patched: functions without an ftrace site entered through a jmp
 * @nr_unentered: functions too short for that jmp
 * @core_ops:   the ftrace direct calls of its core text's sites (entry.c)
 * @init_ops:   the ftrace handler redirecting its init text's entries
 * @core_hooked, @init_hooked: those are registered
 * @policy_blob: private copy of its policy, NULL if it has none (then
 *              nothing is checked: translate-only)
 * @policy:     the decoder's view of @policy_blob
 * @api:        what @policy says about kernel functions and objects
 * @mode:       &enum kcp_mode it runs in (with a policy)
 * @actions:    what to do about each kind of violation (&enum kcp_action,
 *              by &enum kcp_kind), from its policy and @mode
 * @stats:      entries and translation counters, per CPU
 * @violations: violations seen, by kind
 * @quarantined: entries are refused (bit 0), until released
 * @okpage:     its slot (okpage.c), or -1: its kernel page the checks let
 *              through, its lookup-table tag (ibl.h)
 * @learn:      what it was seen doing, in learn mode (learn.c), else NULL
 * @taken:      the functions its read-only data points at (taken.c), with
 *              a policy
 */
struct kcage_sandbox {
	unsigned long quarantined;	/* first two: kcage_enter_direct reads */
	struct kcage_sandbox_stats __percpu *stats;	/* them (entry.h) */
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
bool kcage_sandbox_unpublish(struct kcage_sandbox *sb);
void kcage_sandbox_count_policy(bool bound);

#endif /* KCAGE_SANDBOX_PRIV_H */
