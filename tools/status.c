// SPDX-License-Identifier: GPL-2.0
/*
 * kcage status: kcage's counters (KCAGE_CMD_STATS_GET) and the
 * statistics of every sandboxed module (KCAGE_CMD_SANDBOX_GET), as text
 * for people or as one line of JSON for scripts.  Anyone may read them:
 * they hold names and counts, no addresses.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "kcage.h"

static const char usage[] =
"Usage: kcage status [--json] [MODULE]\n"
"\n"
"Shows kcage's counters and, for every sandboxed module (or only\n"
"MODULE), its mode, policy, quarantine, translation statistics and\n"
"violations by kind.  Needs no privileges.\n"
"\n"
"Options:\n"
"  -j, --json   one JSON object on one line (schema in tools/README.md)\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 success; 1 MODULE is not sandboxed, or the request\n"
"failed; 2 usage error; 3 kcage.ko is not loaded.\n";

static int stats_cb(const struct nlmsghdr *nlh, const struct nlattr *const *tb,
		    void *data)
{
	struct stats *st = data;

	st->last_seq = kc_u64(tb, KCAGE_A_LAST_SEQ);
	st->dropped_total = kc_u64(tb, KCAGE_A_DROPPED_TOTAL);
	st->events_sent = kc_u64(tb, KCAGE_A_EVENTS_SENT);
	st->sandboxes = kc_u32(tb, KCAGE_A_SANDBOXES);
	st->policies = kc_u32(tb, KCAGE_A_POLICIES);
	return MNL_CB_OK;
}

/* kcage's counters: 0 or -errno. */
int stats_get(struct kc *kc, struct stats *st)
{
	memset(st, 0, sizeof(*st));
	return kc_talk(kc, kc_request(kc, KCAGE_CMD_STATS_GET, 0), stats_cb, st);
}

static int sandbox_from_attrs(const struct nlattr *const *tb,
			      struct sandbox *sb)
{
	const char *name = kc_str(tb, KCAGE_A_MODULE);

	memset(sb, 0, sizeof(*sb));
	if (!name) {
		fprintf(stderr, "kcage: the kernel sent a sandbox without a module name\n");
		return -EPROTO;
	}
	snprintf(sb->module, sizeof(sb->module), "%s", name);
	/* no mode: the module runs without a policy, translate-only */
	sb->mode = tb[KCAGE_A_MODE] ? kc_u8(tb, KCAGE_A_MODE) : -1;
	sb->has_crc = tb[KCAGE_A_POLICY_CRC];
	sb->crc = kc_u32(tb, KCAGE_A_POLICY_CRC);
	sb->quarantined = kc_u8(tb, KCAGE_A_QUARANTINED);
	sb->entries = kc_u64(tb, KCAGE_A_ENTRIES);
	sb->blocks = kc_u64(tb, KCAGE_A_BLOCKS);
	sb->native_bytes = kc_u64(tb, KCAGE_A_NATIVE_BYTES);
	sb->cache_bytes = kc_u64(tb, KCAGE_A_CACHE_BYTES);
	sb->heap_objects = kc_u64(tb, KCAGE_A_HEAP_OBJECTS);
	sb->text_size = kc_u64(tb, KCAGE_A_TEXT_SIZE);
	return kc_parse_violations(tb[KCAGE_A_VIOLATIONS], sb->violations,
				   &sb->violations_total);
}

