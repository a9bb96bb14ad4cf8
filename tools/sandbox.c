// SPDX-License-Identifier: GPL-2.0
/*
 * kcage mode and kcage release: the two things an administrator changes
 * on a running sandbox.  Both need CAP_SYS_ADMIN.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kcage.h"

static const char mode_usage[] =
"Usage: kcage mode MODULE audit|enforce\n"
"\n"
"Switches a sandboxed module that runs under a policy between audit\n"
"(violations are reported and allowed) and enforce (they are handled as\n"
"the policy says).  Its translations are redone.  The policy loaded for\n"
"the module's next load is not changed.  Needs root (CAP_SYS_ADMIN).\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 switched; 1 the kernel refused; 2 usage error; 3 kcage.ko\n"
"is not loaded.\n";

static const char release_usage[] =
"Usage: kcage release MODULE\n"
"\n"
"Lifts the quarantine kcage put MODULE under after a violation whose\n"
"action is 'quarantine' (or a crash): calls into it run again, and it can\n"
"be unloaded.  Refused if its policy says 'release: false'.  Needs root\n"
"(CAP_SYS_ADMIN).\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 released; 1 the kernel refused (not quarantined, or its\n"
"policy forbids release); 2 usage error; 3 kcage.ko is not loaded.\n";

/* Only -h/--help; returns 0 or an exit status to return at once. */
static int help_only(int argc, char **argv, const char *cmd,
		     const char *usage)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch != 'h')
			return try_help(cmd);
		fputs(usage, stdout);
		exit(EXIT_OK);
	}
	return EXIT_OK;
}

/* Send @cmd for @module (and @mode if not negative): 0 or -errno. */
static int set(struct kc *kc, uint8_t cmd, const char *module, int mode)
{
	struct nlmsghdr *nlh = kc_request(kc, cmd, 0);

	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, module);
	if (mode >= 0)
		mnl_attr_put_u8(nlh, KCAGE_A_MODE, mode);
	return kc_talk(kc, nlh, NULL, NULL);
}

int cmd_mode(int argc, char **argv)
{
	const char *module;
	struct kc kc;
	int ret, mode;

	ret = help_only(argc, argv, "mode", mode_usage);
	if (ret)
		return ret;
	if (argc - optind != 2)
		return usage_error("mode", "give MODULE and audit or enforce");
	module = argv[optind];
	mode = parse_mode(argv[optind + 1]);
	if (mode != KCP_MODE_AUDIT && mode != KCP_MODE_ENFORCE)
		return usage_error("mode", "'%s' is not a mode to switch to: audit or enforce",
				   argv[optind + 1]);
	ret = kc_open(&kc);
	if (ret)
		return ret;
	ret = set(&kc, KCAGE_CMD_SANDBOX_SET, module, mode);
	/* the kernel's reason when it gives one, ours otherwise */
	if (ret == -ENOENT && !kc.errmsg[0])
		fail("%s is not sandboxed (kcage status lists those that are)", module);
	else if (ret)
		kc_perror(&kc, ret, "cannot switch %s to %s", module, mode_name(mode));
	else
		printf("%s: now in %s mode\n", module, mode_name(mode));
	kc_close(&kc);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_release(int argc, char **argv)
{
	const char *module;
	struct kc kc;
	int ret;

	ret = help_only(argc, argv, "release", release_usage);
	if (ret)
		return ret;
	if (argc - optind != 1)
		return usage_error("release", "give one MODULE");
	module = argv[optind];
	ret = kc_open(&kc);
	if (ret)
		return ret;
	ret = set(&kc, KCAGE_CMD_SANDBOX_RELEASE, module, -1);
	if (ret == -ENOENT && !kc.errmsg[0])
		fail("%s is not sandboxed (kcage status lists those that are)", module);
	else if (ret == -EINVAL && !kc.errmsg[0])
		fail("%s is not quarantined", module);
	else if (ret == -EACCES && !kc.errmsg[0])
		fail("cannot release %s: its policy forbids release (release: false)",
		     module);
	else if (ret)
		kc_perror(&kc, ret, "cannot release %s", module);
	else
		printf("%s: quarantine lifted\n", module);
	kc_close(&kc);
	return ret ? EXIT_FAIL : EXIT_OK;
}
