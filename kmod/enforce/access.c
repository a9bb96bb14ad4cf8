// SPDX-License-Identifier: GPL-2.0
/*
 * What memory a sandboxed module may touch: the decisions
 * behind the checks bounds.c puts before its loads and stores, and behind
 * the writable/readable argument rules (api.c).
 *
 * Writable: the module's own .data/.bss less what the kernel reads again
 * (metadata.c: struct module, __bug_table, .static_call_sites, the keys
 * and tracepoints, ...), the current task's stack and
 * the heap objects it owns (as far as the policy's builtin regions say),
 * the kernel objects its policy names for writing (regions), what its
 * running entries were granted, and KASAN's shadow on a KASAN kernel.
 * Readable: all that, its whole image (text, read-only data), and what
 * its policy names for reading.  Per-CPU data (%gs): its own per-CPU
 * variables and the kernel's preempt count; loads also the per-CPU words
 * inline kernel helpers read (current, the CPU number, this_cpu_off, the
 * stack canary).  A new %rsp (pivot.c) stays on the stack it is on.
 *
 * A %gs access is decided by its offset, %gs:offset being gs_base +
 * offset with gs_base this CPU's this_cpu_off (the model refuses writes
 * to the segment bases, so kernel code always runs with that base): the
 * offset names the variable on whichever CPU the access runs, so the
 * decision holds across a migration between the check and the access,
 * and any offset, computed from registers too, is exactly one linear
 * address on this CPU.  A refused one is reported at that linear address.
 *
 * An instruction with an exception-table entry is checked like any
 * other; what the entry adds is the user half (user_access()).
 */
#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/sched/task_stack.h>
#include <asm/current.h>
#include "access.h"
#include "api.h"
#include "rt/cache.h"
#include "rt/counter.h"
#include "enforce.h"
#include "floor.h"
#include "rt/heap.h"
#include "rt/kheap.h"
#include "rt/kstack.h"
#include "rt/okpage.h"
#include "sandbox/metadata.h"
#include "sandbox/sandbox.h"
#include "rt/zone.h"
#include "rt/symbols.h"
#include "sandbox/violation.h"
#include "policy/kcp.h"
#include "slow.h"
#include "dbt/contain.h"

/*
 * The @i-th (0 or 1) largest piece of the module's writable data, what
 * the inline store checks test: .data and .bss (after its read-only
 * parts) less the metadata ranges (metadata.c).  lo = hi = 0: none.
 */
void kcage_access_data(const struct kcage_sandbox *sb, unsigned int i,
		       unsigned long *lo, unsigned long *hi)
{
	kcage_metadata_fast(kcage_sandbox_metadata(sb), i, lo, hi);
}

/**
 * kcage_access_own_data - is [@a, @end) in @sb's writable data?
 * @sb:  the sandbox
 * @a:   first byte
 * @end: past the last byte
 * @lo:  set to the piece of data that holds it, first byte
 * @hi:  past its last byte
 */
bool kcage_access_own_data(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long end, unsigned long *lo, unsigned long *hi)
{
	return kcage_metadata_data(kcage_sandbox_metadata(sb), a, end, lo, hi);
}

/*
 * Does [@a, @end) touch what the kernel reads again of the module (in its
 * image or through the direct map)?  Never writable, whatever else says.
 */
static bool loader_metadata(const struct kcage_sandbox *sb, unsigned long a,
			    unsigned long end)
{
	return kcage_metadata_hits(kcage_sandbox_metadata(sb), a, end);
}

/* The module's core image: text, read-only data, data. */
void kcage_access_image(const struct kcage_sandbox *sb, unsigned long *lo,
			unsigned long *hi)
{
	const struct module *mod = kcage_sandbox_module(sb);

	*lo = (unsigned long)mod->core_layout.base;
	*hi = *lo + mod->core_layout.size;
}

static bool within(unsigned long off, unsigned long end, const void *var,
		   size_t size)
{
	return off >= (unsigned long)var && end <= (unsigned long)var + size;
}

/*
 * The per-CPU words kernel inline helpers read: current, the CPU number,
 * this_cpu_off (per_cpu_ptr()), and fixed_percpu_data at offset 0, whose
 * stack canary the stack protector reads at %gs:40.
 */
