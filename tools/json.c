// SPDX-License-Identifier: GPL-2.0
/*
 * Strings from the kernel, printed so that no value can break its line:
 * as JSON (one object per line, for scripts) or as one word of a text
 * line.  The kernel already keeps comm to safe characters, but a tool
 * that prints attacker-chosen names should not rely on that.
 */
#include <inttypes.h>
#include "kcage.h"

/* Bytes in the valid UTF-8 sequence at @s, or 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
	uint32_t cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * @s as a JSON string, or null.  Valid UTF-8 passes through; control
 * characters are escaped; a byte that is not valid UTF-8 becomes U+FFFD,
 * so that the output is always valid JSON.
 */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
			continue;
		}
		n = utf8_len(p);
		if (!n) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

/*
 * A tiny writer for one line of JSON: it puts the commas in.  Depth is
 * bounded by what kcage prints (an object in an array in an object).
 */
static void item(struct json *j, const char *key)
{
	if (j->comma[j->depth])
		fputc(',', j->f);
	j->comma[j->depth] = true;
	if (key) {
		json_string(j->f, key);
		fputc(':', j->f);
	}
}

void json_begin(struct json *j, FILE *f, char open)
{
	j->f = f;
	j->depth = 0;
	j->comma[0] = false;
	fputc(open, f);
}

void json_open(struct json *j, const char *key, char open)
{
	item(j, key);
	fputc(open, j->f);
	if (j->depth + 1 < (int)ARRAY_SIZE(j->comma))
		j->depth++;
	j->comma[j->depth] = false;
}

void json_close(struct json *j, char close)
{
	fputc(close, j->f);
	if (j->depth > 0)
		j->depth--;
}

/* The end of the line: scripts read it while kcage runs, so flush. */
void json_end(struct json *j, char close)
{
	fputc(close, j->f);
	fputc('\n', j->f);
	fflush(j->f);
}

void json_str(struct json *j, const char *key, const char *s)
{
	item(j, key);
	json_string(j->f, s);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

/* Addresses and checksums: strings, since JSON numbers lose 64-bit values. */
void json_hex(struct json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "\"0x%" PRIx64 "\"", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	item(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	item(j, key);
	fputs("null", j->f);
}

/*
 * @s as one word of a "key=value" text line: anything but printable
 * ASCII (and '\', which starts the escape) as \xNN; "-" if empty.
 */
void text_word(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s || !*s) {
		fputc('-', f);
		return;
	}
	for (; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}
