// SPDX-License-Identifier: GPL-2.0
/*
 * Heap objects sandboxed modules own.
 *
 * An object enters the table when an allocator named by the module's
 * policy returns it (api.c) and leaves it when a free named by the policy
 * takes it, so a store into an object the module freed (use after free),
 * a second free, or a store into memory some other part of the kernel
 * allocated is seen as what it is.
 *
 * The lookup runs on the slow path of every checked store that is not to
 * the module's data or stack, in any context, so it takes no lock: the
 * table is a fixed array of RCU hash chains keyed by 512-byte granule,
 * and an object is linked into the chain of every granule it covers (an
 * object of up to 8 KiB is in at most 17 chains).  Larger objects (vmalloc
 * buffers, big kmallocs) are few and sit on one list that every lookup
 * also walks.  Changes, which happen only on allocations and frees, take
 * one spinlock with interrupts off: modules allocate in interrupts too.
 */
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "rt/own.h"
#include "heap.h"

#define GRANULE_SHIFT	9
#define MAX_LINKS	17
#define BUCKET_BITS	12

struct heap_obj;

/**
 * struct heap_link - an object's place in one hash chain
 * @node: entry in a chain of &buckets; changed under &heap_lock, walked
 *        under RCU
 * @obj:  the object it belongs to (it lives inside it, and goes with it)
 */
struct heap_link {
	struct hlist_node node;
	struct heap_obj *obj;
};

/**
 * struct heap_obj - one owned object
 * @start:    Its first byte.
 * @end:      Past its last byte.
 * @owner:    The sandbox that owns it; compared, never dereferenced.
 *
 *            These three are written before the object is linked and
 *            never change: lookups read them under RCU, locklessly.
 * @all:      Entry in &objects; added, removed and walked under &heap_lock
 *            only.
 * @big:      Entry in &big_objects if it has no links: changed under
 *            &heap_lock, walked under RCU.
 * @rcu:      Frees it, a grace period after it is unlinked (unlink_obj()),
 *            so that a lookup that still sees it reads valid memory.
 * @nr_links: Chains it is linked into; 0 for a big object.  Set before
 *            linking.
 * @room:     Links it has room for (kcage_heap_reserve()).
 * @links:    Its links into the hash chains of &buckets, one per 512-byte
 *            granule it covers: changed under &heap_lock, walked under RCU.
 */
struct heap_obj {
	unsigned long start;
	unsigned long end;
	const void *owner;
	struct list_head all;
	struct list_head big;
	struct rcu_head rcu;
	unsigned int nr_links;
	unsigned int room;
	struct heap_link links[];
};

/*
 * Writers hold heap_lock with interrupts off; readers of the chains and of
 * big_objects hold rcu_read_lock() instead; objects is the writers' alone.
 */
static struct hlist_head buckets[1 << BUCKET_BITS];
static LIST_HEAD(big_objects);
static LIST_HEAD(objects);
static DEFINE_SPINLOCK(heap_lock);
static atomic_long_t untracked;

static struct hlist_head *bucket(unsigned long granule)
{
	return &buckets[hash_long(granule, BUCKET_BITS)];
}

static unsigned long granules(unsigned long start, unsigned long end)
{
	return ((end - 1) >> GRANULE_SHIFT) - (start >> GRANULE_SHIFT) + 1;
}

/* The object of @owner holding byte @a, or NULL; under RCU or the lock. */
static struct heap_obj *find(const void *owner, unsigned long a)
{
	struct heap_link *l;
	struct heap_obj *o;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held() && !lockdep_is_held(&heap_lock),
			 "kcage heap table read outside RCU");
	hlist_for_each_entry_rcu(l, bucket(a >> GRANULE_SHIFT), node,
				 lockdep_is_held(&heap_lock))
		if (l->obj->owner == owner && a >= l->obj->start && a < l->obj->end)
			return l->obj;
	list_for_each_entry_rcu(o, &big_objects, big, lockdep_is_held(&heap_lock))
		if (o->owner == owner && a >= o->start && a < o->end)
			return o;
	return NULL;
}

