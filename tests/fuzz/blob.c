// SPDX-License-Identifier: GPL-2.0
/*
 * Policy blobs for KCAGE_A_POLICY: a valid one naming VICTIM (built in,
 * or a real compiled policy re-homed to VICTIM), and mutants of it for
 * the kernel's decoder (policy/decode.c) to refuse.  Self-contained on
 * purpose: the fuzzer must not share the decoder's idea of what is
 * valid, only the format (include/uapi/kcage/policy.h).
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include "kcage/policy.h"
#include "nlfuzz.h"

#define HDR		sizeof(struct kcp_header)
#define CSUM_AT		offsetof(struct kcp_header, checksum)
#define SEC_AT(i)	offsetof(struct kcp_header, sections[i])
#define PAD8(n)		(((n) + 7) & ~(size_t)7)

/* Mutants live here: a blob may grow past its base by this much. */
#define GROW_MAX	(MSG_CAP - 4096)
#define MUTANT_CAP	(KCP_MAX_SIZE + 64 + GROW_MAX)

static uint16_t get16(const uint8_t *b, size_t at)
{
	uint16_t v;

	memcpy(&v, b + at, 2);
	return le16toh(v);
}

static uint32_t get32(const uint8_t *b, size_t at)
{
	uint32_t v;

	memcpy(&v, b + at, 4);
	return le32toh(v);
}

static void put32(uint8_t *b, size_t at, uint32_t v)
{
	v = htole32(v);
	memcpy(b + at, &v, 4);
}

