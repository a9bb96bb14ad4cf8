// SPDX-License-Identifier: GPL-2.0
/*
 * The write-coverage fuzzer's sequence generator (see wgen.h).
 *
 * A sequence is a list of items and "cld; ret".  An item sets the
 * registers its store addresses through (lea from the arena's middle in
 * %r15, small constants in index and bit-offset registers, %rdi, %rsi and
 * %rcx for strings), then stores.  Encodings are written out here, not
 * borrowed from an assembler, so that every prefix combination the CPU
 * accepts can appear: the point is forms a compiler would not emit.
 */
#include <stdbool.h>
#include <string.h>
#include "wgen.h"

#define MAX_ITEMS	24
#define OFF_RANGE	2048	/* the address register: %r15 +- this */
#define DISP_RANGE	256	/* the operand's displacement: +- this */
#define BIT_RANGE	12000	/* register bit offsets: +- this many bits */

struct out {
	uint8_t *p;
	size_t n, cap;
	bool full;
};

struct gen {
	struct seq_input *in;
	struct out o;
	unsigned int flags;
};

/* Registers an item may address through: all but %rsp and %r15. */
static const uint8_t addr_regs[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

static void put(struct gen *g, const void *b, size_t n)
{
	if (g->o.n + n > g->o.cap) {
		g->o.full = true;
		return;
	}
	memcpy(g->o.p + g->o.n, b, n);
	g->o.n += n;
}

static void put8(struct gen *g, uint8_t b)
{
	put(g, &b, 1);
}

static void put32(struct gen *g, int32_t v)
{
	put(g, &v, 4);
}

static unsigned int pick(struct gen *g, unsigned int n)
{
	return seq_take(g->in, 2) % n;
}

static int32_t range(struct gen *g, int32_t r)
{
	return (int32_t)pick(g, 2 * r + 1) - r;
}

static int addr_reg(struct gen *g)
{
	return addr_regs[pick(g, sizeof(addr_regs))];
}

/* lea @off(%r15), %reg */
static void set_addr(struct gen *g, int reg, int32_t off)
{
	put8(g, 0x49 | (reg >> 3) << 2);
	put8(g, 0x8d);
	put8(g, 0x80 | (reg & 7) << 3 | (WGEN_BASE_REG & 7));
	put32(g, off);
}

/* mov $@v, %reg (sign-extended imm32) */
static void set_reg(struct gen *g, int reg, int32_t v)
{
	put8(g, 0x48 | (reg >> 3));
	put8(g, 0xc7);
	put8(g, 0xc0 | (reg & 7));
	put32(g, v);
}

/**
 * struct mem - a memory operand being generated: disp32(base, index, scale)
 * @base, @index: registers (@index -1: none)
 * @ss:           log2 of the scale
 * @disp:         the displacement
 * @gs:           with a %gs prefix
 */
struct mem {
	int base, index, ss;
	int32_t disp;
	bool gs;
};

/*
 * Pick an operand landing in the arena and set its registers.  @align:
 * its address must be a multiple of it (cmpxchg16b, movntdq).
 */
static struct mem operand(struct gen *g, unsigned int align)
{
	struct mem m = { .base = addr_reg(g), .index = -1 };

	m.gs = !pick(g, 6);
	if (align > 1) {
		set_addr(g, m.base, range(g, OFF_RANGE / 16) * 16);
		m.disp = range(g, DISP_RANGE / 16) * 16;
		return m;
	}
	set_addr(g, m.base, range(g, OFF_RANGE));
	m.disp = range(g, DISP_RANGE);
	if (pick(g, 3)) {
		m.index = addr_reg(g);
		m.ss = pick(g, 4);
		if (m.index != m.base)
			set_reg(g, m.index, range(g, 32));
		else
			m.index = -1;	/* the arena's address doubled: out of it */
	}
	return m;
}

/*
 * Prefixes before REX: lock, %gs, operand size.  No address size: 32-bit
 * addressing is refused by core/model.c, so it is not generated.
 */
static void prefixes(struct gen *g, const struct mem *m, bool lock, bool o16)
{
	if (lock)
		put8(g, 0xf0);
	if (m->gs)
		put8(g, 0x65);
	if (o16)
		put8(g, 0x66);
}

static uint8_t rex(const struct mem *m, int reg, bool w)
{
	return 0x40 | w << 3 | (reg >> 3 & 1) << 2 |
	       (m->index >= 0 ? m->index >> 3 : 0) << 1 | (m->base >> 3);
}

/* ModRM, SIB and disp32 of @m with @reg (a register or a /digit). */
static void modrm(struct gen *g, const struct mem *m, int reg)
{
	int index = m->index >= 0 ? m->index & 7 : 4;

	put8(g, 0x80 | (reg & 7) << 3 | 4);
	put8(g, m->ss << 6 | index << 3 | (m->base & 7));
	put32(g, m->disp);
}

/*
 * One legacy-encoded store: [lock] [gs] [66] [67] REX @op @m [@imm].
 * @width: 1, 2, 4 or 8 (the caller picks @op's byte or full form).
 */
static void legacy(struct gen *g, const uint8_t *op, size_t oplen, int reg,
		   unsigned int width, bool lock, const struct mem *m,
		   const void *imm, size_t immlen)
{
	prefixes(g, m, lock, width == 2);
	put8(g, rex(m, reg, width == 8));
	put(g, op, oplen);
	modrm(g, m, reg);
	put(g, imm, immlen);
}

static unsigned int width_any(struct gen *g)
{
	return 1 << pick(g, 4);
}

static unsigned int width_wide(struct gen *g)
{
	return 2 << pick(g, 3);
}

/* The opcode byte for @width from a byte form @op8 (the others are +1). */
static uint8_t by_width(uint8_t op8, unsigned int width)
{
	return width == 1 ? op8 : op8 + 1;
}

static void item_mov(struct gen *g)
{
	unsigned int w = width_any(g);
	struct mem m = operand(g, 1);
	int32_t imm = (int32_t)seq_take(g->in, 4);
	uint8_t op;

	if (pick(g, 2)) {
		op = by_width(0x88, w);
		legacy(g, &op, 1, pick(g, 16), w, false, &m, NULL, 0);
	} else {
		op = by_width(0xc6, w);
		legacy(g, &op, 1, 0, w, false, &m, &imm, w == 1 ? 1 : w == 2 ? 2 : 4);
	}
}

/* add/or/adc/sbb/and/sub/xor, register or immediate, maybe locked */
static void item_alu(struct gen *g)
{
	unsigned int w = width_any(g), alu = pick(g, 7);
	struct mem m = operand(g, 1);
	bool lock = pick(g, 2);
	int32_t imm = (int32_t)seq_take(g->in, 4);
	uint8_t op;

	switch (pick(g, 3)) {
	case 0:
		op = by_width(alu << 3, w);
		legacy(g, &op, 1, pick(g, 16), w, lock, &m, NULL, 0);
		break;
	case 1:
		op = by_width(0x80, w);
		legacy(g, &op, 1, alu, w, lock, &m, &imm, w == 1 ? 1 : w == 2 ? 2 : 4);
		break;
	default:
		op = w == 1 ? 0x80 : 0x83;
		legacy(g, &op, 1, alu, w, lock, &m, &imm, 1);
	}
}

/* inc, dec, not, neg; shifts and rotates by 1, an immediate or %cl */
static void item_unary(struct gen *g)
{
	static const uint8_t shifts[] = { 0xd0, 0xc0, 0xd2 };
	static const uint8_t digits[] = { 0, 1, 2, 3, 4, 5, 7 };
	unsigned int w = width_any(g), k = pick(g, 4);
	struct mem m = operand(g, 1);
	uint8_t op, imm = seq_take(g->in, 1);

	if (pick(g, 2)) {
		op = k < 2 ? by_width(0xfe, w) : by_width(0xf6, w);
		legacy(g, &op, 1, k, w, pick(g, 2), &m, NULL, 0);
		return;
	}
	k = pick(g, 3);
	op = by_width(shifts[k], w);
	legacy(g, &op, 1, digits[pick(g, sizeof(digits))], w, false, &m,
	       &imm, k == 1);
}

/* setcc, xchg, xadd, cmpxchg, shld/shrd */
static void item_misc(struct gen *g)
{
	unsigned int w = width_any(g), k = pick(g, 5);
	struct mem m = operand(g, 1);
	uint8_t op[2] = { 0x0f }, imm = seq_take(g->in, 1) & 63;

	switch (k) {
	case 0:
		op[1] = 0x90 + pick(g, 16);
		legacy(g, op, 2, 0, 1, false, &m, NULL, 0);
		break;
	case 1:
		op[0] = by_width(0x86, w);	/* writes its register: not %r15 */
		legacy(g, op, 1, addr_reg(g), w, pick(g, 2), &m, NULL, 0);
		break;
	case 2:
		op[1] = by_width(0xc0, w);	/* xadd: likewise */
		legacy(g, op, 2, addr_reg(g), w, pick(g, 2), &m, NULL, 0);
		break;
	case 3:
		op[1] = by_width(0xb0, w);
		legacy(g, op, 2, pick(g, 16), w, pick(g, 2), &m, NULL, 0);
		break;
	default:
		w = width_wide(g);
		op[1] = (pick(g, 2) ? 0xa4 : 0xac) + pick(g, 2);
		legacy(g, op, 2, pick(g, 16), w, false, &m, &imm, !(op[1] & 1));
	}
}

/* bts/btr/btc: with a register bit offset far from the operand, or an imm */
static void item_bits(struct gen *g)
{
	static const uint8_t reg_ops[] = { 0xab, 0xb3, 0xbb };
	unsigned int w = width_wide(g), k = pick(g, 3);
	struct mem m = operand(g, 1);
	uint8_t op[2] = { 0x0f }, imm = seq_take(g->in, 1);
	unsigned int i = pick(g, sizeof(addr_regs));
	int bit;

	if (pick(g, 4)) {
		/* the first register from a random one on that is not an address */
		while (addr_regs[i] == m.base || addr_regs[i] == m.index)
			i = (i + 1) % sizeof(addr_regs);
		bit = addr_regs[i];
		set_reg(g, bit, range(g, BIT_RANGE));
		op[1] = reg_ops[k];
		legacy(g, op, 2, bit, w, pick(g, 2), &m, NULL, 0);
	} else {
		op[1] = 0xba;
		legacy(g, op, 2, 5 + k, w, pick(g, 2), &m, &imm, 1);
	}
}

/* cmpxchg8b, or cmpxchg16b (16-byte aligned) */
static void item_cmpxchg_wide(struct gen *g)
{
	static const uint8_t op[] = { 0x0f, 0xc7 };
	bool wide = pick(g, 2);
	struct mem m = operand(g, wide ? 16 : 1);

	legacy(g, op, 2, 1, wide ? 8 : 4, pick(g, 2), &m, NULL, 0);
}

/* push (register, memory, flags) or call, popped back into a register */
static void item_stack(struct gen *g)
{
	int back = addr_reg(g);
	struct mem m;
	static const uint8_t call0[] = { 0xe8, 0, 0, 0, 0 };
	uint8_t op;

	switch (pick(g, 5)) {
	case 0:
		put8(g, 0x41);
		put8(g, 0x50 | (pick(g, 8)));
		break;
	case 1:
		put8(g, 0x9c);
		break;
	case 2:
		put(g, call0, sizeof(call0));
		break;
	case 3:			/* pop to memory: a write through the operand */
		put8(g, 0x50 | pick(g, 4));
		m = operand(g, 1);
		op = 0x8f;
		legacy(g, &op, 1, 0, 4, false, &m, NULL, 0);
		return;
	default:
		m = operand(g, 1);
		op = 0xff;
		legacy(g, &op, 1, 6, 4, false, &m, NULL, 0);
	}
	put8(g, 0x48 | (back >> 3));
	put8(g, 0x58 | (back & 7));
}

/* SSE stores */
static void item_sse(struct gen *g)
{
	static const struct { uint8_t pre, op[3], len, align, imm; } forms[] = {
		{ 0xf3, { 0x0f, 0x7f }, 2, 1, 0 },	/* movdqu */
		{ 0x00, { 0x0f, 0x11 }, 2, 1, 0 },	/* movups */
		{ 0x66, { 0x0f, 0xd6 }, 2, 1, 0 },	/* movq */
		{ 0x66, { 0x0f, 0x7e }, 2, 1, 0 },	/* movd */
		{ 0xf3, { 0x0f, 0x11 }, 2, 1, 0 },	/* movss */
		{ 0xf2, { 0x0f, 0x11 }, 2, 1, 0 },	/* movsd */
		{ 0x00, { 0x0f, 0x17 }, 2, 1, 0 },	/* movhps */
		{ 0x66, { 0x0f, 0xe7 }, 2, 16, 0 },	/* movntdq */
		{ 0x00, { 0x0f, 0xc3 }, 2, 1, 0 },	/* movnti */
		{ 0x66, { 0x0f, 0x3a, 0x14 }, 3, 1, 1 },	/* pextrb */
		{ 0x66, { 0x0f, 0x3a, 0x16 }, 3, 1, 1 },	/* pextrd/q */
		{ 0x66, { 0x0f, 0x3a, 0x17 }, 3, 1, 1 },	/* extractps */
	};
	unsigned int k = pick(g, sizeof(forms) / sizeof(forms[0]));
	struct mem m = operand(g, forms[k].align);
	bool w = forms[k].op[1] == 0xc3 || forms[k].op[2] == 0x16 ? pick(g, 2) : false;
	uint8_t imm = seq_take(g->in, 1);
	int reg = pick(g, 16);

	if (m.gs)
		put8(g, 0x65);
	if (forms[k].pre)
		put8(g, forms[k].pre);
	put8(g, rex(&m, reg, w));
	put(g, forms[k].op, forms[k].len);
	modrm(g, &m, reg);
	put(g, &imm, forms[k].imm);
}

/* AVX (VEX) 32-byte and AVX-512 (EVEX) 64-byte stores, masked or not */
static void item_avx(struct gen *g)
{
	int reg = pick(g, 16);
	struct mem m = operand(g, 1);
	uint8_t x = m.index >= 0 ? m.index >> 3 : 0;

	if (m.gs)
		put8(g, 0x65);
	if (!(g->flags & WGEN_AVX512) || pick(g, 2)) {
		/* vmovdqu %ymm, m256: VEX.256.F3.0F.WIG 7F */
		put8(g, 0xc4);
		put8(g, (!(reg >> 3)) << 7 | (!x) << 6 | (!(m.base >> 3)) << 5 | 1);
		put8(g, 0x78 | 1 << 2 | 2);	/* W0, vvvv=1111, L=1, pp=F3 */
		put8(g, 0x7f);
	} else {
		/* vmovdqu64 %zmm, m512{k}: EVEX.512.F3.0F.W1 7F */
		put8(g, 0x62);
		put8(g, (!(reg >> 3)) << 7 | (!x) << 6 | (!(m.base >> 3)) << 5 | 1 << 4 | 1);
		put8(g, 0x80 | 0x78 | 1 << 2 | 2);	/* W1 vvvv=1111 1 pp=F3 */
		put8(g, 2 << 5 | 1 << 3 | pick(g, 8));	/* L'L=512, V'=1, aaa */
		put8(g, 0x7f);
	}
	modrm(g, &m, reg);
}

/* stos or movs, maybe rep, either direction */
static void item_string(struct gen *g)
{
	unsigned int w = width_any(g);
	bool down = pick(g, 2);
	uint8_t op = (pick(g, 2) ? 0xaa : 0xa4) | (w > 1);
	int32_t count = pick(g, 40);

	set_addr(g, 7, range(g, OFF_RANGE));
	set_addr(g, 6, range(g, OFF_RANGE));
	set_reg(g, 1, count);
	if (down)
		put8(g, 0xfd);	/* std */
	if (pick(g, 4))
		put8(g, 0xf3);
	if (!pick(g, 6))
		put8(g, 0x65);	/* a segment on movs's source */
	if (w == 2)
		put8(g, 0x66);
	if (w == 8)
		put8(g, 0x48);
	put8(g, op);
	if (down)
		put8(g, 0xfc);	/* cld */
}

/**
 * wgen_generate - derive a sequence from @in into @code
 * @in:    the input (wgen takes from it until it runs out, then zeros)
 * @code:  where the sequence goes
 * @cap:   its size (at least 64)
 * @flags: WGEN_AVX, WGEN_AVX512: what the CPU running it has
 *
 * Return: the sequence's length; it ends in "cld; ret".
 */
size_t wgen_generate(struct seq_input *in, uint8_t *code, size_t cap,
		     unsigned int flags)
{
	static void (*const items[])(struct gen *) = {
		item_mov, item_mov, item_alu, item_unary, item_misc, item_bits,
		item_bits, item_cmpxchg_wide, item_stack, item_sse, item_avx,
		item_string, item_string,
	};
	struct gen g = { .in = in, .o = { code, 0, cap - 2 }, .flags = flags };
	unsigned int n = 1 + pick(&g, MAX_ITEMS), i, k;
	size_t last = 0;

	for (i = 0; i < n && !g.o.full; i++) {
		last = g.o.n;
		k = pick(&g, sizeof(items) / sizeof(items[0]));
		if (items[k] == item_avx && !(flags & WGEN_AVX))
			k = 0;
		items[k](&g);
	}
	if (g.o.full)
		g.o.n = last;	/* drop the item that did not fit */
	code[g.o.n++] = 0xfc;	/* cld */
	code[g.o.n++] = 0xc3;	/* ret */
	return g.o.n;
}
