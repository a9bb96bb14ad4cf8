// SPDX-License-Identifier: GPL-2.0
/*
 * The translator: from a native address of a sandboxed module to code
 * running from this CPU's chunks of the code cache.
 *
 * Every CPU has its own map (native -> translation), its own chunks of the
 * cache and its own counters, touched only by that CPU with interrupts
 * off: the execution path takes no lock, nor does translation except to
 * take a fresh cache chunk when the CPU's is full (cache.c).  A block
 * is translated the first time control reaches it, by one of three doors:
 *
 *  - an entry from the kernel (ftrace redirects the module's function
 *    entries to the gate, see entry.c and control/takeover.c);
 *  - an exit stub of a block whose target was not translated yet
 *    (kcage_exit_target()), which then links the exit so that the next
 *    time the block branches straight to the target's translation;
 *  - an indirect call or jump (kcage_indirect_target()).
 *
 * Call/return scheme.  A translated call pushes the *cache* address that
 * follows it, so a plain copied ret returns into the cache with no lookup
 * (the paper's choice), kernel functions called from translated code
 * return into the cache too, and an entry from the kernel returns to its
 * native caller with the same ret.  The price is that return addresses on
 * the stack are cache addresses: stack traces and the backward-edge check
 * of enforcement must map them back (both know where blocks
 * come from).
 *
 * Migration.  A task preempted in CPU A's cache may resume on CPU B and
 * keep executing A's blocks: that is safe because cache chunks are never
 * freed or reused while a sandbox exists, and an exit taken on B is
 * translated into B's chunk and linked only if the exit's block is in one
 * of B's chunks, so a CPU only ever writes its own chunks.  Linking rewrites one 4-byte
 * aligned rel32, which another CPU executing the block sees either old
 * (the stub: it dispatches again) or new, never torn.
 */
#include <linux/bug.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/nospec-branch.h>
#include "rt/kstack.h"
#include "rt/own.h"
#include "core/link.h"
#include "core/map.h"
#include "rt/cache.h"
#include "contain.h"
#include "entry.h"
#include "flush.h"
#include "dbt/frame.h"
#include "ibl.h"
#include "noreturn.h"
#include "sandbox/sandbox.h"
#include "trap.h"
#include "xlate.h"
#include "instrument.h"

/* dispatch.S */
void kcage_dispatch_icall(void);
void kcage_dispatch_ijmp(void);
void kcage_dispatch_exit(void);

/**
 * struct kcage_xlate_cpu - one CPU's translator state
 * @map:   Native address -> translation (or the native address itself for
 *         code outside every sandbox).  Only its own CPU touches it, with
 *         interrupts off (through_to()), except that a forget empties
 *         entries of it from an IPI, from a flush with every CPU stopped,
 *         or while the CPU is offline.  Its slots are kcage's own memory
 *         (rt/own.c), allocated at init and freed at exit.
 * @stats: Counters, written by its own CPU with interrupts off, read
 *         racily (READ_ONCE()) by debugfs.
 * @blk:   Scratch for the block being built, its own CPU's alone.
 * @busy:  Translating now; set and cleared by its own CPU with interrupts
 *         off, so only an NMI can find it set.
 *
 * Per CPU, allocated at kcage's init and freed at its exit, in kcage's
 * own memory (rt/own.c); the pointers to them are static per-CPU
 * variables, which no policy lets a module write.
 */
struct kcage_xlate_cpu {
	struct kc_map map;
	struct kcage_xlate_stats stats;
	struct kc_block blk;
	bool busy;
};

static DEFINE_PER_CPU(struct kcage_xlate_cpu *, xlate_cpu);
static bool xlate_ready;
static struct kc_decoder decoder;

/* The decoder translation uses, for look-ahead in instrumentation. */
const struct kc_decoder *kcage_xlate_decoder(void)
{
	return &decoder;
}

/* Retpoline thunks (declared by nospec-branch.h), by register number. */
static const void * const thunks[16] = {
	__x86_indirect_thunk_rax, __x86_indirect_thunk_rcx,
	__x86_indirect_thunk_rdx, __x86_indirect_thunk_rbx,
	__x86_indirect_thunk_rsp, __x86_indirect_thunk_rbp,
	__x86_indirect_thunk_rsi, __x86_indirect_thunk_rdi,
	__x86_indirect_thunk_r8, __x86_indirect_thunk_r9,
	__x86_indirect_thunk_r10, __x86_indirect_thunk_r11,
	__x86_indirect_thunk_r12, __x86_indirect_thunk_r13,
	__x86_indirect_thunk_r14, __x86_indirect_thunk_r15,
};