static bool percpu_readable(unsigned long off, unsigned long end)
{
	return end <= 48 ||
	       within(off, end, &current_task, sizeof(current_task)) ||
	       within(off, end, &cpu_number, sizeof(cpu_number)) ||
	       within(off, end, &this_cpu_off, sizeof(this_cpu_off));
}

/**
 * kcage_access_percpu - may @sb's module access %gs:@off, @size bytes?
 * @sb:   the sandbox
 * @off:  the per-CPU offset
 * @size: bytes accessed
 * @load: a read, else a write
 *
 * Per-CPU data is addressed as %gs:offset, the offset being the
 * variable's address in the per-CPU space, so the offsets say which
 * variable, whatever the CPU.
 */
bool kcage_access_percpu(const struct kcage_sandbox *sb, unsigned long off,
			 unsigned long size, bool load)
{
	const struct module *mod = kcage_sandbox_module(sb);
	unsigned long lo = (unsigned long)mod->percpu, end = off + size;

	if (end < off)
		return false;
	if (lo && off >= lo && end <= lo + mod->percpu_size)
		return true;
	if (within(off, end, &__preempt_count, sizeof(__preempt_count)))
		return true;
	if ((le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes) &
	     KCP_BUILTIN_KERNEL_HEAP) && kcage_kheap_percpu_allows(off, end))
		return true;
	return load && percpu_readable(off, end);
}

/* Does the module run on the current task's stack (@lo its bottom)? */
static bool runs_on_task_stack(unsigned long lo)
{
	unsigned long sp = kcage_kstack_caller_sp();

	return sp >= lo && sp < lo + THREAD_SIZE;
}

/*
 * How far up a stack the module may write: the ceiling (zone.h), the top
 * of its own frames, or with @callers (builtin caller_frames) the whole
 * stack, its kernel callers' frames too.
 */
static unsigned long stack_limit(bool callers)
{
	return callers ? ULONG_MAX : kcage_zone_ceiling();
}

/*
 * The current task's stack, from above the shadow stack at its bottom up
 * to stack_limit(), if the module runs on it.  Not from an interrupt
 * stack: that is the stack of the task the interrupt came in on, whose
 * frames (the module's own among them, in the middle of a check) are not
 * the interrupt's.
 */
static bool on_task_stack(unsigned long a, unsigned long end, bool callers)
{
	unsigned long lo = (unsigned long)task_stack_page(current);

	return a >= lo + KCAGE_SS_END && end <= lo + THREAD_SIZE &&
	       end <= stack_limit(callers) && runs_on_task_stack(lo);
}

/* &hardirq_stack_ptr (not exported): each CPU's interrupt stack, top - 8 */
static void *__percpu *irq_stack_ptr;

/* Process context, at load. */
void kcage_access_init(void)
{
	irq_stack_ptr = (void *__percpu *)kcage_symbol_lookup("hardirq_stack_ptr");
	if (!irq_stack_ptr)
		pr_warn("no hardirq_stack_ptr: stores to the interrupt stack are refused\n");
}

/**
 * kcage_access_irq_stack_ptr - where the per-CPU hardirq_stack_ptr is
 *
 * Return: its per-CPU offset, for a %gs load in an inline check
 * (pivot.c), or 0 if the kernel's symbols do not say.
 */
unsigned long kcage_access_irq_stack_ptr(void)
{
	return (unsigned long)irq_stack_ptr;
}

/*
 * This CPU's interrupt stack up to the ceiling, if the module runs on it:
 * interrupt handlers, and softirqs run at interrupt exit (network
 * receive, timers, RCU callbacks), have their frames there; above the
 * ceiling are the frames of the code the interrupt's entry came from
 * (a softirq of the module's, when a hardware interrupt came in on it).  Not while the module runs on
 * its task's stack: an interrupt could be using it.
 */
static bool on_irq_stack(unsigned long a, unsigned long end, bool callers)
{
	unsigned long sp, top, lo;

	if (!irq_stack_ptr)
		return false;
	top = (unsigned long)raw_cpu_read(*irq_stack_ptr) + 8;
	lo = top - IRQ_STACK_SIZE;
	if (a < lo || end > top || end > stack_limit(callers))
		return false;
	sp = kcage_kstack_caller_sp();
	return sp >= lo && sp < top;
}

