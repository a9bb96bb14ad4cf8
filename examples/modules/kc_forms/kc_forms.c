// SPDX-License-Identifier: GPL-2.0
/*
 * kc_forms: a driver built to exercise the instruction forms gcc and the
 * kernel put into modules, so that a test can run it natively and under
 * kcage and compare.  Reading /proc/kc_forms prints one "name=value" line
 * per form; every value is deterministic.  Writing to it:
 *
 *   key   flips a static key (a jump-label site the kernel re-patches)
 *   warn  runs a WARN_ON_ONCE() (ud2 with a bug-table entry) and goes on
 *   seed N sets the input of the computations
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/crc32.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>

static u32 seed = 12345;
static atomic_t warnings = ATOMIC_INIT(0);
static DEFINE_STATIC_KEY_FALSE(kc_forms_key);

static u32 next_rand(u32 *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s;
}

/* rep movsb / rep stosb / repne scasb, written out so gcc cannot pick. */
static noinline u32 form_string(u32 s)
{
	u8 src[64], dst[64];
	unsigned long n = sizeof(src), c;
	void *d = dst, *p = src;
	int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = next_rand(&s);
	src[40] = 0;
	asm volatile("rep movsb" : "+D" (d), "+S" (p), "+c" (n) : : "memory");
	d = dst + 48;
	n = 16;
	asm volatile("rep stosb" : "+D" (d), "+c" (n) : "a" (0x5a) : "memory");
	p = dst;
	c = 64;
	asm volatile("repne scasb" : "+D" (p), "+c" (c) : "a" (0) : "cc");
	return crc32_le(0, dst, sizeof(dst)) ^ (u32)(64 - c);
}

/* lock-prefixed read-modify-writes, xchg and cmpxchg. */
static noinline u32 form_atomic(u32 s)
{
	atomic_t a = ATOMIC_INIT(s);
	unsigned long bits = s;
	u32 v = s, old;

	atomic_inc(&a);
	atomic_add(7, &a);
	old = atomic_cmpxchg(&a, s + 8, 99);
	set_bit(3, &bits);
	if (test_and_clear_bit(5, &bits))
		v ^= 0x100;
	v += xchg(&old, 5);
	return v + atomic_read(&a) + (u32)bits + old;
}

/* pushf/popf around cli/sti (local_irq_save and friends). */
static noinline u32 form_flags(u32 s)
{
	unsigned long flags;
	u32 r;

	local_irq_save(flags);
	r = irqs_disabled() ? s * 3 : 0;
	local_irq_restore(flags);
	local_irq_disable();
	r += irqs_disabled();
	local_irq_enable();
	return r + !irqs_disabled();
}

/*
 * %rsp loaded from memory: mov, cmovcc taken and not taken, pop %rsp
 * (what hand-written assembly uses to put back a saved stack pointer).
 */
static noinline u32 form_stack_load(u32 s)
{
	unsigned long slot[2] = { 0, 0 }, r = s;

	asm volatile("mov %%rsp, (%[p])\n\t"
		     "sub $64, %%rsp\n\t"
		     "mov (%[p]), %%rsp\n\t"
		     "sub $32, %%rsp\n\t"
		     "xor %%eax, %%eax\n\t"
		     "cmovz (%[p]), %%rsp\n\t"
		     "sub $32, %%rsp\n\t"
		     "cmp $1, %%eax\n\t"
		     "cmovz (%[p]), %%rsp\n\t"
		     "mov (%[p]), %%rax\n\t"
		     "sub %%rsp, %%rax\n\t"
		     "add %%rax, %[r]\n\t"
		     "push (%[p])\n\t"
		     "pop %%rsp\n\t"
		     "mov %%rsp, 8(%[p])"
		     : [r] "+r"(r) : [p] "r"(slot) : "rax", "memory", "cc");
	return r + (slot[0] == slot[1] ? 0x1000 : 0);
}

/* rdtsc: only whether time goes forward is deterministic. */
static noinline u32 form_rdtsc(void)
{
	u64 a = rdtsc_ordered(), b;
	int i;

	for (i = 0; i < 1000; i++)
		cpu_relax();
	b = rdtsc_ordered();
	return b > a;
}

static const u32 simd_k[4] __aligned(16) = { 0x9e3779b9, 0x7f4a7c15, 0x85ebca6b, 0xc2b2ae35 };

