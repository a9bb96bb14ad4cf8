// SPDX-License-Identifier: GPL-2.0
/*
 * Stack traces through translated code.
 *
 * While a sandboxed module runs, the stack holds code-cache addresses:
 * return addresses pushed by translated calls and, in interrupt frames,
 * interrupted cache addresses.  An ftrace handler on
 * module_address_lookup(), which every symbol lookup of a module address
 * goes through (%pS, %pB, so dump_stack(), WARN, oops reports,
 * /proc/<pid>/stack), looks a cache address up as its native address, so
 * it prints as "my_driver_read+0x2c/0x90 [my_driver]".
 *
 * The ORC unwinder has no data for the cache, so frames past the first
 * translated one are found by its stack scan and printed as unreliable
 * ("? my_driver_read+0x2c/0x90 [my_driver]").  Handing it the native
 * address from a handler on unwind_next_frame() made the walk reliable,
 * but patching unwind_next_frame() with ftrace while a debug kernel
 * unwinds from its int3 and lockdep paths hung a CPU, so kcage does not.
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include "rt/cache.h"
#include "rt/hook.h"
#include "unwind.h"

static unsigned long native_of(unsigned long addr)
{
	return kcage_cache_contains(addr) ? kcage_cache_native(addr) : 0;
}

/* module_address_lookup(addr, size, offset, modname, modbuildid, namebuf) */
static void notrace on_symbol_lookup(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	unsigned long native = native_of(regs->di);

	if (native)
		regs->di = native;
}

static struct ftrace_ops symbol_ops = {
	.func = on_symbol_lookup,
	.flags = FTRACE_OPS_FL_SAVE_REGS,
};

static const struct kcage_hook hooks[] = {
	{ &symbol_ops, "module_address_lookup" },
};

int kcage_unwind_init(void)
{
	return kcage_hook_all(hooks, ARRAY_SIZE(hooks));
}

void kcage_unwind_exit(void)
{
	kcage_unhook_all(hooks, ARRAY_SIZE(hooks));
}
