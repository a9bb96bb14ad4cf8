/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcage, the command-line tool: what its files share.  Each subcommand
 * lives in its own file; genl.c speaks generic netlink to kcage.ko
 * (include/uapi/kcage/netlink.h is the contract), attr.c checks what the
 * kernel sends back, blob.c handles compiled policies.
 */
#ifndef KCAGE_TOOL_H
#define KCAGE_TOOL_H

#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "kcp.h"
#include "kcage/netlink.h"

#define KCAGE_TOOL_VERSION	"1.0"
#define MODULE_NAME_MAX		56	/* the kernel's MODULE_NAME_LEN */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

/* Exit statuses, as every --help says. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed or the kernel refused it */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO_KCAGE = 3,	/* kcage.ko is not loaded */
};

/*
 * errors.c: a usage error in subcommand @cmd ("load", "policy show"),
 * then where to read more; returns EXIT_USAGE.  try_help() only points
 * there, after getopt's own message.
 */
int usage_error(const char *cmd, const char *fmt, ...)
	__printf(2, 3);
int try_help(const char *cmd);
/* "kcage: ..." on stderr; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __printf(1, 2);
/* "kcage: ..." on stderr and in the kernel log. */
void log_both(const char *fmt, ...) __printf(1, 2);

/* The subcommands: argv[0] is "kcage load" and so on, for getopt. */
int cmd_load(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_policy(int argc, char **argv);

/*
 * genl.c: one generic netlink socket talking to the "kcage" family.
 * Requests are built in @tx and replies read into @rx, both large enough
 * for a whole policy (up to KCP_MAX_SIZE) in one message.
 */
struct kc {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;		/* the family's id */
	uint32_t events_group;		/* the "events" group's id, 0 if none */
	char *tx;
	char *rx;
	char errmsg[256];		/* the last error's extended ACK message */
	int miss_type;			/* ... and its missing attribute, or -1 */
};

/* A reply, checked by attr.c: @tb is indexed by KCAGE_A_*. */
typedef int (*kc_reply_cb)(const struct nlmsghdr *nlh,
			   const struct nlattr *const *tb, void *data);

int kc_open(struct kc *kc);
int kc_connect(struct kc *kc, bool verbose);
int kc_socket(struct kc *kc, bool verbose);
void kc_close(struct kc *kc);
struct nlmsghdr *kc_request(struct kc *kc, uint8_t cmd, uint16_t flags);
int kc_talk(struct kc *kc, struct nlmsghdr *nlh, kc_reply_cb cb, void *data);
int kc_talk_raw(struct kc *kc, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
void kc_perror(const struct kc *kc, int err, const char *fmt, ...)
	__printf(3, 4);
int kc_resolve(struct kc *kc, const char *name, const char *group,
	       uint16_t *id, uint32_t *group_id);
int kc_join(struct kc *kc, uint32_t group);

/* attr.c: the family's attributes, checked for type and size. */
int kc_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
int kc_parse_violations(const struct nlattr *nest, uint64_t *counts,
			uint64_t *total);
const char *kc_attr_name(unsigned int type);
const char *kc_str(const struct nlattr *const *tb, unsigned int type);
uint64_t kc_u64(const struct nlattr *const *tb, unsigned int type);
uint32_t kc_u32(const struct nlattr *const *tb, unsigned int type);
uint8_t kc_u8(const struct nlattr *const *tb, unsigned int type);

/* blob.c: compiled policies, in files and in the kernel. */
struct blob {
	void *data;
	size_t size;
	struct kcp_view view;
	int mode;			/* loaded with this mode; -1: the blob's */
};

int blob_read(const char *path, struct blob *b);
int blob_read_unchecked(const char *path, struct blob *b);
int blob_fetch(struct kc *kc, const char *module, struct blob *b);
int blob_upload(struct kc *kc, const struct blob *b, int mode, bool excl);
int blob_write(const char *path, const struct blob *b);
void blob_free(struct blob *b);
const char *blob_module(const struct blob *b);
uint32_t blob_crc(const struct blob *b);
bool same_module(const char *a, const char *b);
int parse_mode(const char *s);
const char *mode_name(int mode);

/* child.c: run a program (@exec tries where it may be), wait for it. */
int run_child(void (*exec)(char *const args[]), char *const args[]);

/* modinfo.c */
int modinfo_name(int fd, const char *path, char *name, size_t len);

/* moddep.c: a module's file, from modules.dep as modprobe finds it. */
int moddep_lookup(FILE *dep, const char *dir, const char *name, char *path,
		  size_t len);
int moddep_find(const char *name, char *path, size_t len);

/* Where an administrator's policies and settings live (docs/installing.md, kcage(8)). */
#define KCAGE_CONF_DIR		"/etc/kcage"
#define KCAGE_POLICY_DIR	KCAGE_CONF_DIR "/policies.d"
#define KCAGE_CONF_FILE		KCAGE_CONF_DIR "/kcage.conf"
#define KCAGE_RUN_DIR		"/run/kcage"	/* compiled YAML policies */

/* config.c: kcage.conf. */
enum { ON_ERROR_REFUSE, ON_ERROR_AUDIT };

struct config {
	int on_policy_error;		/* missing or broken policy: ON_ERROR_* */
};

int config_read(const char *path, struct config *c);
int parse_on_policy_error(const char *s);

/* policydir.c: the policies in KCAGE_POLICY_DIR, and running policyc. */
int policyc_run(char *const args[]);
int policydir_read(const char *dir, const char *module, struct blob *b,
		   char *why, size_t len);
int policy_empty_audit(const char *module, struct blob *b);

/* status.c: one sandbox's statistics, as the kernel reports them. */
struct sandbox {
	char module[MODULE_NAME_MAX];
	int mode;			/* -1: no policy, translate-only */
	bool has_crc;
	uint32_t crc;
	bool quarantined;
	uint64_t entries, blocks, native_bytes, cache_bytes;
	uint64_t heap_objects, text_size;
	uint64_t violations[KCP_NR_KINDS];
	uint64_t violations_total;
};

/* kcage's own counters (KCAGE_CMD_STATS_GET). */
struct stats {
	uint64_t last_seq, dropped_total, events_sent;
	uint32_t sandboxes, policies;
};

int sandbox_get(struct kc *kc, const char *module, struct sandbox *sb);
int stats_get(struct kc *kc, struct stats *st);

/* monitor.c: the state of a listener, and one event through it. */
struct monitor {
	FILE *out;
	bool json;
	bool summary;			/* no lines per event: a summary at the end */
	uint64_t baseline;		/* LAST_SEQ when we started listening */
	uint64_t expected;		/* the next seq we should see */
	bool synced;			/* an event after @baseline was seen */
	unsigned long events;		/* violation events received */
	/* for the summary, from the first baseline on */
	uint64_t first_seq;
	uint64_t counted;		/* events numbered after a baseline */
	uint64_t lost;			/* sequence numbers never received */
	uint64_t dropped;		/* the events' KCAGE_A_DROPPED, summed */
};

void monitor_start(struct monitor *m, uint64_t last_seq);
void monitor_reset(struct monitor *m, uint64_t last_seq);
void monitor_event(struct monitor *m, const struct nlattr *const *tb);
void monitor_summary(const struct monitor *m);

/*
 * json.c: printing strings from the kernel (comm is chosen by whoever
 * runs the task), as JSON or as one shell-safe word.
 */
struct json {
	FILE *f;
	int depth;
	bool comma[8];			/* an item was printed at this depth */
};

void json_string(FILE *f, const char *s);
void json_begin(struct json *j, FILE *f, char open);
void json_open(struct json *j, const char *key, char open);
void json_close(struct json *j, char close);
void json_end(struct json *j, char close);
void json_str(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_hex(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
void text_word(FILE *f, const char *s);

/*
 * Room for one more element in the array *@v of *@cap elements, @n used:
 * 0, or -1 (errno ENOMEM) with the array as it was.
 */
static inline int array_room(void *v, size_t *cap, size_t n, size_t size)
{
	void **arr = v, *bigger;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? 2 * *cap : 16;
	bigger = realloc(*arr, want * size);
	if (!bigger) {
		errno = ENOMEM;
		return -1;
	}
	*arr = bigger;
	*cap = want;
	return 0;
}

#endif /* KCAGE_TOOL_H */
