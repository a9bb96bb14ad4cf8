// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's instruction sequence generator (see seqgen.h).
 *
 * A sequence is a body of items, a ret, then two subroutines (plain items
 * and a ret).  An item is one instruction, or a few that belong together
 * (push/pop, lea of a label then an indirect call).  Branch displacements
 * name labels (a body item, the ret, a subroutine, a byte of the code) and
 * are filled in once every item's length is known.  Registers written are
 * never %rsp or the scratch base %r15, memory is only [%r15 + disp8] or
 * RIP-relative into the code itself, branches only go forward, and no
 * instruction can fault (no division): so every sequence terminates and
 * means the same wherever it runs.
 */
#include <stdbool.h>
#include <string.h>
#include "seqgen.h"

#define MAX_BODY	80	/* past KC_BLOCK_MAX_INSNS: long blocks split */
#define NR_SUBS		2
#define MAX_SUB		4
#define MAX_SKIP	6	/* a forward branch skips at most this many items */

#define LABEL_SUB(j)	(1000 + (j))
#define LABEL_CODE	(-1)	/* the code byte at @addend */
#define LABEL_DATA	(-2)	/* a code byte chosen by @addend, 8 readable */

enum { FIX_NONE, FIX_REL8, FIX_REL32 };

struct item {
	uint8_t b[32];
	uint8_t len;
	uint8_t fix;		/* the displacement to fill at layout */
	uint8_t fix_at;		/* its offset in @b */
	uint8_t fix_end;	/* end of the instruction it belongs to */
	int16_t label;
	int32_t addend;
};

struct gen {
	struct seq_input *in;
	int idx;		/* body index of the item, -1 in a subroutine */
	int nbody;
	bool plain_only;	/* no branches: one long block, split by the core */
};

