// SPDX-License-Identifier: GPL-2.0
/*
 * kcage policy list|show|load|remove: the policies kcage.ko holds for
 * modules' next loads.  A sandbox keeps the policy it was created with,
 * so none of these changes a module that runs already.
 *
 * "show" prints the blob as YAML by running policyc --dump on it (from
 * kcage's own directory, else $PATH) rather than linking policyc's
 * dumper, which needs the YAML front end's tables and libyaml with it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kcage.h"

static const char usage[] =
"Usage: kcage policy list [--json]\n"
"       kcage policy show MODULE [-o FILE.kcp]\n"
"       kcage policy load [--audit] [--exclusive] [--unchecked] FILE.kcp\n"
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

/* policyc next to this kcage (as in build/user/bin), else from $PATH. */
static void exec_policyc(const char *blob_path)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(path, sizeof(path), "%s/policyc", dirname(self));
		execl(path, "policyc", "--dump", blob_path, (char *)NULL);
	}
	execlp("policyc", "policyc", "--dump", blob_path, (char *)NULL);
}

/* The blob as YAML: policyc --dump on an in-memory file. */
static int dump_yaml(const struct blob *b)
{
	char path[64];
	int fd, status;
	pid_t pid;

	fd = memfd_create("kcage-policy", 0);	/* the child reads it */
	if (fd < 0 || write(fd, b->data, b->size) != (ssize_t)b->size)
		return fail("cannot hand the policy to policyc: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		exec_policyc(path);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return fail("cannot run policyc: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return fail("policyc is needed to print a policy as YAML, and it is neither next to kcage nor in $PATH; 'kcage policy show MODULE -o FILE.kcp' saves the compiled bytes");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
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
		printf("%s: policy loaded (%s, %zu bytes, crc 0x%08" PRIx32 ")\n",
		       blob_module(&b), mode_name(mode >= 0 ? mode : b.view.hdr->mode),
		       b.size, blob_crc(&b));
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
		{ "remove", policy_remove },
	};
	static char prog[32];
	unsigned int i;

	if (argc < 2)
		return usage_error("policy", "give list, show, load or remove");
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
	return usage_error("policy", "no command '%s': list, show, load or remove",
			   argv[1]);
}
