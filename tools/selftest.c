// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space self-check of kcage (make -C tools check): what can be
 * checked without kcage.ko.  JSON and text escaping, the module-name
 * reader on made-up ELF files, the checks on attributes the kernel sends,
 * the monitor's event lines and gap reports on made-up events, the
 * netlink plumbing (requests, dumps, extended ACKs) against the kernel's
 * own nlctrl family, and the command line's exit statuses.
 *
 * Prints "PASS unit/kcage/NAME" or "FAIL unit/kcage/NAME: why" per check
 * and exits non-zero if any failed.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kcage.h"

static int failed;

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS unit/kcage/%s\n", name);
		return;
	}
	printf("FAIL unit/kcage/%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed = 1;
}

/* Errors the checks provoke on purpose stay off the report. */
static void quiet(bool on)
{
	static int saved = -1;
	int null;

	fflush(stderr);
	if (on && saved < 0) {
		saved = dup(2);
		null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		close(null);
	} else if (!on && saved >= 0) {
		dup2(saved, 2);
		close(saved);
		saved = -1;
	}
}

/* What @code prints to @f, into @buf (the caller frees it). */
#define CAPTURE(buf, f, code) do {					\
	size_t len_;							\
	FILE *f = open_memstream(&(buf), &len_);			\
	code;								\
	fclose(f);							\
} while (0)

static void check_str(const char *name, const char *got, const char *want)
{
	check(!strcmp(got, want), name, "got '%s', want '%s'", got, want);
}

