// SPDX-License-Identifier: GPL-2.0
/*
 * atk_text: writes an int3 over its own native text (a function the
 * policy lets it call).
 */
#include <linux/fs.h>
#include "attack.h"

noinline int atk_text_helper(int x)
{
	return x + 1;
}

static unsigned long volatile offset = 4;

static int attack(struct file *f)
{
	u8 *code = (u8 *)((unsigned long)atk_text_helper + offset);

	WRITE_ONCE(*code, 0xcc);
	return 0;
}
