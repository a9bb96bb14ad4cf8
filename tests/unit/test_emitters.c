// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit tests of the named x86 emitters and labels of
 * kmod/core/emit.c, against binutils: each case's bytes must be the
 * expected encoding (the shortest one, or the form the checks rely on),
 * and objdump must read them as the expected instructions.
 *
 *	test_emitters [objdump]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "emit.h"
#include "unit.h"

#define BASE	0x1000ull	/* where the cases' code executes */

static const char *objdump = "objdump";

/*
 * What objdump reads in @n bytes at @b, executing at BASE: its
 * instructions, whitespace collapsed, joined with "; ".
 */
static int disassemble(const u8 *b, size_t n, char *out, size_t outlen)
{
	char path[] = "/tmp/kcage-emit-XXXXXX", cmd[256], line[256];
	size_t len = 0;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s -D -b binary -m i386:x86-64 --no-show-raw-insn "
		 "--adjust-vma=0x%llx %s", objdump, BASE, path);
	f = popen(cmd, "r");
	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char *text = strchr(line, '\t'), *p;
		bool space = false;

		/* "    1000:\tpush   %r10": the part after the address */
		if (!text || !strchr(line, ':') || strchr(line, ':') > text)
			continue;
		if (len)
			len += snprintf(out + len, outlen - len, "; ");
		for (p = text + 1; *p && *p != '\n' && len + 1 < outlen; p++) {
			if (*p == ' ' || *p == '\t') {
				space = true;
				continue;
			}
			if (space && len && out[len - 1] != ' ')
				out[len++] = ' ';
			space = false;
			out[len++] = *p;
		}
		out[len] = '\0';
	}
	unlink(path);
	return f && pclose(f) == 0 ? 0 : -1;
}

static void hex(const u8 *b, size_t n, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(out + strlen(out), "%s%02x", i ? " " : "", b[i]);
}

struct emit_case {
	const char *name;
	int (*emit)(struct kc_emitter *e);
	const char *bytes;	/* as hex() prints them */
	const char *text;	/* as disassemble() prints them */
};

/* One emitter call per case: a function named after the case. */
#define CASE(name, call)						\
	static int name(struct kc_emitter *e)				\
	{								\
		return call;						\
	}

CASE(pushf, kc_emit_pushf(e))
CASE(popf, kc_emit_popf(e))
CASE(push_rax, kc_emit_push_reg(e, KC_RAX))
CASE(push_r10, kc_emit_push_reg(e, KC_R10))
CASE(pop_rdx, kc_emit_pop_reg(e, KC_RDX))
CASE(pop_r11, kc_emit_pop_reg(e, KC_R11))
CASE(push_imm32, kc_emit_push_imm32(e, -0x3fffe000))
CASE(push_ld_rsp, kc_emit_push_ld(e, KC_MEM(KC_RSP, 16)))
CASE(push_ld_r12, kc_emit_push_ld(e, KC_MEM(KC_R12, 0x100)))
CASE(pop_rsp, kc_emit_pop_reg(e, KC_RSP))
CASE(mov_reg, kc_emit_mov_reg(e, KC_RAX, KC_RDI))
CASE(mov_reg_r9, kc_emit_mov_reg(e, KC_RAX, KC_R9))
CASE(mov32_reg, kc_emit_mov32_reg(e, KC_RAX, KC_RCX))
CASE(movzwl_reg, kc_emit_movzwl_reg(e, KC_RAX, KC_RDX))
CASE(mov_ld_gs, kc_emit_mov_ld(e, KC_R11, KC_MEM_GS(0x1f0c0)))
CASE(mov_ld_disp8, kc_emit_mov_ld(e, KC_R10, KC_MEM(KC_R11, 0x48)))
CASE(mov_ld_disp32, kc_emit_mov_ld(e, KC_RDX, KC_MEM(KC_RDX, 0x1234)))
CASE(mov_ld_rsp, kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RSP, 0)))
CASE(mov_ld_r11, kc_emit_mov_ld(e, KC_R11, KC_MEM(KC_R11, 0)))
CASE(mov_ld_rbp, kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_RBP, 0)))
CASE(mov_ld_r13, kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_R13, 0)))
CASE(mov_ld_r12, kc_emit_mov_ld(e, KC_RAX, KC_MEM(KC_R12, -8)))
CASE(mov_st_index, kc_emit_mov_st(e, KC_MEM_INDEX(KC_R11, KC_R10, 0x88), KC_RSP))
CASE(mov_st_imm32, kc_emit_mov_st_imm32(e, KC_MEM_INDEX(KC_R11, KC_R10, 0x80),
					0x12345678))