static int thunk_reg(void *ctx, u64 target)
{
	int r;

	for (r = 0; r < ARRAY_SIZE(thunks); r++)
		if ((unsigned long)thunks[r] == target)
			return r;
	return -1;
}

/* Is @target a retpoline thunk (an indirect branch through a register)? */
bool kcage_xlate_is_thunk(unsigned long target)
{
	return thunk_reg(NULL, target) >= 0;
}

static size_t read_code(void *ctx, u64 ip, u8 *buf, size_t len)
{
	return kcage_sandbox_read(ctx, ip, buf, len);
}

static bool site(void *ctx, u64 ip, struct kc_site *s)
{
	return kcage_sandbox_site(ctx, ip, s);
}

/* An exit stub calls kcage_dispatch_exit, which finds the exit's record. */
static int emit_stub(void *ctx, struct kc_emitter *e, const struct kc_block *blk,
		     const struct kc_exit *exit)
{
	return kc_emit_exit_stub(e, blk, exit, (unsigned long)kcage_dispatch_exit);
}

/* The translation of @native if there is one, without translating. */
static unsigned long known(struct kcage_xlate_cpu *x, unsigned long native)
{
	unsigned long t = kc_map_find(&x->map, native);

	lockdep_assert(irqs_disabled());
	if (!t && !kcage_sandbox_find(native))
		t = native;
	return t;
}

/* What resolve_exit() needs: the CPU's state and the block's sandbox. */
struct link_ctx {
	struct kcage_xlate_cpu *x;
	const struct kcage_sandbox *sb;
};

/*
 * Where an exit of a block just built may be linked to: its target's
 * translation if known, except exits to the kernel that the sandbox's
 * policy does not allow and calls that report a crash: those go through
 * the dispatcher every time, to be checked (kcage_exit_target()).
 */
static u64 resolve_exit(void *ctx, const struct kc_exit *ex)
{
	const struct link_ctx *l = ctx;
	unsigned long t = known(l->x, ex->target);

	if (t == ex->target && (kcage_noreturn_crash(t) ||
				!kcage_enforce_link_ok(l->sb, t)))
		return 0;
	return t;
}

static unsigned long build(struct kcage_xlate_cpu *x,
			   const struct kcage_sandbox *sb, unsigned long native)
{
	const struct kc_block_ops ops = {
		.read_code = read_code,
		.instrument = kcage_sandbox_policy(sb) ? kcage_enforce_instrument : NULL,
		.emit_stub = emit_stub,
		.thunk_reg = thunk_reg,
		.site = site,
		.icall_entry = (unsigned long)kcage_dispatch_icall,
		.ijmp_entry = (unsigned long)kcage_dispatch_ijmp,
		.ijmp_source = true,
		.ibl_tag = kcage_sandbox_policy(sb) ? kcage_ibl_tag(kcage_sandbox_okpage(sb)) : 0,
		.api_gate = kcage_sandbox_policy(sb) ? kcage_api_gate_for : NULL,
		.call_prologue = kcage_sandbox_policy(sb) ? kcage_shadow_call_prologue : NULL,
		.ctx = (void *)sb,
	};
	struct kcage_cpu_cache *c = kcage_cache_cpu(smp_processor_id());
	struct kc_block *blk = &x->blk;
	struct kcage_block_hdr hdr = { 0 };
	struct link_ctx l = { .x = x, .sb = sb };
	u64 t0 = local_clock();
	struct kc_emitter e;
	unsigned int i;
	size_t used;
	int ret;

	kcage_cache_emitter(c, &e);
	ret = kc_build_block(&decoder, &ops, native, &e, blk);
	/* faults and stack traces map the block back through pro_len */
	if (!ret && blk->pro_len >= KCAGE_BLOCK_MAX_PRO)
		ret = -E2BIG;
	if (!ret)
		ret = kc_map_insert(&x->map, native, blk->cache_start);
	if (ret) {
		pr_err("%s: cannot translate %pS: %s (%d)\n",
		       kcage_sandbox_name(sb), (void *)native,
		       ret == -ENOSPC ? "code cache or map full" :
		       ret == -E2BIG ? "checks of its first instruction too long" : "error",
		       ret);
		return 0;
	}
	hdr.native = (s32)native;
	/* everything before the last instruction is copied as it is */
	hdr.native_len = blk->last.ip - blk->native_start;
	hdr.pro_len = blk->pro_len;
	hdr.last_len = blk->last.len;
	if (blk->ret_off && blk->ret_off - blk->pro_len - hdr.native_len <= U8_MAX)
		hdr.ret_tail = blk->ret_off - blk->pro_len - hdr.native_len;
	hdr.nr_exits = blk->nr_exits;
	for (i = 0; i < blk->nr_exits; i++) {
		hdr.rel_off[i] = blk->exits[i].rel_off;
		hdr.stub_off[i] = blk->exits[i].stub_off;
	}
	used = c->used;
	kcage_cache_commit(c, &e, &hdr);
	if (kcage_cache_low())
		kcage_flush_request();
	x->stats.blocks++;
	x->stats.native_bytes += blk->native_end - blk->native_start;
	x->stats.cache_bytes += c->used - used;	/* header and padding too */
	x->stats.xlate_ns += local_clock() - t0;
	kcage_sandbox_count_block(sb, blk->native_end - blk->native_start,
				  c->used - used);
	x->stats.links += kc_link_known(blk, e.buf, resolve_exit, &l);
	return blk->cache_start;
}

