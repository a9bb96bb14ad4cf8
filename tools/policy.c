// SPDX-License-Identifier: GPL-2.0
/*
 * kcage policy list|show|load|load-all|remove: the policies kcage.ko holds for
 * modules' next loads.  A sandbox keeps the policy it was created with,
 * so none of these changes a module that runs already.
 *
 * "show" prints the blob as YAML by running policyc --dump on it (from
 * kcage's own directory, else $PATH) rather than linking policyc's
 * dumper, which needs the YAML front end's tables and libyaml with it.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kcage.h"

static const char usage[] =
"Usage: kcage policy list [--json]\n"
"       kcage policy show MODULE [-o FILE.kcp]\n"
"       kcage policy load [--audit] [--exclusive] [--unchecked] FILE.kcp\n"
"       kcage policy load-all [--policy-dir DIR] [--audit]\n"
"       kcage policy remove MODULE\n"
"\n"
"The policies kcage.ko holds: a module with a policy is sandboxed under\n"
"it when it next loads (kcage load does both at once).  A module that\n"
"runs already keeps the policy it was loaded with.\n"
"\n"
"  list     module, mode, size and checksum of every policy (anyone)\n"
"  show     a policy as YAML (runs policyc --dump), or with -o FILE.kcp\n"
"           its compiled bytes into FILE.kcp (root)\n"
"  load     load FILE.kcp, compiled by policyc, replacing the module's\n"
"           policy; --audit loads it in audit mode, --exclusive refuses\n"
"           to replace one, --unchecked skips the local check so that\n"
"           the kernel's decoder answers (for tests) (root)\n"
"  load-all load every policy in DIR (default " KCAGE_POLICY_DIR "):\n"
"           MODULE.yaml, compiled by policyc, or MODULE.kcp; a broken one\n"
"           is reported (also in the kernel log) and skipped (root)\n"
"  remove   remove the policy for MODULE (root)\n"
"\n"
"Exit status: 0 success; 1 the operation failed or the kernel refused it;\n"
"2 usage error; 3 kcage.ko is not loaded.\n";

/* A subcommand's options: only --help, or those and the ones in @opts. */
static int help_or(int argc, char **argv, const char *cmd,
		   const struct option *opts, const char *shorts,
		   int (*opt)(int ch, void *data), void *data)
{
	int ch, ret;

	optind = 0;
	while ((ch = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage, stdout);
			exit(EXIT_OK);
		}
		ret = ch == '?' || ch == ':' ? -1 : opt(ch, data);
		if (ret)
			return try_help(cmd);
	}
	return EXIT_OK;
}

struct entry {
	char module[MODULE_NAME_MAX];
	int mode;
	uint32_t size;
	uint32_t crc;
};

struct list {
	struct entry *v;
	size_t n;
	size_t cap;
};

static int list_cb(const struct nlmsghdr *nlh, const struct nlattr *const *tb,
		   void *data)
{
	struct list *l = data;
	struct entry *e;

	if (!tb[KCAGE_A_MODULE]) {
		fprintf(stderr, "kcage: the kernel sent a policy without a module name\n");
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (array_room(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return MNL_CB_ERROR;
	e = &l->v[l->n++];
	snprintf(e->module, sizeof(e->module), "%s", kc_str(tb, KCAGE_A_MODULE));
	e->mode = tb[KCAGE_A_MODE] ? kc_u8(tb, KCAGE_A_MODE) : -1;
	e->size = kc_u32(tb, KCAGE_A_POLICY_SIZE);
	e->crc = kc_u32(tb, KCAGE_A_POLICY_CRC);
	return MNL_CB_OK;
}

static void print_list_json(const struct list *l)
{
	struct json j;
	size_t i;

	json_begin(&j, stdout, '[');
	for (i = 0; i < l->n; i++) {
		json_open(&j, NULL, '{');
		json_str(&j, "module", l->v[i].module);
		json_str(&j, "mode", mode_name(l->v[i].mode));
		json_u64(&j, "size", l->v[i].size);
		json_hex(&j, "crc", l->v[i].crc);
		json_close(&j, '}');
	}
	json_end(&j, ']');
}

static void print_list_text(const struct list *l)
{
	int width = 6;
	size_t i;

	if (!l->n) {
		printf("no policies loaded\n");
		return;
	}
	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].module) > width)
			width = strlen(l->v[i].module);
	printf("%-*s  %-7s  %7s  %s\n", width, "MODULE", "MODE", "SIZE", "CRC");
	for (i = 0; i < l->n; i++) {
		text_word(stdout, l->v[i].module);
		printf("%*s  %-7s  %7" PRIu32 "  0x%08" PRIx32 "\n",
		       (int)(width - strlen(l->v[i].module)), "",
		       mode_name(l->v[i].mode), l->v[i].size, l->v[i].crc);
	}
}

static int json_opt(int ch, void *data)
{
	if (ch != 'j')
		return -1;
	*(bool *)data = true;
	return 0;
}

