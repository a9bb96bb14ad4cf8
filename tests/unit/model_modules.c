// SPDX-License-Identifier: GPL-2.0
/*
 * model_modules: classify every instruction of every real module with the
 * instruction model (kmod/core/model.c).
 *
 *	model_modules <module tree> [<table.md>]
 *
 * Walks every .ko under the tree (Debian's kernel package: about 4,000),
 * and in each the executable sections (.text, .init.text, .exit.text,
 * .altinstr_replacement, ...): function by function where the symbol
 * table has FUNC symbols (so padding and data between them are skipped),
 * else the whole section by linear sweep.  Every decoded instruction is
 * classified; an instruction no rule classifies fails the run.  Writes a
 * Markdown table of the privileged and refused forms met: in how many
 * modules, how often, and one module that has them.  Prints one summary
 * line and PASS/FAIL as the unit tests do.
 */
#define _XOPEN_SOURCE 700
#include <elf.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "decode.h"

#define NMN (ZYDIS_MNEMONIC_MAX_VALUE + 1)
#define MAX_ROWS 512

/**
 * struct form_row - one privileged or refused form met in the modules
 * @mn:       its mnemonic
 * @cls:      the model's verdict
 * @why:      the rule that decided
 * @count:    instructions
 * @modules:  modules with at least one
 * @last_mod: the module counted last (to count each module once)
 * @example:  a module that has it
 */
struct form_row {
	ZydisMnemonic mn;
	u8 cls;
	const char *why;
	unsigned long count, modules;
	int last_mod;
	char example[64];
};

static ZydisDecoder dec;
static struct form_row rows[MAX_ROWS];
static int nr_rows, mod_index;
static unsigned long nr_modules, nr_insns, nr_bad, nr_unclassified, by_cls[4];
static unsigned long mods_with_refused, mods_with_priv;
static bool mod_refused, mod_priv;
static char first_unclassified[200];
static const char *cur_name;

static void note(const ZydisDecodedInstruction *zi, const struct kc_model_verdict *v)
{
	struct form_row *r;
	int i;

	for (i = 0; i < nr_rows; i++)
		if (rows[i].mn == zi->mnemonic && rows[i].cls == v->cls && rows[i].why == v->why)
			break;
	if (i == nr_rows) {
		if (nr_rows == MAX_ROWS)
			return;
		r = &rows[nr_rows++];
		r->mn = zi->mnemonic;
		r->cls = v->cls;
		r->why = v->why;
		r->last_mod = -1;
		snprintf(r->example, sizeof(r->example), "%s", cur_name);
	}
	r = &rows[i];
	r->count++;
	if (r->last_mod != mod_index) {
		r->last_mod = mod_index;
		r->modules++;
	}
}

static void classify_range(const u8 *code, size_t len)
{
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	struct kc_model_verdict v;
	size_t off = 0;

	while (off < len) {
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, code + off, len - off, &zi, ops))) {
			nr_bad++;	/* data or padding: a trap exit if reached */
			off++;
			continue;
		}
		nr_insns++;
		kc_model_classify(&zi, ops, &v);
		by_cls[v.cls]++;
		if (v.cls == KC_MODEL_UNCLASSIFIED) {
			nr_unclassified++;
			if (!first_unclassified[0])
				snprintf(first_unclassified, sizeof(first_unclassified),
					 "%s in %s", ZydisMnemonicGetString(zi.mnemonic), cur_name);
		}
		if (v.cls != KC_MODEL_ADMIT) {
			note(&zi, &v);
			mod_refused |= v.cls == KC_MODEL_REFUSE;
			mod_priv |= v.cls == KC_MODEL_PRIV;
		}
		off += zi.length;
	}
}