/*
 * @native is not in this CPU's map yet.  Return: where to run it on this
 * CPU, or 0 if it cannot be.
 */
static unsigned long translate(struct kcage_xlate_cpu *x, unsigned long native)
{
	const struct kcage_sandbox *sb = kcage_sandbox_find(native);

	lockdep_assert(irqs_disabled());
	if (sb)
		return build(x, sb, native);
	/* Outside every sandbox: run it natively, remember so. */
	if (kc_map_insert(&x->map, native, native))
		pr_warn_ratelimited("translation map full\n");
	return native;
}

/* Point the rel32 of @r's exit at @t, if the exit is in this CPU's chunks. */
static void link_from(struct kcage_xlate_cpu *x,
		      const struct kc_exit_record *r, unsigned long t)
{
	unsigned long rel32 = kc_exit_record_rel32(r);

	lockdep_assert(irqs_disabled());
	if (kcage_cache_owner(rel32) != smp_processor_id())
		return;
	if (!kc_link_rel32(rel32, kcage_cache_alias(rel32), t))
		x->stats.links++;
}

/* The ways into translation (see the top of this file). */
enum door {
	DOOR_ENTRY,	/* from the kernel into a sandboxed function */
	DOOR_EXIT,	/* an unlinked exit of a block */
	DOOR_INDIRECT,	/* an indirect call or jump the lookup table missed */
	DOOR_RESUME,	/* after a trap that lets execution go on */
};

static void count(struct kcage_xlate_cpu *x, enum door door, bool miss)
{
	lockdep_assert(irqs_disabled());
	switch (door) {
	case DOOR_ENTRY:
		x->stats.entries++;
		break;
	case DOOR_EXIT:
		x->stats.exits++;
		break;
	case DOOR_INDIRECT:
		x->stats.indirect++;
		x->stats.indirect_new += miss;
		break;
	case DOOR_RESUME:
		break;
	}
}

/*
 * An entry's lookup-table words (ibl.h): the sandbox entered and the
 * entry's grant word (grant.c).
 */
struct entry_words {
	const struct kcage_sandbox *sb;
	unsigned long grant;
};

/*
 * Where to run @native, come through @door: translate it on this CPU with
 * interrupts off, and remember the way so that next time it is direct (an
 * exit gets linked, an indirect target enters the lookup table) unless
 * !@remember: the policy wants to see every time (enforce.c).  A trap
 * exit is never linked: the trap must be seen every time.  @key: for
 * DOOR_INDIRECT, the lookup-table key the branch pushed (ibl.h).  @ew:
 * for an ftrace direct call's entry, what its lookup-table entry holds
 * besides the translation (entry.c); NULL otherwise.
 *
 * Return: the translation, or 0 if there is none: the cache or the map is
 * full, or this is an NMI that arrived in the middle of this CPU's
 * translator (whose state is then half-updated).  Callers refuse the
 * entry or abandon the running translation (contain.c); nothing runs
 * native code of a sandbox.
 */
