// SPDX-License-Identifier: GPL-2.0
/*
 * The policies an administrator installs: /etc/kcage/policies.d holds
 * MODULE.yaml (compiled here, by policyc, when it is loaded) or
 * MODULE.kcp (compiled already), one per module, named as the kernel
 * names the module.  "kcage load MODULE" and "kcage policy load-all"
 * read them through policydir_read(), which says why a policy cannot be
 * used so that the caller can fail closed (or, if configured, open).
 */
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kcage.h"

/*
 * policyc next to this kcage (as in build/user/bin), else where make
 * install puts it (PREFIX/bin beside PREFIX/sbin/kcage), else from $PATH:
 * modprobe and udev run install commands with a PATH of their own.
 */
static void exec_policyc(char *const args[])
{
	static const char *const where[] = { "policyc", "../bin/policyc" };
	char self[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *dir;
	unsigned int i;

	if (n > 0) {
		self[n] = '\0';
		dir = dirname(self);
		for (i = 0; i < ARRAY_SIZE(where); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, where[i]);
			execv(path, args);
		}
	}
	execvp("policyc", args);
}

/* Runs policyc with @args: its exit status, 127 if there is none, -1. */
int policyc_run(char *const args[])
{
	return run_child(exec_policyc, args);
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * Compiles @yaml into /run/kcage/MODULE.kcp, named in @out: 0, or why
 * not in @why (policyc's diagnostics, if it ran, are on stderr).
 */
static int compile(const char *yaml, const char *module, char *out, size_t len,
		   char *why, size_t why_len)
{
	char *args[] = { "policyc", (char *)yaml, "-o", out, NULL };
	int status;

	if (mkdir(KCAGE_RUN_DIR, 0755) && errno != EEXIST) {
		snprintf(why, why_len, "cannot compile %s: cannot create %s: %s",
			 yaml, KCAGE_RUN_DIR, strerror(errno));
		return EXIT_FAIL;
	}
	snprintf(out, len, "%s/%s.kcp", KCAGE_RUN_DIR, module);
	status = policyc_run(args);
	if (status == 127)
		snprintf(why, why_len, "cannot compile %s: policyc is neither next to kcage nor in $PATH",
			 yaml);
	else if (status < 0)
		snprintf(why, why_len, "cannot compile %s: cannot run policyc: %s",
			 yaml, strerror(errno));
	else if (status)
		snprintf(why, why_len, "%s does not compile (policyc's errors above)",
			 yaml);
	return status ? EXIT_FAIL : EXIT_OK;
}

/*
 * @module's policy from @dir into @b.  On failure, @why says why in a few
 * words (policyc and the decoder have printed the details).
 */
int policydir_read(const char *dir, const char *module, struct blob *b,
		   char *why, size_t len)
{
	char yaml[PATH_MAX], kcp[PATH_MAX], built[PATH_MAX];
	bool has_yaml, has_kcp;

	snprintf(yaml, sizeof(yaml), "%s/%s.yaml", dir, module);
	snprintf(kcp, sizeof(kcp), "%s/%s.kcp", dir, module);
	has_yaml = exists(yaml);
	has_kcp = exists(kcp);
	if (has_yaml && has_kcp) {
		snprintf(why, len, "both %s and %s exist; keep one", yaml, kcp);
		return EXIT_FAIL;
	}
	if (!has_yaml && !has_kcp) {
		snprintf(why, len, "no policy in %s (%s.yaml or %s.kcp)", dir,
			 module, module);
		return EXIT_FAIL;
	}
	if (has_yaml && compile(yaml, module, built, sizeof(built), why, len))
		return EXIT_FAIL;
	if (blob_read(has_yaml ? built : kcp, b)) {
		snprintf(why, len, "%s is not a valid policy", has_yaml ? yaml : kcp);
		return EXIT_FAIL;
	}
	if (!same_module(blob_module(b), module)) {
		snprintf(why, len, "%s is a policy for '%s', not for '%s'",
			 has_yaml ? yaml : kcp, blob_module(b), module);
		blob_free(b);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * Failing open: a policy that allows nothing beyond the module's own
 * memory, in audit mode, so that everything else the module does is
 * reported and nothing is stopped.
 */
int policy_empty_audit(const char *module, struct blob *b)
{
	struct kcp_policy p = {
		.module = module,
		.mode = KCP_MODE_AUDIT,
		.default_action = KCP_ACTION_LOG,
		.builtin_writes = KCP_BUILTIN_DEFAULT,
	};
	struct kcp_error err = { 0 };
	long size;

	memset(p.actions, KCP_ACTION_DEFAULT, sizeof(p.actions));
	memset(b, 0, sizeof(*b));
	b->mode = -1;
	size = kcp_encode(&p, NULL, 0);
	b->data = size > 0 ? malloc(size) : NULL;
	if (!b->data)
		return fail("cannot make an empty policy for %s", module);
	b->size = kcp_encode(&p, b->data, size);
	if (kcp_decode(b->data, b->size, &b->view, &err)) {
		blob_free(b);
		return fail("the empty policy for %s does not decode: %s", module,
			    err.msg);
	}
	return EXIT_OK;
}