CASE(mov_st_scale, kc_emit_mov_st(e, ((struct kc_mem){ .base = KC_RAX,
		.index = KC_R12, .scale = 8, .disp = 8 }), KC_RCX))
CASE(lea_rsp, kc_emit_lea(e, KC_RSP, KC_MEM(KC_RSP, 16)))
CASE(lea_rsp_far, kc_emit_lea(e, KC_RAX, KC_MEM(KC_RSP, 0x10010)))
CASE(lea_index, kc_emit_lea(e, KC_R11, KC_MEM_INDEX(KC_R11, KC_R10, 0x80)))
CASE(lea_r10, kc_emit_lea(e, KC_R10, KC_MEM(KC_RSP, 16)))
CASE(lea_rax_neg, kc_emit_lea(e, KC_RAX, KC_MEM(KC_RAX, -24)))
CASE(add_reg, kc_emit_add_reg(e, KC_RAX, KC_RDX))
CASE(sub_reg, kc_emit_sub_reg(e, KC_RAX, KC_RDX))
CASE(xor_reg, kc_emit_xor_reg(e, KC_RAX, KC_RSP))
CASE(sub_ld, kc_emit_sub_ld(e, KC_RAX, KC_MEM(KC_RDX, 0x68)))
CASE(xor_ld_gs, kc_emit_xor_ld(e, KC_RAX, KC_MEM_GS(0x2a000)))
CASE(cmp_ld, kc_emit_cmp_ld(e, KC_RAX, KC_MEM(KC_RDX, 0x70)))
CASE(cmp_st, kc_emit_cmp_st(e, KC_MEM(KC_R11, 8), KC_R10))
CASE(cmp_st_rsp, kc_emit_cmp_st(e, KC_MEM(KC_RSP, 16), KC_R11))
CASE(add_imm8, kc_emit_add_imm(e, KC_RAX, 8))
CASE(add_imm32, kc_emit_add_imm(e, KC_RAX, 0x100))
CASE(sub_imm8, kc_emit_sub_imm(e, KC_R10, 127))
CASE(sub_imm32, kc_emit_sub_imm(e, KC_R10, 128))
CASE(cmp_imm_rax, kc_emit_cmp_imm(e, KC_RAX, -0x3f000000))
CASE(cmp_imm_r10, kc_emit_cmp_imm(e, KC_R10, 0x3f0))
CASE(cmp_imm8, kc_emit_cmp_imm(e, KC_RCX, -1))
CASE(cmp32_imm, kc_emit_cmp32_imm(e, KC_RAX, 0x600))
CASE(and32_imm, kc_emit_and32_imm(e, KC_RAX, 0x3fff))
CASE(shr_imm, kc_emit_shr_imm(e, KC_RAX, 14))
CASE(add_mem_imm, kc_emit_add_mem_imm(e, KC_MEM(KC_R11, 0x48), 16))
CASE(add_mem_index, kc_emit_add_mem_imm(e, KC_MEM_INDEX(KC_R11, KC_R10, 0x88), 8))
CASE(sub_mem_imm, kc_emit_sub_mem_imm(e, KC_MEM(KC_R11, 0x48), 16))
CASE(cmp_mem_imm8, kc_emit_cmp_mem_imm(e, KC_MEM(KC_RDX, 0x78), 3))
CASE(cmp_mem_imm32, kc_emit_cmp_mem_imm(e, KC_MEM(KC_RDX, 0x78), 200))
CASE(inc_mem, kc_emit_inc_mem(e, KC_MEM(KC_R11, 0x50)))
CASE(xor_mem_imm8, kc_emit_xor_mem_imm(e, KC_MEM(KC_RSP, 8), 5))
CASE(xor_mem_imm32, kc_emit_xor_mem_imm(e, KC_MEM(KC_RSP, 0), 0x12345678))
CASE(ret, kc_emit_ret(e))
CASE(and_imm8, kc_emit_and_imm(e, KC_RAX, -16))
CASE(and_imm32, kc_emit_and_imm(e, KC_RAX, -0x4000))
CASE(and_reg, kc_emit_and_reg(e, KC_RAX, KC_RCX))
CASE(add_ld, kc_emit_add_ld(e, KC_RAX, KC_MEM(KC_RSP, 0)))
CASE(and_ld, kc_emit_and_ld(e, KC_RAX, KC_MEM(KC_RSP, 0)))
CASE(neg, kc_emit_neg(e, KC_RAX))
CASE(sar_imm, kc_emit_sar_imm(e, KC_RDX, 6))
CASE(movsx16, kc_emit_movsx(e, KC_RDX, KC_RDX, 16))
CASE(movsx32, kc_emit_movsx(e, KC_RDX, KC_RDX, 32))
CASE(lea_scaled, kc_emit_lea(e, KC_RAX, ((struct kc_mem){ .base = KC_RAX,
		.index = KC_RDX, .scale = 8, .disp = 0 })))
