// SPDX-License-Identifier: GPL-2.0
/*
 * kcage load and kcage unload.
 *
 * Loading a module under kcage takes three steps that the kernel does not
 * tie together: load its policy, load the module (kcage sandboxes it at
 * MODULE_STATE_COMING, before its init runs), check that it is sandboxed
 * under that policy.  If any step after the policy upload fails, this
 * puts everything back as it was (the module out, the previous policy
 * back in, or none), so that nothing is left half-loaded.
 *
 * Given a module name rather than a file, as an install command in
 * /etc/modprobe.d gives it, kcage load finds the file as modprobe does
 * and the policy in the policy directory, and fails closed without one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kcage.h"

static const char load_usage[] =
"Usage: kcage load [--policy FILE.kcp] [--audit] MODULE.ko [PARAM=VALUE...]\n"
"       kcage load [--policy-dir DIR] [--on-policy-error refuse|audit] [--audit]\n"
"                  MODULE [PARAM=VALUE...]\n"
"\n"
"Loads MODULE.ko under kcage: its code runs only translated, checked\n"
"against its policy.  With --policy, FILE.kcp (compiled by policyc) is\n"
"loaded for the module first; without, a policy loaded before (kcage\n"
"policy load) is used.  The module's name is the one in its .modinfo.\n"
"PARAM=VALUE are the module's parameters, as for insmod.\n"
"\n"
"MODULE without '/' or '.ko' is a module name, as modprobe takes it (this\n"
"is the form for an 'install' line in /etc/modprobe.d): its file is found\n"
"in /lib/modules/$(uname -r)/modules.dep, kcage.ko is loaded (modprobe\n"
"kcage) if it is not, and its policy is DIR/MODULE.yaml (compiled with\n"
"policyc) or DIR/MODULE.kcp; DIR is " KCAGE_POLICY_DIR " unless\n"
"--policy-dir says otherwise.  If that policy is missing or broken, the\n"
"module is not loaded, and a line 'kcage: refusing to load MODULE: WHY'\n"
"goes to standard error and the kernel log; with on_policy_error = audit\n"
"in " KCAGE_CONF_FILE " (or --on-policy-error audit) it is\n"
"loaded instead in audit mode under an empty policy, which reports\n"
"everything it does and stops nothing.\n"
"\n"
"If loading the module fails, or it is not sandboxed under that policy,\n"
"the module is unloaded and the policy loaded before (or none) is put\n"
"back.  Needs root (CAP_SYS_ADMIN and CAP_SYS_MODULE).\n"
"\n"
"Options:\n"
"  -p, --policy FILE.kcp   the compiled policy to load the module under\n"
"  -d, --policy-dir DIR    take the module's policy from DIR\n"
"  -e, --on-policy-error refuse|audit\n"
"                          what to do if that policy is missing or broken\n"
"                          (default: " KCAGE_CONF_FILE ", else refuse)\n"
"  -a, --audit             report violations but let them happen (the\n"
"                          policy is loaded in audit mode)\n"
"  -h, --help              show this help\n"
"\n"
"Exit status: 0 the module runs under kcage; 1 it does not (and nothing\n"
"was changed); 2 usage error; 3 kcage.ko is not loaded.\n"
"\n"
"Examples:\n"
"  kcage load --policy kc_hello.kcp kc_hello.ko\n"
"  kcage load e1000      # /etc/kcage/policies.d/e1000.yaml\n"
"  echo 'install e1000 /usr/sbin/kcage load e1000 $CMDLINE_OPTS' \\\n"
"      > /etc/modprobe.d/kcage-e1000.conf\n";

static const char unload_usage[] =
"Usage: kcage unload MODULE\n"
"\n"
"Unloads MODULE (if it is in use, fails at once rather than wait).  Its\n"
"policy stays loaded, so that it is sandboxed again when it next loads\n"
"('kcage policy remove MODULE' drops it).  A quarantined module cannot\n"
"be unloaded until 'kcage release MODULE'.  Needs root (CAP_SYS_MODULE).\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 unloaded; 1 the kernel refused; 2 usage error.\n";

struct load {
	const char *path;		/* MODULE.ko */
	const char *policy_path;	/* --policy, or NULL */
	const char *policy_dir;		/* --policy-dir, or NULL */
	int on_error;			/* --on-policy-error, or -1 */
	bool by_name;			/* MODULE, not MODULE.ko */
	char ko_path[PATH_MAX];		/* its file, for a name */
	bool audit;
	char *params;			/* "a=1 b=2" */
	char name[MODULE_NAME_MAX];
	int fd;
	struct blob file;		/* the policy from --policy */
	struct blob prev;		/* the one loaded before, if any */
	bool had_prev;
	bool uploaded;			/* we changed the kernel's policy */
	uint32_t want_crc;		/* what the sandbox must run under */
	int want_mode;
};

