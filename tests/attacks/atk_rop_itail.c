// SPDX-License-Identifier: GPL-2.0
/*
 * atk_rop_itail: atk_rop_tail's attack with the tail call made through a
 * function pointer ("jmp __x86_indirect_thunk_rax"): checked by the
 * indirect-jump dispatcher, as a return, since its target is outside the
 * code cache.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/timekeeping.h>
#include "attack.h"

static ktime_t (*volatile clock_fn)(void) = ktime_get;

static noinline ktime_t victim(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	WRITE_ONCE(frame[1], (unsigned long)commit_creds);
	return clock_fn();
}

static int attack(struct file *f)
{
	victim();
	return 0;
}