/**
 * kcage_access_on_stack - is [@a, @end) on the stack the module runs on
 * (builtin "stack"): its task's, or this CPU's interrupt stack?
 * @a:       first byte
 * @end:     past the last byte
 * @callers: its kernel callers' frames count (builtin "caller_frames"),
 *           not only its own, below the ceiling (zone.h)
 */
bool kcage_access_on_stack(unsigned long a, unsigned long end, bool callers)
{
	return on_task_stack(a, end, callers) || on_irq_stack(a, end, callers);
}

/* The stack @builtin lets the module write: its frames, its callers' too? */
static bool stack_allows(u32 builtin, unsigned long a, unsigned long end)
{
	return (builtin & KCP_BUILTIN_STACK) &&
	       kcage_access_on_stack(a, end, builtin & KCP_BUILTIN_CALLER_FRAMES);
}

/*
 * Fields of the current task that the kernel's inline helpers update in
 * the caller's code, so in the module's: set_current_state() (a kernel
 * thread's wait loop, current->__state), pagefault_disable() (kmap_local,
 * copy_*_nofault), memalloc_nofs_save() and friends (current->flags), a
 * journal handle (current->journal_info, jbd2), the device a buffered
 * write throttles on (current->backing_dev_info, file systems' write_iter),
 * the memory cgroup allocations are charged to (set_active_memcg(), the
 * loop driver's worker).  The rest of the task, its credentials pointers
 * first, stays out.
 */
static const struct {
	unsigned short off, size;
} task_fields[] = {
	{ offsetof(struct task_struct, __state), sizeof_field(struct task_struct, __state) },
	{ offsetof(struct task_struct, pagefault_disabled),
	  sizeof_field(struct task_struct, pagefault_disabled) },
	{ offsetof(struct task_struct, flags), sizeof_field(struct task_struct, flags) },
	{ offsetof(struct task_struct, journal_info),
	  sizeof_field(struct task_struct, journal_info) },
	{ offsetof(struct task_struct, backing_dev_info),
	  sizeof_field(struct task_struct, backing_dev_info) },
#ifdef CONFIG_MEMCG
	{ offsetof(struct task_struct, active_memcg),
	  sizeof_field(struct task_struct, active_memcg) },
#endif
};

static bool in_task_field(unsigned long a, unsigned long end)
{
	unsigned long task = (unsigned long)current;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(task_fields); i++)
		if (a >= task + task_fields[i].off &&
		    end <= task + task_fields[i].off + task_fields[i].size)
			return true;
	return false;
}

/*
 * [@a, @end) in one CPU's copy of the module's own per-CPU variables,
 * reached through per_cpu_ptr() rather than %gs (a CPU-hotplug callback
 * setting up another CPU's copy); *@lo, *@hi: that copy.
 */
static bool in_own_percpu(const struct kcage_sandbox *sb, unsigned long a,
			  unsigned long end, unsigned long *lo, unsigned long *hi)
{
	const struct module *mod = kcage_sandbox_module(sb);
	unsigned int cpu;

	if (!mod->percpu)
		return false;
	for_each_possible_cpu(cpu) {
		*lo = (unsigned long)per_cpu_ptr(mod->percpu, cpu);
		*hi = *lo + mod->percpu_size;
		if (a >= *lo && end <= *hi)
			return true;
	}
	return false;
}

/*
 * Writable for every task and entry of the module, and over a fixed
 * extent [@lo, @hi): its data (per-CPU data too), a kernel_heap object or
 * page, a region, KASAN's shadow.  (Its stack, task fields, owned heap objects and grants
 * are the current task's or entry's, or end.)  The loader metadata
 * (loader_metadata()) is excluded by the callers, once: the slow path
 * refuses a store into it first, kcage_access_writable() likewise.
 */
static bool writable_extent(const struct kcage_sandbox *sb, unsigned long a,
			    unsigned long end, unsigned long *lo,
			    unsigned long *hi)
{
	u32 builtin = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes);

	if ((builtin & KCP_BUILTIN_DATA) && kcage_access_own_data(sb, a, end, lo, hi))
		return true;
	if ((builtin & KCP_BUILTIN_DATA) && in_own_percpu(sb, a, end, lo, hi))
		return true;
