// SPDX-License-Identifier: GPL-2.0
/*
 * Code typical of drivers, run natively and translated by test_diff.c.
 *
 * Built with -mno-red-zone (translated code pushes below %rsp, as in the
 * kernel), -fno-toplevel-reorder (so the asm marker below comes before
 * every function) and without function or block reordering (so no part of
 * a function lands in .text.unlikely, away from the rest).  The text runs
 * from kc_corpus_start here to kc_corpus_end (corpus_end.S), both page
 * aligned: the test makes these pages non-executable while the translation
 * runs, so any native execution of corpus code faults.
 */
#include <emmintrin.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "corpus.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

asm(".text\n.balign 4096\n.globl kc_corpus_start\nkc_corpus_start:\n");

/* Deterministic pseudo-random numbers (xorshift64*). */
static u64 rnd(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* ---- strings ---- */

static size_t my_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

static int my_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (u8)*a - (u8)*b;
}

static char *my_strncpy(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}

static const char *my_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (; *s; s++)
		if (*s == (char)c)
			last = s;
	return last;
}

static u64 my_strtoul(const char *s, int base)
{
	u64 v = 0;

	for (;; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	return v;
}

static int fmt_u64(char *buf, u64 v, unsigned int base)
{
	char tmp[65];
	int n = 0, i;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return n;
}

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 32;
}

u64 corpus_strings(u8 *arena, u64 seed)
{
	char *a = (char *)arena, *b = a + 4096, *c = a + 8192;
	u64 h = seed, s = seed | 1;
	int i;

	for (i = 0; i < 64; i++) {
		u64 v = rnd(&s);
		int n = fmt_u64(a, v >> (v & 63), 2 + (v % 15));
		size_t len = my_strlen(a);

		h = mix(h, n + len);
		h = mix(h, my_strtoul(a, 2 + (v % 15)) == v >> (v & 63));
		my_strncpy(b, a, (v >> 8) % 32);
		b[31] = 0;
		h = mix(h, my_strcmp(a, b) + 1000);
		h = mix(h, my_strrchr(a, '1') ? my_strrchr(a, '1') - a : -1);
		upcase(a);
		h = mix(h, a[0] + a[len / 2]);
		memcpy(c + (i * 24) % 2048, a, len + 1);
	}
	return h;
}

/* ---- linked lists (the kernel's list_head) ---- */

struct list_head {
	struct list_head *next, *prev;
};

struct item {
	u32 key;
	u32 val;
	struct list_head node;
};

#define item_of(p) ((struct item *)((char *)(p) - offsetof(struct item, node)))

static void list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static void list_insert(struct list_head *n, struct list_head *prev,
			struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}

/* Keep the list sorted by key: insert before the first larger item. */
static void insert_sorted(struct list_head *h, struct item *it)
{
	struct list_head *p;

	for (p = h->next; p != h; p = p->next)
		if (item_of(p)->key > it->key)
			break;
	list_insert(&it->node, p->prev, p);
}

u64 corpus_list(u8 *arena, u64 seed)
{
	struct list_head *h = (struct list_head *)arena;
	struct item *items = (struct item *)(arena + 64);
	struct list_head *p, *n;
	u64 sum = 0, s = seed | 1;
	int i, nr = 100 + seed % 200;

	list_init(h);
	for (i = 0; i < nr; i++) {
		items[i].key = rnd(&s) % 1000;
		items[i].val = i;
		insert_sorted(h, &items[i]);
	}
	for (p = h->next, n = p->next; p != h; p = n, n = p->next)
		if (item_of(p)->key % 3 == 0)
			list_del(p);
	for (p = h->prev, i = 0; p != h; p = p->prev, i++)
		sum = mix(sum, item_of(p)->key * 1000 + item_of(p)->val + i);
	return sum;
}

/* ---- hash table with chaining ---- */

struct hnode {
	struct hnode *next;
	u64 key;
	u64 val;
};

#define HBITS 7

static u32 jhash32(u64 k)
{
	u32 a = (u32)k, b = (u32)(k >> 32), c = 0xdeadbeef;

	c ^= b; c -= (b << 14) | (b >> 18);
	a ^= c; a -= (c << 11) | (c >> 21);
	b ^= a; b -= (a << 25) | (a >> 7);
	c ^= b; c -= (b << 16) | (b >> 16);
	a ^= c; a -= (c << 4) | (c >> 28);
	b ^= a; b -= (a << 14) | (a >> 18);
	c ^= b; c -= (b << 24) | (b >> 8);
	return c;
}