struct door_call {
	enum door door;
	unsigned long native;
	const struct kc_exit_record *r;
	bool remember;
	unsigned long key;
	const struct entry_words *ew;
};

/* through_to() on kcage's stack (rt/kstack.c): translation runs deep */
static unsigned long through_on_kstack(void *arg)
{
	const struct door_call *c = arg;
	enum door door = c->door;
	unsigned long native = c->native;
	const struct kc_exit_record *r = c->r;
	bool remember = c->remember;
	unsigned long key = c->key;
	const struct entry_words *ew = c->ew;
	struct kcage_xlate_cpu *x;
	unsigned long flags, t;

	local_irq_save(flags);
	x = this_cpu_read(xlate_cpu);
	if (x->busy) {
		x->stats.refused++;
		local_irq_restore(flags);
		return 0;
	}
	x->busy = true;
	t = kc_map_find(&x->map, native);
	count(x, door, !t);
	if (!t)
		t = translate(x, native);
	x->busy = false;
	if (t && remember && door == DOOR_EXIT)
		link_from(x, r, t);
	if (t && remember && door == DOOR_INDIRECT)
		kcage_ibl_insert(key, native, t);
	if (t && ew)
		kcage_ibl_insert_entry(native, t, ew->grant, ew->sb);
	if (!t)
		x->stats.refused++;
	local_irq_restore(flags);
	return t;
}

static unsigned long through_to(enum door door, unsigned long native,
				const struct kc_exit_record *r, bool remember,
				unsigned long key, const struct entry_words *ew)
{
	struct door_call c = {
		.door = door, .native = native, .r = r,
		.remember = remember, .key = key, .ew = ew,
	};

	return kcage_kstack_run(through_on_kstack, &c);
}

static unsigned long through(enum door door, unsigned long native,
			     const struct kc_exit_record *r, bool remember,
			     unsigned long key)
{
	return through_to(door, native, r, remember, key, NULL);
}

/*
 * A module's exit function must run to its end: refused, or abandoned
 * halfway, it would leave the kernel holding pointers into the module's
 * freed memory (a /proc entry, a registered driver), since the module is
 * freed whatever its exit did.  So when the cache has no room for code of
 * an exit, and the exit may sleep, it waits for flushes to make room
 * (about 10 s at most; then it is refused like any other code).
 */
static bool may_wait_for_room(void)
{
	return preemptible() && !rcu_preempt_depth() && !in_interrupt();
}

static unsigned long wait_for_room(enum door door, unsigned long native,
				   const struct kc_exit_record *r,
				   bool remember, unsigned long key)
{
	unsigned long t = 0;
	int i;

	pr_warn_ratelimited("no room in the code cache for the exit of %pS's module: waiting for a flush\n",
			    (void *)native);
	for (i = 0; i < 500 && !t; i++) {
		kcage_flush_translations();
		t = through(door, native, r, remember, key);
		if (!t)
			msleep(20);
	}
	return t;
}

/* Inside translated code: nowhere to go means abandoning the entry. */
static unsigned long through_or_bail(enum door door, unsigned long native,
				     const struct kc_exit_record *r,
				     bool remember, unsigned long key)
{
	unsigned long t = through(door, native, r, remember, key);

	if (!t && may_wait_for_room() && kcage_contain_in_exit())
		t = wait_for_room(door, native, r, remember, key);
	if (t)
		return t;
	pr_err_ratelimited("no translation for %pS: abandoning the call into its module\n",
			   (void *)native);
	return (unsigned long)kcage_bail_enomem;
}

/*
 * An exit to the kernel (a direct call or jump out of the module) is
 * checked against the module's policy before it is taken and linked.
 */
static struct kcage_verdict check_exit(const struct kc_exit_record *r,
				       unsigned long native)
{
	struct kcage_verdict v = { .allowed = true, .cacheable = true };
	unsigned long pc;

	if (!kcage_sandbox_any_policy())
		return v;
	rcu_read_lock();
	if (!kcage_sandbox_find(native)) {
		pc = kcage_cache_native(kc_exit_record_rel32(r));
		v = kcage_enforce_branch(kcage_sandbox_find(pc), pc, native, false);
	}
	rcu_read_unlock();
	return v;
}

