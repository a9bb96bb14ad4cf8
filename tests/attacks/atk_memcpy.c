// SPDX-License-Identifier: GPL-2.0
/*
 * atk_memcpy: memcpy() through the kernel API with a destination the
 * module may not write, modprobe_path (target=).
 */
#include <linux/fs.h>
#include <linux/string.h>
#include "attack.h"

static size_t volatile len = 7;

static int attack(struct file *f)
{
	/* refused: memcpy does not run and the module goes on */
	memcpy((void *)target, "/tmp/x", len);
	return 0;
}