/**
 * kcage_heap_owns - do the bytes [@a, @end) lie in one object of @owner?
 * @owner: the sandbox
 * @a:     first byte
 * @end:   past the last byte
 *
 * Any context; takes rcu_read_lock() itself.
 */
bool kcage_heap_owns(const void *owner, unsigned long a, unsigned long end)
{
	struct heap_obj *o;
	bool ret;

	if (end <= a)
		return false;
	rcu_read_lock();
	o = find(owner, a);
	ret = o && end <= o->end;
	rcu_read_unlock();
	return ret;
}

/* A record's memory is kcage's own (own.c), gone after a grace period. */
static void free_rcu(struct rcu_head *rcu)
{
	kcage_own_free(container_of(rcu, struct heap_obj, rcu));
}

static void unlink_obj(struct heap_obj *o)
{
	unsigned int i;

	lockdep_assert_held(&heap_lock);
	for (i = 0; i < o->nr_links; i++)
		hlist_del_rcu(&o->links[i].node);
	if (!o->nr_links)
		list_del_rcu(&o->big);
	list_del(&o->all);
	call_rcu(&o->rcu, free_rcu);
}

/*
 * The allocator just handed out [@start, @end): whoever was recorded as
 * owning any of it freed it in a way the table did not see (a free the
 * policy does not name, kfree_rcu()).  Forget those records.
 */
static void drop_overlapping(unsigned long start, unsigned long end)
{
	struct heap_obj *o, *tmp;
	unsigned long g;

	lockdep_assert_held(&heap_lock);
	if (granules(start, end) > MAX_LINKS) {	/* rare: walk them all */
		list_for_each_entry_safe(o, tmp, &objects, all)
			if (o->start < end && start < o->end)
				unlink_obj(o);
		return;
	}
	for (g = start >> GRANULE_SHIFT; g <= (end - 1) >> GRANULE_SHIFT; g++) {
		struct heap_link *l;
again:
		/* an object may be linked twice into a chain: start over */
		hlist_for_each_entry(l, bucket(g), node) {
			if (l->obj->start < end && start < l->obj->end) {
				unlink_obj(l->obj);
				goto again;
			}
		}
	}
	list_for_each_entry_safe(o, tmp, &big_objects, big)
		if (o->start < end && start < o->end)
			unlink_obj(o);
}

/**
 * kcage_heap_drop - forget every record overlapping [@start, @end)
 * @start: first byte
 * @end:   past the last
 *
 * For memory that just became kcage's own (own.c): a module that freed an
 * object in a way the table did not see would otherwise still own the
 * bytes kcage reuses.  Any context.
 */
void kcage_heap_drop(unsigned long start, unsigned long end)
{
	unsigned long flags;

	if (end <= start)
		return;
	spin_lock_irqsave(&heap_lock, flags);
	drop_overlapping(start, end);
	spin_unlock_irqrestore(&heap_lock, flags);
}

/* Chains an object of @size bytes can span, wherever it starts. */
static unsigned long links_for(unsigned long size)
{
	unsigned long n = size ? ((size - 1) >> GRANULE_SHIFT) + 2 : 0;

	return n > MAX_LINKS ? 0 : n;
}

/**
 * kcage_heap_reserve - the record for an object, allocated before it
 * @size: the most bytes the object may have
 *
 * Taken before the object is allocated, so that an allocator call can be
 * made to fail when there is no memory to record its result (api.c).
 *
 * Any context.  Return: the record, or NULL.
 */
struct heap_obj *kcage_heap_reserve(unsigned long size)
{
	unsigned long room = links_for(size);
	struct heap_obj *o;

	o = kcage_own_zalloc(struct_size(o, links, room), GFP_ATOMIC | __GFP_NOWARN);
	if (!o) {
		atomic_long_inc(&untracked);
		return NULL;
	}
	o->room = room;
	return o;
}