static const uint8_t dst_regs[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

uint64_t seq_take(struct seq_input *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n; i++, in->n--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static unsigned int pick(struct gen *g, unsigned int n)
{
	return seq_take(g->in, 1) % n;
}

static int dst(struct gen *g)
{
	return dst_regs[pick(g, sizeof(dst_regs))];
}

static int src(struct gen *g)
{
	return pick(g, 16);
}

static int size_any(struct gen *g)
{
	return 1 << pick(g, 4);
}

static int size_wide(struct gen *g)	/* 16, 32 or 64 bits */
{
	return 2 << pick(g, 3);
}

static void put(struct item *it, uint8_t byte)
{
	it->b[it->len++] = byte;
}

static void put_imm(struct item *it, uint64_t v, int bytes)
{
	while (bytes--) {
		put(it, v);
		v >>= 8;
	}
}

/*
 * Operand-size prefix, mandatory prefix, REX and opcode.  Byte operations
 * always get a REX so that 4..7 name spl..dil, never ah..bh.
 */
static void head(struct item *it, int size, uint8_t mandatory, const uint8_t *op,
		 int oplen, int reg, int index, int rm)
{
	uint8_t rex = 0x40 | (size == 8) << 3 | (reg >> 3 & 1) << 2 |
		      (index >> 3 & 1) << 1 | (rm >> 3 & 1);

	if (size == 2)
		put(it, 0x66);
	if (mandatory)
		put(it, mandatory);
	if (rex != 0x40 || size == 1)
		put(it, rex);
	while (oplen--)
		put(it, *op++);
}

/* op reg, rm (register forms) */
static void op_rr(struct item *it, int size, uint8_t mandatory, const uint8_t *op,
		  int oplen, int reg, int rm)
{
	head(it, size, mandatory, op, oplen, reg, 0, rm);
	put(it, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* op reg, [%r15 + disp8] */
static void op_rm(struct gen *g, struct item *it, int size, uint8_t mandatory,
		  const uint8_t *op, int oplen, int reg)
{
	head(it, size, mandatory, op, oplen, reg, 0, SEQ_BASE_REG);
	put(it, 0x40 | (reg & 7) << 3 | (SEQ_BASE_REG & 7));
	put(it, pick(g, SEQ_SCRATCH / 2));
}

/* op reg, [%rip + label]; @imm bytes of immediate follow */
static void op_rip(struct item *it, int size, const uint8_t *op, int oplen,
		   int reg, int label, int32_t addend, uint64_t imm, int imm_bytes)
{
	head(it, size, 0, op, oplen, reg, 0, 0);
	put(it, 0x05 | (reg & 7) << 3);
	it->fix = FIX_REL32;
	it->fix_at = it->len;
	it->label = label;
	it->addend = addend;
	put_imm(it, 0, 4);
	put_imm(it, imm, imm_bytes);
	it->fix_end = it->len;
}

/* Register or memory operand for a one-operand group (@ext in ModRM.reg). */
static void op_ext(struct gen *g, struct item *it, int size, const uint8_t *op,
		   int oplen, int ext)
{
	if (pick(g, 4))
		op_rr(it, size, 0, op, oplen, ext, dst(g));
	else
		op_rm(g, it, size, 0, op, oplen, ext);
}

static int imm_bytes(int size)
{
	return size == 1 ? 1 : size == 2 ? 2 : 4;
}

/* add or adc sbb and sub xor cmp: register, memory or immediate forms */
static void gen_alu(struct gen *g, struct item *it)
{
	int k = pick(g, 8), size = size_any(g), form = pick(g, 4);
	uint8_t op = 8 * k + (size > 1);

	if (form == 0) {
		op_rr(it, size, 0, &op, 1, src(g), dst(g));
	} else if (form == 1) {
		op += 2 * pick(g, 2);	/* op m, r or op r, m */
		op_rm(g, it, size, 0, &op, 1, op & 2 ? dst(g) : src(g));
	} else {
		op = size == 1 ? 0x80 : pick(g, 2) ? 0x83 : 0x81;
		op_ext(g, it, size, &op, 1, k);
		put_imm(it, seq_take(g->in, 4), op == 0x83 ? 1 : imm_bytes(size));
	}
}

/* rol ror rcl rcr shl shr sar, by 1, by %cl or by an immediate */
static void gen_shift(struct gen *g, struct item *it)
{
	static const uint8_t ext[] = { 0, 1, 2, 3, 4, 5, 7 };
	static const uint8_t ops[] = { 0xc0, 0xd0, 0xd2 };
	int size = size_any(g), form = pick(g, 3);
	uint8_t op = ops[form] + (size > 1);

	op_ext(g, it, size, &op, 1, ext[pick(g, sizeof(ext))]);
	if (form == 0)
		put(it, seq_take(g->in, 1));
}

/* not neg mul imul (one operand), inc dec, test with an immediate */
static void gen_unary(struct gen *g, struct item *it)
{
	int size = size_any(g), k = pick(g, 7);
	uint8_t op = (k < 4 ? 0xf6 : k < 6 ? 0xfe : 0xf6) + (size > 1);

	op_ext(g, it, size, &op, 1, k < 4 ? k + 2 : k < 6 ? k - 4 : 0);
	if (k == 6)
		put_imm(it, seq_take(g->in, 4), imm_bytes(size));
}

/* imul r, r/m [, imm]; cmovcc r, r/m; bsf bsr popcnt tzcnt lzcnt */
static void gen_rrm(struct gen *g, struct item *it)
{
	static const uint8_t ops[][3] = {
		{ 0, 0x0f, 0xaf }, { 0, 0x6b }, { 0, 0x69 }, { 0, 0x0f, 0x40 },
		{ 0, 0x0f, 0xbc }, { 0, 0x0f, 0xbd }, { 0xf3, 0x0f, 0xb8 },
		{ 0xf3, 0x0f, 0xbc }, { 0xf3, 0x0f, 0xbd },
	};
	int k = pick(g, 9), size = size_wide(g);
	uint8_t op[2] = { ops[k][1], ops[k][2] };
	int oplen = op[0] == 0x0f ? 2 : 1;

	if (k == 3)
		op[1] |= pick(g, 16);
	if (pick(g, 4))
		op_rr(it, size, ops[k][0], op, oplen, dst(g), src(g));
	else
		op_rm(g, it, size, ops[k][0], op, oplen, dst(g));
	if (k == 1)
		put(it, seq_take(g->in, 1));
	if (k == 2)
		put_imm(it, seq_take(g->in, 4), imm_bytes(size));
}

/* mov in all its register, immediate and memory forms; movzx movsx movsxd */
static void gen_mov(struct gen *g, struct item *it)
{
	int size = size_any(g), k = pick(g, 6), d = dst(g);
	uint8_t op;

	switch (k) {
	case 0:
		op = 0x88 + (size > 1);
		op_rr(it, size, 0, &op, 1, src(g), d);
		break;
	case 1:		/* mov r, imm (B0+r / B8+r, imm64 with REX.W) */
		op = (size == 1 ? 0xb0 : 0xb8) + (d & 7);
		head(it, size, 0, &op, 1, 0, 0, d);
		put_imm(it, seq_take(g->in, 8), size == 8 ? 8 : imm_bytes(size));
		break;
	case 2:		/* mov r/m, imm */
		op = 0xc6 + (size > 1);
		op_ext(g, it, size, &op, 1, 0);
		put_imm(it, seq_take(g->in, 4), imm_bytes(size));
		break;
	case 3:		/* load or store */
		op = 0x88 + (size > 1) + 2 * pick(g, 2);
		op_rm(g, it, size, 0, &op, 1, op & 2 ? d : src(g));
		break;
	case 4: {	/* movzx movsx from 8 or 16 bits */
		uint8_t ox[2] = { 0x0f, 0xb6 + pick(g, 2) + 8 * pick(g, 2) };

		size = 4 << pick(g, 2);
		if (pick(g, 3))
			op_rr(it, size, 0, ox, 2, d, src(g));
		else
			op_rm(g, it, size, 0, ox, 2, d);
		break;
	}
	default:	/* movsxd r64, r/m32 */
		op = 0x63;
		op_rr(it, 8, 0, &op, 1, d, src(g));
	}
}

/* lea with base, index, scale and disp8 */
static void gen_lea(struct gen *g, struct item *it)
{
	int size = size_wide(g), d = dst(g), base = src(g), index = src(g);
	uint8_t op = 0x8d;

	if (index == 4)
		index = 12;
	head(it, size, 0, &op, 1, d, index, base);
	put(it, 0x44 | (d & 7) << 3);
	put(it, pick(g, 4) << 6 | (index & 7) << 3 | (base & 7));
	put(it, seq_take(g->in, 1));
}

/* xchg, bswap, cmpxchg, xadd, setcc, bt family, shld/shrd */
static void gen_misc2(struct gen *g, struct item *it)
{
	int size = size_wide(g), k = pick(g, 8);
	uint8_t op[2] = { 0x0f };

	switch (k) {
	case 0:
		op[0] = 0x87;
		if (pick(g, 2))
			op_rr(it, size, 0, op, 1, dst(g), dst(g));
		else
			op_rm(g, it, size, 0, op, 1, dst(g));
		break;
	case 1:
		size = 4 << pick(g, 2);
		k = dst(g);
		op[1] = 0xc8 + (k & 7);
		head(it, size, 0, op, 2, 0, 0, k);
		break;
	case 2:		/* cmpxchg, xadd: the register is written too */
		op[1] = pick(g, 2) ? 0xb1 : 0xc1;
		if (pick(g, 2))
			op_rr(it, size, 0, op, 2, dst(g), dst(g));
		else
			op_rm(g, it, size, 0, op, 2, dst(g));
		break;
	case 3:
		op[1] = 0x90 + pick(g, 16);
		if (pick(g, 4))
			op_rr(it, 1, 0, op, 2, 0, dst(g));
		else
			op_rm(g, it, 1, 0, op, 2, 0);
		break;
	case 4:		/* bt bts btr btc r, r (never memory: the offset is unbounded) */
		op[1] = 0xa3 + 8 * pick(g, 4);
		op_rr(it, size, 0, op, 2, src(g), dst(g));
		break;
	case 5:		/* bt bts btr btc r/m, imm8 */
		op[1] = 0xba;
		op_ext(g, it, size, op, 2, 4 + pick(g, 4));
		put(it, seq_take(g->in, 1));
		break;
	default:	/* shld shrd, by imm8 or %cl */
		op[1] = 0xa4 + pick(g, 2) + 8 * pick(g, 2);
		op_rr(it, size, 0, op, 2, src(g), dst(g));
		if (!(op[1] & 1))
			put(it, seq_take(g->in, 1));
	}
}

/* One-byte instructions on flags and rax/rdx */
static void gen_onebyte(struct gen *g, struct item *it)
{
	static const uint8_t ops[] = { 0x98, 0x99, 0xf5, 0xf8, 0xf9, 0x9e, 0x9f, 0x90 };
	uint8_t op = ops[pick(g, sizeof(ops))];

	head(it, op < 0x9a ? size_wide(g) : 4, 0, &op, 1, 0, 0, 0);
}

/* push (register, flags, immediate, memory) followed by pop into a register */
static void gen_pushpop(struct gen *g, struct item *it)
{
	int k = pick(g, 4), d = dst(g), s = src(g);
	uint8_t op;

	if (k == 0) {
		if (s >= 8)
			put(it, 0x41);
		put(it, 0x50 + (s & 7));
	} else if (k == 1) {
		put(it, 0x9c);
	} else if (k == 2) {
		put(it, 0x6a);
		put(it, seq_take(g->in, 1));
	} else {
		op = 0xff;
		op_rm(g, it, 4, 0, &op, 1, 6);
	}
	if (d >= 8)
		put(it, 0x41);
	put(it, 0x58 + (d & 7));
}

/*
 * RIP-relative: lea near the code, loads and compares of the code's bytes.
 * No %fs-relative forms: the instruction model refuses every %fs operand
 * (kernel code has none), so such a form would trap, not run.
 */
static void gen_rip(struct gen *g, struct item *it)
{
	int k = pick(g, 4), size = size_wide(g), d = dst(g);
	uint8_t op;

	if (k == 0) {
		op = 0x8d;
		op_rip(it, size, &op, 1, d, LABEL_CODE, (int16_t)seq_take(g->in, 2), 0, 0);
	} else if (k == 1) {
		op = 0x8b;
		op_rip(it, size, &op, 1, d, LABEL_DATA, seq_take(g->in, 2), 0, 0);
	} else if (k == 2) {	/* cmp $imm8, byte: the imm8 follows the displacement */
		op = 0x80;
		op_rip(it, 1, &op, 1, 7, LABEL_DATA, seq_take(g->in, 2),
		       seq_take(g->in, 1), 1);
	} else {		/* a load of the data's first bytes */
		op = 0x8b;
		op_rip(it, size, &op, 1, d, LABEL_DATA, 0, 0, 0);
	}
}

static int forward(struct gen *g)
{
	int l = g->idx + 1 + pick(g, MAX_SKIP);

	return l > g->nbody ? g->nbody : l;
}

static void branch(struct item *it, const uint8_t *op, int oplen, int fix,
		   int label)
{
	while (oplen--)
		put(it, *op++);
	it->fix = fix;
	it->fix_at = it->len;
	it->label = label;
	put_imm(it, 0, fix == FIX_REL8 ? 1 : 4);
	it->fix_end = it->len;
}

/*
 * lea label(%rip), %r ; then jmp *%r, call *%r, or
 * mov %r, d(%r15) ; call *d(%r15)
 */
static void indirect(struct gen *g, struct item *it, int label, bool call)
{
	uint8_t op = 0x8d, d = pick(g, SEQ_SCRATCH / 2);
	int r = dst(g);

	op_rip(it, 8, &op, 1, r, label, 0, 0, 0);
	if (call && pick(g, 2)) {
		put(it, 0x49 | (r >> 3 & 1) << 2);	/* REX.W, R, B (%r15) */
		put(it, 0x89);
		put(it, 0x40 | (r & 7) << 3 | (SEQ_BASE_REG & 7));
		put(it, d);
		put(it, 0x41);
		put(it, 0xff);
		put(it, 0x40 | 2 << 3 | (SEQ_BASE_REG & 7));
		put(it, d);
		return;
	}
	if (r >= 8)
		put(it, 0x41);
	put(it, 0xff);
	put(it, 0xc0 | (call ? 2 : 4) << 3 | (r & 7));
}

/* Forward jcc/jmp/loop/jrcxz, direct and indirect calls of subroutines. */
static void gen_control(struct gen *g, struct item *it)
{
	int k = pick(g, 8);
	uint8_t op[2] = { 0x0f };

	switch (k) {
	case 0:
		op[0] = 0x70 + pick(g, 16);
		branch(it, op, 1, FIX_REL8, forward(g));
		break;
	case 1:
		op[1] = 0x80 + pick(g, 16);
		branch(it, op, 2, FIX_REL32, forward(g));
		break;
	case 2:
		op[0] = pick(g, 2) ? 0xeb : 0xe9;
		branch(it, op, 1, op[0] == 0xeb ? FIX_REL8 : FIX_REL32, forward(g));
		break;
	case 3:		/* loopne loope loop jrcxz, jecxz with 0x67 */
		op[0] = 0xe0 + pick(g, 4);
		if (op[0] == 0xe3 && pick(g, 2))
			put(it, 0x67);
		branch(it, op, 1, FIX_REL8, forward(g));
		break;
	case 4:
	case 5:
		op[0] = 0xe8;
		branch(it, op, 1, FIX_REL32, LABEL_SUB(pick(g, NR_SUBS)));
		break;
	case 6:
		indirect(g, it, LABEL_SUB(pick(g, NR_SUBS)), true);
		break;
	default:
		indirect(g, it, forward(g), false);
	}
}

static void gen_item(struct gen *g, struct item *it)
{
	static void (*const plain[])(struct gen *, struct item *) = {
		gen_alu, gen_alu, gen_shift, gen_unary, gen_rrm, gen_mov,
		gen_mov, gen_lea, gen_misc2, gen_onebyte, gen_pushpop, gen_rip,
	};
	unsigned int k = pick(g, g->idx < 0 || g->plain_only ? 12 : 15);

	memset(it, 0, sizeof(*it));
	if (k < 12)
		plain[k](g, it);
	else
		gen_control(g, it);
}

/* Fill in the displacement of @it, at code offset @at, given the layout. */
static void resolve(struct item *it, uint8_t *code, size_t at, size_t len,
		    const size_t *body_off, int nbody, const size_t *sub_off)
{
	long target, rel;

	for (;;) {
		if (it->label == LABEL_CODE)
			target = it->addend;
		else if (it->label == LABEL_DATA)
			target = len > 8 ? (uint32_t)it->addend % (len - 8) : 0;
		else if (it->label >= LABEL_SUB(0))
			target = sub_off[it->label - LABEL_SUB(0)];
		else
			target = body_off[it->label];
		rel = target - (long)(at + it->fix_end);
		if (it->fix == FIX_REL32 || (rel >= -128 && rel <= 127))
			break;
		it->label--;	/* a forward rel8 too far: aim nearer */
	}
	if (it->fix == FIX_REL8)
		code[at + it->fix_at] = (uint8_t)rel;
	else
		memcpy(code + at + it->fix_at, &(int32_t){ rel }, 4);
}

/**
 * seq_generate - write a sequence derived from @in into @code
 * @in:   the input; consumed
 * @code: at least SEQ_MAX_CODE bytes
 * @cap:  size of @code
 *
 * Return: the sequence's length, 0 if @cap is too small.
 */
size_t seq_generate(struct seq_input *in, uint8_t *code, size_t cap)
{
	static struct item body[MAX_BODY], subs[NR_SUBS][MAX_SUB];
	size_t body_off[MAX_BODY + 1], sub_off[NR_SUBS], len = 0;
	int sub_n[NR_SUBS], i, j;
	struct gen g = { .in = in };

	if (cap < SEQ_MAX_CODE)
		return 0;
	g.nbody = 1 + seq_take(in, 1) % MAX_BODY;
	g.plain_only = seq_take(in, 1) % 4 == 0;
	for (g.idx = 0; g.idx < g.nbody; g.idx++)
		gen_item(&g, &body[g.idx]);
	for (g.idx = -1, j = 0; j < NR_SUBS; j++) {
		sub_n[j] = 1 + seq_take(in, 1) % MAX_SUB;
		for (i = 0; i < sub_n[j]; i++)
			gen_item(&g, &subs[j][i]);
	}

	for (i = 0; i < g.nbody; i++) {
		body_off[i] = len;
		memcpy(code + len, body[i].b, body[i].len);
		len += body[i].len;
	}
	body_off[i] = len;
	code[len++] = 0xc3;
	for (j = 0; j < NR_SUBS; j++) {
		sub_off[j] = len;
		for (i = 0; i < sub_n[j]; i++) {
			memcpy(code + len, subs[j][i].b, subs[j][i].len);
			len += subs[j][i].len;
		}
		code[len++] = 0xc3;
	}

	for (i = 0; i < g.nbody; i++)
		if (body[i].fix)
			resolve(&body[i], code, body_off[i], len, body_off, g.nbody, sub_off);
	for (j = 0; j < NR_SUBS; j++) {
		size_t at = sub_off[j];

		for (i = 0; i < sub_n[j]; at += subs[j][i].len, i++)
			if (subs[j][i].fix)
				resolve(&subs[j][i], code, at, len, body_off, g.nbody, sub_off);
	}
	return len;
}
