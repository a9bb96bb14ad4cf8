#!/bin/sh
# What `make demo` shows: kcage loads, sees a driver coming before its init
# runs, and reports what it found in the driver's code.
. /tests/lib.sh

say() { echo "demo: $*"; }

say "insmod kcage.ko"
load_kcage
say "insmod kc_hello.ko (an example driver)"
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello"
say "cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
say "cat /sys/kernel/debug/kcage/modules"
sed 's/^/demo:   /' /sys/kernel/debug/kcage/modules
say "rmmod kc_hello"
rmmod kc_hello
