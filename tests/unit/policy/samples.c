// SPDX-License-Identifier: GPL-2.0
/* Sample policies for the codec's tests (see samples.h). */
#include <stdlib.h>
#include "samples.h"

static const char *allow[] = { "_printk", "mutex_*", "kmalloc_trace", "?snprintf" };
static const char *deny[] = { "commit_creds" };
static const char *entries[] = { "kc_hello_open", "kc_hello_show" };
static struct kcp_region_m regions[] = {
	{ "jiffies", KCP_ACCESS_READ, 0, 8 },
	{ "init_task", KCP_ACCESS_READ | KCP_ACCESS_WRITE, 16, 4 },
};
static struct kcp_alloc_m allocs[] = {
	{ .function = "__kmalloc", .size_arg = 1 },
	{ .function = "kmem_cache_alloc", .size = 64 },
	{ .function = "kstrdup", .string_arg = 1 },
	{ .function = "ioremap", .result_size = KCP_RESULT_MAPPING },
	{ .function = "bio_kmalloc", .result_size = KCP_RESULT_SLAB },
};
static struct kcp_free_m frees[] = { { "kfree", 1 } };
static struct kcp_arg_rule_m rules[] = {
	{ "memcpy", 1, KCP_ARG_WRITABLE, 3, 0 },
	{ "kfree", 1, KCP_ARG_OWNED, 0, 0 },
	{ "copy_to_user", 2, KCP_ARG_READABLE, 0, 16 },
};
static struct kcp_grant_m grants[] = { { "kc_hello_read", 4, KCP_ACCESS_READ | KCP_ACCESS_WRITE, 8 } };
static struct kcp_priv_m privs[] = {
	{ KCP_PRIV_CLI, 0, 0 }, { KCP_PRIV_STI, 0, 0 },
	{ KCP_PRIV_IN, 0x60, 0x64 }, { KCP_PRIV_RDMSR, 0x10, 0x10 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void sample_policy(int i, struct kcp_policy *p)
{
	memset(p, 0, sizeof(*p));
	memset(p->actions, KCP_ACTION_DEFAULT, sizeof(p->actions));
	p->module = i ? "kc_min" : "kc_hello";
	p->default_action = KCP_ACTION_DENY;
	p->builtin_writes = KCP_BUILTIN_ALL;
	if (i)
		return;
	p->mode = KCP_MODE_AUDIT;
	p->flags = KCP_FLAG_CHECK_READS;
	p->actions[KCP_KIND_WRITE] = KCP_ACTION_QUARANTINE;
	p->actions[KCP_KIND_BUG] = KCP_ACTION_PANIC;
	p->lists[KCP_LIST_CALL_ALLOW] = (struct kcp_names){ allow, N(allow) };
	p->lists[KCP_LIST_CALL_DENY] = (struct kcp_names){ deny, N(deny) };
	p->lists[KCP_LIST_ENTRY_ALLOW] = (struct kcp_names){ entries, N(entries) };
	p->regions = regions;
	p->nr_regions = N(regions);
	p->allocs = allocs;
	p->nr_allocs = N(allocs);
	p->frees = frees;
	p->nr_frees = N(frees);
	p->arg_rules = rules;
	p->nr_arg_rules = N(rules);
	p->grants = grants;
	p->nr_grants = N(grants);
	p->privs = privs;
	p->nr_privs = N(privs);
}

void *sample_blob(int i, long *n)
{
	struct kcp_policy p;
	void *b;

	sample_policy(i, &p);
	*n = kcp_encode(&p, NULL, 0);
	if (*n <= 0)
		abort();
	b = aligned_alloc(8, (*n + 7) & ~7l);
	if (!b || kcp_encode(&p, b, *n) != *n)
		abort();
	return b;
}

void reseal(void *blob, long n)
{
	struct kcp_header *h = blob;

	h->checksum = 0;
	h->checksum = cpu_to_le32(kcp_crc32(blob, n));
}

static unsigned long sum_str(const struct kcp_view *v, __le32 off)
{
	const char *s = kcp_str(v, off);
	unsigned long sum = 0;

	while (*s)
		sum += (unsigned char)*s++;
	return sum;
}

unsigned long walk_view(const struct kcp_view *v)
{
	unsigned long sum = sum_str(v, v->hdr->module);
	unsigned int l;
	u32 i;

	for (l = 0; l < KCP_NR_LISTS; l++)
		for (i = 0; i < v->nr_lists[l]; i++)
			sum += sum_str(v, v->lists[l][i].name);
	for (i = 0; i < v->nr_regions; i++)
		sum += sum_str(v, v->regions[i].symbol) + le64_to_cpu(v->regions[i].size);
	for (i = 0; i < v->nr_allocs; i++)
		sum += sum_str(v, v->allocs[i].function);
	for (i = 0; i < v->nr_frees; i++)
		sum += sum_str(v, v->frees[i].function);
	for (i = 0; i < v->nr_arg_rules; i++)
		sum += sum_str(v, v->arg_rules[i].function);
	for (i = 0; i < v->nr_grants; i++)
		sum += sum_str(v, v->grants[i].entry);
	for (i = 0; i < v->nr_privs; i++)
		sum += le32_to_cpu(v->privs[i].hi);
	return sum;
}
