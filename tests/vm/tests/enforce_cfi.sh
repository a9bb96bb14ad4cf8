#!/bin/sh
# Enforcement of calls into the kernel, indirect branches, returns,
# stores, the heap, API argument rules and privileged instructions
# (docs/enforcement.md).  kc_attack's policy allows what its
# normal work calls; a direct call and a call through a pointer to a
# denied kernel function, a call into the middle of a kernel function, a
# call through a pointer to one of its own functions not listed in
# entries, wbinvd, and a return to an overwritten return address are each
# stopped (the call returns -EPERM, the
# instruction does not run) with a violation naming the module's
# instruction, every time; allowed calls run, and so does a call through
# a const table of its own to a function not listed (taken.c).  In audit
# mode the same attacks run and are only reported.
# smp: 4
# timeout: 180
. /tests/lib.sh

D=/sys/kernel/debug/kc_attack
K=/sys/kernel/debug/kcage

# policy <mode> [check_reads]
policy() {
	cat > /tmp/kc_attack.yaml <<YAML
module: kc_attack
mode: $1
default_action: deny
include: /kcage/src/policy/base/alloc.yaml
calls:
  allow: [_printk, "debugfs_*", simple_read_from_buffer, snprintf,
          jiffies_to_msecs, kstrtouint_from_user]
  deny: [jiffies_to_usecs]
entries: [own_listed]
memory:
  check_reads: ${2:-false}
  regions:
    - { symbol: loops_per_jiffy, size: 8, access: rw }
api:
  - { function: kstrtouint_from_user, arg: 4, check: writable, size: 4 }
grants:
  # struct file: 232 bytes, more with lockdep (the debug kernel)
  - { entry: granted_write, arg: 1, size: 1024, access: rw }
  # the first 64 bytes: the edges of the inline grant test (grant.c)
  - { entry: grant_edge_write, arg: 1, size: 64, access: rw }
  - { entry: grant_below_write, arg: 1, size: 64, access: rw }
  - { entry: grant_past_write, arg: 1, size: 64, access: rw }
  - { entry: pair_edge_write, arg: 1, size: 64, access: rw }
  - { entry: pair_below_write, arg: 1, size: 64, access: rw }
  - { entry: pair_past_write, arg: 1, size: 64, access: rw }
privileged:
  - { insn: rdmsr, msrs: 0x1b }
YAML
	load_policy /tmp/kc_attack.yaml
}

mark() {
	echo "kcage-test: $1" > /dev/kmsg
}

since() {
	dmesg | sed -n "/kcage-test: $1\$/,\$p"
}

# abandoned <file> <violation>: its write fails (the call into the module
# is abandoned) and a violation line matching <violation> follows.
abandoned() {
	mark $1
	out=$(echo 1 2>&1 > $D/$1) && fail "$1: the write succeeded"
	echo "$1: $out"
	since $1 | grep -q "kcage: violation .*$2" || fail "$1: no violation $2"
}

# attack <file> <kind> <action> <result>: run it, check the violation line
# and the value the attacked call returned.
attack() {
	file=$1 kind=$2 action=$3 want=$4
	mark "$file $action"
	echo 1 > $D/$file || fail "$file: write failed"
	got=$(cat $D/result)
	line=$(since "$file $action" | grep 'kcage: violation ')
	echo "$file: result=$got $line"
	[ "$got" = "$want" ] || fail "$file: result $got, expected $want"
	echo "$line" | grep -q "module=kc_attack kind=$kind action=$action pc=${file}_write+0x" ||
		fail "$file: no $kind violation with action $action"
}

# Native answers, for the allowed and the audited calls.
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (native)"
for f in call fptr own_listed own_hidden own_table jumptable; do
	echo 1 > $D/$f
	eval native_$f=$(cat $D/result)
done
rmmod kc_attack

load_kcage
policy enforce
echo kc_attack > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (enforce)"
expect_dmesg "kcage: kc_attack: policy bound, mode=enforce"
[ "$(cat $D/ok)" = ok ] || fail "allowed calls do not work"

mark own_listed
echo 1 > $D/own_listed || fail "own_listed"
[ "$(cat $D/result)" = "$native_own_listed" ] || fail "own_listed: wrong result"
since own_listed | grep -q 'kcage: violation' && fail "own_listed: a violation"

# through a const table of its own to a function not listed (taken.c)
mark own_table
echo 1 > $D/own_table || fail "own_table"
[ "$(cat $D/result)" = "$native_own_table" ] || fail "own_table: wrong result"
[ "$native_own_table" = 43 ] || fail "own_table: native result $native_own_table"
since own_table | grep -q 'kcage: violation' && fail "own_table: a violation"