static int policy_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct list l = { 0 };
	bool json = false;
	struct kc kc;
	int ret;

	ret = help_or(argc, argv, "policy list", opts, "jh", json_opt, &json);
	if (ret)
		return ret;
	if (optind < argc)
		return usage_error("policy list", "unexpected argument '%s'",
				   argv[optind]);
	ret = kc_open(&kc);
	if (ret)
		return ret;
	ret = kc_talk(&kc, kc_request(&kc, KCAGE_CMD_POLICY_GET, NLM_F_DUMP),
		      list_cb, &l);
	if (ret)
		kc_perror(&kc, ret, "cannot list the policies");
	else if (json)
		print_list_json(&l);
	else
		print_list_text(&l);
	free(l.v);
	kc_close(&kc);
	return ret ? EXIT_FAIL : EXIT_OK;
}

/* A YAML comment, so that the whole of "show" still compiles. */
static void print_summary(FILE *f, const struct blob *b)
{
	const struct kcp_header *h = b->view.hdr;

	fprintf(f, "# loaded for %s: mode %s", blob_module(b), mode_name(b->mode));
	if (b->mode >= 0 && b->mode != h->mode)
		fprintf(f, " (compiled as %s)", mode_name(h->mode));
	fprintf(f, ", %zu bytes, crc 0x%08" PRIx32 "\n", b->size, blob_crc(b));
	fflush(f);
}

/* The blob as YAML: policyc --dump on an in-memory file. */
static int dump_yaml(const struct blob *b)
{
	char path[64];
	char *args[] = { "policyc", "--dump", path, NULL };
	int fd, status;

	fd = memfd_create("kcage-policy", 0);	/* the child reads it */
	if (fd < 0 || write(fd, b->data, b->size) != (ssize_t)b->size)
		return fail("cannot hand the policy to policyc: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	status = policyc_run(args);
	close(fd);
	if (status < 0)
		return fail("cannot run policyc: %s", strerror(errno));
	if (status == 127)
		return fail("policyc is needed to print a policy as YAML, and it is neither next to kcage nor in $PATH; 'kcage policy show MODULE -o FILE.kcp' saves the compiled bytes");
	if (status)
		return fail("policyc --dump failed");
	return EXIT_OK;
}

static int out_opt(int ch, void *data)
{
	if (ch != 'o')
		return -1;
	*(const char **)data = optarg;
	return 0;
}

static int policy_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *out = NULL;
	struct blob b;
	struct kc kc;
	int ret;

	ret = help_or(argc, argv, "policy show", opts, "o:h", out_opt, &out);
	if (ret)
		return ret;
	if (argc - optind != 1)
		return usage_error("policy show", "give one MODULE");
	ret = kc_open(&kc);
	if (ret)
		return ret;
	ret = blob_fetch(&kc, argv[optind], &b);
	if (ret == -ENOENT && !kc.errmsg[0])
		fail("no policy loaded for %s", argv[optind]);
	else if (ret)
		kc_perror(&kc, ret, "cannot read the policy for %s", argv[optind]);
	kc_close(&kc);
	if (ret)
		return EXIT_FAIL;
	print_summary(stdout, &b);
	ret = out ? blob_write(out, &b) : dump_yaml(&b);
	blob_free(&b);
	return ret;
}

/* "MODULE: policy loaded (...)", @mode as loaded (-1: the blob's own). */
static void print_loaded(const struct blob *b, int mode)
{
	printf("%s: policy loaded (%s, %zu bytes, crc 0x%08" PRIx32 ")\n",
	       blob_module(b), mode_name(mode >= 0 ? mode : b->view.hdr->mode),
	       b->size, blob_crc(b));
}

/* A note for policies that will only apply when the module next loads. */
static void note_running(struct kc *kc, const char *module)
{
	struct sandbox sb;

	if (!sandbox_get(kc, module, &sb))
		fprintf(stderr, "kcage: note: %s runs already and keeps the policy it was loaded with until it is loaded again\n",
			module);
}

struct load_opts {
	bool audit;
	bool excl;
	bool unchecked;
};

static int load_opt(int ch, void *data)
{
	struct load_opts *o = data;

	if (ch == 'a')
		o->audit = true;
	else if (ch == 'x')
		o->excl = true;
	else if (ch == 'u')
		o->unchecked = true;
	else
		return -1;
	return 0;
}

static int upload(const char *path, const struct load_opts *o)
{
	int mode = o->audit ? KCP_MODE_AUDIT : -1;
	struct blob b;
	struct kc kc;
	int ret;

	ret = o->unchecked ? blob_read_unchecked(path, &b) : blob_read(path, &b);
	if (ret)
		return ret;
	ret = kc_open(&kc);
	if (ret) {
		blob_free(&b);
		return ret;
	}
	ret = blob_upload(&kc, &b, mode, o->excl);
	if (ret == -EEXIST)
		fail("a policy for %s is loaded already: kcage policy remove %s first, or load without --exclusive",
		     blob_module(&b), blob_module(&b));
	else if (ret)
		kc_perror(&kc, ret, "cannot load %s", path);
	if (!ret && o->unchecked) {
		printf("%s: policy loaded (%zu bytes)\n", path, b.size);
	} else if (!ret) {
		print_loaded(&b, mode);
		note_running(&kc, blob_module(&b));
	}
	kc_close(&kc);
	blob_free(&b);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int policy_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "audit", no_argument, NULL, 'a' },
		{ "exclusive", no_argument, NULL, 'x' },
		{ "unchecked", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct load_opts o = { 0 };
	int ret;

	ret = help_or(argc, argv, "policy load", opts, "axuh", load_opt, &o);
	if (ret)
		return ret;
	if (argc - optind != 1)
		return usage_error("policy load", "give one FILE.kcp");
	return upload(argv[optind], &o);
}

