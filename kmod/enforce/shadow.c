// SPDX-License-Identifier: GPL-2.0
/*
 * Backward-edge CFI: a shadow stack of return addresses.
 *
 * Every call into translated code records its return address and the
 * stack slot holding it (shadow.h): inline before a direct call to the
 * module's own code (kcage_shadow_call_prologue()), in the indirect-call
 * dispatcher when the target is translated code (dispatch.S), and in the
 * entry gate for the kernel's call into the module, whose return address
 * is kcage_enter_return: a boundary (gate.S).  Every translated return
 * checks inline that the top entry is for its slot and holds the address
 * in it, and pops it.  Anything else goes to kcage_shadow_return(), which
 * drops entries of frames that are gone (slot below the stack pointer: a
 * tail call into the kernel returned for them), never past the boundary
 * of the running entry, and reports a return no call made.  The gate
 * puts top back when its call returns or is abandoned, so entries never
 * outlive their entry into the module.
 *
 * A return thus goes exactly to the instruction after the call that
 * created its frame: overwriting a return address with another one, even
 * a valid return site in the code cache, is caught.  The shadow stack
 * holds KCAGE_SS_ENTRIES (zone.h), for the task and the interrupts that
 * enter modules on top of it; a call that finds it full, once entries of
 * frames that are gone are dropped, is refused (kcage_shadow_full():
 * kind return, rule cfi.shadow_depth) and the
 * running call into the module abandoned, so no return ever goes
 * unchecked however deep the module recurses, in every mode (only a
 * module without a policy, where nothing is checked, calls on
 * unrecorded).  The gate likewise refuses an entry it cannot record.
 */
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "rt/cache.h"
#include "core/emit.h"
#include "dbt/frame.h"
#include "sandbox/sandbox.h"
#include "rt/zone.h"
#include "shadow.h"
#include "sandbox/violation.h"
#include "kcage/policy.h"
#include "dbt/instrument.h"
#include "slow.h"
#include "dbt/contain.h"

struct shadow_entry {
	unsigned long ret;
	unsigned long slot;
};

/* mov %gs:current_task, %r11; mov task->stack(%r11), %r11; mov top(%r11), %r10 */
static int emit_load_top(struct kc_emitter *e)
{
	int ret = kc_emit_mov_ld(e, KC_R11, KC_MEM_GS(&current_task));

	ret = ret ?: kc_emit_mov_ld(e, KC_R11, KC_MEM(KC_R11, kcage_task_stack_offset));
	return ret ?: kc_emit_mov_ld(e, KC_R10, KC_MEM(KC_R11, KCAGE_SS_TOP));
}

/*
 * sub $@first, %r10; cmp $room, %r10: %r10 becomes the offset from
 * FIRST of the entry the code goes on with (the new one for a call, the
 * top one for a return), "above" if that is outside the shadow stack.
 */
static int emit_bound_top(struct kc_emitter *e, s32 first)
{
	int ret = kc_emit_sub_imm(e, KC_R10, first);

	return ret ?: kc_emit_cmp_imm(e, KC_R10, KCAGE_SS_GFIRST - KCAGE_SS_FIRST - 16);
}

static int save_r10_r11(struct kc_emitter *e)
{
	int ret = kc_emit_push_reg(e, KC_R10);

	return ret ?: kc_emit_push_reg(e, KC_R11);
}

static int restore_r10_r11(struct kc_emitter *e)
{
	int ret = kc_emit_pop_reg(e, KC_R11);

	return ret ?: kc_emit_pop_reg(e, KC_R10);
}

/**
 * kcage_shadow_call_prologue - the translator's call_prologue hook
 * @ctx: the sandbox being translated
 * @e:   where the prologue goes
 * @target: the call's native target
 *
 * Before a direct call to translated code (of this module or another
 * sandboxed one), record the call.  %r10 and %r11 are kept: compiled code
 * never passes anything in them, but hand-written assembly does (aesni's
 * key expansion keeps its key pointer in %r10 across calls).  The flags
 * are not: no code here passes flags to a function.
 *
 *	push %r10 ; push %r11
 *	<load top> ; sub $FIRST, %r10 ; cmp $room, %r10 ; ja full
 *	addq $16, top(%r11)
 *	movq $<return address>, FIRST(%r11,%r10)
 *	movq %rsp, FIRST+8(%r11,%r10) ; addq $8, FIRST+8(%r11,%r10)
 *	jmp done
 *	full: call kcage_slow_call_full ; cmp $0, %r11 ; je again
 *	done: pop %r11 ; pop %r10
 *
 * ("again" is the load of top.  The slot of the return address is 8
 * below %rsp before the call: 8 above %rsp after the two pushes.)  The
 * full path is cold: it drops the entries of frames that are gone and
 * tries again (%r11 = 0), or reports the call and abandons the entry
 * into the module (or, for a module without a policy, comes back with
 * %r11 = 1 and the call goes on unrecorded).
 *
 * @ret_field: gets the address of the return address's imm32, for the
 * translator to fill in (0 for a call elsewhere: nothing emitted).
 * Return: 0 or an error.
 */