# a switch's jump table: an indirect jump within its own function
mark jumptable
echo 1 > $D/jumptable || fail "jumptable: refused"
[ "$(cat $D/result)" = "$native_jumptable" ] || fail "jumptable: wrong result"
since jumptable | grep -q 'kcage: violation' && fail "jumptable: a violation"
attack call call deny -1
attack fptr indirect deny -1
attack fptr_mid indirect deny -1
attack own_hidden indirect deny -1
attack wbinvd privileged deny 0
# a return address overwritten with a kernel function's address: the
# return is refused and the call into the module abandoned (-EPERM)
mark rop
out=$(echo 1 2>&1 > $D/rop) && fail "rop: the write succeeded"
echo "rop: $out"
echo "$out" | grep -q "Operation not permitted" || fail "rop: not refused with EPERM"
since rop | grep -q "module=kc_attack kind=return action=deny pc=rop_victim+0x" ||
	fail "rop: no return violation"
# a return address swapped for another valid one (after an earlier call):
# the shadow stack knows which return belongs to which call
abandoned rop_swap "module=kc_attack kind=return action=deny pc=rop_swap_victim+0x.*detail=return_address_overwritten"
# %rsp moved off the stack, onto a buffer of its own
abandoned pivot "module=kc_attack kind=return action=deny pc=pivot_write+0x.*detail=stack_pivot"
# the entry frame and the kernel caller's return address overwritten: the
# caller gets its return address and registers back from the gate record
mark frame
echo 1 > $D/frame || fail "frame: the write failed"
[ "$(cat $D/result)" = 1 ] || fail "frame: did not run"
[ "$(cat $D/ok)" = ok ] || fail "frame: module broken afterwards"
sleep 5	# a fresh window for the rate-limited violation lines
# stores: its own heap buffer is fine; its native text and a kernel
# global are not, and the call into the module is abandoned (-EPERM)
mark heap
echo 1 > $D/heap || fail "heap: write failed"
[ "$(cat $D/result)" = 7 ] || fail "heap: wrong result"
since heap | grep -q 'kcage: violation' && fail "heap: a violation"
for f in text global; do
	mark $f
	out=$(echo 1 2>&1 > $D/$f) && fail "$f: the store was not refused"
	echo "$f: $out"
	echo "$out" | grep -q "Operation not permitted" || fail "$f: not refused with EPERM"
	since $f | grep -q "module=kc_attack kind=write action=deny pc=${f}_write+0x" ||
		fail "$f: no write violation"
done
# a rep stosb: into its own buffer it runs, over its text it is refused
mark string
out=$(echo 1 2>&1 > $D/string) && fail "string: the store was not refused"
[ "$(cat $D/result)" = 90 ] || fail "string: the allowed rep stosb did not run"
since string | grep -q "module=kc_attack kind=write action=deny pc=rep_stosb.*size=4 " ||
	fail "string: no write violation of 4 bytes"
# per-CPU stores: its own counter is fine, the kernel's this_cpu_off is not
mark percpu
out=$(echo 1 2>&1 > $D/percpu) && fail "percpu: the store was not refused"
[ "$(cat $D/result)" = 1 ] || fail "percpu: its own per-CPU counter did not count"
since percpu | grep -q "module=kc_attack kind=write action=deny pc=percpu_write+0x.*detail=percpu_write_not_allowed" ||
	fail "percpu: no per-CPU write violation"
sleep 5	# a fresh window for the rate-limited violation lines
# rdmsr: the MSR is known only at run time; 0x1b is allowed, 0x10 is not
mark msr
echo 1 > $D/msr_ok || fail "msr_ok: refused"
[ "$(cat $D/result)" = 1 ] || fail "msr_ok: rdmsr did not run: $(cat $D/result)"
out=$(echo 1 2>&1 > $D/msr_bad) && fail "msr_bad: not refused"
since msr | grep -q "module=kc_attack kind=privileged action=deny pc=read_msr+0x.* addr=0x10 " ||
	fail "msr_bad: no privileged violation for MSR 0x10"
sleep 5	# a fresh window for the rate-limited violation lines
# the heap: a store into a buffer it freed, a second free, a store into a
# kernel object it does not own are refused; a region it names is not
abandoned uaf "module=kc_attack kind=write action=deny pc=uaf_write+0x.*size=8 .*detail=write_not_allowed"
mark double_free
echo 1 > $D/double_free || fail "double_free: write failed"
since double_free | grep -q "module=kc_attack kind=api action=deny pc=double_free_write+0x.*detail=arg1_not_owned" ||
	fail "double_free: no api violation"
[ "$(since double_free | grep -c 'kcage: violation')" -eq 1 ] ||
	fail "double_free: the first free was refused too"
