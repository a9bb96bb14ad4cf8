// SPDX-License-Identifier: GPL-2.0
/*
 * Loader metadata.  The kernel's module loader acts on a module's own
 * sections long before kcage's MODULE_STATE_COMING notifier sees it:
 * relocations write at offsets the module chose, module_finalize() patches
 * the instructions its .altinstructions, .parainstructions,
 * .retpoline_sites and .return_sites name, ftrace_module_init() rewrites
 * its __mcount_loc sites, the jump-label and static-call notifiers patch
 * its __jump_table and .static_call_sites sites and link its keys, and
 * parse_args() calls its __param operations.  Every one of those sections
 * is the module's to write: an entry pointing into kernel text, or at a
 * kernel function, makes the kernel itself do the attacker's work.
 *
 * For a module that will be sandboxed, kcage checks all of them before
 * the kernel applies any: at the entry of module_finalize() (x86's, which
 * load_module() calls after the relocations and before everything above)
 * and at each apply_relocate_add().  Both are redirected by an ftrace
 * handler to a wrapper here, which checks and then calls the real
 * function, or refuses with -ENOEXEC; load_module() then frees the module
 * without having applied anything.  Every entry must refer to the module's
 * own text (sites, targets, handlers), its own image (keys, strings,
 * parameter storage), or, where the kernel's own objects are legitimate,
 * to one the module imported by name (an exported static key or static
 * call, an exported param_ops_*), and be well formed: sizes, lengths and
 * the very instruction bytes the kernel expects at each site, so that a
 * bad entry cannot reach the kernel's BUG()s and WARN()s either.
 */
#include <linux/elf.h>
#include <linux/extable.h>
#include <linux/ftrace.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/srcu.h>
#include <linux/static_call_types.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <asm/alternative.h>
#include <asm/bug.h>
#include <asm/cpufeatures.h>
#include <asm/extable.h>
#include <asm/extable_fixup_types.h>
#include <asm/nospec-branch.h>
#include <asm/orc_types.h>
#include <asm/paravirt_types.h>
#include "rt/hook.h"
#include "rt/symbols.h"
#include "loader.h"
#include "takeover.h"

/* alternative.c's insn_buff: a longer entry BUG()s. */
#define LD_MAX_PATCH_LEN	(255 - 1)

/**
 * struct ld - the module being checked and where the check is
 * @mod:   The module, relocated, not yet finalized.
 * @syms:  Its symbol table: an undefined symbol's value is what the
 *         kernel resolved it to, necessarily an exported symbol.
 * @nsyms: Entries in @syms.
 * @sec:   The section being checked, for the error.
 * @idx:   The entry being checked, for the error.
 */
struct ld {
	struct module *mod;
	const Elf64_Sym *syms;
	unsigned int nsyms;
	const char *sec;
	unsigned int idx;
};

/* Kernel addresses the checks compare with, found once at init. */
static struct {
	unsigned long module_finalize;
	unsigned long apply_relocate_add;
	unsigned long thunk_array;
	unsigned long return_thunk;
	unsigned long fentry;
	const struct jump_entry *jump_start, *jump_stop;
} k;

static bool within(unsigned long a, unsigned long len, const void *lo,
		   unsigned long size);

/*
 * The refusal, naming the address: kallsyms does not know the module yet
 * (it is not formed), and would name a neighbour's symbol for its own
 * addresses, so those are given as offsets into its core or init.
 */
static int bad(const struct ld *ld, const char *why, unsigned long addr)
{
	const struct module *m = ld->mod;

	if (within(addr, 1, m->core_layout.base, m->core_layout.size))
		pr_err("module %s refused: section %s entry %u: %s (%s core+%#lx)\n",
		       m->name, ld->sec, ld->idx, why, m->name,
		       addr - (unsigned long)m->core_layout.base);
	else if (within(addr, 1, m->init_layout.base, m->init_layout.size))
		pr_err("module %s refused: section %s entry %u: %s (%s init+%#lx)\n",
		       m->name, ld->sec, ld->idx, why, m->name,
		       addr - (unsigned long)m->init_layout.base);
	else
		pr_err("module %s refused: section %s entry %u: %s (%pS)\n",
		       m->name, ld->sec, ld->idx, why, (void *)addr);
	return -ENOEXEC;
}

static int bad_section(const struct ld *ld, const char *why)
{
	pr_err("module %s refused: section %s: %s\n", ld->mod->name, ld->sec,
	       why);
	return -ENOEXEC;
}

/* [a, a + len) inside [lo, lo + size), without overflow. */
static bool within(unsigned long a, unsigned long len, const void *lo,
		   unsigned long size)
{
	unsigned long base = (unsigned long)lo;

	return lo && a >= base && a - base <= size && len <= size - (a - base);
}

static bool in_text(const struct module *m, unsigned long a, unsigned long len)
{
	return within(a, len, m->core_layout.base, m->core_layout.text_size) ||
	       within(a, len, m->init_layout.base, m->init_layout.text_size);
}

static bool in_core(const struct module *m, unsigned long a, unsigned long len)
{
	return within(a, len, m->core_layout.base, m->core_layout.size);
}

static bool in_image(const struct module *m, unsigned long a, unsigned long len)
{
	return in_core(m, a, len) ||
	       within(a, len, m->init_layout.base, m->init_layout.size);
}