/* SSE2 under kernel_fpu_begin(), with a RIP-relative SIMD operand. */
static noinline u32 form_simd(u32 s)
{
	u32 in[16] __aligned(16), out[4] __aligned(16);
	int i;

	for (i = 0; i < 16; i++)
		in[i] = next_rand(&s);
	kernel_fpu_begin();
	asm volatile("movdqa %[k], %%xmm1\n\t"
		     "pxor %%xmm0, %%xmm0\n\t"
		     "movdqa 0(%[in]), %%xmm2\n\t"
		     "paddd %%xmm2, %%xmm0\n\t"
		     "movdqa 16(%[in]), %%xmm2\n\t"
		     "pxor %%xmm2, %%xmm0\n\t"
		     "movdqa 32(%[in]), %%xmm2\n\t"
		     "paddd %%xmm2, %%xmm0\n\t"
		     "movdqa 48(%[in]), %%xmm2\n\t"
		     "pmuludq %%xmm1, %%xmm2\n\t"
		     "paddq %%xmm2, %%xmm0\n\t"
		     "movdqa %%xmm0, %[out]\n\t"
		     : [out] "=m" (out)
		     : [in] "r" (in), [k] "m" (simd_k)
		     : "memory");	/* -mno-sse: xmm clobbers cannot be named */
	kernel_fpu_end();
	return out[0] ^ out[1] ^ out[2] ^ out[3];
}

/*
 * A dense switch.  With retpolines the kernel builds with -fno-jump-tables,
 * so gcc emits a compare tree; jump tables (indirect jmps) are exercised by
 * the user-space differential test, whose corpus is built without it.
 */
static noinline u32 form_switch(u32 s)
{
	u32 h = 0;
	int i;

	for (i = 0; i < 64; i++) {
		switch (next_rand(&s) % 12) {
		case 0: h += 1; break;
		case 1: h ^= 0xdeadbeef; break;
		case 2: h *= 7; break;
		case 3: h = ror32(h, 3); break;
		case 4: h -= 12345; break;
		case 5: h = ~h; break;
		case 6: h += s; break;
		case 7: h ^= h >> 7; break;
		case 8: h = h * 31 + i; break;
		case 9: h = rol32(h, 11); break;
		case 10: h += hweight32(s); break;
		default: h ^= i; break;
		}
	}
	return h;
}

static noinline u32 ackermann(u32 m, u32 n)
{
	if (!m)
		return n + 1;
	if (!n)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

struct item {
	struct list_head node;
	u32 key;
};

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static noinline u32 mix(u32 x)
{
	return x * 2654435761u ^ (x >> 7);
}

static u32 (*volatile mix_fn)(u32) = mix;

/*
 * Many indirect calls, each followed by the kernel calling back into the
 * module (sort).  Translate-only, the indirect calls' returns are not
 * checked and leave their shadow-stack entries behind: the entries from
 * sort() find the shadow stack full of them, and must get room (with
 * their arguments intact) rather than be refused.
 */
static noinline u32 form_icall_sort(u32 s)
{
	u32 keys[4];
	int i, j;

	for (i = 0; i < 150; i++) {
		s = mix_fn(s);
		for (j = 0; j < ARRAY_SIZE(keys); j++)
			keys[j] = (s >> (j * 8)) & 0xff;
		sort(keys, ARRAY_SIZE(keys), sizeof(keys[0]), cmp_u32, NULL);
		s += keys[0] + 3 * keys[3];
	}
	return s;
}

/* Lists, kmalloc, and the kernel calling back into the module (sort). */
static noinline u32 form_list_sort(u32 s)
{
	u32 keys[32], h = 0;
	struct item *it, *tmp;
	LIST_HEAD(head);
	int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		it = kmalloc(sizeof(*it), GFP_KERNEL);
		if (!it)
			break;
		it->key = next_rand(&s) % 1000;
		list_add_tail(&it->node, &head);
	}
	i = 0;
	list_for_each_entry(it, &head, node)
		keys[i++] = it->key;
	sort(keys, i, sizeof(keys[0]), cmp_u32, NULL);
	while (i--)
		h = h * 33 + keys[i];
	list_for_each_entry_safe(it, tmp, &head, node) {
		list_del(&it->node);
		kfree(it);
	}
	return h;
}

