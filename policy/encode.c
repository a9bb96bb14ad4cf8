// SPDX-License-Identifier: GPL-2.0
/*
 * The policy encoder: struct kcp_policy in, a blob in the format of
 * <kcage/policy.h> out.  Deterministic: the same policy always gives the
 * same bytes (strings and records in the policy's order), which is what
 * makes compile -> dump -> compile byte-identical.  It refuses what the
 * decoder would refuse, so policyc never writes a blob the kernel rejects.
 */
#include "kcp.h"

struct enc {
	u8 *buf;		/* NULL while measuring */
	u32 sec_off[KCP_NR_SECTIONS];
	u32 count[KCP_NR_SECTIONS];
	u32 str_pos;		/* next free byte in the string section */
	int err;
};

static u32 align8(u64 v)
{
	return (u32)((v + 7) & ~7ull);
}

/* Add @s to the string section; its offset, or 0 after an error. */
static u32 str(struct enc *e, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	u32 off = e->str_pos;

	if (!n || n > KCP_NAME_MAX) {
		e->err = -EINVAL;
		return 0;
	}
	if (e->buf)
		memcpy(e->buf + e->sec_off[KCP_SEC_STRINGS] + off, s, n + 1);
	e->str_pos += n + 1;
	return off;
}

static void *rec(struct enc *e, int sec, u32 i)
{
	return e->buf + e->sec_off[sec] + i * kcp_rec_size[sec];
}

static void names(struct enc *e, const struct kcp_policy *p)
{
	unsigned int l;
	u32 i;

	for (l = 0; l < KCP_NR_LISTS; l++) {
		int sec = KCP_SEC_CALL_ALLOW + l;

		for (i = 0; i < p->lists[l].n; i++) {
			u32 off = str(e, p->lists[l].v[i]);

			if (e->buf)
				((struct kcp_name *)rec(e, sec, i))->name = cpu_to_le32(off);
		}
	}
}

static void regions(struct enc *e, const struct kcp_policy *p)
{
	u32 i;

	for (i = 0; i < p->nr_regions; i++) {
		const struct kcp_region_m *m = &p->regions[i];
		u32 off = str(e, m->symbol);
		struct kcp_region *r;

		if (!kcp_valid_access(m->access) || !m->size)
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_REGIONS, i);
		r->symbol = cpu_to_le32(off);
		r->access = m->access;
		r->offset = cpu_to_le64(m->offset);
		r->size = cpu_to_le64(m->size);
	}
}

static void allocs_frees(struct enc *e, const struct kcp_policy *p)
{
	u32 i;

	for (i = 0; i < p->nr_allocs; i++) {
		const struct kcp_alloc_m *m = &p->allocs[i];
		u32 off = str(e, m->function);
		struct kcp_alloc *r;

		if (!kcp_valid_alloc_size(m->size_arg, m->string_arg, m->result_size, m->size))
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_ALLOCS, i);
		r->function = cpu_to_le32(off);
		r->size_arg = m->size_arg;
		r->string_arg = m->string_arg;
		r->result_size = m->result_size;
		r->size = cpu_to_le64(m->size);
	}
	for (i = 0; i < p->nr_frees; i++) {
		const struct kcp_free_m *m = &p->frees[i];
		u32 off = str(e, m->function);
		struct kcp_free *r;

		if (!kcp_valid_arg(m->ptr_arg))
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_FREES, i);
		r->function = cpu_to_le32(off);
		r->ptr_arg = m->ptr_arg;
	}
}

static void arg_rules(struct enc *e, const struct kcp_policy *p)
{
	u32 i;

	for (i = 0; i < p->nr_arg_rules; i++) {
		const struct kcp_arg_rule_m *m = &p->arg_rules[i];
		u32 off = str(e, m->function);
		struct kcp_arg_rule *r;

		if (!kcp_valid_arg(m->arg) || m->check >= KCP_NR_ARG_CHECKS ||
		    (m->check == KCP_ARG_OWNED ? m->size_arg || m->size :
		     !kcp_valid_size_arg(m->size_arg, m->size)))
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_ARG_RULES, i);
		r->function = cpu_to_le32(off);
		r->arg = m->arg;
		r->check = m->check;
		r->size_arg = m->size_arg;
		r->size = cpu_to_le64(m->size);
	}
}

static void grants_privs(struct enc *e, const struct kcp_policy *p)
{
	u32 i;

	for (i = 0; i < p->nr_grants; i++) {
		const struct kcp_grant_m *m = &p->grants[i];
		u32 off = str(e, m->entry);
		struct kcp_grant *r;

		if (!kcp_valid_arg(m->arg) || !kcp_valid_access(m->access) || !m->size)
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_GRANTS, i);
		r->entry = cpu_to_le32(off);
		r->arg = m->arg;
		r->access = m->access;
		r->size = cpu_to_le64(m->size);
	}
	for (i = 0; i < p->nr_privs; i++) {
		const struct kcp_priv_m *m = &p->privs[i];
		struct kcp_priv *r;

		if (m->insn >= KCP_NR_PRIV || m->lo > m->hi ||
		    (!kcp_priv_has_range(m->insn) && (m->lo || m->hi)))
			e->err = -EINVAL;
		if (!e->buf)
			continue;
		r = rec(e, KCP_SEC_PRIVS, i);
		r->insn = m->insn;
		r->lo = cpu_to_le32(m->lo);
		r->hi = cpu_to_le32(m->hi);
	}
}

