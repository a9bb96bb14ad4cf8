#!/bin/sh
# kc_hello runs only from the code cache: its native text is poisoned, so
# it works only because translation works.  The same checksums come out as
# natively; the counters show blocks translated, entries taken and no
# native execution; init translations are dropped and unload is clean.
# smp: 4
# timeout: 90
. /tests/lib.sh


# Native reference values first.
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello (native)"
native=$(cat /proc/kc_hello)
echo 7 > /proc/kc_hello
native7=$(cat /proc/kc_hello)
rmmod kc_hello || fail "rmmod kc_hello (native)"

load_kcage sandbox=kc_hello
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello (sandboxed)"
expect_dmesg 'kcage: kc_hello: sandboxed'
grep '^kc_hello ' /sys/kernel/debug/kcage/sandboxes || fail "no sandbox"
# init has run and its text is about to be freed: no longer translated
grep -q '^kc_hello .* init=0 ' /sys/kernel/debug/kcage/sandboxes ||
	fail "init text still translated after init"
[ "$(stat blocks)" -gt 0 ] || fail "init ran but no block was translated"

# Read from every CPU, so every CPU's cache and map get used.
for cpu in 0 1 2 3; do
	out=$(taskset -c $cpu cat /proc/kc_hello) || fail "read on cpu $cpu"
	[ "$out" = "$native" ] || fail "cpu $cpu: '$out' != native '$native'"
done
echo 7 > /proc/kc_hello || fail "write"
out=$(cat /proc/kc_hello)
[ "$out" = "$native7" ] || fail "seed 7: '$out' != native '$native7'"
# Concurrent readers migrate between CPUs mid-translation.
for i in 1 2 3 4 5 6 7 8; do
	(for j in 1 2 3 4 5 6 7 8 9 10; do cat /proc/kc_hello; done) > /tmp/r$i &
done
wait
for i in 1 2 3 4 5 6 7 8; do
	[ "$(sort -u /tmp/r$i)" = "$native7" ] || fail "concurrent reader $i"
done

# A CPU going offline and coming back keeps its map and cache chunks.
echo 0 > /sys/devices/system/cpu/cpu2/online || fail "offline cpu2"
[ "$(cat /proc/kc_hello)" = "$native7" ] || fail "with cpu2 offline"
echo 1 > /sys/devices/system/cpu/cpu2/online || fail "online cpu2"
[ "$(taskset -c 2 cat /proc/kc_hello)" = "$native7" ] || fail "on cpu2 back online"

# kcage cannot go while it has a sandbox.
rmmod kcage 2>/dev/null && fail "kcage unloaded under a sandboxed module"

cat /sys/kernel/debug/kcage/stats
[ "$(stat entries)" -gt 10 ] || fail "too few entries"
[ "$(stat links)" -gt 0 ] || fail "no exit was linked"
[ "$(stat indirect)" -gt 0 ] || fail "no indirect call dispatched"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"

rmmod kc_hello || fail "rmmod kc_hello (sandboxed)"
expect_dmesg 'kcage: kc_hello: sandbox removed'
grep -q '^kc_hello ' /sys/kernel/debug/kcage/sandboxes && fail "sandbox left"
rmmod kcage || fail "rmmod kcage"