int kcage_shadow_call_prologue(void *ctx, struct kc_emitter *e, u64 target,
			       u64 *ret_field)
{
	struct kc_label again, full, done;
	int ret;

	*ret_field = 0;
	/* calls between sandboxed modules are linked translation to translation */
	if (!kcage_sandbox_find(target))
		return 0;
	kc_label_init(&again, true);
	kc_label_init(&full, true);
	kc_label_init(&done, true);
	ret = save_r10_r11(e);
	ret = ret ?: kc_label_bind(e, &again);
	ret = ret ?: emit_load_top(e);
	ret = ret ?: emit_bound_top(e, KCAGE_SS_FIRST);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &full);
	ret = ret ?: kc_emit_add_mem_imm(e, KC_MEM(KC_R11, KCAGE_SS_TOP), 16);
	ret = ret ?: kc_emit_mov_st_imm32(e, KC_MEM_INDEX(KC_R11, KC_R10, KCAGE_SS_FIRST), 0);
	if (!ret)
		*ret_field = kc_emit_pc(e) - 4;
	ret = ret ?: kc_emit_mov_st(e, KC_MEM_INDEX(KC_R11, KC_R10, KCAGE_SS_FIRST + 8),
				    KC_RSP);
	ret = ret ?: kc_emit_add_mem_imm(e, KC_MEM_INDEX(KC_R11, KC_R10, KCAGE_SS_FIRST + 8),
					 8);
	ret = ret ?: kc_emit_jmp_label(e, &done);
	ret = ret ?: kc_label_bind(e, &full);
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_call_full);
	ret = ret ?: kc_emit_cmp_imm(e, KC_R11, 0);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_E, &again);
	ret = ret ?: kc_label_bind(e, &done);
	return ret ?: restore_r10_r11(e);
}

/**
 * kcage_shadow_emit_return_check - before a translated return
 * @e: where the check goes
 *
 *	push %r10 ; push %r11
 *	<load top> ; sub $FIRST+16, %r10 ; cmp $room, %r10 ; ja slow
 *	lea FIRST(%r11,%r10), %r11		(the entry)
 *	lea 16(%rsp), %r10 ; cmp %r10, 8(%r11) ; jne slow
 *	mov (%r11), %r11 ; cmp %r11, 16(%rsp) ; jne slow
 *	<load top> ; subq $16, top(%r11)
 *	pop %r11 ; pop %r10 ; jmp done
 *	slow: pop %r11 ; pop %r10 ; call kcage_slow_return
 *	done: <the return>
 *
 * %r10 and %r11 are kept, as around a call (hand-written assembly
 * returns values in them); the flags are not.
 */
int kcage_shadow_emit_return_check(struct kc_emitter *e)
{
	struct kc_label slow, done;
	int ret;

	kc_label_init(&slow, true);
	kc_label_init(&done, true);
	ret = save_r10_r11(e);
	ret = ret ?: emit_load_top(e);
	ret = ret ?: emit_bound_top(e, KCAGE_SS_FIRST + 16);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_A, &slow);
	ret = ret ?: kc_emit_lea(e, KC_R11, KC_MEM_INDEX(KC_R11, KC_R10, KCAGE_SS_FIRST));
	ret = ret ?: kc_emit_lea(e, KC_R10, KC_MEM(KC_RSP, 16));
	ret = ret ?: kc_emit_cmp_st(e, KC_MEM(KC_R11, 8), KC_R10);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_NE, &slow);
	ret = ret ?: kc_emit_mov_ld(e, KC_R11, KC_MEM(KC_R11, 0));
	ret = ret ?: kc_emit_cmp_st(e, KC_MEM(KC_RSP, 16), KC_R11);
	ret = ret ?: kc_emit_jcc_label(e, KC_CC_NE, &slow);
	ret = ret ?: emit_load_top(e);
	ret = ret ?: kc_emit_sub_mem_imm(e, KC_MEM(KC_R11, KCAGE_SS_TOP), 16);
	ret = ret ?: restore_r10_r11(e);
	ret = ret ?: kc_emit_jmp_label(e, &done);
	ret = ret ?: kc_label_bind(e, &slow);
	ret = ret ?: restore_r10_r11(e);
	ret = ret ?: kc_emit_call(e, (unsigned long)kcage_slow_return);
	return ret ?: kc_label_bind(e, &done);
}

