// SPDX-License-Identifier: GPL-2.0
/*
 * atk_ld_reloc: the relocation that fills atk_ld_reloc_ptr is moved 1 GiB
 * past the end of .data by the build (patch-elf.py), as a hand-made ELF
 * file can: apply_relocate_add() does not bound r_offset, and writes the
 * 8 bytes anywhere they are zero.
 */
#include <linux/kernel.h>
#include "attack.h"

void *atk_ld_reloc_ptr = kstrtos8;

static int attack(struct file *f)
{
	return 0;
}
