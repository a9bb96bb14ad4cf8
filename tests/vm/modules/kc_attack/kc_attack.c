// SPDX-License-Identifier: GPL-2.0
/*
 * kc_attack: control-flow and privileged-instruction attacks, one debugfs
 * file each in /sys/kernel/debug/kc_attack/ (write anything to run it);
 * "result" reads the value the last attack's call returned.
 *
 *   ok          read: "ok"; calls only what its policy allows
 *   call        direct call to a kernel function the policy denies
 *   fptr        call through a pointer to that function
 *   fptr_mid    call through a pointer into the middle of a kernel function
 *   own_listed  call through a pointer to its own function listed in the
 *               policy's entries (allowed)
 *   own_hidden  the same to one of its functions not listed (refused)
 *   own_table   call through a const table of its own (an ops table) to
 *               one of its functions not listed (allowed: taken.c)
 *   wbinvd      a privileged instruction the policy does not allow
 *   rop         a function overwrites its own return address with the
 *               address of a kernel function (enforcement only)
 *   rop_swap    a function overwrites its return address with another
 *               valid return address, one an earlier call pushed
 *               (enforcement only: natively it runs the second call twice)
 *   pivot       points %rsp at a buffer of its own, and back (enforcement
 *               only)
 *   frame       overwrites the 27 words above its own frame: under kcage
 *               the entry frame and the return address into the kernel
 *               (enforcement only: natively its caller's frame)
 *   jumptable   a switch compiled to a jump table (an indirect jump to
 *               its own function: allowed)
 *   heap        writes a buffer it allocated (allowed)
 *   text        writes its own native text (enforcement only)
 *   global      writes a kernel global, panic_timeout, with its own value
 *   msr_ok      rdmsr of MSR 0x1b (the APIC base), which its policy allows
 *   msr_bad     rdmsr of MSR 0x10 (the TSC), which it does not
 *   percpu      increments a per-CPU counter of its own (allowed), then
 *               writes the kernel's per-CPU this_cpu_off with its own value
 *   string      rep stosb into a buffer of its own (allowed), then over
 *               its own native text (enforcement only)
 *   uaf         frees a buffer it allocated, then writes it (enforcement
 *               only)
 *   double_free frees a buffer twice (enforcement only)
 *   foreign     writes the struct file the kernel passed it, with its own
 *               value (allowed only with a grant)
 *   granted     the same, in an entry its policy grants the struct file
 *   grant_edge  rewrites the last 8 of the 64 bytes of the struct file its
 *               policy grants this entry (allowed)
 *   grant_below rewrites the 8 bytes just below them (refused)
 *   grant_past  rewrites 8 bytes across their end (refused)
 *   api_bad     kstrtouint_from_user() into a kernel global, which the
 *               policy's api rule refuses (enforcement only)
 *   region      writes loops_per_jiffy with its own value, which its
 *               policy names as a region
 *   peek        reads panic_timeout, a kernel global (refused when the
 *               policy checks reads)
 *   peek_region reads loops_per_jiffy, which its policy names
 *   flood       "echo N > flood": N stores to panic_timeout, with its own
 *               value (a stream of violations in audit mode)
 *
 * The targets are harmless, except fptr_mid, which only makes sense under
 * enforcement: so the other attacks also run in audit mode, where they go
 * through and are only reported.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/panic.h>
#include <linux/slab.h>

static struct dentry *dir;
static long result;

typedef unsigned int (*conv_fn)(const unsigned long);
static conv_fn volatile target_fn = jiffies_to_usecs;
static unsigned long volatile mid_offset = 4;

static ssize_t ok_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return simple_read_from_buffer(buf, len, pos, "ok\n", 3);
}

static ssize_t result_read(struct file *f, char __user *buf, size_t len,
			   loff_t *pos)
{
	char msg[24];
	int n = snprintf(msg, sizeof(msg), "%ld\n", result);

	return simple_read_from_buffer(buf, len, pos, msg, n);
}

static ssize_t call_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	result = (int)jiffies_to_usecs(1);
	return len;
}

static ssize_t fptr_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	result = (int)target_fn(1);
	return len;
}

static ssize_t fptr_mid_write(struct file *f, const char __user *buf,
			      size_t len, loff_t *pos)
{
	conv_fn mid = (conv_fn)((unsigned long)jiffies_to_msecs + mid_offset);

	/* natively this would run from the middle of an instruction stream */
	if (mid_offset)
		result = (int)mid(1);
	return len;
}

noinline int own_listed(int x)
{
	return x + 1;
}