/* Called by kcage_dispatch_exit with the exit's record. */
unsigned long kcage_exit_target(const struct kc_exit_record *r);
unsigned long kcage_exit_target(const struct kc_exit_record *r)
{
	unsigned long native = kc_exit_record_target(r);
	struct kcage_verdict v;

	if (r->kind == KC_EXIT_TRAP) {
		native = kcage_trap(native);
		if (!native)
			return (unsigned long)kcage_bail_eio;
		if (native == KCAGE_TRAP_EPERM)
			return (unsigned long)kcage_bail_eperm;
		return through_or_bail(DOOR_RESUME, native, NULL, true, native);
	}
	if (kcage_noreturn_crash(native))
		return kcage_noreturn_contain(kcage_cache_native(kc_exit_record_rel32(r)),
					      native);
	v = check_exit(r, native);
	if (!v.allowed)
		return v.instead;
	if (!v.cacheable)
		return native;	/* kernel code, allowed this time (audit) */
	return through_or_bail(DOOR_EXIT, native, r, true, native);
}

/*
 * The sandbox making an indirect branch that missed the lookup table: the one whose block holds the
 * call's return address @ret, or holding the jump's native address @src;
 * NULL if none, which enforcement refuses (kcage_enforce_branch()) once
 * any policy is loaded.  Under RCU.
 */
static const struct kcage_sandbox *branch_sandbox(unsigned long ret,
						  unsigned long src,
						  unsigned long *pc)
{
	*pc = ret ? kcage_cache_native(ret - 1) : src;
	return *pc ? kcage_sandbox_find(*pc) : kcage_contain_current();
}

/*
 * An indirect branch to @native, pushed as @key, checked against the
 * policy of @sb, the module making it.  A target allowed enters the
 * lookup table under @key: a tagged key (ibl.h) is @sb's alone; an
 * untagged one (a sandbox beyond the tags) serves every sandbox, so it
 * enters only if every policy allows the target.
 */
static struct kcage_verdict check_indirect(const struct kcage_sandbox *sb,
					   unsigned long pc, unsigned long native,
					   unsigned long key, bool jump)
{
	struct kcage_verdict v = { .allowed = true, .cacheable = true };

	if (!kcage_sandbox_any_policy())
		return v;
	if (jump && kcage_enforce_same_function(sb, pc, native)) {
		/* a jump table: allowed from this function only, never cached */
		v.cacheable = false;
	} else {
		v = kcage_enforce_branch(sb, pc, native, true);
		if (v.cacheable && !kcage_ibl_tagged(key))
			v.cacheable = kcage_enforce_cacheable_everywhere(native);
	}
	return v;
}

/*
 * Where an indirect jump of checked code goes, @t, leaves the cache: a
 * tail call into the kernel (or a refused one's stand-in, which returns),
 * whose return through @slot is checked as a translated return.  Not a
 * bail, which abandons the call into the module.
 */
static unsigned long tail_call(unsigned long t, unsigned long slot,
			       unsigned long pc)
{
	unsigned long instead;

	if (kcage_cache_contains(t) || kcage_contain_is_bail(t))
		return t;
	instead = kcage_shadow_tail_call(slot, pc);
	return instead ?: t;
}

/*
 * Called by kcage_dispatch_icall/ijmp with the native target and, for a
 * call, its return address in the cache (0 for a jump), for a jump its
 * native address @src and the address of the jumping function's return
 * address @slot (0 for a call).
 */
unsigned long kcage_indirect_target(unsigned long key, unsigned long ret,
				    unsigned long src, unsigned long slot);