/* Read-only once the module is formed (text and rodata of the core). */
static bool in_core_ro(const struct module *m, unsigned long a,
		       unsigned long len)
{
	return within(a, len, m->core_layout.base, m->core_layout.ro_size);
}

/* A NUL-terminated string that lies in the module's image. */
static bool str_in_image(const struct module *m, unsigned long a)
{
	const struct module_layout *l;
	const char *s = (const char *)a;
	unsigned long left, i;

	if (in_core(m, a, 1))
		l = &m->core_layout;
	else if (within(a, 1, m->init_layout.base, m->init_layout.size))
		l = &m->init_layout;
	else
		return false;
	left = (unsigned long)l->base + l->size - a;
	for (i = 0; i < left; i++)
		if (!s[i])
			return true;
	return false;
}

/* Did the kernel resolve one of the module's undefined symbols to @addr? */
static bool imported(const struct ld *ld, unsigned long addr)
{
	unsigned int i;

	for (i = 1; i < ld->nsyms; i++)
		if (ld->syms[i].st_shndx == SHN_UNDEF && addr &&
		    ld->syms[i].st_value == addr)
			return true;
	return false;
}

/*
 * Is @addr the start of a symbol of the kernel proper (not of a module),
 * named @prefix...?  sprint_symbol() prints "name+0x0/0xsize", with
 * " [module]" after a module's symbols.
 */
static bool kernel_symbol_is(unsigned long addr, const char *prefix)
{
	char name[KSYM_SYMBOL_LEN], *plus;

	sprint_symbol(name, addr);
	if (strchr(name, '['))
		return false;
	plus = strstr(name, "+0x0/");
	if (!plus)
		return false;
	*plus = '\0';
	return !strncmp(name, prefix, strlen(prefix));
}

/*
 * A section as module_finalize() and complete_formation() find it: by
 * name, the last one of that name.
 */
static const Elf_Shdr *section(const Elf_Ehdr *hdr, const Elf_Shdr *sechdrs,
			       const char *name)
{
	const char *strs = (void *)hdr + sechdrs[hdr->e_shstrndx].sh_offset;
	const Elf_Shdr *s, *found = NULL;

	for (s = sechdrs; s < sechdrs + hdr->e_shnum; s++)
		if (!strcmp(name, strs + s->sh_name))
			found = s;
	return found;
}

/*
 * The entries of a section the kernel walks: whole entries, in the
 * module's memory (its core when the kernel keeps a pointer to them).
 */
static int table(struct ld *ld, const Elf_Shdr *s, size_t esize, bool core,
		 unsigned int *n)
{
	*n = 0;
	if (!s || !s->sh_size)
		return 0;
	if (s->sh_size % esize)
		return bad_section(ld, "size is not a whole number of entries");
	if (!(s->sh_flags & SHF_ALLOC) ||
	    !(core ? in_core : in_image)(ld->mod, s->sh_addr, s->sh_size))
		return bad_section(ld, "lies outside the module");
	*n = s->sh_size / esize;
	return 0;
}

/* The same for a table find_module_sections() recorded in @mod. */
static int array(struct ld *ld, const void *p, unsigned int n, size_t esize)
{
	if (n && !in_core(ld->mod, (unsigned long)p, (unsigned long)n * esize))
		return bad_section(ld, "lies outside the module");
	return 0;
}

static unsigned long rel32(const s32 *p)
{
	return (unsigned long)p + *p;
}

/* Checks one entry of a table (ld->idx is its index): 0, or bad()'s error. */
typedef int (*ld_entry_fn)(struct ld *ld, const void *entry);

/* Each of the @n entries of @esize bytes at @p through @fn, in order. */
static int each_entry(struct ld *ld, const void *p, unsigned int n,
		      size_t esize, ld_entry_fn fn)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		ld->idx = i;
		ret = fn(ld, (const char *)p + (size_t)i * esize);
	}
	return ret;
}

/* The entries of section @s (table()), named @name, each through @fn. */
static int each_in_section(struct ld *ld, const Elf_Shdr *s, const char *name,
			   size_t esize, bool core, ld_entry_fn fn)
{
	unsigned int n;
	int ret;

	ld->sec = name;
	ret = table(ld, s, esize, core, &n);
	if (ret || !n)
		return ret;
	return each_entry(ld, (const void *)s->sh_addr, n, esize, fn);
}

/* A table find_module_sections() recorded (array()), each through @fn. */
static int each_in_array(struct ld *ld, const char *name, const void *p,
			 unsigned int n, size_t esize, ld_entry_fn fn)
{
	int ret;

	ld->sec = name;
	ret = array(ld, p, n, esize);
	return ret ?: each_entry(ld, p, n, esize, fn);
}

/* Every name: module_finalize() compares them before anything else. */
static int check_names(struct ld *ld, const Elf_Ehdr *hdr,
		       const Elf_Shdr *sechdrs)
{
	unsigned long strsize = sechdrs[hdr->e_shstrndx].sh_size;
	unsigned int i;

	ld->sec = "(headers)";
	for (i = 0; i < hdr->e_shnum; i++)
		if (sechdrs[i].sh_name >= strsize) {
			ld->idx = i;
			return bad(ld, "section name outside the string table", 0);
		}
	return 0;
}