struct load_all {
	const char *dir;
	bool audit;
	unsigned int loaded, failed;
};

static int load_all_opt(int ch, void *data)
{
	struct load_all *a = data;

	if (ch == 'd')
		a->dir = optarg;
	else if (ch == 'a')
		a->audit = true;
	else
		return -1;
	return 0;
}

/* MODULE for "MODULE.yaml" and "MODULE.kcp" (not if MODULE.yaml exists). */
static bool policy_file(const char *dir, const char *file, char *module)
{
	const char *dot = strrchr(file, '.');
	char yaml[PATH_MAX];
	size_t n;

	if (!dot || file[0] == '.' || (strcmp(dot, ".yaml") && strcmp(dot, ".kcp")))
		return false;
	n = dot - file;
	if (n >= MODULE_NAME_MAX)
		return false;
	memcpy(module, file, n);
	module[n] = '\0';
	snprintf(yaml, sizeof(yaml), "%s/%s.yaml", dir, module);
	return !strcmp(dot, ".yaml") || access(yaml, F_OK);
}

static void load_one(struct kc *kc, struct load_all *a, const char *module)
{
	int mode = a->audit ? KCP_MODE_AUDIT : -1;
	char why[PATH_MAX + 128];
	struct blob b;
	int ret;

	if (policydir_read(a->dir, module, &b, why, sizeof(why))) {
		log_both("not loading the policy for %s: %s", module, why);
		a->failed++;
		return;
	}
	ret = blob_upload(kc, &b, mode, false);
	if (ret) {
		kc_perror(kc, ret, "cannot load the policy for %s", module);
		a->failed++;
	} else {
		print_loaded(&b, mode);
		a->loaded++;
	}
	blob_free(&b);
}

static int policy_load_all(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, 'd' },
		{ "audit", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct load_all a = { .dir = KCAGE_POLICY_DIR };
	char module[MODULE_NAME_MAX];
	struct dirent **files;
	struct kc kc;
	int i, n, ret;

	ret = help_or(argc, argv, "policy load-all", opts, "d:ah", load_all_opt, &a);
	if (ret)
		return ret;
	if (argc != optind)
		return usage_error("policy load-all", "no arguments but options");
	n = scandir(a.dir, &files, NULL, alphasort);
	if (n < 0)
		return fail("cannot read %s: %s", a.dir, strerror(errno));
	ret = kc_open(&kc);
	for (i = 0; i < n; i++) {
		if (!ret && policy_file(a.dir, files[i]->d_name, module))
			load_one(&kc, &a, module);
		free(files[i]);
	}
	free(files);
	if (ret)
		return ret;
	kc_close(&kc);
	printf("kcage: %u policies loaded from %s, %u failed\n", a.loaded, a.dir,
	       a.failed);
	return a.failed ? EXIT_FAIL : EXIT_OK;
}

static int no_opt(int ch, void *data)
{
	return -1;
}

static int policy_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct nlmsghdr *nlh;
	const char *module;
	struct kc kc;
	int ret;

	ret = help_or(argc, argv, "policy remove", opts, "h", no_opt, NULL);
	if (ret)
		return ret;
	if (argc - optind != 1)
		return usage_error("policy remove", "give one MODULE");
	module = argv[optind];
	ret = kc_open(&kc);
	if (ret)
		return ret;
	nlh = kc_request(&kc, KCAGE_CMD_POLICY_REMOVE, 0);
	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, module);
	ret = kc_talk(&kc, nlh, NULL, NULL);
	if (ret == -ENOENT && !kc.errmsg[0])
		fail("no policy loaded for %s", module);
	else if (ret)
		kc_perror(&kc, ret, "cannot remove the policy for %s", module);
	if (!ret) {
		printf("%s: policy removed\n", module);
		note_running(&kc, module);
	}
	kc_close(&kc);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "list", policy_list },
		{ "show", policy_show },
		{ "load", policy_load },
		{ "load-all", policy_load_all },
		{ "remove", policy_remove },
	};
	static char prog[32];
	unsigned int i;

	if (argc < 2)
		return usage_error("policy", "give list, show, load, load-all or remove");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		snprintf(prog, sizeof(prog), "kcage policy %s", cmds[i].name);
		argv[1] = prog;
		return cmds[i].run(argc - 1, argv + 1);
	}
	return usage_error("policy", "no command '%s': list, show, load, load-all or remove",
			   argv[1]);
}