/*
 * The entry for the return through @slot, entries of gone frames above it
 * dropped.  Return: true and the entry popped if it returns to @target,
 * else false with the reason.  The stack bottom may hold KASAN redzones
 * of frames long gone, hence no instrumentation.
 */
static __no_sanitize_address bool pop_matching(unsigned long base,
					       unsigned long slot,
					       unsigned long target,
					       const char **why)
{
	unsigned long *top = (unsigned long *)(base + KCAGE_SS_TOP);

	*why = "return_without_call";
	if (!kcage_zone_ok(base) || *top < KCAGE_SS_FIRST || *top > KCAGE_SS_GFIRST) {
		*why = "shadow_stack_lost";
		return false;
	}
	while (*top > KCAGE_SS_FIRST) {
		struct shadow_entry *e = (void *)(base + *top - sizeof(*e));

		if (e->slot == slot) {
			*top -= sizeof(*e);
			if (e->ret == target)
				return true;
			*why = "return_address_overwritten";
			return false;
		}
		if (e->ret == (unsigned long)kcage_enter_return || e->slot > slot)
			break;
		*top -= sizeof(*e);	/* a frame that is gone */
	}
	return false;
}

/*
 * The return through @slot: popped if it goes where its call said, else
 * reported at native @pc, or if 0 at the instruction before cache address
 * @from (which walks a chunk: only once it is known to be needed).
 */
static unsigned long check_return(unsigned long slot, unsigned long from,
				  unsigned long pc)
{
	unsigned long target = *(unsigned long *)slot;
	struct kcage_violation v = { .kind = KCP_KIND_RETURN, .addr = target };

	if (pop_matching((unsigned long)current->stack, slot, target, &v.detail))
		return 0;
	v.pc = pc ?: kcage_cache_native(from - 1);
	return kcage_contain_stop_at_pc(&v);
}

/**
 * kcage_shadow_return - a return the inline check did not let through
 * @slot: the address of the return address
 * @from: the cache address kcage_slow_return was called from
 *
 * Return: 0 to let the return happen, else where to go instead.
 */
unsigned long kcage_shadow_return(unsigned long slot, unsigned long from);
unsigned long kcage_shadow_return(unsigned long slot, unsigned long from)
{
	return check_return(slot, from, 0);
}

/**
 * kcage_shadow_tail_call - an indirect jump of checked code out of the cache
 * @slot: the address of the jumping function's return address (the stack
 *        pointer once the jump is made)
 * @pc:   the jump's native address
 *
 * A jump out of the cache is a tail call into the kernel, and the kernel
 * function returns through @slot: the return address there is checked,
 * and its entry popped, as a translated return's would be (direct tail
 * calls get the inline return check, enforce.c).  Unchecked, an
 * overwritten return address would take effect through the kernel's own
 * return, and the entry would stay behind its frame.
 *
 * Return: 0 to let the jump happen, else where to go instead.
 */
unsigned long kcage_shadow_tail_call(unsigned long slot, unsigned long pc)
{
	return check_return(slot, 0, pc);
}

/*
 * Drop the running entry's entries (those above its boundary) of frames
 * that are gone, for a new call whose return address goes to @slot on
 * this task's stack.  An entry is gone if a newer one, or the new call,
 * has its slot at or above the entry's: that call was made after the
 * entry's return address had been popped.  Calls whose returns are not
 * checked (a translate-only module's indirect calls, dispatch.S) leave
 * such entries behind, as do frames abandoned without a return: the
 * entries of a module without a policy are dropped whatever their slot.
 * Slots off this task's stack (an interrupt stack's) cannot be compared
 * with the task's: for a new slot there, only those are dropped.  Interrupts only push and pop above top,
 * and put it back; the entries kept are moved down below it first.
 * Return: true if there is room for one entry now.
 */
static bool unchecked_return(const struct shadow_entry *e)
{
	unsigned long native = kcage_cache_native(e->ret);
	const struct kcage_sandbox *sb;
	bool unchecked;

	if (!native)
		return false;
	rcu_read_lock();
	sb = kcage_sandbox_find(native);
	unchecked = sb && !kcage_sandbox_policy(sb);
	rcu_read_unlock();
	return unchecked;
}

