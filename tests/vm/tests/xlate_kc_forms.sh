#!/bin/sh
# kc_forms (string instructions, lock-prefixed atomics, pushf/popf and
# cli/sti, rdtsc, SSE2 under kernel_fpu_begin with a RIP-relative operand,
# a dense switch, recursion, tail calls into the kernel, indirect tail calls,
# the kernel calling back into the module, a static key flipped at run
# time, WARN_ON_ONCE) gives the same results translated as natively, on
# every CPU; its WARN names its own function and execution goes on.
# smp: 4
# timeout: 120
# expect-splat: WARNING:
. /tests/lib.sh

insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (native)"
forms_run /tmp/native
rmmod kc_forms || fail "rmmod kc_forms (native)"
grep -q '^key=1' /tmp/native || fail "the static key never flipped natively"
grep -q '^warnings=202' /tmp/native || fail "native WARN: $(grep warnings /tmp/native)"

load_kcage sandbox=kc_forms
dmesg -c > /dev/null
insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (sandboxed)"
grep '^kc_forms ' /sys/kernel/debug/kcage/sandboxes || fail "not sandboxed"
forms_run /tmp/translated
cmp /tmp/native /tmp/translated || fail "results differ: $(diff /tmp/native /tmp/translated)"
dmesg | grep -E 'WARNING: .* kc_forms_warn\+0x[0-9a-f]+/0x[0-9a-f]+ \[kc_forms\] \[translated by kcage' ||
	fail "no WARNING naming kc_forms_warn"
cat /sys/kernel/debug/kcage/stats
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kc_forms || fail "rmmod kc_forms (sandboxed)"
rmmod kcage || fail "rmmod kcage"