static void test_json(void)
{
	char *s;

	CAPTURE(s, f, json_string(f, "a\"b\\c\n\x01\x7f" "d"));
	check_str("json-escape", s, "\"a\\\"b\\\\c\\u000a\\u0001\\u007fd\"");
	free(s);
	CAPTURE(s, f, json_string(f, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
	check_str("json-utf8", s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	free(s);
	/* overlong, surrogate, stray continuation, truncated, beyond U+10FFFF */
	CAPTURE(s, f, json_string(f, "\xc0\x80|\xed\xa0\x80|\x80|\xe2\x82|\xf4\x90\x80\x80"));
	check_str("json-bad-utf8", s,
		  "\"\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\\ufffd\"");
	free(s);
	CAPTURE(s, f, json_string(f, NULL));
	check_str("json-null", s, "null");
	free(s);
	CAPTURE(s, f, {
		struct json j;

		json_begin(&j, f, '{');
		json_u64(&j, "a", 18446744073709551615ull);
		json_open(&j, "b", '[');
		json_open(&j, NULL, '{');
		json_hex(&j, "c", 0xffffffffc0001234ull);
		json_close(&j, '}');
		json_open(&j, NULL, '{');
		json_bool(&j, "d", false);
		json_close(&j, '}');
		json_close(&j, ']');
		json_null(&j, "e");
		json_end(&j, '}');
	});
	check_str("json-writer", s,
		  "{\"a\":18446744073709551615,\"b\":[{\"c\":\"0xffffffffc0001234\"},{\"d\":false}],\"e\":null}\n");
	free(s);
	CAPTURE(s, f, { text_word(f, "a b\\c\n"); fputc('|', f); text_word(f, ""); });
	check_str("text-word", s, "a\\x20b\\x5cc\\x0a|-");
	free(s);
}

/* A minimal ELF64 relocatable file with a .modinfo section. */
static size_t make_elf(unsigned char *buf, const char *modinfo, size_t mlen)
{
	static const char shstr[] = "\0.shstrtab\0.modinfo";
	Elf64_Ehdr *eh = (void *)buf;
	Elf64_Shdr *sh;
	size_t off = sizeof(*eh);

	memset(buf, 0, 4096);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	eh->e_ehsize = sizeof(*eh);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 1;
	memcpy(buf + off, shstr, sizeof(shstr));
	memcpy(buf + off + sizeof(shstr), modinfo, mlen);
	eh->e_shoff = (off + sizeof(shstr) + mlen + 7) & ~7ul;
	sh = (void *)(buf + eh->e_shoff);
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB,
			      .sh_offset = off, .sh_size = sizeof(shstr) };
	sh[2] = (Elf64_Shdr){ .sh_name = 11, .sh_type = SHT_PROGBITS,
			      .sh_offset = off + sizeof(shstr), .sh_size = mlen };
	return eh->e_shoff + 3 * sizeof(Elf64_Shdr);
}

/* modinfo_name() on @len bytes written to a file called @base. */
static int name_of(const char *base, const void *data, size_t len, char *name)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", getenv("TMPDIR") ?: "/tmp", base);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return -1;
	name[0] = '\0';
	ret = modinfo_name(fd, path, name, MODULE_NAME_MAX);
	close(fd);
	unlink(path);
	return ret;
}

static void test_modinfo(void)
{
	static const char info[] = "license=GPL\0\0\0name=real_name\0vermagic=6.1\0";
	unsigned char elf[4096];
	char name[MODULE_NAME_MAX];
	size_t n;
	int ret;

	n = make_elf(elf, info, sizeof(info));
	ret = name_of("kcage-selftest-file.ko", elf, n, name);
	check(!ret && !strcmp(name, "real_name"), "modinfo-name", "got %d '%s'", ret, name);
	n = make_elf(elf, "license=GPL", 12);
	ret = name_of("kcage-selftest-file.ko", elf, n, name);
	check(!ret && !strcmp(name, "kcage_selftest_file"), "modinfo-fallback",
	      "got %d '%s'", ret, name);
	/* a section header table pointing past the end: the file name */
	n = make_elf(elf, info, sizeof(info));
	((Elf64_Ehdr *)elf)->e_shoff = 1 << 20;
	ret = name_of("kcage-selftest-bad.ko", elf, n, name);
	check(!ret && !strcmp(name, "kcage_selftest_bad"), "modinfo-truncated",
	      "got %d '%s'", ret, name);
	quiet(true);
	ret = name_of("kcage-selftest-z.ko", "\x28\xb5\x2f\xfd\0\0\0\0", 8, name);
	quiet(false);
	check(ret == EXIT_FAIL, "modinfo-compressed", "got %d", ret);
}

static void test_moddep(void)
{
	static const char dep[] =
		"kernel/fs/fat/fat.ko:\n"
		"kernel/fs/fat/vfat.ko: kernel/fs/fat/fat.ko\n"
		"kernel/drivers/foo/foo-bar.ko.xz: kernel/fs/fat/fat.ko\n"
		"/abs/extra/kc_hello.ko:\n"
		"kernel/x/vfat_helper.ko:\n";
	char path[256];
	FILE *f;
	int ret;

	f = fmemopen((void *)dep, sizeof(dep) - 1, "r");
	ret = moddep_lookup(f, "/lib/modules/6.1", "vfat", path, sizeof(path));
	check(!ret && !strcmp(path, "/lib/modules/6.1/kernel/fs/fat/vfat.ko"),
	      "moddep-relative", "got %d '%s'", ret, path);
	rewind(f);
	ret = moddep_lookup(f, "/lib/modules/6.1", "foo_bar", path, sizeof(path));
	check(!ret && !strcmp(path, "/lib/modules/6.1/kernel/drivers/foo/foo-bar.ko.xz"),
	      "moddep-dash-compressed", "got %d '%s'", ret, path);
	rewind(f);
	ret = moddep_lookup(f, "/lib/modules/6.1", "kc_hello", path, sizeof(path));
	check(!ret && !strcmp(path, "/abs/extra/kc_hello.ko"), "moddep-absolute",
	      "got %d '%s'", ret, path);
	rewind(f);
	ret = moddep_lookup(f, "/lib/modules/6.1", "vfa", path, sizeof(path));
	check(ret == -ENOENT, "moddep-no-prefix-match", "got %d", ret);
	fclose(f);
}

/* @text as file @name in directory @dir. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int config_of(const char *dir, const char *text, struct config *c)
{
	char path[512];
	int ret;

	put_file(dir, "kcage.conf", text);
	snprintf(path, sizeof(path), "%s/kcage.conf", dir);
	quiet(true);
	ret = config_read(path, c);
	quiet(false);
	return ret;
}

static void test_config(const char *dir)
{
	struct config c;
	int ret;

	ret = config_read("/nonexistent/kcage.conf", &c);
	check(!ret && c.on_policy_error == ON_ERROR_REFUSE, "config-missing",
	      "got %d", ret);
	ret = config_of(dir, "# comment\n\n  on_policy_error = audit  # open\n", &c);
	check(!ret && c.on_policy_error == ON_ERROR_AUDIT, "config-audit",
	      "got %d", ret);
	ret = config_of(dir, "on_policy_error = open\n", &c);
	check(ret == EXIT_FAIL, "config-bad-value", "got %d", ret);
	ret = config_of(dir, "on_policy_eror = audit\n", &c);
	check(ret == EXIT_FAIL, "config-bad-key", "got %d", ret);
	ret = config_of(dir, "audit\n", &c);
	check(ret == EXIT_FAIL, "config-no-equals", "got %d", ret);
}

static int policy_of(const char *dir, const char *module, char *why, size_t len)
{
	struct blob b;
	int ret;

	quiet(true);
	ret = policydir_read(dir, module, &b, why, len);
	quiet(false);
	if (!ret)
		blob_free(&b);
	return ret;
}

static void test_policydir(const char *dir)
{
	char why[1024], path[512], other[512];
	struct blob b;
	int ret;

	ret = policy_empty_audit("kc_empty", &b);
	check(!ret && b.view.hdr->mode == KCP_MODE_AUDIT &&
	      !strcmp(blob_module(&b), "kc_empty"), "policy-empty-audit", "got %d", ret);
	snprintf(path, sizeof(path), "%s/kc_empty.kcp", dir);
	if (!ret) {
		blob_write(path, &b);
		blob_free(&b);
	}
	ret = policy_of(dir, "kc_empty", why, sizeof(why));
	check(!ret, "policydir-kcp", "got %d: %s", ret, why);
	ret = policy_of(dir, "kc_none", why, sizeof(why));
	check(ret && strstr(why, "no policy in "), "policydir-missing", "got %d '%s'",
	      ret, why);
	/* kc_empty's policy, under another module's name */
	snprintf(other, sizeof(other), "%s/kc_other.kcp", dir);
	rename(path, other);
	ret = policy_of(dir, "kc_other", why, sizeof(why));
	check(ret && strstr(why, "is a policy for 'kc_empty'"), "policydir-other-module",
	      "got %d '%s'", ret, why);
	put_file(dir, "kc_text.kcp", "module: kc_text\n");
	ret = policy_of(dir, "kc_text", why, sizeof(why));
	check(ret && strstr(why, "is not a valid policy"), "policydir-invalid",
	      "got %d '%s'", ret, why);
	put_file(dir, "kc_text.yaml", "module: kc_text\n");
	ret = policy_of(dir, "kc_text", why, sizeof(why));
	check(ret && strstr(why, "both "), "policydir-both", "got %d '%s'", ret, why);
}