abandoned foreign "module=kc_attack kind=write action=deny pc=foreign_write+0x"
mark granted
echo 1 > $D/granted || fail "granted: a store into a granted object was refused"
[ "$(cat $D/result)" = 1 ] || fail "granted: did not run"
since granted | grep -q 'kcage: violation' && fail "granted: a violation"
# the grant ended with its entry: another entry's store is refused again
abandoned foreign "module=kc_attack kind=write action=deny pc=foreign_write+0x"
mark grant_edge
echo 1 > $D/grant_edge || fail "grant_edge: a store inside the grant was refused"
[ "$(cat $D/result)" = 1 ] || fail "grant_edge: did not run"
since grant_edge | grep -q 'kcage: violation' && fail "grant_edge: a violation"
sleep 5	# a fresh window for the rate-limited violation lines
abandoned grant_below "module=kc_attack kind=write action=deny pc=rewrite_at+0x.*size=8 "
abandoned grant_past "module=kc_attack kind=write action=deny pc=rewrite_at+0x.*size=8 "
# two stores through one pointer, one check (coalescing): each store is
# still decided on its own, and reported at its own address
coalesced=$(sed -n 's/^checks_coalesced=//p' /sys/kernel/debug/kcage/stats)
mark pair_edge
echo 1 > $D/pair_edge || fail "pair_edge: a store inside the grant was refused"
[ "$(cat $D/result)" = 1 ] || fail "pair_edge: did not run"
since pair_edge | grep -q 'kcage: violation' && fail "pair_edge: a violation"
[ "$(sed -n 's/^checks_coalesced=//p' /sys/kernel/debug/kcage/stats)" -gt "$coalesced" ] ||
	fail "pair_edge: the second store was not coalesced"
sleep 5	# a fresh window for the rate-limited violation lines
abandoned pair_below "module=kc_attack kind=write action=deny pc=rewrite_pair_at+0x.*size=8 "
below=$(since pair_below | grep -o 'pc=rewrite_pair_at+0x[0-9a-f]*')
abandoned pair_past "module=kc_attack kind=write action=deny pc=rewrite_pair_at+0x.*size=8 "
past=$(since pair_past | grep -o 'pc=rewrite_pair_at+0x[0-9a-f]*')
echo "pair: first store $below, second store $past"
[ "$(echo "$below" | wc -l)" -eq 1 ] || fail "pair_below: not one violation"
[ "$(echo "$past" | wc -l)" -eq 1 ] || fail "pair_past: not one violation"
[ -n "$below" ] && [ -n "$past" ] && [ "$below" != "$past" ] ||
	fail "pair: the second store was not reported at its own address"
mark api_bad
echo 1 > $D/api_bad || fail "api_bad: write failed"
[ "$(cat $D/result)" = -1 ] || fail "api_bad: kstrtouint_from_user was not refused: $(cat $D/result)"
since api_bad | grep -q "module=kc_attack kind=api action=deny pc=api_bad_write+0x.*size=4 .*detail=arg4_not_writable" ||
	fail "api_bad: no api violation"
mark peek
echo 1 > $D/peek || fail "peek: a load refused without check_reads"
since peek | grep -q 'kcage: violation' && fail "peek: a violation without check_reads"
mark region
echo 1 > $D/region || fail "region: a store into its region was refused"
[ "$(cat $D/result)" = 1 ] || fail "region: did not run"
since region | grep -q 'kcage: violation' && fail "region: a violation"
grep -q "^kc_attack .*heap_objects=0" $K/sandboxes || fail "heap objects left: $(cat $K/sandboxes)"
sleep 5	# a fresh window for the rate-limited violation lines
# refused targets never enter the lookup table: every try is seen
mark again
for i in 1 2 3; do echo 1 > $D/fptr; done
[ "$(since again | grep -c 'kind=indirect action=deny pc=fptr_write')" -eq 3 ] ||
	fail "repeated refused calls not all reported"
grep -q "^kc_attack .*quarantined=0" $K/sandboxes || fail "quarantined on deny"
[ "$(cat $D/ok)" = ok ] || fail "module stopped working after denials"
rmmod kc_attack || fail "rmmod kc_attack"

# violation lines are rate-limited to 10 per 5 s: start a fresh window
sleep 5
policy audit
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (audit)"
attack call call log "$native_call"
attack fptr indirect log "$native_fptr"
attack own_hidden indirect log "$native_own_hidden"
rmmod kc_attack || fail "rmmod kc_attack (audit)"

# loads, when the policy asks: its own data, its heap, granted objects and
# named regions may be read, a kernel global it was not given may not
sleep 5
policy enforce true
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (check_reads)"
[ "$(cat $D/ok)" = ok ] || fail "check_reads: allowed calls do not work"
mark reads_ok
for f in heap region granted peek_region own_listed; do
	echo 1 > $D/$f || fail "check_reads: $f refused"
done
since reads_ok | grep 'kcage: violation' && fail "check_reads: allowed loads refused"
[ "$(cat $D/result)" = 41 ] || fail "check_reads: own_listed: wrong result"
abandoned peek "module=kc_attack kind=read action=deny pc=peek_write+0x.*size=4 .*detail=read_not_allowed"
rmmod kc_attack || fail "rmmod kc_attack (check_reads)"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
echo > /sys/module/kcage/parameters/sandbox
rmmod kcage || fail "rmmod kcage"