static struct hnode **bucket(struct hnode **tbl, u64 key)
{
	return &tbl[jhash32(key) >> (32 - HBITS)];
}

static struct hnode *hfind(struct hnode **tbl, u64 key)
{
	struct hnode *n;

	for (n = *bucket(tbl, key); n; n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

static int hdel(struct hnode **tbl, u64 key)
{
	struct hnode **pp;

	for (pp = bucket(tbl, key); *pp; pp = &(*pp)->next) {
		if ((*pp)->key == key) {
			*pp = (*pp)->next;
			return 1;
		}
	}
	return 0;
}

u64 corpus_hash(u8 *arena, u64 seed)
{
	struct hnode **tbl = (struct hnode **)arena;
	struct hnode *pool = (struct hnode *)(arena + 8 * (1 << HBITS));
	u64 s = seed | 1, h = 0;
	int i, used = 0;

	memset(tbl, 0, 8 * (1 << HBITS));
	for (i = 0; i < 1500; i++) {
		u64 k = rnd(&s) % 512, op = rnd(&s) % 4;
		struct hnode *n = hfind(tbl, k);

		if (op == 0) {
			h = mix(h, hdel(tbl, k));
		} else if (n) {
			n->val += op;
			h = mix(h, n->val);
		} else if (used < 1000) {
			n = &pool[used++];
			n->key = k;
			n->val = i;
			n->next = *bucket(tbl, k);
			*bucket(tbl, k) = n;
		}
	}
	return h + used;
}

/* ---- a red-black tree (left-leaning, recursive insert) ---- */

struct rbn {
	struct rbn *l, *r;
	u64 key;
	u8 red;
};

static int is_red(const struct rbn *n)
{
	return n && n->red;
}

static struct rbn *rot_left(struct rbn *h)
{
	struct rbn *x = h->r;

	h->r = x->l;
	x->l = h;
	x->red = h->red;
	h->red = 1;
	return x;
}

static struct rbn *rot_right(struct rbn *h)
{
	struct rbn *x = h->l;

	h->l = x->r;
	x->r = h;
	x->red = h->red;
	h->red = 1;
	return x;
}

static struct rbn *rb_insert(struct rbn *h, struct rbn *n)
{
	if (!h)
		return n;
	if (n->key < h->key)
		h->l = rb_insert(h->l, n);
	else if (n->key > h->key)
		h->r = rb_insert(h->r, n);
	if (is_red(h->r) && !is_red(h->l))
		h = rot_left(h);
	if (is_red(h->l) && is_red(h->l->l))
		h = rot_right(h);
	if (is_red(h->l) && is_red(h->r)) {
		h->red = !h->red;
		h->l->red = 0;
		h->r->red = 0;
	}
	return h;
}

static const struct rbn *rb_find(const struct rbn *n, u64 key)
{
	while (n && n->key != key)
		n = key < n->key ? n->l : n->r;
	return n;
}

/* Black height, or -1 if the tree is unbalanced. */
static int black_height(const struct rbn *n)
{
	int l, r;

	if (!n)
		return 1;
	l = black_height(n->l);
	r = black_height(n->r);
	if (l < 0 || l != r)
		return -1;
	return l + !n->red;
}

static u64 inorder(const struct rbn *n, u64 h)
{
	if (!n)
		return h;
	h = inorder(n->l, h);
	h = mix(h, n->key);
	return inorder(n->r, h);
}

u64 corpus_rbtree(u8 *arena, u64 seed)
{
	struct rbn *pool = (struct rbn *)arena, *root = NULL;
	u64 s = seed | 1, h = 0;
	int i;

	for (i = 0; i < 800; i++) {
		pool[i].l = pool[i].r = NULL;
		pool[i].key = rnd(&s) % 4096;
		pool[i].red = 1;
		if (rb_find(root, pool[i].key))
			continue;
		root = rb_insert(root, &pool[i]);
		root->red = 0;
	}
	for (i = 0; i < 500; i++)
		h = mix(h, !!rb_find(root, rnd(&s) % 4096));
	return mix(inorder(root, h), black_height(root));
}

/* ---- bit operations (a bitmap, like lib/bitmap.c) ---- */

#define BITMAP_BITS 1024

static void set_bit(u64 *map, unsigned int nr)
{
	map[nr / 64] |= 1ull << (nr % 64);
}

static void clear_bit(u64 *map, unsigned int nr)
{
	map[nr / 64] &= ~(1ull << (nr % 64));
}

static int test_bit(const u64 *map, unsigned int nr)
{
	return (map[nr / 64] >> (nr % 64)) & 1;
}

static unsigned int find_next_bit(const u64 *map, unsigned int size,
				  unsigned int from, u64 invert)
{
	while (from < size) {
		u64 w = (map[from / 64] ^ invert) >> (from % 64);

		if (w)
			return from + __builtin_ctzll(w) < size ?
			       from + __builtin_ctzll(w) : size;
		from = (from / 64 + 1) * 64;
	}
	return size;
}

static unsigned int hweight(const u64 *map, unsigned int words)
{
	unsigned int i, n = 0;

	for (i = 0; i < words; i++)
		n += __builtin_popcountll(map[i]);
	return n;
}

static u32 bitrev32(u32 x)
{
	x = ((x >> 1) & 0x55555555) | ((x & 0x55555555) << 1);
	x = ((x >> 2) & 0x33333333) | ((x & 0x33333333) << 2);
	x = ((x >> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
	return __builtin_bswap32(x);
}

u64 corpus_bitops(u8 *arena, u64 seed)
{
	u64 *map = (u64 *)arena;
	u64 s = seed | 1, h = 0;
	unsigned int i, b;

	for (i = 0; i < 300; i++) {
		u64 r = rnd(&s);

		if (r & 1)
			set_bit(map, (r >> 8) % BITMAP_BITS);
		else
			clear_bit(map, (r >> 8) % BITMAP_BITS);
		h = mix(h, test_bit(map, (r >> 20) % BITMAP_BITS));
		h = mix(h, (r << (r & 31)) | (r >> (64 - (r & 31) - 1)));
		h = mix(h, r ? 63 - __builtin_clzll(r) : 64);
		h = mix(h, __builtin_ffsll(r >> 40));
		h = mix(h, __builtin_parityll(r) + bitrev32(r));
	}
	for (b = find_next_bit(map, BITMAP_BITS, 0, 0); b < BITMAP_BITS;
	     b = find_next_bit(map, BITMAP_BITS, b + 1, 0))
		h = mix(h, b);
	h = mix(h, find_next_bit(map, BITMAP_BITS, seed % 512, ~0ull));
	return mix(h, hweight(map, BITMAP_BITS / 64));
}

/* ---- switch statements (jump tables) ---- */

/* Division that cannot trap: by an odd divisor, INT64_MIN / -1 wrapping. */
static s64 sdiv(s64 a, s64 b)
{
	b |= 1;
	return b == -1 ? (s64)(0 - (u64)a) : a / b;
}

#define TOP	stk[(sp - 1) % 32]
#define NEXT	stk[(sp - 2) % 32]

/*
 * A tiny stack machine, the kind of interpreter BPF-like code has: a dense
 * switch, which GCC compiles to a jump table (an indirect jmp).
 */
static s64 interp(const u8 *code, unsigned int len, u64 *stk)
{
	unsigned int pc = 0, sp = 0, steps = 0;
	u64 t;

	while (pc < len && steps++ < 1000) {
		u8 op = code[pc++];

		if ((op & 15) >= 2 && (op & 15) <= 5 && sp < 2)
			continue;	/* binary operators need two operands */
		if ((op & 15) >= 6 && (op & 15) <= 12 && !sp)
			continue;
		switch (op & 15) {
		case 0:
			stk[sp++ % 32] = op;
			break;
		case 1:
			stk[sp++ % 32] = code[pc++ % len];
			break;
		case 2:
			NEXT += TOP;
			sp--;
			break;
		case 3:
			NEXT -= TOP;
			sp--;
			break;
		case 4:
			NEXT *= TOP;
			sp--;
			break;
		case 5:
			NEXT = sdiv(NEXT, TOP);
			sp--;
			break;
		case 6:
			TOP = ~TOP;
			break;
		case 7:
			TOP <<= 3;
			break;
		case 8:
			TOP = (s64)TOP >> 2;
			break;
		case 9:
			stk[sp % 32] = TOP;
			sp++;
			break;
		case 10:
			sp--;
			break;
		case 11:
			if (TOP & 1)
				pc += 2;
			break;
		case 12:
			if (sp > 1) {
				t = TOP;
				TOP = NEXT;
				NEXT = t;
			}
			break;
		case 13:
			pc = code[pc % len] % len;
			break;
		case 14:
			if (sp)
				TOP ^= 0x5a5a;
			break;
		default:
			return sp ? (s64)TOP : -1;
		}
	}
	return sp ? (s64)TOP : (s64)steps;
}

#undef TOP
#undef NEXT

static int classify(u32 c)
{
	switch (c) {
	case 0x100: return 7;
	case 0x101: return c * 3;
	case 0x102: return (int)c >> 2;
	case 0x103: return 11;
	case 0x105: return -(int)c;
	case 0x106: return c ^ 0x55;
	case 0x107: return 13;
	case 0x108: return c + c / 7;
	case 0x10a: return 99;
	case 0x10b: return c % 10;
	default: return -1;
	}
}

u64 corpus_switch(u8 *arena, u64 seed)
{
	u64 *stk = (u64 *)(arena + 4096);
	u64 h = 0, s = seed | 1;
	int i;

	for (i = 0; i < 16; i++)
		h = mix(h, interp(arena + 64 * i, 16 + i * 3, stk));
	for (i = 0; i < 200; i++)
		h = mix(h, classify(0xfc + rnd(&s) % 20));
	return h;
}

/* ---- recursion ---- */

static u64 fib(unsigned int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static u64 ackermann(u64 m, u64 n)
{
	if (!m)
		return n + 1;
	if (!n)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static u64 gcd(u64 a, u64 b)
{
	return b ? gcd(b, a % b) : a;
}

static void quicksort(u32 *a, int lo, int hi)
{
	u32 p, t;
	int i, j;

	if (lo >= hi)
		return;
	p = a[(lo + hi) / 2];
	for (i = lo, j = hi; i <= j;) {
		while (a[i] < p)
			i++;
		while (a[j] > p)
			j--;
		if (i <= j) {
			t = a[i];
			a[i++] = a[j];
			a[j--] = t;
		}
	}
	quicksort(a, lo, j);
	quicksort(a, i, hi);
}

u64 corpus_recursion(u8 *arena, u64 seed)
{
	u32 *a = (u32 *)arena;
	u64 h = fib(10 + seed % 12);
	int i, n = 200 + seed % 500;

	h = mix(h, ackermann(2, seed % 30));
	h = mix(h, gcd(seed * 7919, (seed >> 3) * 104729 + 1));
	quicksort(a, 0, n - 1);
	for (i = 1; i < n; i++)
		h = mix(h, a[i] >= a[i - 1]);
	return h;
}

/* ---- function pointers and callbacks (an ops table) ---- */

struct dev_ops {
	int (*open)(u64 *state, u64 arg);
	u64 (*read)(const u64 *state, u8 *buf, unsigned int n);
	void (*release)(u64 *state);
};

static int dev_a_open(u64 *st, u64 arg)
{
	*st = arg * 3;
	return arg & 1 ? -22 : 0;
}

static u64 dev_a_read(const u64 *st, u8 *buf, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		buf[i] = *st + i;
	return n;
}

static void dev_a_release(u64 *st)
{
	*st = 0;
}

static int dev_b_open(u64 *st, u64 arg)
{
	*st = ~arg;
	return 0;
}

static u64 dev_b_read(const u64 *st, u8 *buf, unsigned int n)
{
	memset(buf, (int)*st, n / 2);
	return n / 2;
}

static const struct dev_ops dev_a = { dev_a_open, dev_a_read, dev_a_release };
static const struct dev_ops dev_b = { dev_b_open, dev_b_read, NULL };

typedef int (*cmp_fn)(const void *, const void *);

static int cmp_u16(const void *a, const void *b)
{
	return *(const u16 *)a - *(const u16 *)b;
}

static int cmp_u16_rev(const void *a, const void *b)
{
	return cmp_u16(b, a);
}

/* Insertion sort through a comparator, like lib/sort.c's callers. */
static void sort_u16(u16 *v, int n, cmp_fn cmp)
{
	int i, j;

	for (i = 1; i < n; i++) {
		u16 x = v[i];

		for (j = i; j > 0 && cmp(&v[j - 1], &x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static u64 apply(u64 (*fn)(u64), u64 x)
{
	return fn(x);		/* a tail call through a pointer */
}

static u64 twice(u64 x) { return x * 2; }
static u64 square(u64 x) { return x * x; }
static u64 negate(u64 x) { return -x; }

u64 corpus_fnptr(u8 *arena, u64 seed)
{
	static u64 (*const table[])(u64) = { twice, square, negate, twice };
	const struct dev_ops *ops;
	u64 st, h = 0, s = seed | 1;
	int i;

	for (i = 0; i < 40; i++) {
		ops = rnd(&s) & 1 ? &dev_a : &dev_b;
		h = mix(h, ops->open(&st, rnd(&s)));
		h = mix(h, ops->read(&st, arena + 8192, 1 + rnd(&s) % 64));
		if (ops->release)
			ops->release(&st);
		h = mix(h, st);
		h = mix(h, apply(table[rnd(&s) % 4], rnd(&s)));
	}
	sort_u16((u16 *)arena, 100, seed & 1 ? cmp_u16 : cmp_u16_rev);
	return h;
}

/* ---- checksums ---- */

static u32 crc32_bitwise(u32 crc, const u8 *p, size_t n)
{
	int k;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

static void crc32_table(u32 *t)
{
	u32 i, c;
	int k;

	for (i = 0; i < 256; i++) {
		for (c = i, k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		t[i] = c;
	}
}

static u32 crc32_tab(const u32 *t, u32 crc, const u8 *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = t[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static u32 adler32(const u8 *p, size_t n)
{
	u32 a = 1, b = 0;

	while (n--) {
		a = (a + *p++) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

u64 corpus_crc32(u8 *arena, u64 seed)
{
	u32 *t = (u32 *)(arena + 60 * 1024);
	size_t n = 1 + seed % 8192;
	u32 a, b;

	crc32_table(t);
	a = crc32_bitwise(0, arena, n);
	b = crc32_tab(t, 0, arena, n);
	return (u64)a << 32 | (b ^ adler32(arena, n) ^ (a != b));
}

/* ---- SHA-256 ---- */

static const u32 sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u32 ror32(u32 x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(u32 *st, const u8 *p)
{
	u32 w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = w[i - 16] + (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, st, sizeof(v));
	for (i = 0; i < 64; i++) {
		t1 = v[7] + (ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha_k[i] + w[i];
		t2 = (ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(u32));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		st[i] += v[i];
}

static void sha256(const u8 *p, size_t n, u8 *out)
{
	u32 st[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	u8 last[128] = { 0 };
	size_t i, rest = n % 64, pad = rest < 56 ? 64 : 128;

	for (i = 0; i + 64 <= n; i += 64)
		sha256_block(st, p + i);
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	for (i = 0; i < 8; i++)
		last[pad - 1 - i] = (u8)((u64)n * 8 >> (8 * i));
	sha256_block(st, last);
	if (pad == 128)
		sha256_block(st, last + 64);
	for (i = 0; i < 32; i++)
		out[i] = st[i / 4] >> (24 - 8 * (i % 4));
}

u64 corpus_sha256(u8 *arena, u64 seed)
{
	u8 *out = arena + 63 * 1024;
	u64 h = 0;
	int i;

	sha256(arena, seed % 4000, out);
	for (i = 0; i < 4; i++)
		h = mix(h, ((u64 *)out)[i]);
	return h;
}

/* ---- SSE2 ---- */

static u64 sum_bytes(const u8 *p, size_t n)
{
	__m128i acc = _mm_setzero_si128();
	size_t i;
	u64 s;

	for (i = 0; i + 16 <= n; i += 16)
		acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_loadu_si128((const __m128i *)(p + i)),
						      _mm_setzero_si128()));
	s = (u64)_mm_cvtsi128_si64(acc) + (u64)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
	for (; i < n; i++)
		s += p[i];
	return s;
}

static unsigned int count_eq(const u8 *a, const u8 *b, size_t n)
{
	unsigned int c = 0;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(a + i));
		__m128i y = _mm_loadu_si128((const __m128i *)(b + i));

		c += __builtin_popcount(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
	}
	return c;
}

static void mix_vec(u8 *dst, const u8 *a, const u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(a + i));
		__m128i y = _mm_loadu_si128((const __m128i *)(b + i));
		__m128i z = _mm_adds_epu16(_mm_xor_si128(x, y), _mm_max_epu8(x, y));

		_mm_storeu_si128((__m128i *)(dst + i), _mm_slli_epi32(z, 3));
	}
}

u64 corpus_simd(u8 *arena, u64 seed)
{
	size_t n = 16 + seed % 8000;
	u64 h = sum_bytes(arena + seed % 64, n);

	h = mix(h, count_eq(arena, arena + 1 + seed % 32, n));
	mix_vec(arena + 40000, arena, arena + 20000, n);
	return mix(h, sum_bytes(arena + 40000, n));
}

/* ---- arithmetic ---- */

static u64 mul_div(u64 a, u64 b, u64 c)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	return c ? (u64)(p / c) : 0;
}

u64 corpus_math(u8 *arena, u64 seed)
{
	u64 s = seed | 1, h = 0, r;
	int i;

	for (i = 0; i < 200; i++) {
		u64 a = rnd(&s), b = rnd(&s) >> (a & 63);
		s64 sa = (s64)a;

		h = mix(h, a / (b | 1) + a % 10 + a / 1000003);
		h = mix(h, sa / -7 + sa % 13 + (sa >> (b & 63)));
		h = mix(h, mul_div(a >> 4, b, (b >> 3) + 1));
		h = mix(h, __builtin_add_overflow(a, b, &r) + r);
		h = mix(h, __builtin_mul_overflow((s64)a, (s64)b, (s64 *)&r) + r);
		h = mix(h, (u32)a * (u32)b + (u16)(a >> 16) / ((u16)b | 1));
		((u64 *)arena)[i] = h;
	}
	return h;
}

/* ---- variadic functions (the register save area of va_list) ---- */

static int mini_printf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	va_start(ap, fmt);
	for (; *fmt && n + 24 < cap; fmt++) {
		if (*fmt != '%') {
			out[n++] = *fmt;
			continue;
		}
		switch (*++fmt) {
		case 'd': {
			long v = va_arg(ap, long);

			if (v < 0) {
				out[n++] = '-';
				v = -v;
			}
			n += fmt_u64(out + n, v, 10);
			break;
		}
		case 'x':
			n += fmt_u64(out + n, va_arg(ap, u64), 16);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s && n + 24 < cap)
				out[n++] = *s++;
			break;
		}
		case 'c':
			out[n++] = (char)va_arg(ap, int);
			break;
		default:
			out[n++] = '?';
		}
	}
	va_end(ap);
	out[n] = 0;
	return n;
}

static u64 vsum(int n, ...)
{
	va_list ap;
	u64 s = 0;

	va_start(ap, n);
	while (n--)
		s = s * 31 + va_arg(ap, u64);
	va_end(ap);
	return s;
}

u64 corpus_varargs(u8 *arena, u64 seed)
{
	char *out = (char *)arena + 1024;
	u64 s = seed | 1, h = 0;
	int i;

	for (i = 0; i < 20; i++) {
		u64 a = rnd(&s), b = rnd(&s);

		h = mix(h, mini_printf(out + 64 * (i % 8), 64, "dev%d: %x <%s> %c!",
				       (long)a >> 40, b, "status", 'a' + (int)(a % 26)));
		h = mix(h, vsum(9, a, b, a ^ b, a + 1, b + 2, a * 3, 7ull, 8ull, b >> 5));
	}
	return h;
}

/* ---- computed goto (threaded interpreter) ---- */

u64 corpus_goto(u8 *arena, u64 seed)
{
	static const void *const ops[] = { &&op_add, &&op_xor, &&op_shl,
					   &&op_mul, &&op_skip, &&op_end };
	const u8 *pc = arena;
	u64 acc = seed;
	int steps = 0;

#define NEXT() do { if (++steps > 2000) goto op_end; goto *ops[*pc++ % 6]; } while (0)
	NEXT();
op_add:
	acc += *pc;
	NEXT();
op_xor:
	acc ^= acc >> 7;
	NEXT();
op_shl:
	acc = acc << 1 | acc >> 63;
	NEXT();
op_mul:
	acc *= 0x100000001b3ull;
	NEXT();
op_skip:
	pc += *pc % 4;
	NEXT();
op_end:
#undef NEXT
	return acc + steps;
}

/* ---- calls into libc, which runs natively and returns into the cache ---- */

static int cmp_long(const void *a, const void *b)
{
	return *(const long *)a < *(const long *)b ? -1 : *(const long *)a > *(const long *)b;
}

u64 corpus_libc(u8 *arena, u64 seed)
{
	char *buf = (char *)arena + 32768;
	u64 h = 0;
	int i, n;

	for (i = 0; i < 16; i++) {
		n = snprintf(buf, 256, "%s-%lu-%08lx", "kcage", (unsigned long)seed * i,
			     (unsigned long)seed >> i);
		h = mix(h, n + strlen(buf) + strtoul(buf + 6, NULL, 10));
		memmove(buf + 1, buf, n);
		h = mix(h, memcmp(buf, buf + 1, n) + (strchr(buf, '-') - buf));
	}
	h = mix(h, cmp_long(arena, arena + 8));
	return h;
}

/*
 * kc_corpus_end is in corpus_end.S, linked right after this file: GCC emits
 * clones (foo.part.0, ...) after the last top-level asm of a file.
 */