/* A modules.dep, a kcage.conf and policies.d files, in a scratch directory. */
static void test_files(void)
{
	char dir[] = "/tmp/kcage-selftest-XXXXXX";
	char cmd[64];

	test_moddep();
	if (!mkdtemp(dir)) {
		check(false, "scratch-dir", "mkdtemp: %s", strerror(errno));
		return;
	}
	test_config(dir);
	test_policydir(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		check(false, "scratch-dir-removed", "%s failed", cmd);
}

/* A made-up kcage message, as the kernel would send it. */
static struct nlmsghdr *message(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x20;
	g->cmd = cmd;
	g->version = KCAGE_GENL_VERSION;
	return nlh;
}

static struct nlmsghdr *event(char *buf, uint64_t seq, const char *comm)
{
	struct nlmsghdr *nlh = message(buf, KCAGE_CMD_VIOLATION);

	mnl_attr_put_u64(nlh, KCAGE_A_SEQ, seq);
	mnl_attr_put_u64(nlh, KCAGE_A_TIME_NS, 1795595831123456789ull);
	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, "kc_hello");
	mnl_attr_put_u8(nlh, KCAGE_A_KIND, KCP_KIND_WRITE);
	mnl_attr_put_u8(nlh, KCAGE_A_ACTION, KCP_ACTION_DENY);
	mnl_attr_put_u64(nlh, KCAGE_A_PC, 0xffffffffc0001234ull);
	mnl_attr_put_strz(nlh, KCAGE_A_SYMBOL, "kc_hello_write+0x1c/0x40");
	mnl_attr_put_u64(nlh, KCAGE_A_ADDR, 0xffff888000001000ull);
	mnl_attr_put_u32(nlh, KCAGE_A_SIZE, 8);
	mnl_attr_put_u32(nlh, KCAGE_A_CPU, 1);
	mnl_attr_put_u32(nlh, KCAGE_A_PID, 123);
	mnl_attr_put_strz(nlh, KCAGE_A_COMM, comm);
	mnl_attr_put_strz(nlh, KCAGE_A_RULE, "memory.writes");
	mnl_attr_put_strz(nlh, KCAGE_A_DETAIL, "-");
	mnl_attr_put_u64(nlh, KCAGE_A_DROPPED, 0);
	return nlh;
}