/* BASE is 4-byte aligned: a rel32 after 1, 2 or 3 opcode bytes */
CASE(align_pad3, kc_emit_align_rel32(e, 1))
CASE(align_pad2, kc_emit_align_rel32(e, 2))
CASE(align_pad1, kc_emit_align_rel32(e, 3))

static const struct emit_case cases[] = {
	{ "pushf", pushf, "9c", "pushf" },
	{ "popf", popf, "9d", "popf" },
	{ "push_rax", push_rax, "50", "push %rax" },
	{ "push_r10", push_r10, "41 52", "push %r10" },
	{ "pop_rdx", pop_rdx, "5a", "pop %rdx" },
	{ "pop_r11", pop_r11, "41 5b", "pop %r11" },
	{ "push_imm32", push_imm32, "68 00 20 00 c0", "push $0xffffffffc0002000" },
	{ "push_ld_rsp", push_ld_rsp, "ff 74 24 10", "push 0x10(%rsp)" },
	{ "push_ld_r12", push_ld_r12, "41 ff b4 24 00 01 00 00", "push 0x100(%r12)" },
	{ "pop_rsp", pop_rsp, "5c", "pop %rsp" },
	{ "mov_reg", mov_reg, "48 89 f8", "mov %rdi,%rax" },
	{ "mov_reg_r9", mov_reg_r9, "4c 89 c8", "mov %r9,%rax" },
	{ "mov32_reg", mov32_reg, "89 c8", "mov %ecx,%eax" },
	{ "movzwl_reg", movzwl_reg, "0f b7 c2", "movzwl %dx,%eax" },
	{ "mov_ld_gs", mov_ld_gs, "65 4c 8b 1c 25 c0 f0 01 00", "mov %gs:0x1f0c0,%r11" },
	{ "mov_ld_disp8", mov_ld_disp8, "4d 8b 53 48", "mov 0x48(%r11),%r10" },
	{ "mov_ld_disp32", mov_ld_disp32, "48 8b 92 34 12 00 00", "mov 0x1234(%rdx),%rdx" },
	{ "mov_ld_rsp", mov_ld_rsp, "48 8b 04 24", "mov (%rsp),%rax" },
	{ "mov_ld_r11", mov_ld_r11, "4d 8b 1b", "mov (%r11),%r11" },
	{ "mov_ld_rbp", mov_ld_rbp, "48 8b 45 00", "mov 0x0(%rbp),%rax" },
	{ "mov_ld_r13", mov_ld_r13, "49 8b 45 00", "mov 0x0(%r13),%rax" },
	{ "mov_ld_r12", mov_ld_r12, "49 8b 44 24 f8", "mov -0x8(%r12),%rax" },
	{ "mov_st_index", mov_st_index, "4b 89 a4 13 88 00 00 00",
	  "mov %rsp,0x88(%r11,%r10,1)" },
	{ "mov_st_imm32", mov_st_imm32, "4b c7 84 13 80 00 00 00 78 56 34 12",
	  "movq $0x12345678,0x80(%r11,%r10,1)" },
	{ "mov_st_scale", mov_st_scale, "4a 89 4c e0 08", "mov %rcx,0x8(%rax,%r12,8)" },
	{ "lea_rsp", lea_rsp, "48 8d 64 24 10", "lea 0x10(%rsp),%rsp" },
	{ "lea_rsp_far", lea_rsp_far, "48 8d 84 24 10 00 01 00", "lea 0x10010(%rsp),%rax" },
	{ "lea_index", lea_index, "4f 8d 9c 13 80 00 00 00", "lea 0x80(%r11,%r10,1),%r11" },
	{ "lea_r10", lea_r10, "4c 8d 54 24 10", "lea 0x10(%rsp),%r10" },
	{ "lea_rax_neg", lea_rax_neg, "48 8d 40 e8", "lea -0x18(%rax),%rax" },
	{ "add_reg", add_reg, "48 01 d0", "add %rdx,%rax" },
	{ "sub_reg", sub_reg, "48 29 d0", "sub %rdx,%rax" },
	{ "xor_reg", xor_reg, "48 31 e0", "xor %rsp,%rax" },
	{ "sub_ld", sub_ld, "48 2b 42 68", "sub 0x68(%rdx),%rax" },
	{ "xor_ld_gs", xor_ld_gs, "65 48 33 04 25 00 a0 02 00", "xor %gs:0x2a000,%rax" },
	{ "cmp_ld", cmp_ld, "48 3b 42 70", "cmp 0x70(%rdx),%rax" },
	{ "cmp_st", cmp_st, "4d 39 53 08", "cmp %r10,0x8(%r11)" },
	{ "cmp_st_rsp", cmp_st_rsp, "4c 39 5c 24 10", "cmp %r11,0x10(%rsp)" },
	{ "add_imm8", add_imm8, "48 83 c0 08", "add $0x8,%rax" },
	{ "add_imm32", add_imm32, "48 05 00 01 00 00", "add $0x100,%rax" },
	{ "sub_imm8", sub_imm8, "49 83 ea 7f", "sub $0x7f,%r10" },
	/* 128 does not fit a sign-extended imm8: imm32 */
	{ "sub_imm32", sub_imm32, "49 81 ea 80 00 00 00", "sub $0x80,%r10" },
	{ "cmp_imm_rax", cmp_imm_rax, "48 3d 00 00 00 c1", "cmp $0xffffffffc1000000,%rax" },
	{ "cmp_imm_r10", cmp_imm_r10, "49 81 fa f0 03 00 00", "cmp $0x3f0,%r10" },
	{ "cmp_imm8", cmp_imm8, "48 83 f9 ff", "cmp $0xffffffffffffffff,%rcx" },
	{ "cmp32_imm", cmp32_imm, "3d 00 06 00 00", "cmp $0x600,%eax" },
	{ "and32_imm", and32_imm, "25 ff 3f 00 00", "and $0x3fff,%eax" },
	{ "shr_imm", shr_imm, "48 c1 e8 0e", "shr $0xe,%rax" },
	{ "add_mem_imm", add_mem_imm, "49 83 43 48 10", "addq $0x10,0x48(%r11)" },
	{ "add_mem_index", add_mem_index, "4b 83 84 13 88 00 00 00 08",
	  "addq $0x8,0x88(%r11,%r10,1)" },
	{ "sub_mem_imm", sub_mem_imm, "49 83 6b 48 10", "subq $0x10,0x48(%r11)" },
	{ "cmp_mem_imm8", cmp_mem_imm8, "48 83 7a 78 03", "cmpq $0x3,0x78(%rdx)" },
	{ "cmp_mem_imm32", cmp_mem_imm32, "48 81 7a 78 c8 00 00 00", "cmpq $0xc8,0x78(%rdx)" },
	{ "inc_mem", inc_mem, "49 ff 43 50", "incq 0x50(%r11)" },
	{ "xor_mem_imm8", xor_mem_imm8, "48 83 74 24 08 05", "xorq $0x5,0x8(%rsp)" },
	{ "xor_mem_imm32", xor_mem_imm32, "48 81 34 24 78 56 34 12",
	  "xorq $0x12345678,(%rsp)" },
	{ "ret", ret, "c3", "ret" },
	{ "and_imm8", and_imm8, "48 83 e0 f0", "and $0xfffffffffffffff0,%rax" },
	{ "and_imm32", and_imm32, "48 25 00 c0 ff ff", "and $0xffffffffffffc000,%rax" },
	{ "and_reg", and_reg, "48 21 c8", "and %rcx,%rax" },
	{ "add_ld", add_ld, "48 03 04 24", "add (%rsp),%rax" },
	{ "and_ld", and_ld, "48 23 04 24", "and (%rsp),%rax" },
	{ "neg", neg, "48 f7 d8", "neg %rax" },
	{ "sar_imm", sar_imm, "48 c1 fa 06", "sar $0x6,%rdx" },
	{ "movsx16", movsx16, "48 0f bf d2", "movswq %dx,%rdx" },
	{ "movsx32", movsx32, "48 63 d2", "movslq %edx,%rdx" },
	{ "lea_scaled", lea_scaled, "48 8d 04 d0", "lea (%rax,%rdx,8),%rax" },
	{ "align_pad3", align_pad3, "0f 1f 00", "nopl (%rax)" },
	{ "align_pad2", align_pad2, "66 90", "xchg %ax,%ax" },
	{ "align_pad1", align_pad1, "90", "nop" },
	{ NULL },
};

