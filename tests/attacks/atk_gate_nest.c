// SPDX-License-Identifier: GPL-2.0
/*
 * atk_gate_nest: entries from the kernel into the module nested deeper
 * than kcage keeps gate records for (10 per task).  The module's bsearch()
 * comparison calls bsearch() again, so each level is a new entry from
 * the kernel (lib/bsearch.c) into nest_cmp(); from the 11th entry on,
 * nest_cmp() overwrites the return address into the kernel in its entry
 * frame (kmod/dbt/frame.h) with gate_nest_won, code in the module's
 * native text, where no return may go.  The entry that has no gate
 * record must be refused before the module's code runs.
 */
#include <linux/bsearch.h>
#include <linux/fs.h>
#include <linux/linkage.h>
#include "../../kmod/dbt/frame.h"
#include "attack.h"

/* Entries: run_write() is the first, nest_cmp() at depth d the (d + 1)th. */
#define NEST_HIJACK	10	/* the 11th entry: past the 10 gate records */
#define NEST_MAX	12

static unsigned int depth;
static const int elems[2] = { 1, 2 };
static const int key = 1;

/*
 * Native text (poisoned with int3 under kcage): if the kernel caller's
 * return gets here, kcage logs "native code of a sandboxed module
 * executed at gate_nest_won" and the kernel oopses on the int3.
 */
asm(".pushsection .text\n"
    ".globl gate_nest_won\n"
    "gate_nest_won:\n"
    "	ud2\n"
    ".popsection\n");
void gate_nest_won(void);

static int nest_cmp(const void *k, const void *elt);

static noinline void nest_again(void)
{
	bsearch(&key, elems, ARRAY_SIZE(elems), sizeof(elems[0]), nest_cmp);
}

static noinline int nest_cmp(const void *k, const void *elt)
{
	/* frame[1]: where the gate's call returns, the entry frame above */
	unsigned long *frame = __builtin_frame_address(0);
	unsigned long *ret = (unsigned long *)((char *)&frame[2] + KCAGE_FRAME_SIZE);

	if (++depth < NEST_MAX)
		nest_again();
	if (depth >= NEST_HIJACK)
		WRITE_ONCE(*ret, (unsigned long)gate_nest_won);
	depth--;
	return 0;
}

static int attack(struct file *f)
{
	depth = 0;
	nest_again();
	return 0;
}
