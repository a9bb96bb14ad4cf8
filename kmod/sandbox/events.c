// SPDX-License-Identifier: GPL-2.0
/*
 * Violation events on their way to netlink.
 *
 * A violation can happen in any context: with interrupts off, under a
 * lock the scheduler or the network stack holds, in an interrupt.  Sending
 * a netlink message there could deadlock (a broadcast wakes up readers),
 * so the violation path only copies its event into a ring and raises an
 * irq_work; the irq_work queues a work item, and the work item sends the
 * events from process context (netlink.c).
 *
 * Nothing is lost silently.  Every violation takes the next sequence
 * number, in the ring's order.  When the ring is full, or a message cannot
 * be allocated, or the violation happens in an NMI (where the ring's lock
 * cannot be taken), the event is dropped and counted, and the next event
 * that is sent carries the count; a listener whose socket overflows sees
 * the gap in the sequence numbers.
 */
#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "rt/own.h"
#include "events.h"

/* Set once, before kcage's init ends; read-only from then on. */
static const struct kcage_event_sink *sink __ro_after_init;

/**
 * kcage_events_set_sink - send the ring's events to a sink
 * @s: the sink (netlink.c); it stays for as long as kcage is loaded
 *
 * Called from kcage's init, once the sink is ready to take events.
 */
void kcage_events_set_sink(const struct kcage_event_sink *s)
{
	sink = s;
}

#define RING_SLOTS	512	/* about 170 KiB */
#define BATCH		16	/* events taken out of the ring at once */

/**
 * struct kcage_event_ring - events waiting to be sent
 * @lock:  Guards everything below, and hands out sequence numbers so that
 *         they follow the ring's order.  Raw and taken with interrupts off:
 *         violations record events in any context but NMI, including under
 *         the scheduler's and other raw locks.
 * @slots: RING_SLOTS events.  Allocated by kcage_events_init(), freed by
 *         kcage_events_exit() after the irq_work and the work item are
 *         done (no sink is listening by then, so nothing records).
 * @head:  Events ever put in; moved by violations, under @lock.
 * @tail:  Events ever taken out; moved by the work item, under @lock.
 *         kcage_events_full() reads both without it, racily.
 * @lost:  Events dropped since the last event put in, under @lock (those
 *         dropped in NMIs wait in &nmi_lost).
 */
static struct kcage_event_ring {
	raw_spinlock_t lock;
	struct kcage_event *slots;
	unsigned long head;
	unsigned long tail;
	u64 lost;
} ring = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(ring.lock),
};

static atomic64_t seq;			/* last sequence number given */
static atomic64_t nmi_lost;		/* dropped in NMIs, not yet in @lost */
static atomic64_t dropped_total;
static atomic64_t sent;
static struct kcage_event batch[BATCH];	/* only the work item uses it */

/* The work item that sends: process context, never two at once. */

static void send_events(struct work_struct *work);
static DECLARE_WORK(send_work, send_events);

static void kick(struct irq_work *w)
{
	schedule_work(&send_work);
}
static DEFINE_IRQ_WORK(kick_work, kick);

/* Is anyone listening?  Events nobody would receive are not queued. */
bool kcage_events_wanted(void)
{
	return ring.slots && sink && sink->listening();
}

/* The sequence number of a violation no event is queued for. */
u64 kcage_events_next_seq(void)
{
	return atomic64_inc_return(&seq);
}

static void drop_nmi(struct kcage_event *ev)
{
	ev->seq = atomic64_inc_return(&seq);
	atomic64_inc(&nmi_lost);
	atomic64_inc(&dropped_total);
}

/**
 * kcage_events_record - give an event its sequence number and queue it
 * @ev: the event, which is copied
 *
 * Any context.  @ev->seq is set even if the event is dropped.
 */
void kcage_events_record(struct kcage_event *ev)
{
	unsigned long flags;

	if (in_nmi())
		return drop_nmi(ev);
	raw_spin_lock_irqsave(&ring.lock, flags);
	ev->seq = atomic64_inc_return(&seq);
	if (ring.head - ring.tail == RING_SLOTS) {
		ring.lost++;
		atomic64_inc(&dropped_total);
	} else {
		ev->dropped = ring.lost + atomic64_xchg(&nmi_lost, 0);
		ring.lost = 0;
		ring.slots[ring.head++ % RING_SLOTS] = *ev;
	}
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	irq_work_queue(&kick_work);
}

/*
 * Is the ring full?  A racy look, to spare a violation describing an
 * event that would be dropped anyway (kcage_events_drop()).
 */
bool kcage_events_full(void)
{
	return READ_ONCE(ring.head) - READ_ONCE(ring.tail) >= RING_SLOTS;
}

/* The sequence number of a violation whose event is dropped, counted. */
u64 kcage_events_drop(void)
{
	struct kcage_event ev;
	unsigned long flags;

	if (in_nmi()) {
		drop_nmi(&ev);
		return ev.seq;
	}
	raw_spin_lock_irqsave(&ring.lock, flags);
	ev.seq = atomic64_inc_return(&seq);
	ring.lost++;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	atomic64_inc(&dropped_total);
	return ev.seq;
}

/* Take up to BATCH events out of the ring into &batch. */
static unsigned int take_batch(void)
{
	unsigned int n = 0;

	raw_spin_lock_irq(&ring.lock);
	while (n < BATCH && ring.tail != ring.head)
		batch[n++] = ring.slots[ring.tail++ % RING_SLOTS];
	raw_spin_unlock_irq(&ring.lock);
	return n;
}

/* An event that could not be sent: the next one reports it. */
static void count_unsent(void)
{
	raw_spin_lock_irq(&ring.lock);
	ring.lost++;
	raw_spin_unlock_irq(&ring.lock);
	atomic64_inc(&dropped_total);
}

static void send_events(struct work_struct *work)
{
	unsigned int n, i;

	while ((n = take_batch())) {
		for (i = 0; i < n; i++) {
			int ret = sink->send(&batch[i]);

			if (ret == -ENOMEM)
				count_unsent();
			else if (ret != -ESRCH)	/* somebody received it */
				atomic64_inc(&sent);
		}
		cond_resched();
	}
}

void kcage_events_stats(u64 *last_seq, u64 *dropped, u64 *nr_sent)
{
	*last_seq = atomic64_read(&seq);
	*dropped = atomic64_read(&dropped_total);
	*nr_sent = atomic64_read(&sent);
}

int kcage_events_init(void)
{
	ring.slots = kcage_own_calloc(RING_SLOTS, sizeof(*ring.slots), GFP_KERNEL);
	return ring.slots ? 0 : -ENOMEM;
}

/* After the netlink family is gone: no more events can be wanted. */
void kcage_events_exit(void)
{
	irq_work_sync(&kick_work);
	cancel_work_sync(&send_work);
	kcage_own_free(ring.slots);
	ring.slots = NULL;
}
