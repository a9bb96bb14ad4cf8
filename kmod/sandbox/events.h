/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_EVENTS_H
#define KCAGE_EVENTS_H

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/types.h>

#define KCAGE_EVENT_SYMBOL_LEN	128
#define KCAGE_EVENT_RULE_LEN	96
#define KCAGE_EVENT_DETAIL_LEN	40
#define KCAGE_EVENT_TARGET_LEN	160

/**
 * struct kcage_event - one violation, as the "events" group sends it
 * @seq:     sequence number (kcage_events_record() sets it)
 * @dropped: violations just before this one no event was sent for
 * @time_ns: when, in ns of real time
 * @pc:      native address of the instruction
 * @addr:    address it touched or went to (0 if none)
 * @size:    bytes touched (0 if not an access)
 * @cpu:     CPU it happened on
 * @pid:     task it happened in
 * @kind:    &enum kcp_kind
 * @action:  &enum kcp_action taken
 * @module:  the sandboxed module
 * @comm:    the task's name, made of safe characters only
 * @symbol:  @pc as "function+0x1c/0x40"
 * @rule:    the policy clause that fired, and the entry of it
 * @detail:  a few words, no spaces
 * @target:  what would allow it (learn mode), or where a branch went
 *
 * A violation fills one on its own stack, in any context; the ring keeps a
 * copy (events.c) until the work item sends it.  The fields are those of
 * the netlink attributes of the same names (include/uapi/kcage/netlink.h).
 */
struct kcage_event {
	u64 seq;
	u64 dropped;
	u64 time_ns;
	u64 pc;
	u64 addr;
	u32 size;
	u32 cpu;
	u32 pid;
	u8 kind;
	u8 action;
	char module[MODULE_NAME_LEN];
	char comm[TASK_COMM_LEN];
	char symbol[KCAGE_EVENT_SYMBOL_LEN];
	char rule[KCAGE_EVENT_RULE_LEN];
	char detail[KCAGE_EVENT_DETAIL_LEN];
	char target[KCAGE_EVENT_TARGET_LEN];
};

/**
 * struct kcage_event_sink - where the ring's events go (control/netlink.c)
 * @listening: is anyone listening?  Else violations record no event.
 * @send:      send one event, from process context; 0 or -errno
 */
struct kcage_event_sink {
	bool (*listening)(void);
	int (*send)(const struct kcage_event *ev);
};

void kcage_events_set_sink(const struct kcage_event_sink *sink);
int kcage_events_init(void);
void kcage_events_exit(void);
u64 kcage_events_next_seq(void);
bool kcage_events_wanted(void);
void kcage_events_record(struct kcage_event *ev);
bool kcage_events_full(void);
u64 kcage_events_drop(void);
void kcage_events_stats(u64 *last_seq, u64 *dropped, u64 *sent);

#endif /* KCAGE_EVENTS_H */
