// SPDX-License-Identifier: GPL-2.0
/*
 * The zone at the bottom of each task's kernel stack (zone.h): its magic,
 * which says it was initialised by a gate of this boot, and the walk of
 * the gate records kept there.
 */
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/random.h>
#include <linux/sched.h>
#include "rt/zone.h"

const unsigned long kcage_task_stack_offset = offsetof(struct task_struct, stack);

/* A task's zone is initialised if its magic is its address ^ this. */
unsigned long kcage_zone_secret __ro_after_init;

void __init kcage_zone_init(void)
{
	kcage_zone_secret = get_random_long();
}

/* Has a gate of this boot initialised the zone of the stack at @base? */
bool kcage_zone_ok(unsigned long base)
{
	unsigned long zone = base + KCAGE_SS_ZONE;

	return READ_ONCE_NOCHECK(*(unsigned long *)(base + KCAGE_SS_MAGIC)) ==
	       (zone ^ kcage_zone_secret);
}

/**
 * kcage_zone_gate_record - the innermost gate record of this task
 *
 * Crash containment takes the entry frame and the state to restore from
 * here, where the module cannot forge them.
 *
 * Return: the record (KCAGE_G_* words, zone.h), or NULL if there is
 * none (an entry whose record did not fit, or no entry at all).
 */
__no_sanitize_address const unsigned long *kcage_zone_gate_record(void)
{
	unsigned long base = (unsigned long)current->stack;
	unsigned long gtop;

	if (!kcage_zone_ok(base))
		return NULL;
	gtop = READ_ONCE_NOCHECK(*(unsigned long *)(base + KCAGE_SS_GTOP));
	if (gtop <= KCAGE_SS_GFIRST || gtop > KCAGE_SS_END ||
	    (gtop - KCAGE_SS_GFIRST) % KCAGE_G_SIZE)
		return NULL;
	return (const unsigned long *)(base + gtop - KCAGE_G_SIZE);
}

/**
 * kcage_zone_ceiling - the top of the running entry's own frames
 *
 * Return: the ceiling (zone.h): the module's stores end at or below it,
 * its %rsp stays KCAGE_RSP_HEADROOM below it; 0 if the task's zone was
 * never initialised (nothing on a stack is the module's then).
 */
__no_sanitize_address unsigned long kcage_zone_ceiling(void)
{
	unsigned long base = (unsigned long)current->stack;

	if (!kcage_zone_ok(base))
		return 0;
	return READ_ONCE_NOCHECK(*(unsigned long *)(base + KCAGE_SS_CEIL));
}

/**
 * kcage_zone_any_record - is @fn true of a gate record of this task?
 * @fn:  the predicate
 * @arg: its second argument
 *
 * Walks the records of the running entries into modules, innermost
 * first (those of interrupts that entered on top of the task's too).
 */
__no_sanitize_address bool kcage_zone_any_record(bool (*fn)(const unsigned long *rec,
							       void *arg),
						   void *arg)
{
	const unsigned long *rec = kcage_zone_gate_record();
	unsigned long base = (unsigned long)current->stack;

	for (; rec && (unsigned long)rec >= base + KCAGE_SS_GFIRST;
	     rec -= KCAGE_G_SIZE / sizeof(*rec))
		if (fn(rec, arg))
			return true;
	return false;
}
