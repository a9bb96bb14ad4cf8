// SPDX-License-Identifier: GPL-2.0
/*
 * Stack traces through translated code.
 *
 * While a sandboxed module runs, the stack holds code-cache addresses:
 * return addresses pushed by translated calls and, in interrupt frames,
 * interrupted cache addresses.  Two ftrace handlers make the kernel's own
 * stack-trace machinery see the module's native addresses instead:
 *
 *  - on module_address_lookup(), which every symbol lookup of a module
 *    address goes through (%pS, %pB, so dump_stack(), WARN, oops reports,
 *    /proc/<pid>/stack): a cache address is looked up as its native
 *    address, so it prints as "my_driver_read+0x2c/0x90 [my_driver]";
 *
 *  - on unwind_next_frame(): the ORC unwinder looks a frame's ip up in
 *    ORC tables, which the cache does not have; since translated code
 *    keeps the native stack layout at every copied instruction and at
 *    every return address, the native address's ORC entry (in the
 *    module's own table) describes the cache frame exactly, so the
 *    unwinder is handed the native address and walks on reliably.  The
 *    gate (gate.S) has ORC data of its own, so the walk continues into
 *    the kernel caller of the module.
 *
 * Frames stopped inside kcage's dispatchers (only while a block is being
 * translated) and inside the code replacing a block's last instruction
 * (an indirect call that already pushed its target) do not have the
 * native layout; the unwinder reports such traces as unreliable, as it
 * does for any code without ORC data.
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <asm/unwind.h>
#include "cache.h"
#include "hook.h"
#include "unwind.h"

static unsigned long native_of(unsigned long addr)
{
	unsigned long native;

	if (!kcage_cache_contains(addr))
		return 0;
	native = kcage_cache_native(addr);
	return native;
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

/* unwind_next_frame(state) */
static void notrace on_unwind(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct unwind_state *state = (void *)ftrace_get_regs(fregs)->di;
	unsigned long native;

	if (unwind_done(state))
		return;
	native = native_of(state->ip);
	if (native)
		state->ip = native;
}

static struct ftrace_ops symbol_ops = {
	.func = on_symbol_lookup,
	.flags = FTRACE_OPS_FL_SAVE_REGS,
};

static struct ftrace_ops unwind_ops = {
	.func = on_unwind,
	.flags = FTRACE_OPS_FL_SAVE_REGS,
};

static const struct kcage_hook hooks[] = {
	{ &symbol_ops, "module_address_lookup" },
	{ &unwind_ops, "unwind_next_frame" },
};

int kcage_unwind_init(void)
{
	return kcage_hook_all(hooks, ARRAY_SIZE(hooks));
}

void kcage_unwind_exit(void)
{
	kcage_unhook_all(hooks, ARRAY_SIZE(hooks));
}