/* One executable section: by its FUNC symbols, else all of it. */
static void scan_section(const u8 *img, size_t size, const Elf64_Shdr *sh,
			 unsigned int shndx, const Elf64_Sym *syms, size_t nsyms)
{
	const u8 *code = img + sh->sh_offset;
	bool any = false;
	size_t i;

	if (sh->sh_type == SHT_NOBITS || sh->sh_offset + sh->sh_size > size)
		return;
	for (i = 0; i < nsyms; i++) {
		const Elf64_Sym *s = &syms[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx != shndx ||
		    !s->st_size || s->st_value + s->st_size > sh->sh_size)
			continue;
		classify_range(code + s->st_value, s->st_size);
		any = true;
	}
	if (!any)
		classify_range(code, sh->sh_size);
}

static void scan_elf(const u8 *img, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh;
	const Elf64_Sym *syms = NULL;
	size_t nsyms = 0;
	unsigned int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > size)
		return;
	sh = (const void *)(img + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB && sh[i].sh_offset + sh[i].sh_size <= size) {
			syms = (const void *)(img + sh[i].sh_offset);
			nsyms = sh[i].sh_size / sizeof(*syms);
		}
	for (i = 0; i < eh->e_shnum; i++)
		if ((sh[i].sh_flags & SHF_EXECINSTR) && sh[i].sh_type == SHT_PROGBITS)
			scan_section(img, size, &sh[i], i, syms, nsyms);
}

static int one_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	void *img;
	int fd;

	if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".ko") || !st->st_size)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	img = mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return 0;
	cur_name = path + ftw->base;
	mod_refused = mod_priv = false;
	scan_elf(img, st->st_size);
	mods_with_refused += mod_refused;
	mods_with_priv += mod_priv;
	munmap(img, st->st_size);
	nr_modules++;
	mod_index++;
	return 0;
}

static int by_modules(const void *a, const void *b)
{
	const struct form_row *x = a, *y = b;

	if (x->cls != y->cls)
		return x->cls - y->cls;
	if (x->modules != y->modules)
		return x->modules < y->modules ? 1 : -1;
	return strcmp(ZydisMnemonicGetString(x->mn), ZydisMnemonicGetString(y->mn));
}

static void write_table(FILE *f)
{
	int i;

	qsort(rows, nr_rows, sizeof(rows[0]), by_modules);
	fprintf(f, "| Instruction | Verdict | Rule | Modules | Instructions | Example |\n");
	fprintf(f, "| --- | --- | --- | ---: | ---: | --- |\n");
	for (i = 0; i < nr_rows; i++)
		fprintf(f, "| `%s` | %s | %s | %lu | %lu | %s |\n",
			ZydisMnemonicGetString(rows[i].mn), kc_model_class_name(rows[i].cls),
			rows[i].why, rows[i].modules, rows[i].count, rows[i].example);
}

int main(int argc, char **argv)
{
	FILE *f;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: model_modules <module tree> [<table.md>]\n");
		return 2;
	}
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64,
					   ZYDIS_STACK_WIDTH_64)))
		return 2;
	if (nftw(argv[1], one_file, 16, FTW_PHYS)) {
		perror(argv[1]);
		return 2;
	}
	if (argc == 3) {
		f = fopen(argv[2], "w");
		if (!f) {
			perror(argv[2]);
			return 2;
		}
		write_table(f);
		fclose(f);
	}
	printf("# unit/model_modules: %lu modules, %lu instructions: %lu admitted, "
	       "%lu privileged, %lu refused, %lu unclassified (%lu undecodable bytes "
	       "skipped); %lu modules have a privileged and %lu a refused instruction\n",
	       nr_modules, nr_insns, by_cls[KC_MODEL_ADMIT], by_cls[KC_MODEL_PRIV],
	       by_cls[KC_MODEL_REFUSE], nr_unclassified, nr_bad, mods_with_priv,
	       mods_with_refused);
	if (nr_modules < 1000 || nr_unclassified) {
		printf("FAIL unit/model_modules/classified: %lu modules, %lu unclassified%s%s\n",
		       nr_modules, nr_unclassified, nr_unclassified ? ", first " : "",
		       first_unclassified);
		return 1;
	}
	printf("PASS unit/model_modules/classified\n");
	return 0;
}
