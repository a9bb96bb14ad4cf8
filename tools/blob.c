// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled policies ("blobs", include/uapi/kcage/policy.h): read from a
 * file and checked with the kernel's own decoder before anything is sent,
 * fetched from the kernel, uploaded, written out.  A policy goes over
 * netlink in KCAGE_A_POLICY attributes of at most POLICY_PIECE bytes each
 * (an attribute's length is 16 bits), concatenated in order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kcage.h"

#define POLICY_PIECE	65528	/* as kmod/control/netlink.c: 8-aligned, < 64 KiB */

void blob_free(struct blob *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
	b->mode = -1;
}

const char *blob_module(const struct blob *b)
{
	return kcp_str(&b->view, b->view.hdr->module);
}

uint32_t blob_crc(const struct blob *b)
{
	return le32_to_cpu(b->view.hdr->checksum);
}

/* Module names: the kernel treats '-' and '_' alike. */
bool same_module(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	return *a == *b;
}

/* "enforce", "audit", "learn" -> enum kcp_mode, or -1. */
int parse_mode(const char *s)
{
	return kcp_lookup(kcp_mode_name, KCP_NR_MODES, s);
}

/* A mode for people; -1 is a sandbox without a policy. */
const char *mode_name(int mode)
{
	const char *name = mode < 0 ? "none" : kcp_mode_name(mode);

	return name ? name : "unknown";
}

/* Text, not a blob: someone gave us the YAML source. */
static bool looks_like_text(const unsigned char *buf, size_t n)
{
	size_t i;

	if (n > 512)
		n = 512;
	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (buf[i] < 0x20 && !strchr("\t\n\r", buf[i]))
			return false;	/* also NUL, which no YAML file has */
	return true;
}

/* Reads at most KCP_MAX_SIZE + 1 bytes: enough for the decoder to refuse. */
static int read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return fail("cannot open '%s': %s", path, strerror(errno));
	b->data = malloc(KCP_MAX_SIZE + 1);	/* malloc aligns as records need */
	if (!b->data) {
		fclose(f);
		return fail("out of memory");
	}
	b->size = fread(b->data, 1, KCP_MAX_SIZE + 1, f);
	if (ferror(f)) {
		fclose(f);
		return fail("cannot read '%s': %s", path, strerror(errno));
	}
	fclose(f);
	return EXIT_OK;
}

/*
 * A policy file, checked as the kernel will check it.  Prints what is
 * wrong and returns an exit status.
 */
int blob_read(const char *path, struct blob *b)
{
	struct kcp_error err = { 0 };
	int ret;

	memset(b, 0, sizeof(*b));
	b->mode = -1;
	ret = read_file(path, b);
	if (ret) {
		blob_free(b);
		return ret;
	}
	if (!kcp_decode(b->data, b->size, &b->view, &err))
		return EXIT_OK;
	if (looks_like_text(b->data, b->size))
		fail("%s looks like YAML: compile it first: policyc %s -o OUT.kcp",
		     path, path);
	else
		fail("%s is not a valid compiled policy: %s", path, err.msg);
	blob_free(b);
	return EXIT_FAIL;
}

/*
 * A policy file as it is, unchecked: for testing what the kernel's own
 * decoder says about a damaged one (kcage policy load --unchecked).
 */
int blob_read_unchecked(const char *path, struct blob *b)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->mode = -1;
	ret = read_file(path, b);
	if (ret)
		blob_free(b);
	return ret;
}

struct fetch {
	struct blob *b;
	uint32_t size;		/* KCAGE_A_POLICY_SIZE, 0 if absent */
};

/* Append the KCAGE_A_POLICY pieces of @nlh to the blob. */
static int collect_pieces(const struct nlmsghdr *nlh, struct blob *b)
{
	const struct nlattr *a;
	uint16_t len;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != KCAGE_A_POLICY)
			continue;
		len = mnl_attr_get_payload_len(a);
		if (b->size + len > KCP_MAX_SIZE) {
			fprintf(stderr, "kcage: the kernel sent a policy larger than %u bytes\n",
				KCP_MAX_SIZE);
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		memcpy((char *)b->data + b->size, mnl_attr_get_payload(a), len);
		b->size += len;
	}
	return MNL_CB_OK;
}

static int fetch_cb(const struct nlmsghdr *nlh, const struct nlattr *const *tb,
		    void *data)
{
	struct fetch *f = data;

	if (tb[KCAGE_A_MODE])
		f->b->mode = kc_u8(tb, KCAGE_A_MODE);
	f->size = kc_u32(tb, KCAGE_A_POLICY_SIZE);
	return collect_pieces(nlh, f->b);
}

/* The blob came back whole, and our decoder reads it as the kernel's did. */
static int check_fetched(const char *module, struct fetch *f)
{
	struct kcp_error err = { 0 };
	struct blob *b = f->b;

	if (f->size && f->size != b->size) {
		fprintf(stderr, "kcage: the kernel sent %zu bytes of the policy for %s, not %u\n",
			b->size, module, f->size);
		return -EPROTO;
	}
	if (kcp_decode(b->data, b->size, &b->view, &err)) {
		fprintf(stderr, "kcage: the policy the kernel holds for %s does not decode here: %s (is this kcage tool from another version?)\n",
			module, err.msg);
		return -EPROTO;
	}
	return 0;
}

/*
 * The policy loaded for @module, with the mode it was loaded with:
 * 0, -ENOENT if there is none, or another -errno (not printed).
 */
int blob_fetch(struct kc *kc, const char *module, struct blob *b)
{
	struct fetch f = { .b = b };
	struct nlmsghdr *nlh;
	int ret;

	memset(b, 0, sizeof(*b));
	b->mode = -1;
	b->data = malloc(KCP_MAX_SIZE);
	if (!b->data)
		return -ENOMEM;
	nlh = kc_request(kc, KCAGE_CMD_POLICY_GET, 0);
	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, module);
	ret = kc_talk(kc, nlh, fetch_cb, &f);
	if (!ret)
		ret = check_fetched(module, &f);
	if (ret)
		blob_free(b);
	return ret;
}

/*
 * Load @b into the kernel, in @mode (-1: the one it was compiled with),
 * replacing any policy for the same module unless @excl.  0 or -errno.
 */
int blob_upload(struct kc *kc, const struct blob *b, int mode, bool excl)
{
	struct nlmsghdr *nlh;
	size_t off, n;

	nlh = kc_request(kc, KCAGE_CMD_POLICY_LOAD, excl ? NLM_F_EXCL : 0);
	for (off = 0; off < b->size; off += n) {
		n = b->size - off < POLICY_PIECE ? b->size - off : POLICY_PIECE;
		mnl_attr_put(nlh, KCAGE_A_POLICY, n, (const char *)b->data + off);
	}
	if (mode >= 0)
		mnl_attr_put_u8(nlh, KCAGE_A_MODE, mode);
	return kc_talk(kc, nlh, NULL, NULL);
}

/* Through a temporary file, so that a failure never leaves half a blob. */
int blob_write(const char *path, const struct blob *b)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	bool ok = false;
	FILE *f;

	if (!tmp)
		return fail("out of memory");
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (f) {
		ok = fwrite(b->data, 1, b->size, f) == b->size;
		ok = !fclose(f) && ok && !rename(tmp, path);
	}
	if (!ok) {
		fail("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? EXIT_OK : EXIT_FAIL;
}