noinline int own_hidden(int x)
{
	return x + 2;
}

static int (*volatile own_fn)(int);

static ssize_t own_listed_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	own_fn = own_listed;
	result = own_fn(40);
	return len;
}

static ssize_t own_hidden_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	own_fn = own_hidden;
	result = own_fn(40);
	return len;
}

noinline int own_tabled(int x)
{
	return x + 3;
}

struct own_ops {
	int (*fn)(int x);
};

static const struct own_ops own_ops = { .fn = own_tabled };
/* volatile: the call must go through the table, not be made direct */
static const struct own_ops *volatile own_ops_ptr = &own_ops;

static ssize_t own_table_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	result = own_ops_ptr->fn(40);
	return len;
}

static ssize_t wbinvd_write(struct file *f, const char __user *buf, size_t len,
			    loff_t *pos)
{
	asm volatile("wbinvd" ::: "memory");
	result = 0;
	return len;
}

static noinline void rop_victim(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	/* frame[1] is the return address */
	WRITE_ONCE(frame[1], (unsigned long)target_fn);
}

static ssize_t rop_write(struct file *f, const char __user *buf, size_t len,
			 loff_t *pos)
{
	rop_victim();
	result = 0;
	return len;
}

static unsigned long saved_ret;
static int swaps;

static noinline void rop_save(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	WRITE_ONCE(saved_ret, frame[1]);
}

static noinline void rop_swap_victim(void)
{
	unsigned long *frame = __builtin_frame_address(0);

	/* return once to just after the call to rop_save() */
	if (!swaps++)
		WRITE_ONCE(frame[1], READ_ONCE(saved_ret));
}

static ssize_t rop_swap_write(struct file *f, const char __user *buf,
			      size_t len, loff_t *pos)
{
	swaps = 0;
	rop_save();
	rop_swap_victim();
	result = swaps;
	return len;
}

static u8 fake_stack[512] __aligned(16);

static ssize_t pivot_write(struct file *f, const char __user *buf, size_t len,
			   loff_t *pos)
{
	unsigned long saved;

	/* nothing is pushed while %rsp is away: natively harmless */
	asm volatile("mov %%rsp, %0\n\t"
		     "lea %1, %%rsp\n\t"
		     "mov %0, %%rsp"
		     : "=&r"(saved) : "m"(fake_stack[256]) : "memory");
	result = 0;
	return len;
}

static noinline ssize_t frame_write(struct file *f, const char __user *buf,
				    size_t len, loff_t *pos)
{
	unsigned long *fp = __builtin_frame_address(0);
	int i;

	/* fp[0]: saved %rbp, fp[1]: return address, then the caller's */
	for (i = 2; i < 2 + 27; i++)
		WRITE_ONCE(fp[i], 0x4141414141414141UL);
	result = 1;
	return len;
}

static noinline long jt_dispatch(unsigned int op, long x)
{
	switch (op) {
	case 0: return x + 1;
	case 1: return x * 3;
	case 2: return x - 7;
	case 3: return x ^ 0x55;
	case 4: return x << 2;
	case 5: return x >> 1;
	case 6: return ~x;
	case 7: return x * x;
	case 8: return x + 100;
	case 9: return -x;
	case 10: return x | 0x1000;
	case 11: return x & 0xff;
	}
	return 0;
}

static ssize_t jumptable_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	long sum = 0;
	unsigned int i;

	for (i = 0; i < 12; i++)
		sum = sum * 7 + jt_dispatch(i, i + 3);
	result = sum;
	return len;
}

static ssize_t heap_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	u64 *p = kmalloc(64, GFP_KERNEL);
	int i;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < 8; i++)
		WRITE_ONCE(p[i], i);
	result = p[7];
	kfree(p);
	return len;
}

static ssize_t text_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	u8 *code = (u8 *)((unsigned long)own_hidden + mid_offset);

	WRITE_ONCE(*code, 0xcc);
	result = 0;
	return len;
}

static ssize_t global_write(struct file *f, const char __user *buf, size_t len,
			    loff_t *pos)
{
	WRITE_ONCE(panic_timeout, READ_ONCE(panic_timeout));
	result = 0;
	return len;
}

static noinline u64 read_msr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static ssize_t msr_ok_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	result = read_msr(0x1b) != 0;
	return len;
}

static ssize_t msr_bad_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	result = read_msr(0x10) != 0;
	return len;
}

static DEFINE_PER_CPU(int, hits);