/* Emit @c at BASE and compare with what it should be. */
static void check_case(const struct emit_case *c, char *why, size_t whylen)
{
	u8 buf[64];
	struct kc_emitter e = { buf, BASE, sizeof(buf), 0 };
	char got[256], text[512];
	int ret = c->emit(&e);

	why[0] = '\0';
	if (ret) {
		snprintf(why, whylen, "%s: returned %d", c->name, ret);
		return;
	}
	hex(buf, e.pos, got);
	if (strcmp(got, c->bytes)) {
		snprintf(why, whylen, "%s: bytes %.100s, want %.100s", c->name, got, c->bytes);
		return;
	}
	if (disassemble(buf, e.pos, text, sizeof(text)) || strcmp(text, c->text))
		snprintf(why, whylen, "%s: objdump reads '%.100s', want '%.100s'", c->name,
			 text, c->text);
}

static void named_emitters(void)
{
	const struct emit_case *c;
	char why[512];

	for (c = cases; c->name; c++) {
		check_case(c, why, sizeof(why));
		UNIT_EXPECT(!why[0], "%.200s", why);
	}
}

/* All sixteen conditions, rel8 and rel32, each to a label bound after them. */
static void jcc_conditions(void)
{
	static const char *const names[16] = {
		"jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
		"js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg",
	};
	char text[1024], want[1024];
	struct kc_label l[16];
	u8 buf[128];
	int rel8, cc;

	for (rel8 = 1; rel8 >= 0; rel8--) {
		struct kc_emitter e = { buf, BASE, sizeof(buf), 0 };
		size_t len = 0;

		for (cc = KC_CC_O; cc <= KC_CC_G; cc++) {
			kc_label_init(&l[cc], rel8);
			UNIT_EXPECT(!kc_emit_jcc_label(&e, cc, &l[cc]), "jcc %d", cc);
		}
		for (cc = KC_CC_O; cc <= KC_CC_G; cc++)
			UNIT_EXPECT(!kc_label_bind(&e, &l[cc]), "bind %d", cc);
		UNIT_EXPECT(e.pos == 16 * (rel8 ? 2 : 6), "length %zu", e.pos);
		UNIT_EXPECT(kc_cc_not(KC_CC_A) == KC_CC_BE && kc_cc_not(KC_CC_NE) == KC_CC_E,
			    "negation");
		for (cc = 0; cc < 16; cc++)
			len += snprintf(want + len, sizeof(want) - len, "%s%s 0x%llx",
					cc ? "; " : "", names[cc], BASE + e.pos);
		UNIT_EXPECT(!disassemble(buf, e.pos, text, sizeof(text)) &&
			    !strcmp(text, want), "objdump reads '%.90s', want '%.90s'",
			    text, want);
	}
}