static int finit_module(int fd, const char *params, int flags)
{
	return syscall(SYS_finit_module, fd, params, flags);
}

static int delete_module(const char *name, int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

/* The module's parameters, one string as finit_module() takes them. */
static char *join(char **argv, int argc)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* "e1000" rather than "./e1000.ko" or "e1000.ko.xz": a module name. */
static bool is_module_name(const char *arg)
{
	return !strchr(arg, '/') && !strstr(arg, ".ko");
}

static int parse_load_args(int argc, char **argv, struct load *l)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "policy-dir", required_argument, NULL, 'd' },
		{ "on-policy-error", required_argument, NULL, 'e' },
		{ "audit", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int ch;

	optind = 0;
	/* '+': stop at MODULE.ko; what follows are the module's parameters */
	while ((ch = getopt_long(argc, argv, "+p:d:e:ah", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			l->policy_path = optarg;
			break;
		case 'd':
			l->policy_dir = optarg;
			break;
		case 'e':
			l->on_error = parse_on_policy_error(optarg);
			if (l->on_error < 0)
				return usage_error("load", "--on-policy-error is refuse or audit, not '%s'",
						   optarg);
			break;
		case 'a':
			l->audit = true;
			break;
		case 'h':
			fputs(load_usage, stdout);
			exit(EXIT_OK);
		default:
			return try_help("load");
		}
	}
	if (optind == argc)
		return usage_error("load", "no module: give MODULE.ko or MODULE");
	if (l->policy_path && l->policy_dir)
		return usage_error("load", "--policy and --policy-dir exclude each other");
	l->path = argv[optind];
	l->by_name = is_module_name(l->path);
	if (l->on_error >= 0 && (l->policy_path || (!l->by_name && !l->policy_dir)))
		return usage_error("load", "--on-policy-error goes with a policy from a directory (a module name, or --policy-dir)");
	if (l->by_name && strlen(l->path) >= MODULE_NAME_MAX)
		return usage_error("load", "'%s' is too long for a module name", l->path);
	l->params = join(argv + optind + 1, argc - optind - 1);
	if (!l->params)
		return fail("out of memory");
	return EXIT_OK;
}

/* /sys/module/NAME/initstate exists for loaded modules, not built-in ones. */
static bool module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !access(path, F_OK);
}

/* The module's file (a name's from modules.dep) and the name in it. */
static int open_module(struct load *l)
{
	int ret;

	if (l->by_name) {
		ret = moddep_find(l->path, l->ko_path, sizeof(l->ko_path));
		if (ret)
			return ret;
		l->path = l->ko_path;
	}
	l->fd = open(l->path, O_RDONLY | O_CLOEXEC);
	if (l->fd < 0)
		return fail("cannot open '%s': %s", l->path, strerror(errno));
	return modinfo_name(l->fd, l->path, l->name, sizeof(l->name));
}

/*
 * The module's policy from the policy directory.  If it is missing or
 * broken, fail closed, unless kcage.conf (read only then, and itself
 * failing closed) or --on-policy-error says to load the module in audit
 * mode under an empty policy.
 */
static int dir_policy(struct load *l)
{
	const char *dir = l->policy_dir ? l->policy_dir : KCAGE_POLICY_DIR;
	char why[PATH_MAX + 128];
	struct config conf;

	l->policy_path = dir;		/* for upload(): a policy of our own */
	if (!policydir_read(dir, l->name, &l->file, why, sizeof(why)))
		return EXIT_OK;
	if (config_read(KCAGE_CONF_FILE, &conf)) {
		log_both("refusing to load %s: %s (and %s is broken, above)",
			 l->name, why, KCAGE_CONF_FILE);
		return EXIT_FAIL;
	}
	if (l->on_error >= 0)
		conf.on_policy_error = l->on_error;
	if (conf.on_policy_error == ON_ERROR_REFUSE) {
		log_both("refusing to load %s: %s", l->name, why);
		return EXIT_FAIL;
	}
	log_both("warning: loading %s in audit mode with an empty policy: %s",
		 l->name, why);
	return policy_empty_audit(l->name, &l->file);
}

