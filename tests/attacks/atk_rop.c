// SPDX-License-Identifier: GPL-2.0
/*
 * atk_rop: a function overwrites its own return address with the address
 * of commit_creds (the first gadget of a classic privilege-escalation
 * chain).  Its return must not go there.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include "attack.h"

static noinline void victim(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	/* frame[0]: the saved %rbp, frame[1]: the return address */
	WRITE_ONCE(frame[1], (unsigned long)commit_creds);
}

static int attack(struct file *f)
{
	victim();
	return 0;
}