static bool valid_header(const struct kcp_policy *p)
{
	unsigned int k;

	if (p->mode >= KCP_NR_MODES || p->default_action >= KCP_NR_ACTIONS ||
	    (p->flags & ~KCP_FLAGS_ALL) ||
	    (p->builtin_writes & ~KCP_BUILTIN_ALL))
		return false;
	for (k = 0; k < KCP_NR_KINDS; k++)
		if (p->actions[k] >= KCP_NR_ACTIONS &&
		    p->actions[k] != KCP_ACTION_DEFAULT)
			return false;
	return true;
}

static void header(struct enc *e, const struct kcp_policy *p, u32 module,
		   u32 total)
{
	struct kcp_header *h = (void *)e->buf;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(KCP_MAGIC);
	h->version = cpu_to_le16(KCP_VERSION);
	h->header_size = cpu_to_le16(sizeof(*h));
	h->total_size = cpu_to_le32(total);
	h->flags = cpu_to_le32(p->flags);
	h->module = cpu_to_le32(module);
	h->builtin_writes = cpu_to_le32(p->builtin_writes);
	h->mode = p->mode;
	h->default_action = p->default_action;
	memset(h->actions, KCP_ACTION_DEFAULT, sizeof(h->actions));
	memcpy(h->actions, p->actions, KCP_NR_KINDS);
	for (i = 0; i < KCP_NR_SECTIONS; i++) {
		h->sections[i].offset = cpu_to_le32(e->sec_off[i]);
		h->sections[i].count = cpu_to_le32(e->count[i]);
	}
}

/* One pass over the policy: measures (e->buf NULL) or writes. */
static u32 pass(struct enc *e, const struct kcp_policy *p)
{
	u32 module;

	e->str_pos = 1;		/* offset 0 is the empty string */
	if (e->buf)
		e->buf[e->sec_off[KCP_SEC_STRINGS]] = 0;
	module = str(e, p->module);
	names(e, p);
	regions(e, p);
	allocs_frees(e, p);
	arg_rules(e, p);
	grants_privs(e, p);
	return module;
}

static u64 layout(struct enc *e, const struct kcp_policy *p)
{
	u64 pos = sizeof(struct kcp_header);
	unsigned int i;

	e->count[KCP_SEC_STRINGS] = e->str_pos;
	for (i = 0; i < KCP_NR_LISTS; i++)
		e->count[KCP_SEC_CALL_ALLOW + i] = p->lists[i].n;
	e->count[KCP_SEC_REGIONS] = p->nr_regions;
	e->count[KCP_SEC_ALLOCS] = p->nr_allocs;
	e->count[KCP_SEC_FREES] = p->nr_frees;
	e->count[KCP_SEC_ARG_RULES] = p->nr_arg_rules;
	e->count[KCP_SEC_GRANTS] = p->nr_grants;
	e->count[KCP_SEC_PRIVS] = p->nr_privs;
	for (i = 0; i < KCP_NR_SECTIONS; i++) {
		if (i != KCP_SEC_STRINGS && e->count[i] > KCP_MAX_RECORDS)
			e->err = -E2BIG;
		pos = align8(pos);
		e->sec_off[i] = (u32)pos;
		pos += (u64)e->count[i] * kcp_rec_size[i];
	}
	return align8(pos);
}

/**
 * kcp_encode - write @p as a blob
 * @p:   the policy
 * @buf: where to write it, or NULL to only measure
 * @cap: bytes at @buf
 *
 * Return: the blob's size (written only if @buf holds that many bytes),
 * -EINVAL if @p breaks a rule of the format, -E2BIG if it is too large.
 */
long kcp_encode(const struct kcp_policy *p, void *buf, size_t cap)
{
	struct enc e = { 0 };
	u32 module;
	u64 total;

	if (!valid_header(p))
		return -EINVAL;
	pass(&e, p);
	total = layout(&e, p);
	if (e.err)
		return e.err;
	if (total > KCP_MAX_SIZE)
		return -E2BIG;
	if (!buf || cap < total)
		return (long)total;
	memset(buf, 0, total);
	e.buf = buf;
	module = pass(&e, p);
	header(&e, p, module, (u32)total);
	((struct kcp_header *)buf)->checksum = cpu_to_le32(kcp_crc32(buf, total));
	return (long)total;
}
