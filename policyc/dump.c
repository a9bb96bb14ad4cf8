// SPDX-License-Identifier: GPL-2.0
/*
 * A blob back into YAML, in the schema policyc reads, so that what a
 * kernel was given can be read and compiled again.  The form is
 * canonical: every scalar spelled out, lists in blob order, one item per
 * line; compiling the output gives the same bytes as the original blob.
 */
#include <stdlib.h>
#include <string.h>
#include "policyc.h"
#include "parse.h"

static bool plain_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.", *s))
			return false;
	return true;
}

/*
 * A name as YAML that reads back as the same string: plain when it is a
 * symbol name, double-quoted and escaped otherwise (globs, and whatever
 * else a blob from another producer may hold).
 */
static const char *yname(const char *s)
{
	static char *slot[4];
	static unsigned int next;
	char *q, *d;

	if (plain_ok(s))
		return s;
	q = malloc(4 * strlen(s) + 3);
	if (!q)
		return "\"?\"";
	d = q;
	*d++ = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			d += sprintf(d, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			d += sprintf(d, "\\x%02x", (unsigned char)*s);
		else
			*d++ = *s;
	}
	strcpy(d, "\"");
	next = (next + 1) % 4;
	free(slot[next]);
	slot[next] = q;
	return q;
}

static void header(FILE *f, const struct kcp_view *v)
{
	const struct kcp_header *h = v->hdr;
	unsigned int k;
	bool any = false;

	fprintf(f, "module: %s\n", yname(kcp_str(v, h->module)));
	fprintf(f, "mode: %s\n", kcp_mode_name(h->mode));
	fprintf(f, "default_action: %s\n", kcp_action_name(h->default_action));
	for (k = 0; k < KCP_NR_KINDS; k++) {
		if (h->actions[k] == KCP_ACTION_DEFAULT)
			continue;
		if (!any)
			fprintf(f, "actions:\n");
		any = true;
		fprintf(f, "  %s: %s\n", kcp_kind_name(k),
			kcp_action_name(h->actions[k]));
	}
	fprintf(f, "release: %s\n",
		le32_to_cpu(h->flags) & KCP_FLAG_NO_RELEASE ? "false" : "true");
}

static void names(FILE *f, const struct kcp_view *v, unsigned int list,
		  const char *indent)
{
	u32 i;

	for (i = 0; i < v->nr_lists[list]; i++) {
		fprintf(f, "%s- %s\n", indent,
			yname(kcp_str(v, v->lists[list][i].name)));
	}
}

static void calls(FILE *f, const struct kcp_view *v)
{
	if (v->nr_lists[KCP_LIST_CALL_ALLOW] || v->nr_lists[KCP_LIST_CALL_DENY])
		fprintf(f, "calls:\n");
	if (v->nr_lists[KCP_LIST_CALL_ALLOW]) {
		fprintf(f, "  allow:\n");
		names(f, v, KCP_LIST_CALL_ALLOW, "    ");
	}
	if (v->nr_lists[KCP_LIST_CALL_DENY]) {
		fprintf(f, "  deny:\n");
		names(f, v, KCP_LIST_CALL_DENY, "    ");
	}
	if (v->nr_lists[KCP_LIST_ENTRY_ALLOW]) {
		fprintf(f, "entries:\n");
		names(f, v, KCP_LIST_ENTRY_ALLOW, "  ");
	}
}

static void memory(FILE *f, const struct kcp_view *v)
{
	u32 bw = le32_to_cpu(v->hdr->builtin_writes), i;
	const struct kcp_region *r;
	const char *sep = "";

	fprintf(f, "memory:\n  check_reads: %s\n  builtin: [",
		le32_to_cpu(v->hdr->flags) & KCP_FLAG_CHECK_READS ? "true" : "false");
	for (i = 0; builtin_name(i); i++) {
		if (bw & (1u << i)) {
			fprintf(f, "%s%s", sep, builtin_name(i));
			sep = ", ";
		}
	}
	fprintf(f, "]\n");
	if (v->nr_regions)
		fprintf(f, "  regions:\n");
	for (i = 0; i < v->nr_regions; i++) {
		r = &v->regions[i];
		fprintf(f, "    - { symbol: %s, ", yname(kcp_str(v, r->symbol)));
		if (le64_to_cpu(r->offset))
			fprintf(f, "offset: %llu, ",
				(unsigned long long)le64_to_cpu(r->offset));
		fprintf(f, "size: %llu, access: %s }\n",
			(unsigned long long)le64_to_cpu(r->size),
			access_name(r->access));
	}
}

