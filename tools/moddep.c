// SPDX-License-Identifier: GPL-2.0
/*
 * A module's file from its name, as modprobe finds it: the line of
 * /lib/modules/$(uname -r)/modules.dep whose path names the module
 * ("kernel/drivers/net/ethernet/intel/e1000/e1000.ko: ..."; depmod writes
 * paths relative to that directory).  Only the file: modprobe has already
 * loaded the dependencies before it runs an install command.
 */
#include <limits.h>
#include <string.h>
#include <sys/utsname.h>
#include "kcage.h"

/* Does @path ("dir/foo-bar.ko.xz") name module @name ("foo_bar")? */
static bool path_names(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	char stem[MODULE_NAME_MAX];
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (strncmp(base + n, ".ko", 3) || n >= sizeof(stem))
		return false;
	memcpy(stem, base, n);
	stem[n] = '\0';
	return same_module(stem, name);
}

/* Looks @name up in @dep (a modules.dep), paths relative to @dir. */
int moddep_lookup(FILE *dep, const char *dir, const char *name, char *path,
		  size_t len)
{
	char line[4096], *colon;

	while (fgets(line, sizeof(line), dep)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (!path_names(line, name))
			continue;
		if (line[0] == '/')
			snprintf(path, len, "%s", line);
		else
			snprintf(path, len, "%s/%s", dir, line);
		return 0;
	}
	return -ENOENT;
}

/* @name's file for the running kernel; prints what is wrong. */
int moddep_find(const char *name, char *path, size_t len)
{
	char dir[PATH_MAX], dep_path[PATH_MAX + 16];
	struct utsname u;
	FILE *dep;
	int ret;

	if (uname(&u))
		return fail("uname: %s", strerror(errno));
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	snprintf(dep_path, sizeof(dep_path), "%s/modules.dep", dir);
	dep = fopen(dep_path, "r");
	if (!dep)
		return fail("cannot read %s: %s (run depmod)", dep_path,
			    strerror(errno));
	ret = moddep_lookup(dep, dir, name, path, len);
	fclose(dep);
	if (ret)
		return fail("no module %s in %s (a module name, as modprobe takes it; give a path to a .ko file otherwise)",
			    name, dep_path);
	return EXIT_OK;
}
