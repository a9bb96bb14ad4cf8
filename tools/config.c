// SPDX-License-Identifier: GPL-2.0
/*
 * /etc/kcage/kcage.conf: what "kcage load MODULE" does when MODULE's
 * policy in /etc/kcage/policies.d is missing or broken.  "key = value"
 * lines, '#' comments.  A file that cannot be read correctly is itself a
 * broken configuration, and kcage then fails closed: a typo must not turn
 * enforcement off.
 */
#include <ctype.h>
#include <string.h>
#include "kcage.h"

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int parse_on_policy_error(const char *s)
{
	if (!strcmp(s, "refuse"))
		return ON_ERROR_REFUSE;
	if (!strcmp(s, "audit"))
		return ON_ERROR_AUDIT;
	return -1;
}

static int config_line(struct config *c, const char *path, int nr, char *line)
{
	char *eq, *key, *value;
	int v;

	line[strcspn(line, "#\n")] = '\0';
	line = trim(line);
	if (!*line)
		return EXIT_OK;
	eq = strchr(line, '=');
	if (!eq)
		return fail("%s:%d: expected 'key = value'", path, nr);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (strcmp(key, "on_policy_error"))
		return fail("%s:%d: unknown key '%s' (known: on_policy_error)",
			    path, nr, key);
	v = parse_on_policy_error(value);
	if (v < 0)
		return fail("%s:%d: on_policy_error is 'refuse' or 'audit', not '%s'",
			    path, nr, value);
	c->on_policy_error = v;
	return EXIT_OK;
}

/* The defaults if @path does not exist; an exit status otherwise. */
int config_read(const char *path, struct config *c)
{
	char line[256];
	int nr = 0, ret = EXIT_OK;
	FILE *f;

	c->on_policy_error = ON_ERROR_REFUSE;
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? EXIT_OK :
		       fail("cannot read %s: %s", path, strerror(errno));
	while (!ret && fgets(line, sizeof(line), f)) {
		nr++;
		if (!strchr(line, '\n') && !feof(f))
			ret = fail("%s:%d: line too long", path, nr);
		else
			ret = config_line(c, path, nr, line);
	}
	fclose(f);
	return ret;
}