static int alt_ok(struct ld *ld, const void *entry)
{
	const struct alt_instr *a = entry;
	unsigned long instr = rel32(&a->instr_offset);
	unsigned long repl = rel32(&a->repl_offset);
	u16 feature = a->cpuid & ~ALTINSTR_FLAG_INV;

	if (a->instrlen > LD_MAX_PATCH_LEN || a->replacementlen > a->instrlen)
		return bad(ld, "bad lengths", instr);
	if (feature >= (NCAPINTS + NBUGINTS) * 32)
		return bad(ld, "bad feature bit", instr);
	if (!in_text(ld->mod, instr, max_t(u8, a->instrlen, 1)))
		return bad(ld, "instruction outside the module's text", instr);
	if (!in_text(ld->mod, repl, a->replacementlen))
		return bad(ld, "replacement outside the module's text", repl);
	return 0;
}

static int para_ok(struct ld *ld, const void *entry)
{
	const struct paravirt_patch_site *p = entry;
	unsigned long instr = (unsigned long)p->instr;

	/* paravirt_patch() indexes pv_ops with the type */
	if (p->type >= sizeof(struct paravirt_patch_template) / sizeof(void *))
		return bad(ld, "bad type", instr);
	if (p->len > LD_MAX_PATCH_LEN ||
	    !in_text(ld->mod, instr, max_t(u8, p->len, 1)))
		return bad(ld, "site outside the module's text", instr);
	return 0;
}

/*
 * Sites of call/jmp/jcc rel32 to a retpoline thunk, with at most the one
 * %cs prefix that -mindirect-branch-cs-prefix adds: exactly the forms
 * apply_retpolines() accepts without a WARN, so that its decoder and this
 * check agree on the length; the thunk of %rsp BUG()s.
 */
static int retpoline_ok(struct ld *ld, const void *entry)
{
	unsigned long site = rel32(entry), pfx, len, dest, reg;
	const u8 *b = (const u8 *)site;

	if (!in_text(ld->mod, site, 6))
		return bad(ld, "site outside the module's text", site);
	pfx = b[0] == 0x2e;
	if (b[pfx] == 0xe8 || b[pfx] == 0xe9)
		len = pfx + 5;
	else if (b[pfx] == 0x0f && (b[pfx + 1] & 0xf0) == 0x80)
		len = pfx + 6;
	else
		return bad(ld, "site is not a call or jump rel32", site);
	if (!in_text(ld->mod, site, len))
		return bad(ld, "site outside the module's text", site);
	dest = site + len + *(const s32 *)(b + len - 4);
	reg = (dest - k.thunk_array) / RETPOLINE_THUNK_SIZE;
	if (!k.thunk_array || dest < k.thunk_array ||
	    (dest - k.thunk_array) % RETPOLINE_THUNK_SIZE || reg > 15 || reg == 4)
		return bad(ld, "site does not call a retpoline thunk", site);
	return 0;
}

/* Sites of jmp rel32 to __x86_return_thunk, as apply_returns() wants. */
static int return_ok(struct ld *ld, const void *entry)
{
	unsigned long site = rel32(entry);
	const u8 *b = (const u8 *)site;

	if (!in_text(ld->mod, site, 5))
		return bad(ld, "site outside the module's text", site);
	if (b[0] != 0xe9 || !k.return_thunk ||
	    site + 5 + *(const s32 *)(b + 1) != k.return_thunk)
		return bad(ld, "site is not a jump to the return thunk", site);
	return 0;
}

/* An ENDBR the kernel seals (4 bytes), an SMP lock prefix (1 byte) */
static int endbr_ok(struct ld *ld, const void *entry)
{
	if (!in_text(ld->mod, rel32(entry), 4))
		return bad(ld, "site outside the module's text", rel32(entry));
	return 0;
}

static int lock_ok(struct ld *ld, const void *entry)
{
	if (!in_text(ld->mod, rel32(entry), 1))
		return bad(ld, "site outside the module's text", rel32(entry));
	return 0;
}

/*
 * ORC: unwind_module_init() sorts both tables together by the first's
 * count, so the counts must match, and keeps them (core).  An ip may be
 * the end of a text section.
 */
static int orc_ip_ok(struct ld *ld, const void *entry)
{
	if (!in_text(ld->mod, rel32(entry), 0))
		return bad(ld, "ip outside the module's text", rel32(entry));
	return 0;
}

static int check_orc(struct ld *ld, const Elf_Shdr *ip, const Elf_Shdr *orc)
{
	unsigned int n, norc;
	int ret;

	if (!ip || !orc)
		return 0;
	ld->sec = ".orc_unwind";
	ret = table(ld, orc, sizeof(struct orc_entry), true, &norc);
	if (ret)
		return ret;
	ld->sec = ".orc_unwind_ip";
	ret = table(ld, ip, sizeof(s32), true, &n);
	if (ret || !n)
		return ret;
	if (n != norc)
		return bad_section(ld, "count differs from .orc_unwind's");
	return each_entry(ld, (const void *)ip->sh_addr, n, sizeof(s32), orc_ip_ok);
}

/*
 * A jump-label site: what arch_jump_entry_size() and __jump_label_patch()
 * expect (a 2- or 5-byte nop, or a jmp to the entry's target); anything
 * else BUG()s when the key changes.
 */
static bool jump_site_ok(const struct module *m, unsigned long code,
			 unsigned long target)
{
	static const u8 nop2[] = { 0x66, 0x90 };
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const u8 *b = (const u8 *)code;

	if (!memcmp(b, nop2, 2))
		return true;
	if (b[0] == 0xeb)
		return code + 2 + (s8)b[1] == target;
	if (!in_text(m, code, 5))
		return false;
	if (!memcmp(b, nop5, 5))
		return true;
	return b[0] == 0xe9 && code + 5 + *(const s32 *)(b + 1) == target;
}

