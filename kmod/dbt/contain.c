// SPDX-License-Identifier: GPL-2.0
/*
 * Containing a crash of a sandboxed module.
 *
 * Natively a BUG() or a fault with no exception-table fixup oopses and
 * kills the task, or the kernel.  In a sandbox the translated code that
 * crashed is abandoned instead: the innermost entry from the kernel into
 * the module returns an error to its kernel caller, as if the module's
 * function had returned it, and the violation is handled as the policy
 * says (by default the module is quarantined: violation.c, sandbox.c).
 *
 * Every entry from the kernel leaves an entry frame on the stack
 * (frame.h, gate.S) holding the caller's callee-saved registers, flags
 * and preempt count, marked by a cookie: the frame's address xor a random
 * secret, and a gate record in the task's zone (zone.h) that the module
 * cannot write; an entry the gate cannot record is refused before the
 * module runs (kcage_entry_refused()).  The crashed code's entry is the
 * innermost record's; scanning up from the stack pointer for a cookie
 * only tells whether a fault happened under an entry at all.  Frames are
 * cleared when their entry returns.  Records and frames follow the task,
 * so this is right whatever happened meanwhile: preemption, migration,
 * sleeping, nested entries from interrupts.
 *
 * What is not undone: locks the module took and did not release, and
 * anything else it changed.  That is why the default is quarantine.
 */
#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/traps.h>
#include "rt/cache.h"
#include "rt/kstack.h"
#include "contain.h"
#include "dbt/frame.h"
#include "sandbox/sandbox.h"
#include "rt/zone.h"
#include "sandbox/violation.h"
#include "kcage/policy.h"

unsigned long kcage_frame_secret __ro_after_init;

/* How far above a crash on an interrupt stack to look for a frame. */
#define OTHER_STACK_SCAN	(16 * 1024)

static bool is_frame(unsigned long word_addr, unsigned long word)
{
	return word == ((word_addr - KCAGE_F_COOKIE) ^ kcage_frame_secret);
}

/*
 * The innermost entry frame above @sp, on the same stack.  The stack may
 * hold other functions' KASAN redzones, hence the unchecked reads; off the
 * task's stack its end is not known, hence the reads that survive a fault.
 */
static struct kcage_entry_frame *find_frame(unsigned long sp)
{
	unsigned long lo = (unsigned long)task_stack_page(current);
	unsigned long a = ALIGN(sp, sizeof(long)), end, w;

	if (sp >= lo && sp < lo + THREAD_SIZE) {
		for (end = lo + THREAD_SIZE; a + sizeof(long) <= end; a += sizeof(long))
			if (is_frame(a, READ_ONCE_NOCHECK(*(unsigned long *)a)))
				return (void *)(a - KCAGE_F_COOKIE);
		return NULL;
	}
	for (end = a + OTHER_STACK_SCAN; a < end; a += sizeof(long)) {
		if (copy_from_kernel_nofault(&w, (void *)a, sizeof(w)))
			return NULL;
		if (is_frame(a, w))
			return (void *)(a - KCAGE_F_COOKIE);
	}
	return NULL;
}

/* Is @native the init (or, if @exit, the exit) function of its module? */
static bool module_fn(unsigned long native, bool exit)
{
	const struct kcage_sandbox *sb;
	const struct module *mod;
	bool is = false;

	rcu_read_lock();
	sb = kcage_sandbox_find(native);
	if (sb) {
		mod = kcage_sandbox_module(sb);
		is = native == (unsigned long)(exit ? (void *)mod->exit : (void *)mod->init);
	}
	rcu_read_unlock();
	return is;
}

/*
 * The module's init function crashed: returning an error would make the
 * kernel free the module while callbacks it registered before the crash
 * may still point into it.  Report success instead; the module stays
 * loaded, quarantined.
 */
static bool entered_init(const struct kcage_entry_frame *f)
{
	return module_fn(kcage_cache_native(f->entry), false);
}

/**
 * kcage_contain_current - the sandbox whose entry this task is running in
 *
 * That of the innermost entry frame on this stack, or NULL.  Call under
 * rcu_read_lock() or with interrupts off.
 */
const struct kcage_sandbox *kcage_contain_current(void)
{
	struct kcage_entry_frame *f = find_frame(kcage_kstack_caller_sp());

	return f ? kcage_sandbox_find(kcage_cache_native(f->entry)) : NULL;
}