static __no_sanitize_address bool make_room(unsigned long slot)
{
	unsigned long base = (unsigned long)current->stack;
	unsigned long *top = (unsigned long *)(base + KCAGE_SS_TOP);
	struct shadow_entry *first = (void *)(base + KCAGE_SS_FIRST);
	unsigned long lo = base + KCAGE_SS_END, hi = base + THREAD_SIZE;
	unsigned long n, i, j, w, max = slot;
	bool on_task = slot >= lo && slot < hi;
	u64 keep = 0;

	BUILD_BUG_ON(KCAGE_SS_ENTRIES > 64);
	if (!kcage_zone_ok(base) || *top < KCAGE_SS_FIRST || *top > KCAGE_SS_GFIRST ||
	    (*top - KCAGE_SS_FIRST) % sizeof(*first))
		return false;
	n = (*top - KCAGE_SS_FIRST) / sizeof(*first);
	if (n < KCAGE_SS_ENTRIES)
		return true;
	for (i = n; i > 0; i--) {
		const struct shadow_entry *e = &first[i - 1];

		if (e->ret == (unsigned long)kcage_enter_return ||
		    e->slot < lo || e->slot >= hi)
			break;
	}
	/*
	 * [i, n): the running entry's on this task's stack, newest last.
	 * Kept: those whose return is checked (a module without a policy
	 * never pops its entries) and, if the new slot is on this stack
	 * too, whose frames are not gone.
	 */
	for (j = n; j > i; j--) {
		const struct shadow_entry *e = &first[j - 1];

		if ((!on_task || e->slot > max) && !unchecked_return(e))
			keep |= BIT_ULL(j - 1);
		if (on_task)
			max = max(max, e->slot);
	}
	for (w = j = i; j < n; j++)
		if (keep & BIT_ULL(j))
			first[w++] = first[j];
	*top = KCAGE_SS_FIRST + w * sizeof(*first);
	return w < KCAGE_SS_ENTRIES;
}

/**
 * kcage_shadow_make_room - room for the boundary entry of an entry from
 * the kernel (gate.S), when the shadow stack is full
 * @slot: where the boundary's return address goes
 *
 * Return: true if there is room now (entries of frames that are gone
 * dropped), false to refuse the entry.
 */
bool kcage_shadow_make_room(unsigned long slot)
{
	return make_room(slot);
}

/**
 * kcage_shadow_full - a call into translated code the shadow stack has no
 * room left for
 * @from: where in the cache the call was made from: the return address
 *        of kcage_slow_call_full's call (a direct call's prologue), or of
 *        the indirect call itself (dispatch.S)
 * @slot: where the call's return address goes
 *
 * Entries of frames that are gone are dropped first.  If that leaves no
 * room, the return could not be checked, so the call is refused:
 * reported (kind return, rule cfi.shadow_depth) at the call's native
 * address, and the running call into the module abandoned, in every
 * mode (audit and learn too).
 *
 * Return: KCAGE_SHADOW_AGAIN to push again (there is room now),
 * KCAGE_SHADOW_GO_ON to let the call happen unrecorded (the module has
 * no policy: nothing is checked), else
 * where to go instead.
 */
unsigned long kcage_shadow_full(unsigned long from, unsigned long slot)
{
	struct kcage_violation v = {
		.kind = KCP_KIND_RETURN,
		.pc = kcage_cache_native(from - 1),
		.rule = "cfi.shadow_depth",
		.detail = "shadow_stack_full",
	};
	const struct kcage_sandbox *sb;
	unsigned long go;

	if (make_room(slot))
		return KCAGE_SHADOW_AGAIN;
	rcu_read_lock();
	sb = kcage_sandbox_find(v.pc);
	if (!sb) {
		go = kcage_contain_unattributed(v.pc, "violation");
	} else if (!kcage_sandbox_policy(sb)) {
		go = 0;		/* nothing is checked, returns neither */
	} else {
		/*
		 * In every mode: past it neither the return nor the stack's
		 * floor could be checked (direct calls push with no floor
		 * check of their own, zone.h's KCAGE_STACK_MARGIN).
		 */
		kcage_violation(sb, &v);
		go = (unsigned long)kcage_bail_eperm;
	}
	rcu_read_unlock();
	return go ?: KCAGE_SHADOW_GO_ON;
}
