// SPDX-License-Identifier: GPL-2.0
/*
 * The policy decoder.  The kernel runs it on bytes from user space, so it
 * trusts nothing: every size, count, offset, enum, index and reserved
 * byte is checked, every name must be a NUL-terminated string inside the
 * string section, sections must lie in the blob in order without
 * overlapping, and the checksum must match.  It only reads the blob; the
 * view it fills points into it.  Each refusal comes with an errno and a
 * sentence naming what is wrong.
 */
#include "kcp.h"

#ifdef __KERNEL__
#include <linux/kernel.h>	/* snprintf */
#include <linux/string.h>
#else
#include <stdio.h>
#include <string.h>
#endif

/*
 * Each refusal's message without its numbers: a constant string, for
 * callers that can only pass one on (netlink's extended ACK).
 */
static const char *const reasons[][2] = {
	{ "blob of %lu bytes is shorter than a header", "policy shorter than a header" },
	{ "blob of %lu bytes is larger than %lu", "policy larger than 1 MiB" },
	{ "bad magic 0x%lx: not a kcage policy", "bad magic: not a kcage policy" },
	{ "format version %lu, this kcage reads %lu", "policy format version not supported" },
	{ "header size %lu, expected %lu", "policy header size wrong" },
	{ "header says %lu bytes, blob has %lu", "policy size differs from its header's" },
	{ "mode %lu out of range", "policy mode out of range" },
	{ "default action %lu out of range", "policy default action out of range" },
	{ "action %lu for kind %lu out of range", "policy action out of range" },
	{ "unknown flags 0x%lx", "unknown policy flags" },
	{ "unknown builtin regions 0x%lx", "unknown builtin regions" },
	{ "section %lu at unaligned offset %lu", "policy section at an unaligned offset" },
	{ "section %lu at %lu overlaps what precedes it", "policy sections overlap" },
	{ "section %lu has %lu records", "policy section has too many records" },
	{ "section %lu ends at %lu, past the blob", "policy section ends past the blob" },
	{ "list %lu, name %lu: bad string offset", "policy name at a bad string offset" },
	{ "region %lu is malformed", "malformed region rule" },
	{ "allocator %lu is malformed", "malformed allocator rule" },
	{ "free rule %lu is malformed", "malformed free rule" },
	{ "argument rule %lu is malformed", "malformed argument rule" },
	{ "grant %lu is malformed", "malformed grant" },
	{ "privileged rule %lu is malformed", "malformed privileged rule" },
};

static const char *reason_of(const char *what)
{
	size_t i;

	if (!strchr(what, '%'))
		return what;
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(reasons[i][0], what))
			return reasons[i][1];
	return "malformed policy";
}

static int fail(struct kcp_error *err, int code, const char *what,
		unsigned long a, unsigned long b)
{
	if (err) {
		err->code = code;
		err->what = reason_of(what);
		snprintf(err->msg, sizeof(err->msg), what, a, b);
	}
	return code;
}

#define FAIL0(code, msg) fail(err, code, msg, 0, 0)
#define FAIL1(code, msg, a) fail(err, code, msg, (unsigned long)(a), 0)
#define FAIL2(code, msg, a, b) \
	fail(err, code, msg, (unsigned long)(a), (unsigned long)(b))

/* A name: a non-empty string starting inside the section (which ends in NUL). */
static bool valid_name(const struct kcp_view *v, __le32 off)
{
	u32 o = le32_to_cpu(off);
	u32 n = 0;

	if (!o || o >= v->nr_strings)
		return false;
	while (v->strings[o + n])
		n++;
	return n <= KCP_NAME_MAX;
}

static bool zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int check_header(const u8 *blob, size_t size, struct kcp_error *err)
{
	const struct kcp_header *h = (const void *)blob;
	unsigned int k;

	if (size < sizeof(*h))
		return FAIL1(-EINVAL, "blob of %lu bytes is shorter than a header", size);
	if (size > KCP_MAX_SIZE)
		return FAIL2(-E2BIG, "blob of %lu bytes is larger than %lu", size, KCP_MAX_SIZE);
	if (le32_to_cpu(h->magic) != KCP_MAGIC)
		return FAIL1(-EINVAL, "bad magic 0x%lx: not a kcage policy", le32_to_cpu(h->magic));
	if (le16_to_cpu(h->version) != KCP_VERSION)
		return FAIL2(-EPROTONOSUPPORT, "format version %lu, this kcage reads %lu",
			    le16_to_cpu(h->version), KCP_VERSION);
	if (le16_to_cpu(h->header_size) != sizeof(*h))
		return FAIL2(-EINVAL, "header size %lu, expected %lu",
			    le16_to_cpu(h->header_size), sizeof(*h));
	if (le32_to_cpu(h->total_size) != size)
		return FAIL2(-EINVAL, "header says %lu bytes, blob has %lu",
			    le32_to_cpu(h->total_size), size);
	if (h->mode >= KCP_NR_MODES)
		return FAIL1(-EINVAL, "mode %lu out of range", h->mode);
	if (h->default_action >= KCP_NR_ACTIONS)
		return FAIL1(-EINVAL, "default action %lu out of range", h->default_action);
	for (k = 0; k < sizeof(h->actions); k++)
		if (k < KCP_NR_KINDS ? h->actions[k] >= KCP_NR_ACTIONS &&
				       h->actions[k] != KCP_ACTION_DEFAULT :
				       h->actions[k] != KCP_ACTION_DEFAULT)
			return FAIL2(-EINVAL, "action %lu for kind %lu out of range",
				    h->actions[k], k);
	if (le32_to_cpu(h->flags) & ~KCP_FLAGS_ALL)
		return FAIL1(-EINVAL, "unknown flags 0x%lx", le32_to_cpu(h->flags));
	if (le32_to_cpu(h->builtin_writes) & ~KCP_BUILTIN_ALL)
		return FAIL1(-EINVAL, "unknown builtin regions 0x%lx",
			    le32_to_cpu(h->builtin_writes));
	if (!zero(h->reserved, sizeof(h->reserved)))
		return FAIL0(-EINVAL, "reserved header bytes are not zero");
	return 0;
}