/* Is @key a key of the kernel's own jump table (sorted by key at boot)? */
static bool kernel_key(unsigned long key)
{
	const struct jump_entry *lo = k.jump_start, *hi = k.jump_stop;

	while (lo && lo < hi) {
		const struct jump_entry *mid = lo + (hi - lo) / 2;
		unsigned long mkey = (unsigned long)jump_entry_key(mid);

		if (mkey == key)
			return true;
		if (mkey < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * A key the module may use: its own (in its core: the kernel links the
 * key's entries, and keeps them), or a static key of the kernel's that it
 * imported by name (the symbol it lies in, say a tracepoint whose key is
 * a member), which the kernel's own jump table shows is a real key.
 */
static bool key_ok(const struct ld *ld, unsigned long key, size_t size)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned long off;

	if (in_core(ld->mod, key, size))
		return true;
	if (!kcage_symbol_name(key, name, &off))
		return false;
	return imported(ld, key - off) && kernel_key(key);
}

static int jump_ok(struct ld *ld, const void *entry)
{
	const struct jump_entry *e = entry;
	unsigned long code = jump_entry_code(e);
	unsigned long target = jump_entry_target(e);
	unsigned long key = (unsigned long)jump_entry_key(e);

	if (!in_text(ld->mod, code, 2))
		return bad(ld, "code outside the module's text", code);
	if (!in_text(ld->mod, target, 1))
		return bad(ld, "target outside the module's text", target);
	if (!jump_site_ok(ld->mod, code, target))
		return bad(ld, "code is not a jump-label site", code);
	if (!key_ok(ld, key, sizeof(struct static_key)))
		return bad(ld, "key is neither the module's nor an imported kernel key",
			   key);
	return 0;
}

/*
 * A static-call site: what __static_call_validate() accepts (else it
 * BUG()s), and a key that is the module's own or an imported kernel
 * static call (its key __SCK__*, or its trampoline __SCT__*, whose key
 * static_call_add_module() looks up itself).
 */
static bool static_site_ok(const struct module *m, unsigned long a, bool tail)
{
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const u8 xor5rax[] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };
	const u8 *b = (const u8 *)a;

	if (!in_text(m, a, 5))
		return false;
	if (tail)
		return b[0] == 0xe9 || b[0] == 0xc3 ||
		       (b[0] == 0x0f && (b[1] & 0xf0) == 0x80 &&
			in_text(m, a, 6));
	return b[0] == 0xe8 || !memcmp(b, nop5, 5) || !memcmp(b, xor5rax, 5);
}

static int static_call_ok(struct ld *ld, const void *entry)
{
	const struct static_call_site *s = entry;
	unsigned long addr = rel32(&s->addr);
	unsigned long raw = (unsigned long)&s->key + (long)s->key;
	unsigned long key = raw & ~STATIC_CALL_SITE_FLAGS;

	if (!in_text(ld->mod, addr, 1))
		return bad(ld, "site outside the module's text", addr);
	if (!static_site_ok(ld->mod, addr, raw & STATIC_CALL_SITE_TAIL))
		return bad(ld, "site is not a static call", addr);
	if (in_core(ld->mod, key, sizeof(struct static_call_key)))
		return 0;
	if (!imported(ld, key) || !(kernel_symbol_is(key, "__SCK__") ||
				    kernel_symbol_is(key, "__SCT__")))
		return bad(ld, "key is neither the module's nor an imported kernel static call",
			   key);
	return 0;
}

/* ftrace_module_init() expects a call to __fentry__ at every site. */
static int mcount_ok(struct ld *ld, const void *entry)
{
	unsigned long site = *(const unsigned long *)entry;
	const u8 *b = (const u8 *)site;

	if (!site)
		return 0;	/* skipped by ftrace_process_locs() */
	if (!in_text(ld->mod, site, 5))
		return bad(ld, "site outside the module's text", site);
	if (b[0] != 0xe8 || !k.fentry ||
	    site + 5 + *(const s32 *)(b + 1) != k.fentry)
		return bad(ld, "site is not a call to __fentry__", site);
	return 0;
}

static int check_mcount(struct ld *ld)
{
	struct module *m = ld->mod;
	unsigned int n = m->num_ftrace_callsites;

	/* in the init part: the kernel drops the list after load */
	ld->sec = "__mcount_loc";
	if (n && !in_image(m, (unsigned long)m->ftrace_callsites,
			   (unsigned long)n * sizeof(unsigned long)))
		return bad_section(ld, "lies outside the module");
	return each_entry(ld, m->ftrace_callsites, n, sizeof(unsigned long),
			  mcount_ok);
}

/*
 * Exception-table entries: the faulting instruction and its fixup in the
 * module's text, and a handler type meant for modules.  EX_TYPE_BPF reads
 * a pt_regs offset out of the fixup field (a write anywhere near the
 * stack); the *_IN_MCE, FPU, %fs and SGX types are the kernel's own.
 * EX_TYPE_POP_REG adds 8 to the saved %rsp, and a handler that writes the
 * register an entry names would set it with register 4: the module's
 * %rsp would move with no check of kcage's (pivot.c, floor.c).
 */
static bool ex_type_ok(unsigned int type)
{
	switch (type) {
	case EX_TYPE_DEFAULT:
	case EX_TYPE_FAULT:
	case EX_TYPE_UACCESS:
	case EX_TYPE_COPY:
	case EX_TYPE_WRMSR:
	case EX_TYPE_RDMSR:
	case EX_TYPE_WRMSR_SAFE:
	case EX_TYPE_RDMSR_SAFE:
	case EX_TYPE_DEFAULT_MCE_SAFE:
	case EX_TYPE_FAULT_MCE_SAFE:
	case EX_TYPE_IMM_REG:
	case EX_TYPE_UCOPY_LEN:
	case EX_TYPE_ZEROPAD:
		return true;
	}
	return false;
}

static int extable_ok(struct ld *ld, const void *entry)
{
	const struct exception_table_entry *e = entry;
	unsigned long insn = rel32(&e->insn);
	unsigned long fixup = rel32(&e->fixup);

	if (!in_text(ld->mod, insn, 1))
		return bad(ld, "instruction outside the module's text", insn);
	if (!in_text(ld->mod, fixup, 1))
		return bad(ld, "fixup outside the module's text", fixup);
	if (!ex_type_ok(e->data & EX_DATA_TYPE_MASK))
		return bad(ld, "handler type not allowed to modules", insn);
	/* pt_regs_nr()'s 4: a handler writing it would set the stack pointer */
	if (((e->data & EX_DATA_REG_MASK) >> EX_DATA_REG_SHIFT) == 4)
		return bad(ld, "handler writes the stack pointer", insn);
	return 0;
}

/* report_bug() finds entries by address, prints their file and sets flags. */
static int bug_ok(struct ld *ld, const void *entry)
{
	const struct bug_entry *b = entry;
	unsigned long addr = rel32(&b->bug_addr_disp);

	if (!in_text(ld->mod, addr, 2))
		return bad(ld, "address outside the module's text", addr);
#ifdef CONFIG_DEBUG_BUGVERBOSE
	if (b->file_disp && !str_in_image(ld->mod, rel32(&b->file_disp)))
		return bad(ld, "file name outside the module", rel32(&b->file_disp));
#endif
	return 0;
}

/*
 * Parameters.  The kernel calls kp->ops->set at load (parse_args), ->get
 * on a read of /sys/module/NAME/parameters, ->free at unload, on the
 * storage the entry names.  The operations must be the module's own
 * (read-only once formed: rodata) or the kernel's exported param_ops_*;
 * whenever a kernel function does the work, the storage must be the
 * module's, as wide as the function writes.
 */
static const struct {
	const char *name;
	unsigned int size;
} scalar_ops[] = {
	{ "byte", 1 }, { "short", 2 }, { "ushort", 2 }, { "int", 4 },
	{ "uint", 4 }, { "long", 8 }, { "ulong", 8 }, { "ullong", 8 },
	{ "hexint", 4 }, { "charp", 8 }, { "bool", 1 },
	{ "bool_enable_only", 1 }, { "invbool", 1 }, { "bint", 4 },
};

/* Is @addr the kernel proper's symbol @name itself (not a module's)? */
static bool exactly(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	sprint_symbol(buf, addr);
	return !strchr(buf, '[') && !strncmp(buf, name, len) &&
	       !strncmp(buf + len, "+0x0/", 5);
}

/* The width a kernel param_{ops,set,get,free}_* writes or reads; 0: none. */
static unsigned int kernel_param_width(unsigned long addr, const char *kind)
{
	char name[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scalar_ops); i++) {
		snprintf(name, sizeof(name), "param_%s_%s", kind,
			 scalar_ops[i].name);
		if (exactly(addr, name))
			return scalar_ops[i].size;
	}
	return 0;
}

static int check_param_ops(struct ld *ld, const struct kernel_param_ops *ops,
			   unsigned long arg, bool in_array);

/* param_ops_string's storage: a kparam_string and its buffer. */
static int check_param_string(struct ld *ld, unsigned long arg)
{
	const struct kparam_string *str = (const void *)arg;

	if (!in_image(ld->mod, arg, sizeof(*str)) ||
	    !in_image(ld->mod, (unsigned long)str->string, str->maxlen))
		return bad(ld, "string storage outside the module", arg);
	return 0;
}

/* param_array_ops' storage: a kparam_array, its count and elements. */
static int check_param_array(struct ld *ld, unsigned long arg)
{
	const struct kparam_array *arr = (const void *)arg;
	if (!in_image(ld->mod, arg, sizeof(*arr)) ||
	    (arr->num && !in_image(ld->mod, (unsigned long)arr->num,
				   sizeof(*arr->num))) ||
	    !in_image(ld->mod, (unsigned long)arr->elem,
		      (unsigned long)arr->max * arr->elemsize))
		return bad(ld, "array storage outside the module", arg);
	/*
	 * The elements lie in the module: one check at the last element
	 * bounds the width the operations write at every element.
	 */
	if (!arr->max)
		return 0;
	return check_param_ops(ld, arr->ops, (unsigned long)arr->elem +
			       (unsigned long)(arr->max - 1) * arr->elemsize,
			       true);
}

/* One function of the module's own ops: its own text, or a kernel helper. */
static int check_param_fn(struct ld *ld, unsigned long fn, const char *kind,
			  unsigned long arg)
{
	unsigned int width;

	if (!fn || in_text(ld->mod, fn, 1))
		return 0;
	width = kernel_param_width(fn, kind);
	if (!width)
		return bad(ld, "operation is neither the module's nor a kernel param helper",
			   fn);
	if (!in_image(ld->mod, arg, width))
		return bad(ld, "storage outside the module", arg);
	return 0;
}

static int check_param_ops(struct ld *ld, const struct kernel_param_ops *ops,
			   unsigned long arg, bool in_array)
{
	unsigned long p = (unsigned long)ops;
	unsigned int width;
	int ret;

	if (exactly(p, "param_ops_string"))
		return in_array ? bad(ld, "string array", p) :
				  check_param_string(ld, arg);
	if (exactly(p, "param_array_ops"))
		return in_array ? bad(ld, "nested array", p) :
				  check_param_array(ld, arg);
	width = kernel_param_width(p, "ops");
	if (width)
		return in_image(ld->mod, arg, width) ? 0 :
		       bad(ld, "storage outside the module", arg);
	if (!in_core_ro(ld->mod, p, sizeof(*ops)))
		return bad(ld, "operations are neither the module's read-only data nor a kernel param_ops_*",
			   p);
	ret = check_param_fn(ld, (unsigned long)ops->set, "set", arg);
	if (!ret)
		ret = check_param_fn(ld, (unsigned long)ops->get, "get", arg);
	if (!ret)
		ret = check_param_fn(ld, (unsigned long)ops->free, "free", arg);
	return ret;
}

static int check_params(struct ld *ld)
{
	struct module *m = ld->mod;
	const struct kernel_param *kp = m->kp;
	unsigned int i;
	int ret;

	ld->sec = "__param";
	ret = array(ld, kp, m->num_kp, sizeof(*kp));
	for (i = 0; i < m->num_kp && !ret; i++, kp++) {
		ld->idx = i;
		if (!str_in_image(m, (unsigned long)kp->name))
			ret = bad(ld, "name outside the module",
				  (unsigned long)kp->name);
		else if (kp->mod != m)
			ret = bad(ld, "belongs to another module",
				  (unsigned long)kp->mod);
		else
			ret = check_param_ops(ld, kp->ops,
					      (unsigned long)kp->arg, false);
	}
	return ret;
}

/*
 * Objects the kernel links into its own lists or initializes at
 * MODULE_STATE_COMING (the SRCU, tracepoint and trace-event notifiers run
 * before kcage's): each must be the module's own, in its core (the eval
 * maps, copied at COMING, are __initdata: anywhere in it).  Address
 * lists (kprobe blacklist, error injection, constructors) must name the
 * module's text.  What those objects hold is not checked here.
 */
static int check_ptrs(struct ld *ld, const char *name, void *const *p,
		      unsigned int n, size_t size, bool core)
{
	unsigned int i;
	int ret;

	ld->sec = name;
	ret = array(ld, p, n, sizeof(*p));
	for (i = 0; i < n && !ret; i++) {
		ld->idx = i;
		if (!(core ? in_core : in_image)(ld->mod, (unsigned long)p[i],
						 size))
			ret = bad(ld, "object outside the module",
				  (unsigned long)p[i]);
	}
	return ret;
}

static int check_addrs(struct ld *ld, const char *name,
		       const unsigned long *p, unsigned int n, size_t stride)
{
	unsigned int i;
	int ret = 0;

	ld->sec = name;
	/* constructors (.init_array) are in the init part */
	if (n && !in_image(ld->mod, (unsigned long)p, (unsigned long)n * stride))
		ret = bad_section(ld, "lies outside the module");
	for (i = 0; i < n && !ret; i++) {
		unsigned long a = *(const unsigned long *)((const char *)p +
							   i * stride);

		ld->idx = i;
		if (!in_text(ld->mod, a, 1))
			ret = bad(ld, "address outside the module's text", a);
	}
	return ret;
}

#ifdef CONFIG_TRACEPOINTS
static int tracepoint_ok(struct ld *ld, const void *entry)
{
	unsigned long tp = (unsigned long)tracepoint_ptr_deref(entry);

	if (!in_core(ld->mod, tp, sizeof(struct tracepoint)))
		return bad(ld, "object outside the module", tp);
	return 0;
}
#endif

#ifdef CONFIG_BPF_EVENTS
static int bpf_raw_ok(struct ld *ld, const void *entry)
{
	const struct bpf_raw_event_map *e = entry;

	if (!in_core(ld->mod, (unsigned long)e->tp, sizeof(struct tracepoint)))
		return bad(ld, "tracepoint outside the module", (unsigned long)e->tp);
	if (!in_text(ld->mod, (unsigned long)e->bpf_func, 1))
		return bad(ld, "function outside the module's text",
			   (unsigned long)e->bpf_func);
	return 0;
}
#endif

static int check_lists(struct ld *ld)
{
	struct module *m = ld->mod;
	int ret = 0;

#ifdef CONFIG_TREE_SRCU
	ret = check_ptrs(ld, "___srcu_struct_ptrs", (void *const *)m->srcu_struct_ptrs,
			 m->num_srcu_structs, sizeof(struct srcu_struct), true);
#endif
#ifdef CONFIG_TRACEPOINTS
	ret = ret ?: each_in_array(ld, "__tracepoints_ptrs", m->tracepoints_ptrs,
				   m->num_tracepoints, sizeof(*m->tracepoints_ptrs),
				   tracepoint_ok);
#endif
#ifdef CONFIG_BPF_EVENTS
	ret = ret ?: each_in_array(ld, "__bpf_raw_tp_map", m->bpf_raw_events,
				   m->num_bpf_raw_events, sizeof(*m->bpf_raw_events),
				   bpf_raw_ok);
#endif
#ifdef CONFIG_EVENT_TRACING
	if (!ret)
		ret = check_ptrs(ld, "_ftrace_events", (void *const *)m->trace_events,
				 m->num_trace_events,
				 sizeof(struct trace_event_call), true);
	if (!ret)
		ret = check_ptrs(ld, "_ftrace_eval_map", (void *const *)m->trace_evals,
				 m->num_trace_evals,
				 sizeof(struct trace_eval_map), false);
#endif
#ifdef CONFIG_KPROBES
	if (!ret)
		ret = check_addrs(ld, "_kprobe_blacklist", m->kprobe_blacklist,
				  m->num_kprobe_blacklist, sizeof(unsigned long));
#endif
#ifdef CONFIG_FUNCTION_ERROR_INJECTION
	if (!ret)
		ret = check_addrs(ld, "_error_injection_whitelist",
				  (const unsigned long *)m->ei_funcs,
				  m->num_ei_funcs, sizeof(*m->ei_funcs));
#endif
#ifdef CONFIG_CONSTRUCTORS
	if (!ret)
		ret = check_addrs(ld, ".init_array", (const unsigned long *)m->ctors,
				  m->num_ctors, sizeof(*m->ctors));
#endif
	return ret;
}

/* .gnu.linkonce.this_module: the kernel calls mod->init and mod->exit. */
static int check_entry_points(struct ld *ld)
{
	struct module *m = ld->mod;

	ld->sec = ".gnu.linkonce.this_module";
	ld->idx = 0;
	if (m->init && !in_text(m, (unsigned long)m->init, 1))
		return bad(ld, "init outside the module's text",
			   (unsigned long)m->init);
#ifdef CONFIG_MODULE_UNLOAD
	if (m->exit && !in_text(m, (unsigned long)m->exit, 1))
		return bad(ld, "exit outside the module's text",
			   (unsigned long)m->exit);
#endif
	return 0;
}

static void find_symtab(struct ld *ld, const Elf_Ehdr *hdr,
			const Elf_Shdr *sechdrs)
{
	unsigned int i;

	/* the one load_module() used (setup_load_info(): the first) */
	for (i = 1; i < hdr->e_shnum; i++)
		if (sechdrs[i].sh_type == SHT_SYMTAB) {
			ld->syms = (void *)sechdrs[i].sh_addr;
			ld->nsyms = sechdrs[i].sh_size / sizeof(Elf64_Sym);
			return;
		}
}

/* Everything the kernel will apply after module_finalize() is entered. */
static int check_module(const Elf_Ehdr *hdr, const Elf_Shdr *sechdrs,
			struct module *mod)
{
	struct ld ld = { .mod = mod };
	const Elf_Shdr *locks;
	int ret;

	ret = check_names(&ld, hdr, sechdrs);
	if (ret)
		return ret;
	find_symtab(&ld, hdr, sechdrs);
	locks = section(hdr, sechdrs, ".smp_locks");
	ret = each_in_section(&ld, section(hdr, sechdrs, ".altinstructions"),
			      ".altinstructions", sizeof(struct alt_instr), false,
			      alt_ok);
	ret = ret ?: each_in_section(&ld, section(hdr, sechdrs, ".parainstructions"),
				     ".parainstructions",
				     sizeof(struct paravirt_patch_site), false,
				     para_ok);
	ret = ret ?: each_in_section(&ld, section(hdr, sechdrs, ".retpoline_sites"),
				     ".retpoline_sites", sizeof(s32), false,
				     retpoline_ok);
	ret = ret ?: each_in_section(&ld, section(hdr, sechdrs, ".return_sites"),
				     ".return_sites", sizeof(s32), false, return_ok);
	ret = ret ?: each_in_section(&ld, section(hdr, sechdrs, ".ibt_endbr_seal"),
				     ".ibt_endbr_seal", sizeof(s32), false, endbr_ok);
	/* the SMP-lock list is kept; the kernel patches sites in .text only */
	if (!ret && section(hdr, sechdrs, ".text"))
		ret = each_in_section(&ld, locks, ".smp_locks", sizeof(s32), true,
				      lock_ok);
	ret = ret ?: check_orc(&ld, section(hdr, sechdrs, ".orc_unwind_ip"),
			       section(hdr, sechdrs, ".orc_unwind"));
	ret = ret ?: each_in_array(&ld, "__jump_table", mod->jump_entries,
				   mod->num_jump_entries, sizeof(struct jump_entry),
				   jump_ok);
	ret = ret ?: each_in_array(&ld, ".static_call_sites", mod->static_call_sites,
				   mod->num_static_call_sites,
				   sizeof(struct static_call_site), static_call_ok);
	ret = ret ?: check_mcount(&ld);
	ret = ret ?: each_in_array(&ld, "__ex_table", mod->extable, mod->num_exentries,
				   sizeof(struct exception_table_entry), extable_ok);
	ret = ret ?: each_in_section(&ld, section(hdr, sechdrs, "__bug_table"),
				     "__bug_table", sizeof(struct bug_entry), true,
				     bug_ok);
	if (!ret)
		ret = check_params(&ld);
	if (!ret)
		ret = check_lists(&ld);
	if (!ret)
		ret = check_entry_points(&ld);
	return ret;
}

/*
 * Relocations: __apply_relocate_add() writes 4 or 8 bytes at the target
 * section's address plus r_offset, unchecked, anywhere whose old value is
 * zero, and reads the symbol at an unchecked index.
 */
static int check_relocs(const Elf64_Shdr *sechdrs, unsigned int symindex,
			unsigned int relsec, struct module *mod)
{
	const Elf64_Shdr *rs = &sechdrs[relsec];
	const Elf64_Shdr *target = &sechdrs[rs->sh_info];
	const Elf64_Rela *rel = (void *)rs->sh_addr;
	unsigned long nsyms = sechdrs[symindex].sh_size / sizeof(Elf64_Sym);
	struct ld ld = { .mod = mod, .sec = "(relocations)" };
	unsigned long i, n = rs->sh_size / sizeof(*rel), width;

	for (i = 0; i < n; i++, rel++) {
		ld.idx = i;
		switch (ELF64_R_TYPE(rel->r_info)) {
		case R_X86_64_NONE:
			width = 0;
			break;
		case R_X86_64_32:
		case R_X86_64_32S:
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			width = 4;
			break;
		case R_X86_64_64:
		case R_X86_64_PC64:
			width = 8;
			break;
		default:
			return bad(&ld, "unknown relocation type", 0);
		}
		if (ELF64_R_SYM(rel->r_info) >= nsyms)
			return bad(&ld, "symbol index outside the symbol table",
				   0);
		if (rel->r_offset > target->sh_size ||
		    width > target->sh_size - rel->r_offset)
			return bad(&ld, "offset outside the relocated section",
				   target->sh_addr + rel->r_offset);
	}
	return 0;
}

/* kcage's ftrace handlers may not sleep: the wrappers decide. */
static bool wanted(struct module *mod)
{
	return kcage_takeover_wanted(mod->name);
}

static int loader_finalize(const Elf_Ehdr *hdr, const Elf_Shdr *sechdrs,
			   struct module *mod)
{
	int (*real)(const Elf_Ehdr *, const Elf_Shdr *, struct module *) =
		(void *)k.module_finalize;
	int ret = 0;

	if (wanted(mod))
		ret = check_module(hdr, sechdrs, mod);
	if (!ret)
		ret = real(hdr, sechdrs, mod);
	module_put(THIS_MODULE);
	return ret;
}

static int loader_relocate(Elf64_Shdr *sechdrs, const char *strtab,
			   unsigned int symindex, unsigned int relsec,
			   struct module *mod)
{
	int (*real)(Elf64_Shdr *, const char *, unsigned int, unsigned int,
		    struct module *) = (void *)k.apply_relocate_add;
	int ret = 0;

	if (wanted(mod))
		ret = check_relocs(sechdrs, symindex, relsec, mod);
	if (!ret)
		ret = real(sechdrs, strtab, symindex, relsec, mod);
	module_put(THIS_MODULE);
	return ret;
}

/*
 * Redirect a call from the loader to the wrapper; the wrapper's own call
 * of the real function (its return address inside kcage) goes through.
 * The reference keeps kcage loaded while a wrapper runs.
 */
static void redirect(struct ftrace_regs *fregs, unsigned long parent_ip,
		     void *wrapper)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (!regs || within_module(parent_ip, THIS_MODULE))
		return;
	if (!try_module_get(THIS_MODULE))
		return;
	regs->ip = (unsigned long)wrapper;
}