static ssize_t percpu_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	this_cpu_inc(hits);
	result = this_cpu_read(hits) > 0;
	this_cpu_write(this_cpu_off, this_cpu_read(this_cpu_off));
	return len;
}

static u8 scratch[64];

static noinline void rep_stosb(void *dst, u8 val, unsigned long n)
{
	asm volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(val) : "memory");
}

static ssize_t string_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	rep_stosb(scratch, 0x5a, sizeof(scratch));
	result = scratch[63];
	rep_stosb((u8 *)own_hidden + mid_offset, 0xcc, 4);
	return len;
}

static u64 *volatile stale;

static ssize_t uaf_write(struct file *f, const char __user *buf, size_t len,
			 loff_t *pos)
{
	stale = kmalloc(64, GFP_KERNEL);
	if (!stale)
		return -ENOMEM;
	kfree(stale);
	/* in asm: a KASAN kernel's own check would report it first */
	asm volatile("movq %1, %0" : "=m"(stale[1]) : "r"(0x5a5aUL));
	result = 0;
	return len;
}

static ssize_t double_free_write(struct file *f, const char __user *buf,
				 size_t len, loff_t *pos)
{
	stale = kmalloc(64, GFP_KERNEL);
	if (!stale)
		return -ENOMEM;
	kfree(stale);
	kfree(stale);
	result = 0;
	return len;
}

static ssize_t foreign_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	WRITE_ONCE(f->private_data, READ_ONCE(f->private_data));
	result = 0;
	return len;
}

static ssize_t granted_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	WRITE_ONCE(f->private_data, READ_ONCE(f->private_data));
	result = 1;
	return len;
}

/*
 * Store back the 8 bytes at @off from @f: refused unless granted.  In
 * asm: KASAN would report the bytes outside the object before kcage
 * refused the store.
 */
static noinline void rewrite_at(struct file *f, long off)
{
	u64 *p = (u64 *)((char *)f + off), v;

	asm volatile("movq (%1), %0\n\tmovq %0, (%1)" : "=&r" (v) : "r" (p) : "memory");
}

static ssize_t grant_edge_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	rewrite_at(f, 56);
	result = 1;
	return len;
}

static ssize_t grant_below_write(struct file *f, const char __user *buf,
				 size_t len, loff_t *pos)
{
	rewrite_at(f, -8);
	return len;
}

static ssize_t grant_past_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	rewrite_at(f, 60);
	return len;
}

/*
 * Store back the 16 bytes at @off from @f, 8 at a time, through one
 * pointer: the second store shares the first one's check (coalescing,
 * kmod/enforce/bounds.c), and must still be refused on its own.
 */
static noinline void rewrite_pair_at(struct file *f, long off)
{
	u64 *p = (u64 *)((char *)f + off), v, w;

	asm volatile("movq (%2), %0\n\tmovq 8(%2), %1\n\t"
		     "movq %0, (%2)\n\tmovq %1, 8(%2)"
		     : "=&r" (v), "=&r" (w) : "r" (p) : "memory");
}

static ssize_t pair_edge_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	rewrite_pair_at(f, 48);
	result = 1;
	return len;
}

static ssize_t pair_below_write(struct file *f, const char __user *buf,
				size_t len, loff_t *pos)
{
	rewrite_pair_at(f, -8);
	return len;
}

static ssize_t pair_past_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	rewrite_pair_at(f, 56);
	return len;
}

static ssize_t peek_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	result = READ_ONCE(panic_timeout);
	return len;
}

static ssize_t peek_region_write(struct file *f, const char __user *buf,
				 size_t len, loff_t *pos)
{
	result = READ_ONCE(loops_per_jiffy) != 0;
	return len;
}

static ssize_t api_bad_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	result = kstrtouint_from_user(buf, len, 10, (unsigned int *)&panic_timeout);
	return len;
}

static ssize_t region_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	WRITE_ONCE(loops_per_jiffy, READ_ONCE(loops_per_jiffy));
	result = 1;
	return len;
}

/* echo N > flood: N stores to a kernel global (a stream of violations). */
static ssize_t flood_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	unsigned int n, i;

	result = kstrtouint_from_user(buf, len, 10, &n);
	if (result)
		return result;
	for (i = 0; i < n; i++) {
		WRITE_ONCE(panic_timeout, READ_ONCE(panic_timeout));
		if (!(i & 1023))
			cond_resched();
	}
	return len;
}

#define FOPS(name, op) \
	static const struct file_operations name##_fops = { .op = name##_##op }

