#!/bin/sh
# Faults with exception-table fixups in a sandboxed module (its own inline
# unsafe_get_user()/unsafe_put_user(), and calls into the kernel's user
# and nofault accessors) return what they return natively, -EFAULT, and
# the kernel prints nothing.
# smp: 4
. /tests/lib.sh

insmod $MODDIR/kc_faults.ko || fail "insmod kc_faults (native)"
cat /proc/kc_faults > /tmp/native || fail "read (native)"
rmmod kc_faults
cat /tmp/native
grep -q '^unsafe_get_user=-14$' /tmp/native || fail "native unsafe_get_user did not fault"
grep -q '^unsafe_put_user=-14$' /tmp/native || fail "native unsafe_put_user did not fault"

load_kcage sandbox=kc_faults
insmod $MODDIR/kc_faults.ko || fail "insmod kc_faults (sandboxed)"
for cpu in 0 1 2 3; do
	taskset -c $cpu cat /proc/kc_faults > /tmp/translated || fail "read on cpu $cpu"
	cmp /tmp/native /tmp/translated ||
		fail "cpu $cpu: $(diff /tmp/native /tmp/translated)"
done
cat /sys/kernel/debug/kcage/stats
# two module-table fixups per read, four reads
[ "$(stat fixups)" -ge 8 ] || fail "fixups not taken in translated code"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kc_faults || fail "rmmod kc_faults"
rmmod kcage || fail "rmmod kcage"
