// SPDX-License-Identifier: GPL-2.0
/*
 * atk_fptr_mid: a call through a function pointer aimed 16 bytes into
 * commit_creds, past its prologue and checks (a gadget).
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include "attack.h"

static unsigned long volatile offset = 16;

static int attack(struct file *f)
{
	int (*fn)(struct cred *) = (void *)((unsigned long)commit_creds + offset);

	/* refused: the call returns -EPERM and the module goes on */
	fn(NULL);
	return 0;
}