/* The CRC-32 of the blob with its checksum field read as zero. */
static u32 blob_crc(const u8 *blob, size_t size)
{
	static const u8 zeros[4];
	size_t at = offsetof(struct kcp_header, checksum);
	u32 crc;

#ifdef __KERNEL__
	crc = crc32_le(~0u, blob, at);
	crc = crc32_le(crc, zeros, 4);
	crc = ~crc32_le(crc, blob + at + 4, size - at - 4);
#else
	crc = crc32(0, blob, at);
	crc = crc32(crc, zeros, 4);
	crc = crc32(crc, blob + at + 4, size - at - 4);
#endif
	return crc;
}

/* Sections: aligned, inside the blob, after the header, in order. */
static int check_sections(const u8 *blob, size_t size, struct kcp_error *err)
{
	const struct kcp_header *h = (const void *)blob;
	u64 end = sizeof(*h);
	unsigned int i;

	for (i = 0; i < KCP_NR_SECTIONS; i++) {
		u64 off = le32_to_cpu(h->sections[i].offset);
		u64 count = le32_to_cpu(h->sections[i].count);

		if (off & 7)
			return fail(err, -EINVAL, "section %lu at unaligned offset %lu", i, off);
		if (off < end)
			return fail(err, -EINVAL, "section %lu at %lu overlaps what precedes it",
				    i, off);
		if (i != KCP_SEC_STRINGS && count > KCP_MAX_RECORDS)
			return fail(err, -E2BIG, "section %lu has %lu records", i, count);
		end = off + count * kcp_rec_size[i];
		if (end > size)
			return fail(err, -EINVAL, "section %lu ends at %lu, past the blob",
				    i, end);
	}
	return 0;
}

static int check_strings(const struct kcp_view *v, struct kcp_error *err)
{
	if (!v->nr_strings || v->strings[0] || v->strings[v->nr_strings - 1])
		return FAIL0(-EINVAL, "string section must start and end with NUL");
	if (!valid_name(v, v->hdr->module))
		return FAIL0(-EINVAL, "module name missing or malformed");
	return 0;
}

static int check_lists(const struct kcp_view *v, struct kcp_error *err)
{
	unsigned int l;
	u32 i;

	for (l = 0; l < KCP_NR_LISTS; l++)
		for (i = 0; i < v->nr_lists[l]; i++)
			if (!valid_name(v, v->lists[l][i].name))
				return fail(err, -EINVAL, "list %lu, name %lu: bad string offset",
					    l, i);
	return 0;
}

static int check_regions(const struct kcp_view *v, struct kcp_error *err)
{
	u32 i;

	for (i = 0; i < v->nr_regions; i++) {
		const struct kcp_region *r = &v->regions[i];
		u64 off = le64_to_cpu(r->offset), sz = le64_to_cpu(r->size);

		if (!valid_name(v, r->symbol) || !kcp_valid_access(r->access) ||
		    !sz || off + sz < off || !zero(r->reserved, sizeof(r->reserved)))
			return fail(err, -EINVAL, "region %lu is malformed", i, 0);
	}
	return 0;
}

static int check_heap_rules(const struct kcp_view *v, struct kcp_error *err)
{
	u32 i;

	for (i = 0; i < v->nr_allocs; i++) {
		const struct kcp_alloc *r = &v->allocs[i];

		if (!valid_name(v, r->function) ||
		    !kcp_valid_alloc_size(r->size_arg, r->string_arg, r->result_size,
					  le64_to_cpu(r->size)) ||
		    r->reserved)
			return fail(err, -EINVAL, "allocator %lu is malformed", i, 0);
	}
	for (i = 0; i < v->nr_frees; i++) {
		const struct kcp_free *r = &v->frees[i];

		if (!valid_name(v, r->function) || !kcp_valid_arg(r->ptr_arg) ||
		    !zero(r->reserved, sizeof(r->reserved)))
			return fail(err, -EINVAL, "free rule %lu is malformed", i, 0);
	}
	return 0;
}