/* The module file, its name, and its policy, all checked. */
static int read_inputs(struct load *l)
{
	int ret;

	ret = open_module(l);
	if (ret)
		return ret;
	if (module_loaded(l->name))
		return fail("%s is already loaded: kcage unload %s first",
			    l->name, l->name);
	if (l->policy_path) {
		ret = blob_read(l->policy_path, &l->file);
		if (ret)
			return ret;
		if (!same_module(blob_module(&l->file), l->name))
			return fail("%s is a policy for '%s', not for '%s' (the name in %s)",
				    l->policy_path, blob_module(&l->file), l->name,
				    l->path);
	} else if (l->by_name || l->policy_dir) {
		return dir_policy(l);
	}
	return EXIT_OK;
}

/*
 * An install command in /etc/modprobe.d may run before anything loaded
 * kcage.ko: load it the way modprobe would.  If that fails, kc_open()
 * says so and the module is not loaded.
 */
static void exec_modprobe(char *const args[])
{
	execvp("modprobe", args);
	execv("/sbin/modprobe", args);
}

static void ensure_kcage(const struct load *l)
{
	char *args[] = { "modprobe", "kcage", NULL };

	if (!l->by_name || !access("/sys/module/kcage", F_OK))
		return;
	run_child(exec_modprobe, args);
	if (access("/sys/module/kcage", F_OK))
		log_both("refusing to load %s: kcage.ko is not loaded, and 'modprobe kcage' did not load it",
			 l->name);
}

static int fetch_previous(struct kc *kc, struct load *l)
{
	int ret = blob_fetch(kc, l->name, &l->prev);

	if (ret == -ENOENT)
		return EXIT_OK;
	if (ret) {
		kc_perror(kc, ret, "cannot read the policy loaded for %s", l->name);
		return EXIT_FAIL;
	}
	l->had_prev = true;
	return EXIT_OK;
}

/*
 * Load the policy the module is to run under, unless the one loaded
 * already is it; note what the sandbox must then show.
 */
static int upload(struct kc *kc, struct load *l)
{
	const struct blob *b = l->policy_path ? &l->file : &l->prev;
	int mode = l->audit ? KCP_MODE_AUDIT : -1;
	int ret;

	if (!l->policy_path && !l->had_prev)
		return fail("no policy loaded for %s: give --policy FILE.kcp",
			    l->name);
	l->want_crc = blob_crc(b);
	l->want_mode = mode >= 0 ? mode :
		       l->policy_path ? b->view.hdr->mode : l->prev.mode;
	if (!l->policy_path && !l->audit)
		return EXIT_OK;		/* as loaded */
	ret = blob_upload(kc, b, mode, false);
	if (ret) {
		kc_perror(kc, ret, "cannot load the policy for %s", l->name);
		return EXIT_FAIL;
	}
	l->uploaded = true;
	return EXIT_OK;
}

/* Put the kernel's policy for the module back as it was before upload(). */
static void restore(struct kc *kc, struct load *l)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!l->uploaded)
		return;
	if (l->had_prev) {
		ret = blob_upload(kc, &l->prev, l->prev.mode, false);
	} else {
		nlh = kc_request(kc, KCAGE_CMD_POLICY_REMOVE, 0);
		mnl_attr_put_strz(nlh, KCAGE_A_MODULE, l->name);
		ret = kc_talk(kc, nlh, NULL, NULL);
	}
	if (ret)
		kc_perror(kc, ret, "could not put the policy for %s back as it was",
			  l->name);
}

static int insert(struct load *l)
{
	if (!finit_module(l->fd, l->params, 0))
		return EXIT_OK;
	switch (errno) {
	case EEXIST:
		return fail("%s is already loaded: kcage unload %s first",
			    l->name, l->name);
	case EPERM:
		return fail("the kernel does not let us load %s (%s): this needs root (CAP_SYS_MODULE), and module loading may be disabled or locked down; see dmesg",
			    l->name, strerror(errno));
	case ENOENT:
		return fail("cannot load %s: %s (an unknown parameter, or a symbol the kernel lacks): see dmesg",
			    l->name, strerror(errno));
	default:
		return fail("cannot load %s: %s: see dmesg", l->name,
			    strerror(errno));
	}
}