/*
 * Forward and backward jumps to labels, as the checks use them:
 *
 *	top: ja next ; jmp done ; next: jne top ; jmp top ; done: push %rax
 */
static void labels_patched(void)
{
	static const char *const want[2] = {
		"ja 0x1004; jmp 0x1008; jne 0x1000; jmp 0x1000; push %rax",
		"ja 0x100b; jmp 0x1016; jne 0x1000; jmp 0x1000; push %rax",
	};
	struct kc_label top, next, done;
	char text[256];
	u8 buf[64];
	int rel8;

	for (rel8 = 1; rel8 >= 0; rel8--) {
		struct kc_emitter e = { buf, BASE, sizeof(buf), 0 };
		int ret;

		kc_label_init(&top, rel8);
		kc_label_init(&next, rel8);
		kc_label_init(&done, rel8);
		ret = kc_label_bind(&e, &top);
		ret = ret ?: kc_emit_jcc_label(&e, KC_CC_A, &next);
		ret = ret ?: kc_emit_jmp_label(&e, &done);
		ret = ret ?: kc_label_bind(&e, &next);
		ret = ret ?: kc_emit_jcc_label(&e, KC_CC_NE, &top);
		ret = ret ?: kc_emit_jmp_label(&e, &top);
		ret = ret ?: kc_label_bind(&e, &done);
		ret = ret ?: kc_emit_push_reg(&e, KC_RAX);
		UNIT_EXPECT(!ret, "rel8 %d: %d", rel8, ret);
		UNIT_EXPECT(!disassemble(buf, e.pos, text, sizeof(text)) &&
			    !strcmp(text, want[rel8 ? 0 : 1]),
			    "rel8 %d: objdump reads '%.90s', want '%.90s'", rel8, text,
			    want[rel8 ? 0 : 1]);
	}
}

