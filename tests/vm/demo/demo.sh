#!/bin/sh
# What `make demo` shows: kcage loads, takes over a driver before its init
# runs, and the driver then works only from kcage's code cache: its native
# text is poisoned with int3.  No policy is enforced yet (issue 6).
# smp: 2
. /tests/lib.sh

say() { echo "demo: $*"; }

say "insmod kcage.ko sandbox=kc_hello"
load_kcage sandbox=kc_hello
say "insmod kc_hello.ko (an example driver)"
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello"
say "cat /sys/kernel/debug/kcage/sandboxes"
sed 's/^/demo:   /' /sys/kernel/debug/kcage/sandboxes
say "cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
say "cat /sys/kernel/debug/kcage/stats  (translated blocks, entries, native executions)"
sed 's/^/demo:   /' /sys/kernel/debug/kcage/stats
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
say "rmmod kc_hello"
rmmod kc_hello