static void take_out(struct load *l)
{
	if (delete_module(l->name, O_NONBLOCK))
		fail("could not unload %s again (%s): kcage unload %s",
		     l->name, strerror(errno), l->name);
}

/* Is the module sandboxed, under the policy we meant? */
static int confirm(struct kc *kc, struct load *l, struct sandbox *sb)
{
	int ret = sandbox_get(kc, l->name, sb);

	if (ret == -ENOENT)
		return fail("%s was loaded, but kcage did not sandbox it: unloading it; see dmesg",
			    l->name);
	if (ret) {
		kc_perror(kc, ret, "cannot tell whether %s is sandboxed: unloading it",
			  l->name);
		return EXIT_FAIL;
	}
	if (!sb->has_crc || sb->crc != l->want_crc || sb->mode != l->want_mode)
		return fail("%s is sandboxed under another policy (%s, crc 0x%08" PRIx32
			    ", not %s, crc 0x%08" PRIx32 "): did another kcage load run? unloading it",
			    l->name, mode_name(sb->mode), sb->crc,
			    mode_name(l->want_mode), l->want_crc);
	return EXIT_OK;
}

/* Signals wait until the kernel is in a state we meant to leave it in. */
static void hold_signals(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int load_module(struct kc *kc, struct load *l)
{
	struct sandbox sb;
	int ret;

	ret = fetch_previous(kc, l);
	if (ret)
		return ret;
	hold_signals(true);
	ret = upload(kc, l);
	if (!ret) {
		ret = insert(l);
		if (!ret && confirm(kc, l, &sb)) {
			take_out(l);
			ret = EXIT_FAIL;
		}
		if (ret)
			restore(kc, l);
	}
	hold_signals(false);
	if (ret)
		return ret;
	printf("%s: loaded under kcage (policy %s, crc 0x%08" PRIx32 ")\n",
	       l->name, mode_name(sb.mode), sb.crc);
	if (sb.quarantined)
		fprintf(stderr, "kcage: warning: %s was quarantined while it initialised: see dmesg\n",
			l->name);
	return EXIT_OK;
}

int cmd_load(int argc, char **argv)
{
	struct load l = { .fd = -1, .on_error = -1, .file.mode = -1,
			  .prev.mode = -1 };
	struct kc kc;
	int ret;

	ret = parse_load_args(argc, argv, &l);
	if (!ret)
		ret = read_inputs(&l);
	if (!ret) {
		ensure_kcage(&l);
		ret = kc_open(&kc);
		if (!ret) {
			ret = load_module(&kc, &l);
			kc_close(&kc);
		}
	}
	if (l.fd >= 0)
		close(l.fd);
	blob_free(&l.file);
	blob_free(&l.prev);
	free(l.params);
	return ret;
}

/* Why delete_module() refused: a quarantine keeps a reference. */
static int explain_busy(const char *name)
{
	struct sandbox sb;
	struct kc kc;
	bool quarantined = false;

	if (!kc_connect(&kc, false)) {
		quarantined = !sandbox_get(&kc, name, &sb) && sb.quarantined;
		kc_close(&kc);
	}
	if (quarantined)
		return fail("%s is quarantined and cannot be unloaded: kcage release %s, then unload it",
			    name, name);
	return fail("%s is in use or quarantined (%s): see lsmod for its users, or kcage release %s",
		    name, strerror(EBUSY), name);
}

int cmd_unload(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *name;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch != 'h')
			return try_help("unload");
		fputs(unload_usage, stdout);
		return EXIT_OK;
	}
	if (argc - optind != 1)
		return usage_error("unload", "give one MODULE");
	name = argv[optind];
	if (!delete_module(name, O_NONBLOCK)) {
		printf("%s: unloaded (its policy, if any, stays loaded)\n", name);
		return EXIT_OK;
	}
	if (errno == EBUSY || errno == EAGAIN)
		return explain_busy(name);
	if (errno == ENOENT)
		return fail("%s is not loaded", name);
	if (errno == EPERM)
		return fail("cannot unload %s: this needs root (CAP_SYS_MODULE)", name);
	return fail("cannot unload %s: %s: see dmesg", name, strerror(errno));
}