FOPS(ok, read);
FOPS(result, read);
FOPS(call, write);
FOPS(fptr, write);
FOPS(fptr_mid, write);
FOPS(own_listed, write);
FOPS(own_hidden, write);
FOPS(own_table, write);
FOPS(wbinvd, write);
FOPS(rop, write);
FOPS(heap, write);
FOPS(jumptable, write);
FOPS(frame, write);
FOPS(pivot, write);
FOPS(rop_swap, write);
FOPS(text, write);
FOPS(global, write);
FOPS(string, write);
FOPS(percpu, write);
FOPS(msr_ok, write);
FOPS(msr_bad, write);
FOPS(uaf, write);
FOPS(double_free, write);
FOPS(foreign, write);
FOPS(api_bad, write);
FOPS(granted, write);
FOPS(grant_edge, write);
FOPS(grant_below, write);
FOPS(grant_past, write);
FOPS(pair_edge, write);
FOPS(pair_below, write);
FOPS(pair_past, write);
FOPS(peek, write);
FOPS(peek_region, write);
FOPS(region, write);
FOPS(flood, write);

/* fail_init=1: init fails (a load that kcage must undo completely) */
static bool fail_init;
module_param(fail_init, bool, 0);

static int __init kc_attack_init(void)
{
	if (fail_init)
		return -EINVAL;
	dir = debugfs_create_dir("kc_attack", NULL);
	debugfs_create_file("ok", 0444, dir, NULL, &ok_fops);
	debugfs_create_file("result", 0444, dir, NULL, &result_fops);
	debugfs_create_file("call", 0200, dir, NULL, &call_fops);
	debugfs_create_file("fptr", 0200, dir, NULL, &fptr_fops);
	debugfs_create_file("fptr_mid", 0200, dir, NULL, &fptr_mid_fops);
	debugfs_create_file("own_listed", 0200, dir, NULL, &own_listed_fops);
	debugfs_create_file("own_hidden", 0200, dir, NULL, &own_hidden_fops);
	debugfs_create_file("own_table", 0200, dir, NULL, &own_table_fops);
	debugfs_create_file("wbinvd", 0200, dir, NULL, &wbinvd_fops);
	debugfs_create_file("rop", 0200, dir, NULL, &rop_fops);
	debugfs_create_file("heap", 0200, dir, NULL, &heap_fops);
	debugfs_create_file("jumptable", 0200, dir, NULL, &jumptable_fops);
	debugfs_create_file("frame", 0200, dir, NULL, &frame_fops);
	debugfs_create_file("pivot", 0200, dir, NULL, &pivot_fops);
	debugfs_create_file("rop_swap", 0200, dir, NULL, &rop_swap_fops);
	debugfs_create_file("text", 0200, dir, NULL, &text_fops);
	debugfs_create_file("global", 0200, dir, NULL, &global_fops);
	debugfs_create_file("string", 0200, dir, NULL, &string_fops);
	debugfs_create_file("percpu", 0200, dir, NULL, &percpu_fops);
	debugfs_create_file("msr_ok", 0200, dir, NULL, &msr_ok_fops);
	debugfs_create_file("msr_bad", 0200, dir, NULL, &msr_bad_fops);
	debugfs_create_file("uaf", 0200, dir, NULL, &uaf_fops);
	debugfs_create_file("double_free", 0200, dir, NULL, &double_free_fops);
	debugfs_create_file("foreign", 0200, dir, NULL, &foreign_fops);
	debugfs_create_file("api_bad", 0200, dir, NULL, &api_bad_fops);
	debugfs_create_file("granted", 0200, dir, NULL, &granted_fops);
	debugfs_create_file("grant_edge", 0200, dir, NULL, &grant_edge_fops);
	debugfs_create_file("grant_below", 0200, dir, NULL, &grant_below_fops);
	debugfs_create_file("grant_past", 0200, dir, NULL, &grant_past_fops);
	debugfs_create_file("pair_edge", 0200, dir, NULL, &pair_edge_fops);
	debugfs_create_file("pair_below", 0200, dir, NULL, &pair_below_fops);
	debugfs_create_file("pair_past", 0200, dir, NULL, &pair_past_fops);
	debugfs_create_file("peek", 0200, dir, NULL, &peek_fops);
	debugfs_create_file("peek_region", 0200, dir, NULL, &peek_region_fops);
	debugfs_create_file("region", 0200, dir, NULL, &region_fops);
	debugfs_create_file("flood", 0200, dir, NULL, &flood_fops);
	return 0;
}

static void __exit kc_attack_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(kc_attack_init);
module_exit(kc_attack_exit);
MODULE_LICENSE("GPL");
