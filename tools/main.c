// SPDX-License-Identifier: GPL-2.0
/*
 * kcage: load modules under kcage.ko's sandbox, manage their policies,
 * and watch what they are stopped doing.  A subcommand per verb, in the
 * manner of ip(8) and wg(8); this file only dispatches.
 */
#include <stdlib.h>
#include <string.h>
#include "kcage.h"

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
	{ "load", cmd_load, "load a module under its policy" },
	{ "unload", cmd_unload, "unload a module (its policy stays loaded)" },
	{ "status", cmd_status, "sandboxed modules and kcage's counters" },
	{ "monitor", cmd_monitor, "follow violations as they happen" },
	{ "mode", cmd_mode, "switch a sandboxed module to audit or enforce" },
	{ "release", cmd_release, "lift the quarantine of a module" },
	{ "policy", cmd_policy, "list, show, load or remove policies" },
};

#define NR_SUBCOMMANDS	ARRAY_SIZE(subcommands)

static void usage(FILE *f)
{
	unsigned int i;

	fputs("Usage: kcage COMMAND [ARGS...]\n"
	      "       kcage COMMAND --help\n"
	      "       kcage --version\n"
	      "\n"
	      "Runs kernel modules under kcage.ko: their code only ever runs\n"
	      "translated, and a compiled policy (policyc) says what they may\n"
	      "do.  Talks to kcage.ko over generic netlink.\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < NR_SUBCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
	fputs("  help      this text; 'kcage help COMMAND' is COMMAND --help\n"
	      "\n"
	      "Exit status: 0 success; 1 the operation failed or the kernel\n"
	      "refused it; 2 usage error; 3 kcage.ko is not loaded.\n"
	      "\n"
	      "Example:\n"
	      "  policyc kc_hello.yaml -o kc_hello.kcp\n"
	      "  kcage load --policy kc_hello.kcp kc_hello.ko\n"
	      "  kcage monitor --json\n", f);
}

static const struct subcommand *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

/* "kcage help [COMMAND]" is "kcage COMMAND --help". */
static int help(int argc, char **argv)
{
	const struct subcommand *c;
	char *args[] = { NULL, "--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "kcage: no command '%s'; see 'kcage help'\n", argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	static char prog[32];
	const struct subcommand *c;
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h"))
		return help(argc - 1, argv + 1);
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("kcage %s (netlink family %s version %d, policy format version %d)\n",
		       KCAGE_TOOL_VERSION, KCAGE_GENL_NAME, KCAGE_GENL_VERSION,
		       KCP_VERSION);
		return EXIT_OK;
	}
	c = find(name);
	if (!c) {
		fprintf(stderr, "kcage: no command '%s'; see 'kcage help'\n", name);
		return EXIT_USAGE;
	}
	/* getopt's messages then start "kcage load: ..." */
	snprintf(prog, sizeof(prog), "kcage %s", name);
	argv[1] = prog;
	return c->run(argc - 1, argv + 1);
}