/* Is @native the exit function of its module? */
bool kcage_contain_is_exit(unsigned long native)
{
	return module_fn(native, true);
}

/* Is @addr where an abandoned call into a module goes (dispatch.S)? */
bool kcage_contain_is_bail(unsigned long addr)
{
	return addr == (unsigned long)kcage_bail_efault ||
	       addr == (unsigned long)kcage_bail_eio ||
	       addr == (unsigned long)kcage_bail_eperm ||
	       addr == (unsigned long)kcage_bail_enomem;
}

/* Is this task running a module's exit function (its innermost entry)? */
bool kcage_contain_in_exit(void)
{
	struct kcage_entry_frame *f = find_frame(kcage_kstack_caller_sp());

	return f && kcage_contain_is_exit(kcage_cache_native(f->entry));
}

/*
 * The abandoned frames between @sp and the entry frame @top never ran
 * their epilogues, so on a KASAN kernel the redzones they poisoned would
 * stay poisoned for whatever uses that stack next: unpoison them, as the
 * kernel does for stacks it abandons (kasan_unpoison_task_stack_below(),
 * not exported).
 */
static void unpoison_abandoned(unsigned long sp, unsigned long top)
{
#ifdef CONFIG_KASAN
	unsigned long granule = 1UL << KASAN_SHADOW_SCALE_SHIFT;

	sp = round_down(sp, granule);
	__memset(kasan_mem_to_shadow((void *)sp), 0, (top - sp) / granule);
#endif
}

/**
 * kcage_contain_frame - called by BAIL (dispatch.S) on the crashed stack
 * @sp:  the stack pointer where translated code stopped
 * @err: what the entry should return
 *
 * Return: the innermost entry frame, with @err or 0 in its entry slot (the
 * value the entry returns), and the preempt count and interrupt state of
 * the entry restored.
 * There is always one: a crash is only contained once a frame was found.
 */
unsigned long kcage_contain_frame(unsigned long sp, long err);
unsigned long kcage_contain_frame(unsigned long sp, long err)
{
	const unsigned long *rec = kcage_zone_gate_record();
	struct kcage_entry_frame *f;

	/*
	 * The innermost entry is the innermost gate record's, which the
	 * module cannot forge (every entry that runs the module has one,
	 * gate.S); the frame's flags and preempt count, which it can
	 * overwrite, are taken from there.  Without a record no frame is
	 * trusted: the gate's return would oops on it anyway.
	 */
	BUG_ON(!rec);
	f = (void *)rec[KCAGE_G_FRAME / 8];
	f->flags = rec[KCAGE_G_FLAGS / 8];
	f->preempt = rec[KCAGE_G_PREEMPT / 8];
	/* not when translated code moved %rsp to another stack (pivot.c) */
	if (sp <= (unsigned long)f && (unsigned long)f - sp < THREAD_SIZE)
		unpoison_abandoned(sp, (unsigned long)f);
	preempt_count_set(f->preempt);
	/*
	 * BAIL's popf restores the entry's flags; set the interrupt flag here
	 * first, so that lockdep's idea of it (irq tracing) stays right.
	 */
	if (f->flags & X86_EFLAGS_IF)
		local_irq_enable();
	else
		local_irq_disable();
	f->entry = entered_init(f) ? 0 : err;
	return (unsigned long)f;
}

/**
 * kcage_entry_refused - an entry from the kernel the gate cannot record
 * @entry: the translation it would have run
 * @ret:   the kernel caller's return address
 * @records_full: the gate records are full (else: the shadow stack)
 *
 * Called by kcage_enter (gate.S) when the task's zone has no gate record
 * or no shadow-stack entry left for the entry, before any of the
 * module's code ran.  Without a record, what the kernel caller gets back
 * would come from the entry frame on the stack, which the module can
 * write; so the entry is refused, whatever the policy's action (kind
 * return, rule cfi.entry_depth; quarantine and panic still happen), and
 * the caller gets what a call abandoned by a violation returns.
 *
 * Return: the value the entry returns, -EPERM.
 */
long kcage_entry_refused(unsigned long entry, unsigned long ret,
			 bool records_full);
