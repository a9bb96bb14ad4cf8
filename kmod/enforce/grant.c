// SPDX-License-Identifier: GPL-2.0
/*
 * The running entry's write grant, where the inline store checks find it
 * (bounds.c).
 *
 * A grant (policy/README.md) lets an entry write what the kernel passed
 * it, such as a hash descriptor, while the entry runs.  Deciding that in
 * C walks the gate records and the policy's grants: hundreds of
 * instructions for a store that a crypto driver makes once or twice per
 * call.  So when the kernel enters the module, the entry's first write
 * grant, resolved against its argument, goes into three words of the
 * task's shadow-stack zone (shadow.h): start, length, and the sandbox it
 * is for.  A store check that missed the module's data and the stack
 * tests the range inline:
 *
 *	addr - start <= len, addr - start + size <= len, owner == mine
 *
 * The owner is read last and is the only word that says the range is
 * valid.  The gate clears it when the entry returns or is abandoned, so
 * an outer entry that a nested one (or an interrupt's) ran on top of goes
 * back to the C decision, and a check interrupted between its reads by an
 * entry on the same task finds the owner cleared.  It is written last and
 * checked again, so an NMI's entry between the words cannot leave a
 * mixed range behind.  Grants beyond the first of an entry, and read
 * grants, are decided in C as before.
 */
#include <linux/bits.h>
#include <linux/irqflags.h>
#include <linux/sched.h>
#include "api.h"
#include "grant.h"
#include "sandbox/sandbox.h"
#include "rt/zone.h"
#include "dbt/instrument.h"

static unsigned long *zone_word(unsigned long off)
{
	return (unsigned long *)((unsigned long)current->stack + off);
}

/* The task's cached grant belongs to nobody. */
void kcage_grant_clear(void)
{
	WRITE_ONCE(*zone_word(KCAGE_SS_GRANT_OWN), 0);
}

/* The owner word of @sb's grants, or 0 if it has none to cache. */
u8 kcage_grant_owner(const struct kcage_sandbox *sb)
{
	int slot = kcage_sandbox_okpage(sb);

	if (slot < 0 || !kcage_api_has_write_grants(kcage_sandbox_api(sb)))
		return 0;
	return slot + 1;
}

/**
 * kcage_grant_word - what kcage_enter_direct needs to cache an entry's grant
 * @sb:     the sandbox entered
 * @native: the function entered
 *
 * Return: 0 if @sb has no write grants (nothing to do), else its owner
 * number in bits 48-55 and, in bits 56-63, the grant's argument index
 * (0 for %rdi) with its length in bits 0-47, or KCAGE_GRANT_NO_ARG: this
 * entry has none (the cache is cleared).
 */
unsigned long kcage_grant_word(const struct kcage_sandbox *sb, unsigned long native)
{
	unsigned long owner = kcage_grant_owner(sb), len;
	unsigned int arg;

	if (!owner)
		return 0;
	if (!kcage_api_entry_write_grant(kcage_sandbox_api(sb), native, &arg, &len) ||
	    len >= BIT(48))
		return KCAGE_GRANT_NO_ARG << 56 | owner << 48;
	return (unsigned long)(arg - 1) << 56 | owner << 48 | len;
}

/**
 * kcage_grant_enter - the kernel enters a function with @args
 * @word: the entry's grant word (kcage_grant_word())
 * @args: the argument registers, %rdi first
 *
 * Called before the gate, when the entry is going ahead: caches its first
 * write grant, or clears the cache (a nested entry must not inherit the
 * outer one's).  What kcage_enter_direct's fast path does in assembly.
 */
void kcage_grant_enter(unsigned long word, const unsigned long *args)
{
	unsigned long arg = word >> 56, owner = (word >> 48) & 0xff;
	unsigned long len = word & (BIT(48) - 1), lo, flags;

	kcage_grant_clear();
	if (!word || arg > 5)
		return;
	lo = args[arg];
	if (lo + len < lo)
		return;
	local_irq_save(flags);
	WRITE_ONCE(*zone_word(KCAGE_SS_GRANT_LO), lo);
	WRITE_ONCE(*zone_word(KCAGE_SS_GRANT_LEN), len);
	WRITE_ONCE(*zone_word(KCAGE_SS_GRANT_OWN), owner);
	if (READ_ONCE(*zone_word(KCAGE_SS_GRANT_LO)) != lo ||
	    READ_ONCE(*zone_word(KCAGE_SS_GRANT_LEN)) != len)
		kcage_grant_clear();
	local_irq_restore(flags);
}