static int one_cb(const struct nlmsghdr *nlh, const struct nlattr *const *tb,
		  void *data)
{
	if (sandbox_from_attrs(tb, data)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The sandbox of @module: 0, -ENOENT if it is not sandboxed, or -errno. */
int sandbox_get(struct kc *kc, const char *module, struct sandbox *sb)
{
	struct nlmsghdr *nlh = kc_request(kc, KCAGE_CMD_SANDBOX_GET, 0);

	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, module);
	return kc_talk(kc, nlh, one_cb, sb);
}

struct sandbox_list {
	struct sandbox *v;
	size_t n;
	size_t cap;
};

static int list_cb(const struct nlmsghdr *nlh, const struct nlattr *const *tb,
		   void *data)
{
	struct sandbox_list *l = data;

	if (array_room(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return MNL_CB_ERROR;
	if (sandbox_from_attrs(tb, &l->v[l->n])) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	l->n++;
	return MNL_CB_OK;
}

static void print_violations_json(struct json *j, const struct sandbox *sb)
{
	unsigned int k;

	json_open(j, "violations", '{');
	for (k = 0; k < KCP_NR_KINDS; k++)
		json_u64(j, kcp_kind_name(k), sb->violations[k]);
	json_u64(j, "total", sb->violations_total);
	json_close(j, '}');
}

static void print_sandbox_json(struct json *j, const struct sandbox *sb)
{
	json_open(j, NULL, '{');
	json_str(j, "module", sb->module);
	json_str(j, "mode", mode_name(sb->mode));
	if (sb->has_crc)
		json_hex(j, "policy_crc", sb->crc);
	else
		json_null(j, "policy_crc");
	json_bool(j, "quarantined", sb->quarantined);
	json_u64(j, "entries", sb->entries);
	json_u64(j, "blocks", sb->blocks);
	json_u64(j, "native_bytes", sb->native_bytes);
	json_u64(j, "cache_bytes", sb->cache_bytes);
	json_u64(j, "heap_objects", sb->heap_objects);
	json_u64(j, "text_size", sb->text_size);
	print_violations_json(j, sb);
	json_close(j, '}');
}

static void print_json(const struct stats *st, const struct sandbox_list *l)
{
	struct json j;
	size_t i;

	json_begin(&j, stdout, '{');
	json_u64(&j, "last_seq", st->last_seq);
	json_u64(&j, "dropped_total", st->dropped_total);
	json_u64(&j, "events_sent", st->events_sent);
	json_u64(&j, "policies", st->policies);
	json_open(&j, "sandboxes", '[');
	for (i = 0; i < l->n; i++)
		print_sandbox_json(&j, &l->v[i]);
	json_close(&j, ']');
	json_end(&j, '}');
}

/* "3 (write 2, call 1)": the kinds that happened, in enum order. */
static void print_violations_text(const struct sandbox *sb)
{
	const char *sep = " (";
	unsigned int k;

	printf("  violations: %" PRIu64, sb->violations_total);
	for (k = 0; k < KCP_NR_KINDS; k++) {
		if (!sb->violations[k])
			continue;
		printf("%s%s %" PRIu64, sep, kcp_kind_name(k), sb->violations[k]);
		sep = ", ";
	}
	printf("%s\n", *sep == ',' ? ")" : "");
}

static void print_sandbox_text(const struct sandbox *sb)
{
	fputs("sandbox: ", stdout);
	text_word(stdout, sb->module);
	if (sb->mode < 0)
		printf("\n  mode: none (no policy: translated, not checked)\n");
	else
		printf("\n  mode: %s (policy crc 0x%08" PRIx32 ")\n",
		       mode_name(sb->mode), sb->crc);
	if (sb->quarantined)
		printf("  QUARANTINED: calls into it fail; kcage release %s\n",
		       sb->module);
	printf("  entries: %" PRIu64 "\n", sb->entries);
	printf("  translated: %" PRIu64 " blocks, %" PRIu64 " native bytes -> %"
	       PRIu64 " cache bytes\n", sb->blocks, sb->native_bytes,
	       sb->cache_bytes);
	printf("  heap objects: %" PRIu64 "\n", sb->heap_objects);
	printf("  text: %" PRIu64 " bytes\n", sb->text_size);
	print_violations_text(sb);
}

static void print_text(const struct stats *st, const struct sandbox_list *l,
		       bool all)
{
	size_t i;

	if (all) {
		printf("kcage: %zu sandboxed module%s, %" PRIu32 " polic%s loaded\n",
		       l->n, l->n == 1 ? "" : "s", st->policies,
		       st->policies == 1 ? "y" : "ies");
		printf("events: last seq %" PRIu64 ", %" PRIu64 " sent, %" PRIu64
		       " dropped\n", st->last_seq, st->events_sent,
		       st->dropped_total);
	}
	for (i = 0; i < l->n; i++) {
		if (all || i)
			putchar('\n');
		print_sandbox_text(&l->v[i]);
	}
	fflush(stdout);
}

/* Every sandbox, or only @module's, into @l: an exit status. */
static int get_sandboxes(struct kc *kc, const char *module,
			 struct sandbox_list *l)
{
	struct nlmsghdr *nlh;
	int ret;

	if (module) {
		nlh = kc_request(kc, KCAGE_CMD_SANDBOX_GET, 0);
		mnl_attr_put_strz(nlh, KCAGE_A_MODULE, module);
	} else {
		nlh = kc_request(kc, KCAGE_CMD_SANDBOX_GET, NLM_F_DUMP);
	}
	ret = kc_talk(kc, nlh, list_cb, l);
	if (ret == -ENOENT && module && !kc->errmsg[0])
		return fail("%s is not sandboxed (not loaded, or loaded with no policy and not in kcage's sandbox= list)",
			    module);
	if (ret && module)
		kc_perror(kc, ret, "cannot read the sandbox of %s", module);
	else if (ret)
		kc_perror(kc, ret, "cannot read the sandboxes");
	if (ret)
		return EXIT_FAIL;
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, bool *json, const char **module)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			*json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EXIT_OK);
		default:
			return try_help("status");
		}
	}
	if (argc - optind > 1)
		return usage_error("status", "one module at most");
	*module = argc > optind ? argv[optind] : NULL;
	return EXIT_OK;
}

int cmd_status(int argc, char **argv)
{
	struct sandbox_list l = { 0 };
	const char *module = NULL;
	struct stats st;
	bool json = false;
	struct kc kc;
	int ret;

	ret = parse_args(argc, argv, &json, &module);
	if (ret)
		return ret;
	ret = kc_open(&kc);
	if (ret)
		return ret;
	ret = stats_get(&kc, &st);
	if (ret) {
		kc_perror(&kc, ret, "cannot read kcage's counters");
		ret = EXIT_FAIL;
	} else {
		ret = get_sandboxes(&kc, module, &l);
	}
	if (!ret && json)
		print_json(&st, &l);
	else if (!ret)
		print_text(&st, &l, !module);
	free(l.v);
	kc_close(&kc);
	return ret;
}