/* A tail call into the kernel (jmp to an exported function). */
static noinline int form_tail_call(const char *buf, u32 *out)
{
	return kstrtou32(buf, 0, out);
}

static noinline u32 plain_sum(u32 a, u32 b)
{
	return a + b;
}

/*
 * More tail calls into the kernel from one stack depth than the shadow
 * stack holds, then plain calls from the same depth: the tail calls'
 * entries must not pile up.
 */
static noinline u32 form_tail_loop(u32 s)
{
	u32 sum = 0, v = 0;
	int i;

	for (i = 0; i < 100; i++) {
		form_tail_call(i & 1 ? "0x10" : "7", &v);
		sum = plain_sum(sum, v ^ s);
	}
	return sum;
}

typedef u32 (*op_fn)(u32);
static u32 op_double(u32 v) { return v * 2; }
static u32 op_square(u32 v) { return v * v; }
static u32 op_negate(u32 v) { return -v; }
static op_fn ops_table[] = { op_double, op_square, op_negate };

/* An indirect tail call (jmp through a retpoline thunk). */
static noinline u32 apply_op(unsigned int i, u32 v)
{
	return ops_table[i % ARRAY_SIZE(ops_table)](v);
}

static noinline bool key_on(void)
{
	return static_branch_unlikely(&kc_forms_key);
}

/* For tests: a function another module calls directly and inspects. */
u32 kc_forms_probe(u32 v)
{
	return form_switch(v) ^ ackermann(1, v % 16);
}
EXPORT_SYMBOL_GPL(kc_forms_probe);

static int kc_forms_show(struct seq_file *m, void *v)
{
	u32 s = seed, parsed = 0;
	int ret;

	seq_printf(m, "string=%08x\n", form_string(s));
	seq_printf(m, "atomic=%08x\n", form_atomic(s));
	seq_printf(m, "flags=%08x\n", form_flags(s));
	seq_printf(m, "stack_load=%08x\n", form_stack_load(s));
	seq_printf(m, "rdtsc_forward=%u\n", form_rdtsc());
	seq_printf(m, "simd=%08x\n", form_simd(s));
	seq_printf(m, "switch=%08x\n", form_switch(s));
	seq_printf(m, "ackermann=%u\n", ackermann(2, s % 8));
	seq_printf(m, "list_sort=%08x\n", form_list_sort(s));
	seq_printf(m, "icall_sort=%08x\n", form_icall_sort(s));
	ret = form_tail_call("0x1234", &parsed);
	seq_printf(m, "tail_call=%d,%x\n", ret, parsed);
	seq_printf(m, "tail_loop=%08x\n", form_tail_loop(s));
	seq_printf(m, "indirect=%08x\n", apply_op(s, s) + apply_op(s + 1, s) + apply_op(s + 2, s));
	seq_printf(m, "key=%d\n", key_on());
	seq_printf(m, "warnings=%d\n", atomic_read(&warnings));
	return 0;
}

static int kc_forms_open(struct inode *inode, struct file *file)
{
	return single_open(file, kc_forms_show, NULL);
}

static noinline void kc_forms_warn(void)
{
	atomic_inc(&warnings);
	WARN_ON_ONCE(atomic_read(&warnings) > 0);
	atomic_add(100, &warnings);	/* runs only if execution went on */
}

static ssize_t kc_forms_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[32];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	strim(buf);
	if (!strcmp(buf, "key")) {
		if (static_key_enabled(&kc_forms_key))
			static_branch_disable(&kc_forms_key);
		else
			static_branch_enable(&kc_forms_key);
	} else if (!strcmp(buf, "warn")) {
		kc_forms_warn();
	} else if (!strncmp(buf, "seed ", 5)) {
		if (kstrtou32(buf + 5, 0, &seed))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	return len;
}

static const struct proc_ops kc_forms_ops = {
	.proc_open = kc_forms_open,
	.proc_read = seq_read,
	.proc_write = kc_forms_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init kc_forms_init(void)
{
	if (!proc_create("kc_forms", 0644, NULL, &kc_forms_ops))
		return -ENOMEM;
	pr_info("kc_forms: loaded, switch(1)=%08x\n", form_switch(1));
	return 0;
}

static void __exit kc_forms_exit(void)
{
	remove_proc_entry("kc_forms", NULL);
}

module_init(kc_forms_init);
module_exit(kc_forms_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Instruction forms for testing kcage's translator");
