// SPDX-License-Identifier: GPL-2.0
/*
 * policyc: compile a kcage YAML policy into the binary format kcage.ko
 * loads, check one, or print a compiled one back as YAML.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "policyc.h"

static void usage(FILE *f)
{
	fputs(
"Usage: policyc [OPTIONS] POLICY.yaml -o OUT.kcp   compile a policy\n"
"       policyc --check [OPTIONS] POLICY.yaml      only check it\n"
"       policyc --dump BLOB.kcp [-o OUT.yaml]      print a compiled policy as YAML\n"
"       policyc --learn [-m MODULE] [-b BASE.yaml]... EVENTS.json [-o OUT.yaml]\n"
"                                                  a policy from learn mode's events\n"
"\n"
"Compiles a kcage policy (YAML, schema v1; see policy/README.md) into the\n"
"binary format kcage.ko loads (include/uapi/kcage/policy.h, format version\n"
"1).  The same encoder and decoder run in the kernel.\n"
"\n"
"Options:\n"
"  -o, --output FILE   where to write the blob (or, with --dump, the YAML;\n"
"                      default standard output for --dump).  Written only\n"
"                      if the policy has no errors.\n"
"  -c, --check         parse and check the policy, write nothing\n"
"  -d, --dump          decode BLOB.kcp (checked as the kernel checks it)\n"
"                      and print it in canonical YAML; compiling that\n"
"                      output gives the same bytes\n"
"  -l, --learn         read violation events of a module run in learn mode\n"
"                      (kcage monitor --json; '-' for standard input) and\n"
"                      write a policy that allows what they show (default\n"
"                      standard output)\n"
"  -m, --module NAME   with --learn: that module's events (default: the\n"
"                      first event's module)\n"
"  -b, --base FILE     with --learn: include FILE (the policy the module\n"
"                      learned under); may be repeated\n"
"  -I, --include-dir DIR  where 'include:' looks for a relative name that\n"
"                      is not next to the including file; may be\n"
"                      repeated; then ../share/kcage beside policyc (the\n"
"                      installed base policies: include: [base/printk.yaml])\n"
"  -s, --symbols FILE  kernel symbol names, from /proc/kallsyms or a\n"
"                      Module.symvers; warn about allowed, denied or\n"
"                      rule functions and regions the kernel does not\n"
"                      have, with the closest name that it does\n"
"      --Werror        treat warnings as errors\n"
"  -h, --help          show this help\n"
"  -V, --version       show the version\n"
"\n"
"Diagnostics are printed as FILE:LINE:COLUMN: error|warning|note: MESSAGE,\n"
"all of a file's errors (up to 50), with 'did you mean' notes for\n"
"misspelt keys, values and (with --symbols) kernel symbols.\n"
"\n"
"Exit status: 0 success; 1 the policy has errors (or a --Werror warning),\n"
"or --dump refused the blob; 2 usage or I/O error.\n"
"\n"
"Example:\n"
"  policyc --symbols /proc/kallsyms examples/policies/kc_hello.yaml -o kc_hello.kcp\n",
	f);
}

#define MAX_BASES	16

struct opts {
	const char *in;
	const char *out;
	const char *symbols;
	const char *module;
	const char *bases[MAX_BASES];
	size_t nr_bases;
	bool check;
	bool dump;
	bool learn;
};

enum { OPT_WERROR = 256 };

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' },
		{ "dump", no_argument, NULL, 'd' },
		{ "symbols", required_argument, NULL, 's' },
		{ "include-dir", required_argument, NULL, 'I' },
		{ "learn", no_argument, NULL, 'l' },
		{ "module", required_argument, NULL, 'm' },
		{ "base", required_argument, NULL, 'b' },
		{ "Werror", no_argument, NULL, OPT_WERROR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "o:cds:I:lm:b:hV", longs, NULL)) != -1) {
		switch (ch) {
		case 'o': o->out = optarg; break;
		case 'c': o->check = true; break;
		case 'd': o->dump = true; break;
		case 's': o->symbols = optarg; break;
		case 'I':
			if (add_include_dir(optarg))
				return -1;
			break;
		case 'l': o->learn = true; break;
		case 'm': o->module = optarg; break;
		case 'b':
			if (o->nr_bases == MAX_BASES) {
				diag_fatal("more than %d --base files", MAX_BASES);
				return -1;
			}
			o->bases[o->nr_bases++] = optarg;
			break;
		case OPT_WERROR: diag_set_werror(true); break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V':
			printf("policyc %s (kcage policy schema v1, format version %d)\n",
			       POLICYC_VERSION, KCP_VERSION);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (optind != argc - 1) {
		diag_fatal(optind == argc ? "no input file" : "more than one input file");
		return -1;
	}
	o->in = argv[optind];
	if (o->check + o->dump + o->learn > 1) {
		diag_fatal("--check, --dump and --learn exclude each other");
		return -1;
	}
	if (!o->learn && (o->module || o->nr_bases)) {
		diag_fatal("--module and --base go with --learn");
		return -1;
	}
	if (o->check && o->out) {
		diag_fatal("--check writes nothing; drop -o");
		return -1;
	}
	if (!o->check && !o->dump && !o->learn && !o->out) {
		diag_fatal("no output file: give -o OUT.kcp, or --check");
		return -1;
	}
	return 0;
}

/* Write via a temporary file, so a failed run never leaves half a blob. */
static int write_file(const char *path, const void *buf, size_t len)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	FILE *f;

	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) || rename(tmp, path)) {
		diag_fatal("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static int compile(const struct opts *o)
{
	struct kcp_policy p;
	long len;
	void *buf;
	int ret;

	ret = policy_parse(o->in, &p);
	if (ret < 0)
		return EXIT_USAGE;
	if (ret > 0) {
		fprintf(stderr, "policyc: %s: %d error%s\n", o->in, ret,
			ret == 1 ? "" : "s");
		return EXIT_POLICY;
	}
	len = kcp_encode(&p, NULL, 0);
	if (len < 0) {
		diag_fatal("%s: cannot encode: %s", o->in, strerror(-len));
		return EXIT_POLICY;
	}
	if (o->check)
		return EXIT_OK;
	buf = malloc(len);
	if (!buf || kcp_encode(&p, buf, len) != len) {
		diag_fatal("%s: cannot encode", o->in);
		return EXIT_POLICY;
	}
	ret = write_file(o->out, buf, len) ? EXIT_USAGE : EXIT_OK;
	free(buf);
	return ret;
}

/* Reads at most KCP_MAX_SIZE + 1 bytes: enough for the decoder to refuse. */
static void *read_blob(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(KCP_MAX_SIZE + 1);	/* malloc aligns to 16 */

	if (!f || !buf) {
		diag_fatal("cannot open '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, KCP_MAX_SIZE + 1, f);
	if (ferror(f)) {
		diag_fatal("cannot read '%s': %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int dump(const struct opts *o)
{
	struct kcp_error err;
	struct kcp_view v;
	FILE *f = stdout;
	size_t len;
	void *buf = read_blob(o->in, &len);
	int ret = EXIT_OK;

	if (!buf)
		return EXIT_USAGE;
	if (kcp_decode(buf, len, &v, &err)) {
		fprintf(stderr, "%s: error: invalid policy blob: %s\n", o->in, err.msg);
		free(buf);
		return EXIT_POLICY;
	}
	if (o->out)
		f = fopen(o->out, "w");
	if (!f) {
		diag_fatal("cannot write '%s': %s", o->out, strerror(errno));
		ret = EXIT_USAGE;
	} else {
		dump_yaml(f, &v);
		if ((f != stdout && fclose(f)) || (f == stdout && fflush(f))) {
			diag_fatal("cannot write '%s': %s",
				   o->out ? o->out : "standard output", strerror(errno));
			ret = EXIT_USAGE;
		}
	}
	free(buf);
	return ret;
}

/*
 * The base policies installed with policyc: ../share/kcage from the
 * directory policyc runs from, so that any PREFIX (and DESTDIR, once
 * copied into place) works without a path compiled in.
 */
static int add_installed_dir(void)
{
	static char dir[PATH_MAX + 32];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return 0;
	self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/../share/kcage", dirname(self));
	return add_include_dir(dir);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	if (parse_args(argc, argv, &o) || add_installed_dir()) {
		fprintf(stderr, "Try 'policyc --help' for more information.\n");
		return EXIT_USAGE;
	}
	if (o.dump)
		return dump(&o);
	if (o.learn)
		return learn(o.in, o.module, o.bases, o.nr_bases, o.out);
	if (o.symbols && symbols_load(o.symbols))
		return EXIT_USAGE;
	return compile(&o);
}