/* zlib's crc32(), as the format says; a table, since mutants can be big. */
static uint32_t crc32_ieee(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c;
	int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			for (c = i, k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xedb88320u & -(c & 1));
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* The checksum of a blob of at least a header: its CRC, field as zero. */
uint32_t blob_crc(const uint8_t *b, size_t n)
{
	static const uint8_t zeros[4];
	uint32_t crc;

	crc = crc32_ieee(0, b, CSUM_AT);
	crc = crc32_ieee(crc, zeros, 4);
	return crc32_ieee(crc, b + CSUM_AT + 4, n - CSUM_AT - 4);
}

void blob_seal(uint8_t *b, size_t n)
{
	if (n >= HDR)
		put32(b, CSUM_AT, blob_crc(b, n));
}

/*
 * Could the kernel take @b as a policy for a module other than VICTIM?
 * Whatever else it checks, the decoder only accepts a blob of at least a
 * header whose checksum matches and whose module name starts inside a
 * string section that lies in the blob; a blob failing one of these is
 * refused, whatever it names.  Deliberately no more than that: the
 * answer must stay right when the decoder changes.
 */
bool blob_foreign(const uint8_t *b, size_t n)
{
	uint32_t off, count, mod;

	if (n < HDR || get32(b, CSUM_AT) != blob_crc(b, n))
		return false;
	off = get32(b, SEC_AT(KCP_SEC_STRINGS));
	count = get32(b, SEC_AT(KCP_SEC_STRINGS) + 4);
	mod = get32(b, offsetof(struct kcp_header, module));
	if (!mod || mod >= count || off > n || count > n - off)
		return false;
	return count - mod < sizeof(VICTIM) ||
	       memcmp(b + off + mod, VICTIM, sizeof(VICTIM));
}

/* The built-in policy's strings: offset 0 is the empty one. */
static const char strtab[] = "\0" VICTIM "\0_printk\0commit_creds\0nlfuzz_open"
			     "\0jiffies\0__kmalloc\0kfree";

static __le32 str(const char *s)
{
	size_t i;

	for (i = 1; i < sizeof(strtab); i += strlen(strtab + i) + 1)
		if (!strcmp(strtab + i, s))
			return htole32(i);
	abort();
}

/* Lay section @sec at the next 8-aligned offset; returns its end. */
static size_t add(uint8_t *b, size_t at, int sec, const void *rec, size_t size,
		  uint32_t count)
{
	struct kcp_section *s = &((struct kcp_header *)b)->sections[sec];

	at = PAD8(at);
	s->offset = htole32(at);
	s->count = htole32(count);
	memcpy(b + at, rec, size);
	return at + size;
}

/*
 * A small valid policy for VICTIM with a record in every section, so that
 * mutants reach each of the decoder's record checks even without --policy.
 */
int blob_builtin(struct blob *out)
{
	const struct kcp_name allow = { str("_printk") }, deny = { str("commit_creds") };
	const struct kcp_name entry = { str("nlfuzz_open") };
	const struct kcp_region region = { str("jiffies"), KCP_ACCESS_READ, {0}, 0, htole64(8) };
	const struct kcp_alloc alloc = { .function = str("__kmalloc"), .size_arg = 1 };
	const struct kcp_free fr = { str("kfree"), 1, {0} };
	const struct kcp_arg_rule rule = { str("kfree"), 1, KCP_ARG_OWNED, 0, 0, 0 };
	const struct kcp_grant grant = { str("nlfuzz_open"), 1, KCP_ACCESS_READ, {0}, htole64(8) };
	const struct kcp_priv priv = { KCP_PRIV_IN, {0}, htole32(0x60), htole32(0x64) };
	struct kcp_header *h;
	size_t at;

	out->b = aligned_alloc(8, 1024);
	if (!out->b)
		return -1;
	memset(out->b, 0, 1024);
	at = add(out->b, HDR, KCP_SEC_STRINGS, strtab, sizeof(strtab), sizeof(strtab));
	at = add(out->b, at, KCP_SEC_CALL_ALLOW, &allow, sizeof(allow), 1);
	at = add(out->b, at, KCP_SEC_CALL_DENY, &deny, sizeof(deny), 1);
	at = add(out->b, at, KCP_SEC_ENTRY_ALLOW, &entry, sizeof(entry), 1);
	at = add(out->b, at, KCP_SEC_REGIONS, &region, sizeof(region), 1);
	at = add(out->b, at, KCP_SEC_ALLOCS, &alloc, sizeof(alloc), 1);
	at = add(out->b, at, KCP_SEC_FREES, &fr, sizeof(fr), 1);
	at = add(out->b, at, KCP_SEC_ARG_RULES, &rule, sizeof(rule), 1);
	at = add(out->b, at, KCP_SEC_GRANTS, &grant, sizeof(grant), 1);
	at = add(out->b, at, KCP_SEC_PRIVS, &priv, sizeof(priv), 1);
	h = (void *)out->b;
	h->magic = htole32(KCP_MAGIC);
	h->version = htole16(KCP_VERSION);
	h->header_size = htole16(HDR);
	h->total_size = htole32(at);
	h->module = str(VICTIM);
	h->builtin_writes = htole32(KCP_BUILTIN_ALL);
	h->mode = KCP_MODE_ENFORCE;
	h->default_action = KCP_ACTION_DENY;
	memset(h->actions, KCP_ACTION_DEFAULT, sizeof(h->actions));
	h->actions[KCP_KIND_WRITE] = KCP_ACTION_QUARANTINE;
	out->n = at;
	blob_seal(out->b, out->n);
	return 0;
}

/* Is @in a policy blob whose string section we can grow in place? */
static const char *rehome_refusal(const uint8_t *in, size_t n)
{
	size_t off, end;
	int i;

	if (n < HDR || n > KCP_MAX_SIZE)
		return "size is not that of a policy blob";
	if (get32(in, 0) != KCP_MAGIC ||
	    get16(in, offsetof(struct kcp_header, header_size)) != HDR ||
	    get32(in, offsetof(struct kcp_header, total_size)) != n)
		return "not a kcage policy blob (magic, header size or total size)";
	if (get32(in, CSUM_AT) != blob_crc(in, n))
		return "checksum mismatch";
	off = get32(in, SEC_AT(KCP_SEC_STRINGS));
	end = off + get32(in, SEC_AT(KCP_SEC_STRINGS) + 4);
	if (off < HDR || end > n || end == off)
		return "string section out of place";
	for (i = KCP_SEC_STRINGS + 1; i < KCP_NR_SECTIONS; i++)
		if (get32(in, SEC_AT(i)) < end)
			return "a section precedes the string section's end";
	return NULL;
}

/*
 * A copy of a valid policy that names VICTIM: VICTIM is appended to the
 * string section, every later section moves 16 bytes (keeping their
 * 8-byte alignment) and the header's module points at it.  The old name
 * stays in the strings; blob_foreign() catches mutants that point at it.
 */
int blob_rehome(const uint8_t *in, size_t n, struct blob *out, const char **why)
{
	const size_t grow = PAD8(sizeof(VICTIM));
	size_t off, count, end;
	int i;

	*why = rehome_refusal(in, n);
	if (*why)
		return -1;
	off = get32(in, SEC_AT(KCP_SEC_STRINGS));
	count = get32(in, SEC_AT(KCP_SEC_STRINGS) + 4);
	end = off + count;
	out->n = n + grow;
	out->b = aligned_alloc(8, PAD8(out->n));
	if (!out->b) {
		*why = "out of memory";
		return -1;
	}
	memcpy(out->b, in, end);
	memset(out->b + end, 0, grow);
	memcpy(out->b + end, VICTIM, sizeof(VICTIM));
	memcpy(out->b + end + grow, in + end, n - end);
	for (i = KCP_SEC_STRINGS + 1; i < KCP_NR_SECTIONS; i++)
		put32(out->b, SEC_AT(i), get32(in, SEC_AT(i)) + grow);
	put32(out->b, SEC_AT(KCP_SEC_STRINGS) + 4, count + sizeof(VICTIM));
	put32(out->b, offsetof(struct kcp_header, module), count);
	put32(out->b, offsetof(struct kcp_header, total_size), out->n);
	blob_seal(out->b, out->n);
	return 0;
}

/* Values that sit on the decoder's boundaries, for a blob of @n bytes. */
static uint32_t edge(size_t n)
{
	const uint32_t v[] = {
		0, 1, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x10001,
		0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff, HDR, KCP_MAX_SIZE,
		KCP_MAX_SIZE + 1, n, n - 1, n + 1, n + 8, PAD8(n) - 8,
	};

	return one_in(4) ? (uint32_t)rnd() : v[below(ARRAY_SIZE(v))];
}

static void flip_bits(struct blob *o)
{
	size_t at;
	int k;

	for (k = 1 + below(8); k && o->n; k--) {
		at = below(o->n);
		o->b[at] ^= 1u << below(8);
	}
}

#define FIELD(f)	{ offsetof(struct kcp_header, f), \
			  sizeof(((struct kcp_header *)0)->f) }

