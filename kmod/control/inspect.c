// SPDX-License-Identifier: GPL-2.0
/*
 * Inspecting a coming module: enumerate its functions from its own symbol
 * table and decode every one of them.  This is the first thing kcage does
 * with a module and it proves, before any translation, that the decoder
 * understands every byte the module will ever execute.
 */
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include "inspect.h"

static bool is_text_symbol(const struct mod_kallsyms *ks, unsigned int i)
{
	char t = ks->typetab[i];

	return (t == 't' || t == 'T') && ks->symtab[i].st_size > 0;
}

/* Linear sweep of one function; gcc puts no data in .text on x86-64. */
static void decode_function(const struct kc_decoder *dec, struct module *mod,
			    const char *name, unsigned long start,
			    unsigned long size, struct kc_insn *insn,
			    struct kcage_text_stats *st)
{
	unsigned long off = 0;

	while (off < size) {
		const u8 *p = (const u8 *)(start + off);
		size_t avail = min_t(unsigned long, size - off, 15);

		if (kc_decode(dec, p, avail, start + off, insn)) {
			pr_warn("%s: cannot decode %s+0x%lx (byte %02x)\n",
				mod->name, name, off, *p);
			st->nr_bad++;
			return;
		}
		st->kinds[insn->kind]++;
		st->nr_insns++;
		off += insn->len;
	}
}

/**
 * kcage_inspect_module - decode every function of @mod
 * @mod: a module in MODULE_STATE_COMING (relocated, symbols in place)
 * @st:  filled with what was found
 *
 * Return: 0 or -ENOMEM.
 */
int kcage_inspect_module(struct module *mod, struct kcage_text_stats *st)
{
	struct mod_kallsyms *ks;
	struct kc_decoder dec;
	struct kc_insn *insn;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (kc_decoder_init(&dec))
		return -EINVAL;
	insn = kmalloc(sizeof(*insn), GFP_KERNEL);
	if (!insn)
		return -ENOMEM;

	/*
	 * The full symbol table (init symbols included) stays valid until
	 * the module's init returns; the notifier runs before that.
	 */
	ks = rcu_dereference_raw(mod->kallsyms);
	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];

		if (!is_text_symbol(ks, i))
			continue;
		st->nr_funcs++;
		st->nr_bytes += sym->st_size;
		decode_function(&dec, mod, ks->strtab + sym->st_name,
				sym->st_value, sym->st_size, insn, st);
	}
	kfree(insn);
	return 0;
}