unsigned long kcage_indirect_target(unsigned long key, unsigned long ret,
				    unsigned long src, unsigned long slot)
{
	const struct kcage_sandbox *sb;
	struct kcage_verdict v;
	unsigned long native = key, pc, t;
	bool checked_jump;
	u32 tag;

	rcu_read_lock();
	sb = branch_sandbox(ret, src, &pc);
	tag = sb && kcage_sandbox_policy(sb) ? kcage_ibl_tag(kcage_sandbox_okpage(sb)) : 0;
	if (kcage_ibl_tagged(key))
		native = kcage_ibl_untag(key);
	/* Let a call through NULL fault at 0, as it would natively. */
	if (!native) {
		rcu_read_unlock();
		return 0;
	}
	if (kcage_noreturn_crash(native)) {
		rcu_read_unlock();
		return kcage_noreturn_contain(pc, native);
	}
	v = check_indirect(sb, pc, native, key, !ret);
	/*
	 * A key whose tag is not the branching sandbox's was not pushed by
	 * its translation (an untagged module's target with a sandbox's tag
	 * in its top bits): never let it into the table.
	 */
	if (kcage_ibl_tagged(key) && kcage_ibl_key_tag(key) != tag)
		v.cacheable = false;
	checked_jump = !ret && sb && kcage_sandbox_policy(sb);
	t = v.allowed ? 0 : v.instead;
	rcu_read_unlock();
	t = t ?: through_or_bail(DOOR_INDIRECT, native, NULL, v.cacheable, key);
	return checked_jump ? tail_call(t, slot, src) : t;
}

/**
 * enter - where an entry from the kernel into @native goes
 * @sb:     the sandbox @native is in
 * @native: start of a sandboxed function
 * @ew:     for an ftrace direct call, its lookup-table words; else NULL
 *
 * Called from the ftrace handler, in any context.
 *
 * Return: the translation, to be run through the gate (gate.S), or 0 if
 * the entry is refused: the module is quarantined, or it cannot be
 * translated now.
 */
static unsigned long enter(const struct kcage_sandbox *sb, unsigned long native,
			   const struct entry_words *ew)
{
	if (kcage_sandbox_quarantined(sb)) {
		this_cpu_read(xlate_cpu)->stats.refused++;
		return 0;
	}
	kcage_sandbox_count_entry(sb);
	return through_to(DOOR_ENTRY, native, NULL, true, native, ew);
}

unsigned long kcage_xlate_enter(const struct kcage_sandbox *sb,
				unsigned long native)
{
	return enter(sb, native, NULL);
}

/**
 * kcage_xlate_enter_direct - kcage_xlate_enter() for an ftrace direct call
 * @sb:     the sandbox @native is in
 * @native: start of a sandboxed function
 * @grant: the entry's grant word (grant.c)
 *
 * The translation also enters this CPU's lookup table under @native's
 * entry key, where kcage_enter_direct finds it next time (entry.c).
 */
unsigned long kcage_xlate_enter_direct(const struct kcage_sandbox *sb,
				       unsigned long native, unsigned long grant)
{
	struct entry_words ew = { .sb = sb, .grant = grant };

	return enter(sb, native, &ew);
}

/* kcage_xlate_enter() for an entry stub, which knows only @native. */
unsigned long kcage_xlate_entry(unsigned long native)
{
	const struct kcage_sandbox *sb;
	unsigned long t = 0;
	bool no_room = false;

	rcu_read_lock();
	sb = kcage_sandbox_find(native);
	if (sb) {
		t = kcage_xlate_enter(sb, native);
		no_room = !t && !kcage_sandbox_quarantined(sb);
	}
	rcu_read_unlock();
	/* __exit functions have no ftrace site: they all come this way */
	if (no_room && may_wait_for_room() && kcage_contain_is_exit(native))
		t = wait_for_room(DOOR_ENTRY, native, NULL, true, native);
	if (t)
		kcage_grant_clear();	/* its grants are decided in C */
	return t;
}

/**
 * kcage_xlate_resume - where translated code interrupted at @native goes on
 * @native: a sandboxed address, in the entry that was running
 *
 * Return: the translation, or where to abandon the entry.
 */
unsigned long kcage_xlate_resume(unsigned long native)
{
	return through_or_bail(DOOR_RESUME, native, NULL, true, native);
}

/**
 * kcage_xlate_entry_stub - emit "push $native; jmp kcage_enter_stub"
 * @native: a sandboxed address with no ftrace site, for a jmp patched
 *          over its first bytes
 *
 * Return: the stub's address, or 0 if @native does not fit a sign-extended
 * imm32 (module addresses do) or the cache is full.
 */
unsigned long kcage_xlate_entry_stub(unsigned long native)
{
	struct kc_emitter e;
	s32 imm = (s32)native;
	bool ok;

	if ((unsigned long)(long)imm != native)
		return 0;
	kcage_cache_stub_emitter(&e);
	ok = !kc_emit_push_imm32(&e, imm) &&
	     !kc_emit_jmp(&e, (unsigned long)kcage_enter_stub);
	kcage_cache_stub_commit(&e, ok, native);
	return ok ? e.base : 0;
}