static void test_attrs(void)
{
	const struct nlattr *tb[KCAGE_A_MAX + 1];
	uint64_t counts[KCP_NR_KINDS], total;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char buf[4096];
	uint32_t four = 4;
	int ret;

	nlh = message(buf, KCAGE_CMD_SANDBOX_GET);
	mnl_attr_put_strz(nlh, KCAGE_A_MODULE, "kc_hello");
	mnl_attr_put_u32(nlh, 200, 1);		/* newer than us: ignored */
	nest = mnl_attr_nest_start(nlh, KCAGE_A_VIOLATIONS);
	mnl_attr_put_u64(nlh, KCP_KIND_WRITE + 1, 3);
	mnl_attr_put_u64(nlh, KCP_KIND_CALL + 1, 2);
	mnl_attr_put_u64(nlh, KCP_NR_KINDS + 5, 1);	/* a kind we lack */
	mnl_attr_nest_end(nlh, nest);
	ret = kc_parse(nlh, tb);
	check(!ret && !strcmp(kc_str(tb, KCAGE_A_MODULE), "kc_hello") && !tb[KCAGE_A_MODE],
	      "attr-parse", "ret %d", ret);
	ret = kc_parse_violations(tb[KCAGE_A_VIOLATIONS], counts, &total);
	check(!ret && counts[KCP_KIND_WRITE] == 3 && counts[KCP_KIND_CALL] == 2 &&
	      counts[KCP_KIND_READ] == 0 && total == 6, "attr-violations",
	      "ret %d total %llu", ret, (unsigned long long)total);

	/* a u64 of four bytes, and a string without its NUL */
	quiet(true);
	nlh = message(buf, KCAGE_CMD_VIOLATION);
	mnl_attr_put(nlh, KCAGE_A_SEQ, sizeof(four), &four);
	ret = kc_parse(nlh, tb);
	check(ret == -EPROTO, "attr-bad-u64", "accepted");
	nlh = message(buf, KCAGE_CMD_VIOLATION);
	mnl_attr_put(nlh, KCAGE_A_COMM, 3, "cat");
	ret = kc_parse(nlh, tb);
	quiet(false);
	check(ret == -EPROTO, "attr-bad-string", "accepted");
}