static bool valid_arg_rule(const struct kcp_view *v, const struct kcp_arg_rule *r)
{
	u64 size = le64_to_cpu(r->size);

	if (!valid_name(v, r->function) || !kcp_valid_arg(r->arg) ||
	    r->check >= KCP_NR_ARG_CHECKS || r->reserved)
		return false;
	if (r->check == KCP_ARG_OWNED)
		return !r->size_arg && !size;
	return kcp_valid_size_arg(r->size_arg, size);
}

static int check_call_rules(const struct kcp_view *v, struct kcp_error *err)
{
	u32 i;

	for (i = 0; i < v->nr_arg_rules; i++)
		if (!valid_arg_rule(v, &v->arg_rules[i]))
			return fail(err, -EINVAL, "argument rule %lu is malformed", i, 0);
	for (i = 0; i < v->nr_grants; i++) {
		const struct kcp_grant *r = &v->grants[i];

		if (!valid_name(v, r->entry) || !kcp_valid_arg(r->arg) ||
		    !kcp_valid_access(r->access) || !le64_to_cpu(r->size) ||
		    !zero(r->reserved, sizeof(r->reserved)))
			return fail(err, -EINVAL, "grant %lu is malformed", i, 0);
	}
	for (i = 0; i < v->nr_privs; i++) {
		const struct kcp_priv *r = &v->privs[i];
		u32 lo = le32_to_cpu(r->lo), hi = le32_to_cpu(r->hi);

		if (r->insn >= KCP_NR_PRIV || lo > hi ||
		    (!kcp_priv_has_range(r->insn) && (lo || hi)) ||
		    !zero(r->reserved, sizeof(r->reserved)))
			return fail(err, -EINVAL, "privileged rule %lu is malformed", i, 0);
	}
	return 0;
}

static const void *section(const u8 *blob, unsigned int i, u32 *count)
{
	const struct kcp_header *h = (const void *)blob;

	*count = le32_to_cpu(h->sections[i].count);
	return blob + le32_to_cpu(h->sections[i].offset);
}

static void fill_view(const u8 *blob, size_t size, struct kcp_view *v)
{
	unsigned int l;

	memset(v, 0, sizeof(*v));
	v->size = size;
	v->hdr = (const void *)blob;
	v->strings = section(blob, KCP_SEC_STRINGS, &v->nr_strings);
	for (l = 0; l < KCP_NR_LISTS; l++)
		v->lists[l] = section(blob, KCP_SEC_CALL_ALLOW + l, &v->nr_lists[l]);
	v->regions = section(blob, KCP_SEC_REGIONS, &v->nr_regions);
	v->allocs = section(blob, KCP_SEC_ALLOCS, &v->nr_allocs);
	v->frees = section(blob, KCP_SEC_FREES, &v->nr_frees);
	v->arg_rules = section(blob, KCP_SEC_ARG_RULES, &v->nr_arg_rules);
	v->grants = section(blob, KCP_SEC_GRANTS, &v->nr_grants);
	v->privs = section(blob, KCP_SEC_PRIVS, &v->nr_privs);
}

/**
 * kcp_decode - check a blob and describe it
 * @blob: the bytes, 8-byte aligned (records are read in place)
 * @size: how many
 * @v:    filled with a view into @blob if it is valid
 * @err:  if not NULL, filled with why it is not
 *
 * Return: 0, or -EINVAL (malformed), -E2BIG (too large), -EBADMSG (bad
 * checksum), -EPROTONOSUPPORT (another format version).
 */
int kcp_decode(const void *blob, size_t size, struct kcp_view *v,
	       struct kcp_error *err)
{
	const u8 *b = blob;
	int ret;

	if (err)
		memset(err, 0, sizeof(*err));
	if ((unsigned long)blob & 7)
		return FAIL0(-EINVAL, "blob is not 8-byte aligned");
	ret = check_header(b, size, err);
	if (!ret && le32_to_cpu(((const struct kcp_header *)b)->checksum) !=
		    blob_crc(b, size))
		ret = FAIL0(-EBADMSG, "checksum mismatch: corrupted policy");
	if (!ret)
		ret = check_sections(b, size, err);
	if (ret)
		return ret;
	fill_view(b, size, v);
	ret = check_strings(v, err);
	if (!ret)
		ret = check_lists(v, err);
	if (!ret)
		ret = check_regions(v, err);
	if (!ret)
		ret = check_heap_rules(v, err);
	if (!ret)
		ret = check_call_rules(v, err);
	if (ret)
		memset(v, 0, sizeof(*v));
	return ret;
}

/* The string at @off of a decoded view ("" for 0). */
const char *kcp_str(const struct kcp_view *v, __le32 off)
{
	u32 o = le32_to_cpu(off);

	return o < v->nr_strings ? v->strings + o : "";
}