#ifdef CONFIG_KASAN
	/* code built for KASAN writes the redzones of its stack variables */
	*lo = KASAN_SHADOW_START;
	*hi = KASAN_SHADOW_END;
	if (a >= *lo && end <= *hi)
		return true;
#endif
	if ((builtin & KCP_BUILTIN_KERNEL_HEAP) && kcage_kheap_allows(a, end, lo, hi))
		return true;
	return kcage_api_region_allows(kcage_sandbox_api(sb), a, end,
				       KCP_ACCESS_WRITE, lo, hi);
}

/*
 * Writable now, for this task or entry: its stack, the task fields kernel
 * helpers write, heap objects it owns, what its running entries were
 * granted.  The loader metadata is excluded by the callers, as above.
 */
static bool writable_now(const struct kcage_sandbox *sb, unsigned long a,
			 unsigned long end)
{
	u32 builtin = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes);

	if (stack_allows(builtin, a, end))
		return true;
	if (in_task_field(a, end))
		return true;
	if ((builtin & KCP_BUILTIN_HEAP) && kcage_heap_owns(sb, a, end))
		return true;
	return kcage_api_grant_allows(kcage_sandbox_api(sb), a, end, KCP_ACCESS_WRITE);
}

/**
 * kcage_access_writable - may @sb's module write [@a, @a + @size)?
 * @sb:   the sandbox
 * @a:    first byte
 * @size: bytes written
 *
 * Any context.
 */
bool kcage_access_writable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size)
{
	unsigned long end = a + size, lo, hi;

	if (end < a || loader_metadata(sb, a, end))
		return false;
	return writable_extent(sb, a, end, &lo, &hi) || writable_now(sb, a, end);
}

/* The module's own image, core or (while init runs) init. */
static bool in_module(const struct kcage_sandbox *sb, unsigned long a,
		      unsigned long end)
{
	const struct module *mod = kcage_sandbox_module(sb);
	const struct module_layout *l[] = { &mod->core_layout, &mod->init_layout };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(l); i++) {
		unsigned long lo = (unsigned long)l[i]->base;

		if (a >= lo && end <= lo + l[i]->size)
			return true;
	}
	return false;
}

/*
 * The zero page, through the direct map, where bios that write zeroes
 * point (blkdev_issue_zeroout()): every module may read it.
 */
static bool in_zero_page(unsigned long a, unsigned long end)
{
	unsigned long z = (unsigned long)page_address(ZERO_PAGE(0));

	return a >= z && end <= z + PAGE_SIZE;
}

/**
 * kcage_access_readable - may @sb's module read [@a, @a + @size)?
 * @sb:   the sandbox
 * @a:    first byte
 * @size: bytes read
 *
 * Any context.
 */
bool kcage_access_readable(const struct kcage_sandbox *sb, unsigned long a,
			   unsigned long size)
{
	const struct kcage_api *api = kcage_sandbox_api(sb);
	unsigned long end = a + size;

	if (end < a)
		return false;
	if (in_module(sb, a, end) || in_zero_page(a, end) ||
	    kcage_access_writable(sb, a, size))
		return true;
	return kcage_api_region_allows(api, a, end, KCP_ACCESS_READ, NULL, NULL) ||
	       kcage_api_grant_allows(api, a, end, KCP_ACCESS_READ);
}

/* Accesses the inline checks sent here: what the slow path costs. */
static DEFINE_PER_CPU(unsigned long, slow_checks);

unsigned long kcage_access_slow_count(void)
{
	return kcage_counter_sum(&slow_checks);
}

/* After allowed_everywhere() said no: what the rest of the rules say. */
static bool access_allowed(const struct kcage_sandbox *sb, unsigned long addr,
			   unsigned long size, u32 word)
{
	if (word & KCAGE_ACCESS_PERCPU)
		return kcage_access_percpu(sb, addr, size, word & KCAGE_ACCESS_LOAD);
	if (word & KCAGE_ACCESS_LOAD)
		return kcage_access_readable(sb, addr, size);
	return addr + size >= addr && writable_now(sb, addr, addr + size);
}

/*
 * Is the access allowed by a decision that holds for every task and
 * entry (writable_extent(); a writable byte is readable too)?  Then, if
 * that decision covers the access's whole page, the sandbox's next
 * accesses to the page go through inline (okpage.c).
 */