/* Where a rel8 cannot reach, and other misuse, is an error, not bad code. */
static void labels_refused(void)
{
	static const u8 nops[130];
	struct kc_label l, far;
	u8 buf[300];
	struct kc_emitter e = { buf, BASE, sizeof(buf), 0 };
	int i, ret;

	/* 127 bytes ahead is in reach, 128 is not */
	kc_label_init(&l, true);
	kc_emit_jmp_label(&e, &l);
	kc_emit_bytes(&e, nops, 127);
	UNIT_EXPECT(kc_label_bind(&e, &l) == 0 && buf[1] == 127, "rel8 +127");
	e.pos = 0;
	kc_label_init(&l, true);
	kc_emit_jmp_label(&e, &l);
	kc_emit_bytes(&e, nops, 128);
	UNIT_EXPECT(kc_label_bind(&e, &l) == -ERANGE, "rel8 +128 refused");

	/* a jump over the next instruction's bytes */
	e.pos = 0;
	UNIT_EXPECT(kc_emit_jmp_over(&e, 7) == 0 && e.pos == 2 && buf[0] == 0xeb &&
		    buf[1] == 7, "jmp over 7 bytes");
	UNIT_EXPECT(kc_emit_jmp_over(&e, 128) == -EINVAL, "jmp over 128 refused");

	/* backwards: -128 from the jump's end is in reach, -129 is not */
	e.pos = 0;
	kc_label_init(&l, true);
	kc_label_bind(&e, &l);
	kc_emit_bytes(&e, nops, 126);
	UNIT_EXPECT(kc_emit_jmp_label(&e, &l) == 0 && buf[127] == 0x80, "rel8 -128");
	kc_emit_bytes(&e, nops, 1);
	UNIT_EXPECT(kc_emit_jmp_label(&e, &l) == -ERANGE, "rel8 -129 refused");

	/* the same distance with rel32 */
	e.pos = 0;
	kc_label_init(&far, false);
	kc_emit_jcc_label(&e, KC_CC_B, &far);
	kc_emit_bytes(&e, nops, 128);
	UNIT_EXPECT(kc_label_bind(&e, &far) == 0 && buf[2] == 128 && buf[3] == 0,
		    "rel32 +128");

	/* more forward jumps than a label keeps */
	e.pos = 0;
	kc_label_init(&l, true);
	for (i = 0, ret = 0; i < KC_LABEL_REFS && !ret; i++)
		ret = kc_emit_jmp_label(&e, &l);
	UNIT_EXPECT(!ret && kc_emit_jmp_label(&e, &l) == -EINVAL, "too many jumps");

	/* a jump that does not fit the buffer is not remembered */
	e = (struct kc_emitter){ buf, BASE, 1, 0 };
	kc_label_init(&l, true);
	UNIT_EXPECT(kc_emit_jmp_label(&e, &l) == -ENOSPC && l.nr == 0 && e.pos == 0,
		    "full buffer");
}