long kcage_entry_refused(unsigned long entry, unsigned long ret,
			 bool records_full)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_RETURN,
		.pc = kcage_cache_native(entry),
		.addr = ret,
		.rule = "cfi.entry_depth",
		.detail = records_full ? "gate_records_full" : "shadow_stack_full",
	};
	const struct kcage_sandbox *sb;

	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (sb)
		kcage_violation(sb, &v);
	else
		kcage_contain_unattributed(v.pc, "entry");
	rcu_read_unlock();
	return -EPERM;
}

static const char *trap_name(int trapnr)
{
	switch (trapnr) {
	case X86_TRAP_PF:
		return "page_fault";
	case X86_TRAP_GP:
		return "general_protection";
	case X86_TRAP_DE:
		return "divide_error";
	case X86_TRAP_UD:
		return "invalid_opcode";
	case X86_TRAP_SS:
		return "stack_segment";
	case X86_TRAP_AC:
		return "alignment_check";
	default:
		return "exception";
	}
}

/**
 * kcage_contain_fault - a fault in the cache that no exception table fixes
 * @regs: the faulting registers; on success they go on at
 *        kcage_fault_site, which kcage's own exception table sends to
 *        kcage_bail_efault
 * @trapnr: the trap's vector (X86_TRAP_*)
 * @error_code: its error code
 * @address: the faulting address, for a page fault
 *
 * Called from the ftrace handler on fixup_exception(), in the exception's
 * context.  Return: true if the fault is contained (there is a frame to
 * return to), false to let the kernel oops as it would have.
 */
bool kcage_contain_fault(struct pt_regs *regs, int trapnr,
			 unsigned long error_code, unsigned long address)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_FAULT,
		.pc = kcage_cache_native(regs->ip),
		.addr = trapnr == X86_TRAP_PF ? address : 0,
		.detail = trap_name(trapnr),
	};
	const struct kcage_sandbox *sb;

	if (!v.pc || !find_frame(regs->sp))
		return false;
	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (sb)
		kcage_violation(sb, &v);
	rcu_read_unlock();
	if (!sb)
		return false;
	regs->ip = (unsigned long)kcage_fault_site;
	return true;
}

void kcage_contain_init(void)
{
	do {
		kcage_frame_secret = get_random_long();
	} while (!kcage_frame_secret);
}

/**
 * kcage_contain_stop - kcage_violation() for a check in front of an
 * instruction that cannot be skipped (a load or store, a return, a new
 * %rsp, a port or MSR access)
 * @sb: the sandbox, held as for kcage_violation()
 * @v:  what it did
 *
 * Return: 0 to let the instruction run (the action is log), else where
 * the check goes instead: the running call into the module is abandoned.
 */
unsigned long kcage_contain_stop(const struct kcage_sandbox *sb,
				   const struct kcage_violation *v)
{
	if (kcage_violation(sb, v) == KCP_ACTION_LOG)
		return 0;
	return (unsigned long)kcage_bail_eperm;
}

/**
 * kcage_contain_unattributed - a check of translated code that no
 * sandbox owns
 * @pc:   the native address the check was made for
 * @what: what it checked, for the log
 *
 * Such code (a module's init text once init is done, whose translations
 * a task may still be running) has no policy left to be allowed by, so
 * it is refused: one rate-limited log line (no sandbox to report a
 * violation to) and the running call into the module is abandoned.
 *
 * Return: where the check goes instead.
 */
unsigned long kcage_contain_unattributed(unsigned long pc, const char *what)
{
	pr_err_ratelimited("%s at %pS, translated code of no sandbox: refused, abandoning the call into the module\n",
			   what, (void *)pc);
	return (unsigned long)kcage_bail_eperm;
}

/**
 * kcage_contain_stop_at_pc - kcage_contain_stop() in the sandbox that
 * @v's pc belongs to (refused if none does)
 * @v: what was done
 */
unsigned long kcage_contain_stop_at_pc(const struct kcage_violation *v)
{
	const struct kcage_sandbox *sb;
	unsigned long go;

	rcu_read_lock();
	sb = kcage_sandbox_find(v->pc);
	go = sb ? kcage_contain_stop(sb, v) :
		  kcage_contain_unattributed(v->pc, "violation");
	rcu_read_unlock();
	return go;
}