/*
 * A header scalar set to an edge (the checksum is left to resealing);
 * flags often to a mix of the known bits and the first unknown one.
 */
static void poke_header(struct blob *o)
{
	static const struct { uint8_t at, size; } field[] = {
		FIELD(magic), FIELD(version), FIELD(header_size),
		FIELD(total_size), FIELD(flags), FIELD(module),
		FIELD(builtin_writes), FIELD(mode), FIELD(default_action),
		FIELD(reserved),
	};
	const int nr = ARRAY_SIZE(field);
	uint32_t v = edge(o->n);
	int f = below(nr + 1);

	if (o->n < HDR)
		return;
	if (f == nr) {
		o->b[offsetof(struct kcp_header, actions) + below(16)] = v;
		return;
	}
	if (field[f].at == offsetof(struct kcp_header, flags) && one_in(2))
		v = below(KCP_FLAG_NO_RELEASE << 2);
	v = htole32(v);
	memcpy(o->b + field[f].at, &v, field[f].size);
}

/* A section's offset or count: random, an edge, or a neighbour's. */
static void poke_section(struct blob *o)
{
	size_t at = SEC_AT(below(KCP_NR_SECTIONS)) + 4 * below(2);
	uint32_t v;

	if (o->n < HDR)
		return;
	if (one_in(3)) {	/* another section's offset, -8, +0 or +8 */
		v = get32(o->b, SEC_AT(below(KCP_NR_SECTIONS)));
		v += (uint32_t)(8 * ((int)below(3) - 1));
	} else {
		v = edge(o->n);
	}
	put32(o->b, at, v);
}

/* A byte inside a section's records (or strings): they are checked too. */
static void poke_record(struct blob *o)
{
	int sec = below(KCP_NR_SECTIONS);
	uint32_t off, size;

	if (o->n < HDR)
		return;
	off = get32(o->b, SEC_AT(sec));
	size = o->n - (off < o->n ? off : o->n);
	if (!size)
		return;
	off += below(size < 64 ? size : 64);
	o->b[off] = one_in(3) ? 0 : one_in(2) ? 0xff : rnd();
}

/* Longer than it says, or also saying so; sometimes past one attribute. */
static void extend(struct blob *o)
{
	size_t more = one_in(50) ? 0x10000 + below(GROW_MAX - 0x10000) : 1 + below(64);

	if (o->n + more > MUTANT_CAP)
		return;
	if (one_in(2))
		rnd_fill(o->b + o->n, more);
	else
		memset(o->b + o->n, 0, more);
	o->n += more;
	if (o->n >= HDR && one_in(2))
		put32(o->b, offsetof(struct kcp_header, total_size), o->n);
}

static void mutate_once(struct blob *o)
{
	size_t at;

	switch (below(8)) {
	case 0:
		flip_bits(o);
		break;
	case 1:
		at = below(o->n);
		if (o->n)
			o->b[at] = edge(o->n);
		break;
	case 2:
		poke_header(o);
		break;
	case 3:
		poke_section(o);
		break;
	case 4:
		poke_record(o);
		break;
	case 5:
		o->n = below(o->n + 1);		/* truncated */
		break;
	case 6:
		extend(o);
		break;
	default:
		if (one_in(4)) {		/* garbage, maybe with the magic */
			o->n = below(512);
			rnd_fill(o->b, o->n);
			if (o->n >= 4 && one_in(2))
				put32(o->b, 0, KCP_MAGIC);
		}
		break;
	}
}

/*
 * A mutant of @base in a buffer of our own (valid until the next call):
 * one to three mutations, resealed three times in four so that the damage
 * gets past the checksum; never one blob_foreign() would flag (its
 * checksum is then broken for certain: the CRC does not cover the field).
 * Returns 1 if it had to do that, else 0.
 */
unsigned int blob_mutate(const struct blob *base, struct blob *out)
{
	static uint8_t *buf;
	int k;

	if (!buf) {
		buf = aligned_alloc(8, MUTANT_CAP);
		if (!buf)
			abort();
	}
	out->b = buf;
	out->n = base->n < MUTANT_CAP ? base->n : MUTANT_CAP;
	memcpy(out->b, base->b, out->n);
	if (one_in(8))
		return 0;		/* the valid policy itself */
	for (k = 1 + below(3); k; k--)
		mutate_once(out);
	if (!one_in(4))
		blob_seal(out->b, out->n);
	if (!blob_foreign(out->b, out->n))
		return 0;
	out->b[CSUM_AT] ^= 1;
	return 1;
}