/* ", size_arg: N" or ", size: N": exactly one is set in a valid blob. */
static void size(FILE *f, u8 size_arg, __le64 sz)
{
	if (size_arg)
		fprintf(f, ", size_arg: %u", size_arg);
	else if (le64_to_cpu(sz))
		fprintf(f, ", size: %llu", (unsigned long long)le64_to_cpu(sz));
}

static void heap(FILE *f, const struct kcp_view *v)
{
	u32 i;

	if (v->nr_allocs)
		fprintf(f, "allocators:\n");
	for (i = 0; i < v->nr_allocs; i++) {
		fprintf(f, "  - { function: %s", yname(kcp_str(v, v->allocs[i].function)));
		if (v->allocs[i].result_size)
			fprintf(f, ", result_size: %s", result_size_name(v->allocs[i].result_size));
		else if (v->allocs[i].string_arg)
			fprintf(f, ", string_arg: %u", v->allocs[i].string_arg);
		else
			size(f, v->allocs[i].size_arg, v->allocs[i].size);
		fprintf(f, " }\n");
	}
	if (v->nr_frees)
		fprintf(f, "frees:\n");
	for (i = 0; i < v->nr_frees; i++)
		fprintf(f, "  - { function: %s, arg: %u }\n",
			yname(kcp_str(v, v->frees[i].function)), v->frees[i].ptr_arg);
}

static void api(FILE *f, const struct kcp_view *v)
{
	const struct kcp_arg_rule *r;
	const struct kcp_grant *g;
	u32 i;

	if (v->nr_arg_rules)
		fprintf(f, "api:\n");
	for (i = 0; i < v->nr_arg_rules; i++) {
		r = &v->arg_rules[i];
		fprintf(f, "  - { function: %s, arg: %u, check: %s",
			yname(kcp_str(v, r->function)), r->arg, kcp_check_name(r->check));
		size(f, r->size_arg, r->size);
		fprintf(f, " }\n");
	}
	if (v->nr_grants)
		fprintf(f, "grants:\n");
	for (i = 0; i < v->nr_grants; i++) {
		g = &v->grants[i];
		fprintf(f, "  - { entry: %s, arg: %u, size: %llu, access: %s }\n",
			yname(kcp_str(v, g->entry)), g->arg,
			(unsigned long long)le64_to_cpu(g->size),
			access_name(g->access));
	}
}

static void privs(FILE *f, const struct kcp_view *v)
{
	const struct kcp_priv *p;
	u32 i, lo, hi;
	const char *key;

	if (v->nr_privs)
		fprintf(f, "privileged:\n");
	for (i = 0; i < v->nr_privs; i++) {
		p = &v->privs[i];
		lo = le32_to_cpu(p->lo);
		hi = le32_to_cpu(p->hi);
		if (p->insn == KCP_PRIV_IN || p->insn == KCP_PRIV_OUT)
			key = "ports";
		else if (p->insn == KCP_PRIV_RDMSR || p->insn == KCP_PRIV_WRMSR)
			key = "msrs";
		else
			key = NULL;
		if (!key)
			fprintf(f, "  - %s\n", kcp_priv_name(p->insn));
		else if (lo == hi)
			fprintf(f, "  - { insn: %s, %s: %#x }\n",
				kcp_priv_name(p->insn), key, lo);
		else
			fprintf(f, "  - { insn: %s, %s: [%#x, %#x] }\n",
				kcp_priv_name(p->insn), key, lo, hi);
	}
}

void dump_yaml(FILE *f, const struct kcp_view *v)
{
	fprintf(f, "# kcage policy, format version %u, %u bytes, decoded by policyc --dump\n",
		le16_to_cpu(v->hdr->version), v->size);
	header(f, v);
	calls(f, v);
	memory(f, v);
	heap(f, v);
	api(f, v);
	privs(f, v);
}