static bool allowed_everywhere(const struct kcage_sandbox *sb, unsigned long addr,
			       unsigned long size, u32 word)
{
	unsigned long page = addr & PAGE_MASK, end = addr + size, lo, hi;

	if ((word & KCAGE_ACCESS_PERCPU) || end < addr ||
	    !writable_extent(sb, addr, end, &lo, &hi))
		return false;
	if (size <= PAGE_SIZE && ((end - 1) & PAGE_MASK) == page &&
	    lo <= page && hi >= page + PAGE_SIZE &&
	    !loader_metadata(sb, page, page + PAGE_SIZE))
		kcage_okpage_fill(kcage_sandbox_okpage(sb), page);
	return true;
}

/*
 * Is the access on the stack the module runs on (builtin "stack")?  Asked
 * first: string instructions on stack buffers come to C every time, and
 * the other decisions cost more (kernel_heap walks page tables for
 * vmalloc addresses, which a task's stack has).
 */
static bool on_own_stack(const struct kcage_sandbox *sb, unsigned long addr,
			 unsigned long size, u32 word)
{
	u32 builtin = le32_to_cpu(kcage_sandbox_policy(sb)->hdr->builtin_writes);

	return !(word & KCAGE_ACCESS_PERCPU) && addr + size >= addr &&
	       stack_allows(builtin, addr, addr + size);
}

static const char *detail(u32 word)
{
	if (word & KCAGE_ACCESS_PERCPU)
		return word & KCAGE_ACCESS_LOAD ? "percpu_read_not_allowed" :
						  "percpu_write_not_allowed";
	return word & KCAGE_ACCESS_LOAD ? "read_not_allowed" : "write_not_allowed";
}

/**
 * kcage_access_stack_range_ok - may %rsp move anywhere in [@low, @high]?
 * @low:  the lowest %rsp
 * @high: the highest
 *
 * A new %rsp stays on the stack the module runs on, KCAGE_STACK_MARGIN
 * above its bottom and KCAGE_RSP_HEADROOM below the ceiling (zone.h) (zone.h: the stores bounds.c leaves unchecked and the
 * unchecked return addresses of direct calls within the module): on
 * the task's stack, above the zone, while the module runs there; on this
 * CPU's interrupt stack, while the module runs there.  Not from one to the
 * other: the task's stack under an interrupt is the interrupted task's,
 * with its frames.  Nowhere else: a stack the module runs on in an exception (an
 * NMI's) is not known to lie in a block of its own, and a block of the
 * same size around %rsp can reach other memory (interrupt stacks are not
 * aligned to their size).  A pivot (pivot.c) asks for its value and the
 * room below it, a block's budget of pushes, calls and constant moves
 * (floor.c) for a range.
 */
bool kcage_access_stack_range_ok(unsigned long low, unsigned long high)
{
	unsigned long lo = (unsigned long)task_stack_page(current);
	unsigned long sp = kcage_kstack_caller_sp(), top;
	unsigned long ceil = kcage_zone_ceiling();

	if (ceil < KCAGE_RSP_HEADROOM || high > ceil - KCAGE_RSP_HEADROOM)
		return false;
	if (low >= lo + KCAGE_SS_END + KCAGE_STACK_MARGIN && high <= lo + THREAD_SIZE &&
	    runs_on_task_stack(lo))
		return true;
	if (!irq_stack_ptr)
		return false;
	top = (unsigned long)raw_cpu_read(*irq_stack_ptr) + 8;
	lo = top - IRQ_STACK_SIZE;
	return sp >= lo && sp < top && low >= lo + KCAGE_STACK_MARGIN && high <= top;
}

static unsigned long pivot_check(unsigned long new_sp, unsigned long ret)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_RETURN, .addr = new_sp, .detail = "stack_pivot",
		.rule = "cfi.stack",
	};

	/* the room below it too (KCAGE_STACK_RESERVE, zone.h) */
	if (new_sp >= KCAGE_STACK_RESERVE &&
	    kcage_access_stack_range_ok(new_sp - KCAGE_STACK_RESERVE, new_sp))
		return 0;
	v.pc = kcage_cache_native(ret - 1);
	return kcage_contain_stop_at_pc(&v);
}