static void finalize_handler(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	redirect(fregs, parent_ip, loader_finalize);
}

static void relocate_handler(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	redirect(fregs, parent_ip, loader_relocate);
}

static struct ftrace_ops finalize_ops = {
	.func = finalize_handler,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		 FTRACE_OPS_FL_PERMANENT,
};

static struct ftrace_ops relocate_ops = {
	.func = relocate_handler,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		 FTRACE_OPS_FL_PERMANENT,
};

static const struct kcage_hook hooks[] = {
	{ &finalize_ops, "module_finalize" },
	{ &relocate_ops, "apply_relocate_add" },
};

/**
 * kcage_loader_init - check loader metadata of modules to be sandboxed
 *
 * Finds what the checks compare with and hooks module_finalize() and
 * apply_relocate_add().  A kernel address that cannot be found only
 * makes the check that needs it refuse.
 *
 * Return: 0, or the error hooking; without the hooks kcage does not load.
 */
int kcage_loader_init(void)
{
	k.module_finalize = kcage_symbol_lookup("module_finalize");
	k.apply_relocate_add = kcage_symbol_lookup("apply_relocate_add");
	k.thunk_array = kcage_symbol_lookup("__x86_indirect_thunk_array");
	k.return_thunk = kcage_symbol_lookup("__x86_return_thunk");
	k.fentry = kcage_symbol_lookup("__fentry__");
	k.jump_start = (void *)kcage_symbol_lookup("__start___jump_table");
	k.jump_stop = (void *)kcage_symbol_lookup("__stop___jump_table");
	if (!k.module_finalize || !k.apply_relocate_add) {
		pr_err("cannot find the module loader's functions\n");
		return -ENOENT;
	}
	return kcage_hook_all(hooks, ARRAY_SIZE(hooks));
}

/**
 * kcage_loader_exit - stop checking loader metadata
 */
void kcage_loader_exit(void)
{
	kcage_unhook_all(hooks, ARRAY_SIZE(hooks));
}