/*
 * An instruction's memory operand as lea or mov into a register, at
 * another address and below what a check pushed: always SIB (or RIP)
 * and disp32.
 */
static void operand_copied(void)
{
	static const struct {
		u8 len, b[15];
		bool mov;
		int bias;
		const char *bytes, *text;
	} cases[] = {
		/* mov %rcx,0x10(%rsp) */
		{ 5, { 0x48, 0x89, 0x4c, 0x24, 0x10 }, false, 16,
		  "48 8d 84 24 20 00 00 00", "lea 0x20(%rsp),%rax" },
		/* mov %gs:0x28(%rbx,%r9,4),%rax */
		{ 6, { 0x65, 0x4a, 0x8b, 0x44, 0x8b, 0x28 }, true, 8,
		  "65 4a 8b 84 8b 28 00 00 00", "mov %gs:0x28(%rbx,%r9,4),%rax" },
		/* mov %eax,0x100(%rip), at 0x2000: 0x2106 */
		{ 6, { 0x89, 0x05, 0x00, 0x01, 0x00, 0x00 }, false, 16,
		  "48 8d 05 ff 10 00 00", "lea 0x10ff(%rip),%rax # 0x2106" },
		/* movq $0,-0x8(,%rcx,8) */
		{ 12, { 0x48, 0xc7, 0x04, 0xcd, 0xf8, 0xff, 0xff, 0xff, 0, 0, 0, 0 },
		  false, 8, "48 8d 04 cd f8 ff ff ff", "lea -0x8(,%rcx,8),%rax" },
	};
	struct kc_decoder dec;
	struct kc_insn insn;
	char got[128], text[256];
	u8 buf[32];
	size_t i;

	kc_decoder_init(&dec);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kc_emitter e = { buf, BASE, sizeof(buf), 0 };
		const ZydisDecodedOperand *op;
		int ret;

		UNIT_EXPECT(!kc_decode(&dec, cases[i].b, cases[i].len, 0x2000, &insn),
			    "case %zu decodes", i);
		op = kc_insn_mem_operand(&insn, true) ?: kc_insn_mem_operand(&insn, false);
		UNIT_EXPECT(op, "case %zu: a memory operand", i);
		if (!op)
			continue;
		ret = cases[i].mov ? kc_emit_mov_op(&e, KC_RAX, &insn, op, cases[i].bias) :
				     kc_emit_lea_op(&e, KC_RAX, &insn, op, cases[i].bias);
		hex(buf, e.pos, got);
		UNIT_EXPECT(!ret && !strcmp(got, cases[i].bytes), "case %zu: %d, bytes %s",
			    i, ret, got);
		UNIT_EXPECT(!disassemble(buf, e.pos, text, sizeof(text)) &&
			    !strcmp(text, cases[i].text), "case %zu: objdump reads '%.100s'",
			    i, text);
	}
}

int main(int argc, char **argv)
{
	static const struct unit_case tests[] = {
		{ "named_emitters", named_emitters },
		{ "jcc_conditions", jcc_conditions },
		{ "labels_patched", labels_patched },
		{ "labels_refused", labels_refused },
		{ "operand_copied", operand_copied },
		{ NULL, NULL },
	};

	if (argc > 1)
		objdump = argv[1];
	return unit_run("emitters", tests);
}