struct native_range {
	unsigned long start, end;
};

static void forget_cpu(int cpu, void *arg)
{
	const struct native_range *r = arg;

	kc_map_forget(&per_cpu(xlate_cpu, cpu)->map, r->start, r->end);
	kcage_ibl_forget(cpu, r->start, r->end);
}

static void forget_here(void *arg)
{
	forget_cpu(smp_processor_id(), arg);
}

/*
 * Run @fn on every possible CPU's state: through an IPI (interrupts off
 * there, so it cannot race that CPU's translator) on online CPUs, and
 * directly on offline ones, whose translator cannot run meanwhile.
 */
static void on_every_cpu(void (*fn_here)(void *), void (*fn_cpu)(int, void *),
			 void *arg)
{
	int cpu;

	cpus_read_lock();
	on_each_cpu(fn_here, arg, 1);
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			fn_cpu(cpu, arg);
	cpus_read_unlock();
}

/* Drop every CPU's translations of [@start, @end). */
void kcage_xlate_forget(unsigned long start, unsigned long end)
{
	struct native_range r = { start, end };

	on_every_cpu(forget_here, forget_cpu, &r);
}

static void forget_indirect_cpu(int cpu, void *unused)
{
	kcage_ibl_forget(cpu, 0, ~0ul);
}

static void forget_indirect_here(void *unused)
{
	forget_indirect_cpu(smp_processor_id(), NULL);
}

/* Empty every CPU's indirect-branch lookup table. */
void kcage_xlate_forget_indirect(void)
{
	on_every_cpu(forget_indirect_here, forget_indirect_cpu, NULL);
}

static void reset_cpu(int cpu, void *unused)
{
	kc_map_clear(&per_cpu(xlate_cpu, cpu)->map);
	kcage_ibl_forget(cpu, 0, ~0ul);
}

/*
 * Empty every map and the cache, but what a task may still return into
 * (flush.c).  Only when no sandbox exists: then nothing can enter it.
 */
void kcage_xlate_reset(void)
{
	kcage_flush_everything();
}

/* Empty every CPU's map and lookup table; for a flush, all CPUs stopped. */
void kcage_xlate_clear(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		reset_cpu(cpu, NULL);
}

void kcage_xlate_stats(struct kcage_xlate_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kcage_xlate_stats *s = &per_cpu(xlate_cpu, cpu)->stats;

		sum->blocks += READ_ONCE(s->blocks);
		sum->native_bytes += READ_ONCE(s->native_bytes);
		sum->cache_bytes += READ_ONCE(s->cache_bytes);
		sum->entries += READ_ONCE(s->entries);
		sum->exits += READ_ONCE(s->exits);
		sum->links += READ_ONCE(s->links);
		sum->indirect += READ_ONCE(s->indirect);
		sum->indirect_new += READ_ONCE(s->indirect_new);
		sum->refused += READ_ONCE(s->refused);
		sum->xlate_ns += READ_ONCE(s->xlate_ns);
	}
	sum->entries += kcage_entry_fast_count();
}

void kcage_xlate_exit(void)
{
	int cpu;

	if (!xlate_ready)
		return;
	for_each_possible_cpu(cpu) {
		struct kcage_xlate_cpu *x = per_cpu(xlate_cpu, cpu);

		if (x)
			kcage_own_free(x->map.slots);
		kcage_own_free(x);
		per_cpu(xlate_cpu, cpu) = NULL;
	}
	xlate_ready = false;
	kcage_ibl_exit();
}

int kcage_xlate_init(void)
{
	int cpu;

	if (kc_decoder_init(&decoder))
		return -EINVAL;
	if (kcage_ibl_init())
		return -ENOMEM;
	xlate_ready = true;
	for_each_possible_cpu(cpu) {
		struct kcage_xlate_cpu *x = kcage_own_zalloc(sizeof(*x), GFP_KERNEL);
		struct kc_map_slot *slots = x ? kcage_own_zalloc(KC_MAP_BYTES, GFP_KERNEL) : NULL;

		if (!slots) {
			kcage_own_free(x);
			kcage_xlate_exit();
			return -ENOMEM;
		}
		kc_map_init(&x->map, slots);
		per_cpu(xlate_cpu, cpu) = x;
	}
	return 0;
}
