#!/bin/sh
# kc_forms under its example policy (examples/policies/kc_forms.yaml) in
# enforce mode: every instruction form of the translator's workout, with
# the shadow stack, store checks, heap ownership (its list items), API
# rules, callbacks and indirect calls checked, gives native answers on
# every CPU without a single violation.
# smp: 4
# timeout: 120
# expect-splat: WARNING:
. /tests/lib.sh

insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (native)"
forms_run /tmp/native
rmmod kc_forms || fail "rmmod kc_forms (native)"

load_kcage
load_policy /kcage/src/examples/policies/kc_forms.yaml
echo kc_forms > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (enforce)"
expect_dmesg "kcage: kc_forms: policy bound, mode=enforce"
forms_run /tmp/enforced
cmp /tmp/native /tmp/enforced || fail "results differ: $(diff /tmp/native /tmp/enforced)"
cat /sys/kernel/debug/kcage/sandboxes
[ "$(stat violations)" -eq 0 ] || fail "violations in normal use"
grep -q "^kc_forms .*heap_objects=0" /sys/kernel/debug/kcage/sandboxes ||
	fail "list items left owned"
rmmod kc_forms || fail "rmmod kc_forms"
echo > /sys/module/kcage/parameters/sandbox
rmmod kcage || fail "rmmod kcage"