/* Events through a monitor, its output in @out. */
static void feed(struct monitor *m, const uint64_t *seqs, int n, bool json,
		 const char *comm, char **out)
{
	const struct nlattr *tb[KCAGE_A_MAX + 1];
	char buf[4096];
	size_t len;
	int i;

	m->out = open_memstream(out, &len);
	m->json = json;
	for (i = 0; i < n; i++) {
		kc_parse(event(buf, seqs[i], comm), tb);
		monitor_event(m, tb);
	}
	fclose(m->out);
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static void test_monitor(void)
{
	struct monitor m = { 0 };
	uint64_t seqs[] = { 11 };
	uint64_t gap[] = { 9, 10, 11, 14, 15 };
	char *s;

	monitor_reset(&m, 10);
	feed(&m, seqs, 1, false, "cat", &s);
	check_str("monitor-text", s,
		  "seq=11 time=2026-11-25T08:37:11.123456Z module=kc_hello kind=write action=deny pc=kc_hello_write+0x1c/0x40 (0xffffffffc0001234) addr=0xffff888000001000 size=8 cpu=1 pid=123 comm=cat rule=memory.writes detail=- dropped=0\n");
	free(s);

	monitor_reset(&m, 10);
	feed(&m, seqs, 1, true, "a\"b\n", &s);
	check_str("monitor-json", s,
		  "{\"type\":\"violation\",\"seq\":11,\"time_ns\":1795595831123456789,\"time\":\"2026-11-25T08:37:11.123456Z\",\"module\":\"kc_hello\",\"kind\":\"write\",\"action\":\"deny\",\"pc\":\"0xffffffffc0001234\",\"symbol\":\"kc_hello_write+0x1c/0x40\",\"addr\":\"0xffff888000001000\",\"size\":8,\"cpu\":1,\"pid\":123,\"comm\":\"a\\\"b\\u000a\",\"rule\":\"memory.writes\",\"detail\":\"-\",\"dropped\":0,\"target\":null}\n");
	free(s);

	/* 9 and 10 happened while joining: no gap; 12-13 are lost */
	monitor_reset(&m, 10);
	m.events = 0;
	feed(&m, gap, 5, true, "cat", &s);
	check(strstr(s, "{\"type\":\"lost\",\"count\":2,\"first_seq\":12,\"last_seq\":13}\n{\"type\":\"violation\",\"seq\":14,") &&
	      m.events == 5 && m.expected == 16, "monitor-gap", "got '%s'", s);
	check(count(s, "\"lost\"") == 1, "monitor-one-gap", "got '%s'", s);
	free(s);

	monitor_reset(&m, 10);
	feed(&m, gap + 3, 1, false, "cat", &s);
	check(!strncmp(s, "kcage: lost 3 events (seq 11-13)\nseq=14 ", 40), "monitor-gap-text",
	      "got '%s'", s);
	free(s);

	/* --summary: no lines per event; 9 and 10 are not counted */
	memset(&m, 0, sizeof(m));
	monitor_start(&m, 10);
	m.summary = true;
	feed(&m, gap, 5, true, "cat", &s);
	check(!*s, "monitor-summary-quiet", "got '%s'", s);
	free(s);
	{
		size_t len;

		m.out = open_memstream(&s, &len);
		monitor_summary(&m);
		fclose(m.out);
	}
	check_str("monitor-summary", s,
		  "{\"type\":\"summary\",\"events\":3,\"lost\":2,\"dropped\":0,\"first_seq\":11,\"last_seq\":15}\n");
	free(s);

	/* back to 1: kcage.ko was reloaded; a new baseline, no gap */
	m.summary = false;
	seqs[0] = 1;
	quiet(true);
	feed(&m, seqs, 1, true, "cat", &s);
	quiet(false);
	check(!strstr(s, "lost") && m.expected == 2, "monitor-restart", "got '%s'", s);
	free(s);
}

static int family_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

/* The plumbing against the kernel's own nlctrl family. */
static void test_netlink(void)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint32_t group = 0;
	int ret, n = 0;
	uint16_t id = 0;
	struct kc kc;

	if (kc_socket(&kc, true)) {
		check(false, "netlink-socket", "no generic netlink socket");
		return;
	}
	ret = kc_resolve(&kc, "nlctrl", "notify", &id, &group);
	check(!ret && id == GENL_ID_CTRL && group, "netlink-resolve",
	      "ret %d id %u group %u", ret, id, group);
	ret = kc_resolve(&kc, "kc-none", NULL, &id, NULL);
	check(ret == -ENOENT, "netlink-no-family", "ret %d", ret);

	nlh = mnl_nlmsg_put_header(kc.tx);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++kc.seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	ret = kc_talk_raw(&kc, nlh, family_dump_cb, &n);
	check(!ret && n > 1, "netlink-dump", "ret %d, %d families", ret, n);

	/* a family id of one byte: refused, with the kernel's reason */
	nlh = mnl_nlmsg_put_header(kc.tx);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++kc.seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_ID, 1, "x");
	ret = kc_talk_raw(&kc, nlh, family_dump_cb, &n);
	check(ret < 0 && kc.errmsg[0], "netlink-extack", "ret %d, message '%s'",
	      ret, kc.errmsg);
	ret = kc_resolve(&kc, "nlctrl", NULL, &id, NULL);
	check(!ret, "netlink-after-error", "ret %d", ret);
	kc_close(&kc);
}

/* kcage ARGS... with output discarded: its exit status. */
static int run(const char *kcage, const char *arg1, const char *arg2)
{
	int status, fd;
	pid_t pid = fork();

	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(kcage, "kcage", arg1, arg2, (char *)NULL);
		_exit(126);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_cli(const char *kcage)
{
	static const struct {
		const char *name, *arg1, *arg2;
		int status;
	} cases[] = {
		{ "cli-help", "--help", NULL, EXIT_OK },
		{ "cli-version", "--version", NULL, EXIT_OK },
		{ "cli-no-command", NULL, NULL, EXIT_USAGE },
		{ "cli-bad-command", "bogus", NULL, EXIT_USAGE },
		{ "cli-load-help", "load", "--help", EXIT_OK },
		{ "cli-load-no-module", "load", NULL, EXIT_USAGE },
		{ "cli-monitor-bad-option", "monitor", "--bogus", EXIT_USAGE },
		{ "cli-policy-help", "policy", "--help", EXIT_OK },
		{ "cli-policy-bad", "policy", "bogus", EXIT_USAGE },
		{ "cli-load-missing-file", "load", "/nonexistent/x.ko", EXIT_FAIL },
		{ "cli-load-no-such-module", "load", "kcage_no_such_module", EXIT_FAIL },
	};
	unsigned int i;
	int st;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		st = run(kcage, cases[i].arg1, cases[i].arg2);
		check(st == cases[i].status, cases[i].name, "exit status %d, want %d",
		      st, cases[i].status);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);	/* in order with stderr */
	test_json();
	test_modinfo();
	test_files();
	test_attrs();
	test_monitor();
	test_netlink();
	if (argc > 1)
		test_cli(argv[1]);
	return failed;
}