/* A record kcage_heap_reserve() gave that is not needed after all. */
void kcage_heap_unreserve(struct heap_obj *o)
{
	kcage_own_free(o);
}

/**
 * kcage_heap_own_reserved - record that @owner now owns an object
 * @o:     a record kcage_heap_reserve() gave for at least @size bytes;
 *        the table takes it over
 * @owner: the sandbox
 * @start: the object's first byte
 * @size:  its size
 *
 * Any context.
 */
void kcage_heap_own_reserved(struct heap_obj *o, const void *owner,
			     unsigned long start, unsigned long size)
{
	unsigned long end = start + size, n, flags, i;

	if (!size || end < start) {
		kcage_own_free(o);
		return;
	}
	n = granules(start, end);
	if (n > o->room)	/* also if more than MAX_LINKS */
		n = 0;
	o->start = start;
	o->end = end;
	o->owner = owner;
	o->nr_links = n;
	spin_lock_irqsave(&heap_lock, flags);
	drop_overlapping(start, end);
	for (i = 0; i < n; i++) {
		o->links[i].obj = o;
		hlist_add_head_rcu(&o->links[i].node,
				   bucket((start >> GRANULE_SHIFT) + i));
	}
	if (!n)
		list_add_rcu(&o->big, &big_objects);
	list_add(&o->all, &objects);
	spin_unlock_irqrestore(&heap_lock, flags);
}

/**
 * kcage_heap_own - record that @owner now owns [@start, @start + @size)
 * @owner: the sandbox
 * @start: the object's first byte
 * @size:  its size
 *
 * Any context.  Return: 0 or -ENOMEM (the object is then not recorded,
 * so the module's stores into it will be refused; counted as untracked).
 */
int kcage_heap_own(const void *owner, unsigned long start, unsigned long size)
{
	struct heap_obj *o;

	if (!size || start + size < start)
		return 0;
	o = kcage_heap_reserve(size);
	if (!o)
		return -ENOMEM;
	kcage_heap_own_reserved(o, owner, start, size);
	return 0;
}

/**
 * kcage_heap_disown - @owner gives up the object starting at @start
 * @owner: the sandbox
 * @start: the object's first byte
 * @size: if not NULL, gets the object's size
 *
 * Any context.  Return: true if @owner owned an object starting there.
 */
bool kcage_heap_disown(const void *owner, unsigned long start,
		       unsigned long *size)
{
	unsigned long flags;
	struct heap_obj *o;
	bool found;

	spin_lock_irqsave(&heap_lock, flags);
	o = find(owner, start);
	found = o && o->start == start;
	if (found) {
		if (size)
			*size = o->end - o->start;
		unlink_obj(o);
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return found;
}

/**
 * kcage_heap_forget - drop every object of @owner (its module is going)
 * @owner: the sandbox, unpublished
 *
 * Return: how many there were (objects the module never freed).
 */
unsigned long kcage_heap_forget(const void *owner)
{
	struct heap_obj *o, *tmp;
	unsigned long flags, n = 0;

	spin_lock_irqsave(&heap_lock, flags);
	list_for_each_entry_safe(o, tmp, &objects, all) {
		if (o->owner == owner) {
			unlink_obj(o);
			n++;
		}
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return n;
}

/* How many objects @owner owns now (for debugfs). */
unsigned long kcage_heap_count(const void *owner)
{
	struct heap_obj *o;
	unsigned long flags, n = 0;

	spin_lock_irqsave(&heap_lock, flags);
	list_for_each_entry(o, &objects, all)
		n += o->owner == owner;
	spin_unlock_irqrestore(&heap_lock, flags);
	return n;
}

/* Objects that could not be recorded for want of memory, since load. */
unsigned long kcage_heap_untracked(void)
{
	return atomic_long_read(&untracked);
}