/*
 * A user access of the module: an access entirely in the user half by an
 * instruction with an exception-table entry (get_user(), put_user() and
 * friends inlined into it), which faults into its fixup where nothing is
 * mapped or SMAP forbids it.  The module supplies its exception table, so
 * the entry alone allows nothing else: its other addresses are checked as
 * any access is.
 */
static bool user_access(const struct kcage_sandbox *sb, unsigned long pc,
			unsigned long addr, unsigned long size, u32 word)
{
	return !(word & KCAGE_ACCESS_PERCPU) && addr + size >= addr &&
	       addr + size <= TASK_SIZE_MAX && kcage_sandbox_has_extable(pc);
}

/*
 * The bytes a string instruction touches, [*@addr, *@addr + *@size), from
 * its register @reg, element size @elem and count @count (1 without rep)
 * and the direction flag in @flags as the check saved them: upwards from
 * @reg with DF clear, downwards (the last element lowest) with DF set.
 * False if they wrap around the address space.
 */
static bool string_range(unsigned long reg, unsigned long elem,
			 unsigned long count, unsigned long flags,
			 unsigned long *addr, unsigned long *size)
{
	if (check_mul_overflow(elem, count, size))
		return false;
	*addr = reg;
	if (!(flags & X86_EFLAGS_DF) || !count)
		return true;
	/* the last element starts (count - 1) elements below the first */
	if (reg + elem < reg || *size - elem > reg)
		return false;
	*addr = reg + elem - *size;
	return true;
}

/**
 * kcage_access_check - a load or store an inline check did not let through
 * @addr:  its address (an offset for %gs; a string instruction's register)
 * @word:  element size and KCAGE_ACCESS_* kind
 * @ret:   the cache address kcage_slow_access was called from
 * @count: elements (the count of a rep string instruction, else 1)
 * @pc:    the native address of the instruction (not for a pivot)
 * @flags: the module's flags when the check began (DF: a string
 *         instruction's direction)
 *
 * Return: 0 to let the access happen, else where to go instead.
 */
unsigned long kcage_access_check(unsigned long addr, unsigned long word,
				 unsigned long ret, unsigned long count,
				 unsigned long pc, unsigned long flags);
unsigned long kcage_access_check(unsigned long addr, unsigned long word,
				 unsigned long ret, unsigned long count,
				 unsigned long pc, unsigned long flags)
{
	struct kcage_violation v = {
		.kind = word & KCAGE_ACCESS_LOAD ? KCP_KIND_READ : KCP_KIND_WRITE,
		.pc = pc, .addr = addr,
		.detail = detail(word),
	};
	unsigned long elem = word & KCAGE_ACCESS_SIZE;
	const struct kcage_sandbox *sb;
	unsigned long go = 0, size;
	bool wraps = false;

	if (word & KCAGE_ACCESS_PIVOT)
		return pivot_check(addr, ret);
	if (word & KCAGE_ACCESS_FLOOR)
		return kcage_floor_check(addr, elem, pc);
	this_cpu_inc(slow_checks);
	if (!(word & KCAGE_ACCESS_STRING))
		count = 1;
	if (!string_range(v.addr, elem, count, flags, &addr, &size))
		wraps = true;
	else if (!size)	/* rep with %rcx = 0 */
		return 0;
	if (wraps)
		size = ULONG_MAX;
	/* reported as the linear address: the offset names no variable */
	v.addr = word & KCAGE_ACCESS_PERCPU ? addr + raw_cpu_read(this_cpu_off) : addr;
	v.size = min_t(unsigned long, size, UINT_MAX);
	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (!sb)
		go = kcage_contain_unattributed(v.pc, "access");
	else if (kcage_sandbox_policy(sb) && !wraps &&
		 !(word & (KCAGE_ACCESS_LOAD | KCAGE_ACCESS_PERCPU)) &&
		 loader_metadata(sb, addr, addr + size)) {
		/* checked at load, read by the kernel since: never the module's */
		v.rule = "memory.loader_metadata";
		go = kcage_contain_stop(sb, &v);
	} else if (kcage_sandbox_policy(sb) &&
		 (wraps || (!on_own_stack(sb, addr, size, word) &&
			    !allowed_everywhere(sb, addr, size, word) &&
			    !access_allowed(sb, addr, size, word) &&
			    !user_access(sb, pc, addr, size, word))))
		go = kcage_contain_stop(sb, &v);
	rcu_read_unlock();
	return go;
}
