#!/bin/sh
# Crashes of a sandboxed module are contained: a BUG(), a NULL
# dereference, a general protection fault, a BUG with interrupts and
# preemption off, a BUG in a callback the kernel makes in the middle of a
# module call, a NULL dereference in a timer (interrupt context) and a
# BUG() in the module's init.  Each is a violation line naming the native
# function, the call into the module returns an error, the module is
# quarantined (later calls return -EIO) until released, and the kernel
# goes on.  A dump_stack() three calls deep shows the module's own
# symbols down to the kernel caller.
# smp: 4
# timeout: 120
. /tests/lib.sh

D=/sys/kernel/debug/kc_crash
K=/sys/kernel/debug/kcage

mark() {
	echo "kcage-test: $1" > /dev/kmsg
}

# since <marker>: the kernel log after the last "kcage-test: <marker>"
since() {
	dmesg | sed -n "/kcage-test: $1\$/,\$p"
}

quarantined() {
	grep -q "^kc_crash .*quarantined=1" $K/sandboxes
}

# crash <file> <kind> <errno text> <pc function> [detail]: write to the
# file; the write must fail, with a violation line, and leave the module
# quarantined; release it again.
crash() {
	file=$1 kind=$2 err=$3 func=$4 detail=${5:-}
	mark $file
	out=$(echo 1 2>&1 > $D/$file) && fail "$file: the write succeeded"
	echo "$file: $out"
	echo "$out" | grep -q "$err" || fail "$file: expected '$err', got '$out'"
	line=$(since $file | grep 'kcage: violation ')
	echo "$line"
	echo "$line" | grep -q "module=kc_crash kind=$kind action=quarantine pc=$func+0x" ||
		fail "$file: no violation line for $func"
	[ -z "$detail" ] || echo "$line" | grep -Eq "detail=($detail)" ||
		fail "$file: detail is not $detail"
	quarantined || fail "$file: not quarantined"
	cat $D/ok 2>/dev/null && fail "$file: a quarantined module ran"
	echo kc_crash > $K/release || fail "$file: release"
	quarantined && fail "$file: still quarantined after release"
	cat $D/ok > /dev/null || fail "$file: released module does not run"
}

load_kcage sandbox=kc_crash
insmod $MODDIR/kc_crash.ko || fail "insmod kc_crash"
[ "$(cat $D/ok)" = "ok 1" ] || fail "kc_crash does not run"

# A stack trace from three translated calls deep.
mark trace
echo 1 > $D/trace || fail "trace"
since trace > /tmp/trace
cat /tmp/trace
for f in trace_depth3 trace_depth2 trace_depth1 trace_write; do
	# frames past the first translated one are marked "? " (the ORC
	# unwinder has no data for the cache); gcc may suffix a name
	grep -Eq "^\[ *[0-9.]+\]  (\? )?$f(\.[a-z]+\.[0-9]+)*\+0x[0-9a-f]+/0x[0-9a-f]+ \[kc_crash\]" /tmp/trace ||
		fail "no frame for $f in the trace"
done
grep -Eq "^\[ *[0-9.]+\]  (\? )?vfs_write\+" /tmp/trace ||
	fail "the trace does not reach the kernel caller"
# ("? " lines also show stale stack words, which may point anywhere)
grep -v "? " /tmp/trace | grep -q kcage_cache_area && fail "cache addresses in the trace"

# under KASAN the shadow check of address 0 faults first, with a #GP
crash null fault "Bad address" null_write "page_fault|general_protection"
crash gpf fault "Bad address" gpf_write general_protection
crash bug bug "Input/output error" bug_write BUG
crash locked bug "Input/output error" locked_write BUG
sleep 0.1	# preemption works again after the crash with it disabled

# BUG in a compare callback called by list_sort(), called by the module:
# the callback returns an error to list_sort(), which goes on with the
# (now refused) callbacks, and returns into the module, which finishes.
mark nested
echo 1 > $D/nested || fail "nested: the module did not finish its call"
since nested | grep -q "kind=bug action=quarantine pc=compare+0x" ||
	fail "nested: no violation in compare"
echo kc_crash > $K/release || fail "nested: release"

# A fault in a timer callback, in softirq context.
mark timer
echo 1 > $D/timer || fail "timer: arming"
sleep 1
since timer | grep -q "kind=fault action=quarantine pc=timer_fn+0x" ||
	fail "timer: no violation in timer_fn"
echo kc_crash > $K/release || fail "timer: release"

# A quarantined module cannot be unloaded; released, it can.
echo 1 > $D/bug 2>/dev/null
rmmod kc_crash 2>/dev/null && fail "a quarantined module was unloaded"
echo kc_crash > $K/release || fail "release before rmmod"
rmmod kc_crash || fail "rmmod kc_crash"

# BUG() in init: the module stays loaded, quarantined.
mark init
insmod $MODDIR/kc_crash.ko crash_in_init=1 || fail "insmod with a crashing init"
since init | grep -q "kind=bug action=quarantine pc=kc_crash_init+0x" ||
	fail "init: no violation in kc_crash_init"
quarantined || fail "init: not quarantined"
echo kc_crash > $K/release || fail "init: release"
rmmod kc_crash || fail "init: rmmod"

cat $K/stats
[ "$(stat violations)" -ge 8 ] || fail "violations not counted"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kcage || fail "rmmod kcage"
