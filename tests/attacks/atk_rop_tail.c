// SPDX-License-Identifier: GPL-2.0
/*
 * atk_rop_tail: a function overwrites its own return address with the
 * address of commit_creds, then tail-calls a kernel function ("jmp
 * ktime_get").  That function's native return would go there: the
 * tail call must be checked as a return.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/timekeeping.h>
#include "attack.h"

static noinline ktime_t victim(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	/* frame[0]: the saved %rbp, frame[1]: the return address */
	WRITE_ONCE(frame[1], (unsigned long)commit_creds);
	return ktime_get();
}

static int attack(struct file *f)
{
	victim();
	return 0;
}
