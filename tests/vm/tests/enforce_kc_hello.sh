#!/bin/sh
# kc_hello under its example policy (examples/policies/kc_hello.yaml) in
# enforce mode: every call, indirect branch, return and store it makes in
# normal use is allowed, so the answers are native ones and there is not a
# single violation.
# smp: 4
. /tests/lib.sh

insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello (native)"
native=$(cat /proc/kc_hello)
echo 7 > /proc/kc_hello
native7=$(cat /proc/kc_hello)
rmmod kc_hello

load_kcage
load_policy /kcage/src/examples/policies/kc_hello.yaml
echo kc_hello > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello (enforce)"
expect_dmesg "kcage: kc_hello: policy bound, mode=enforce"
for cpu in 0 1 2 3; do
	[ "$(taskset -c $cpu cat /proc/kc_hello)" = "$native" ] || fail "cpu $cpu: wrong answer"
done
echo 7 > /proc/kc_hello || fail "write"
[ "$(cat /proc/kc_hello)" = "$native7" ] || fail "wrong answer after write"
cat /sys/kernel/debug/kcage/stats
# (kcage was loaded by this test: its counters are this test's)
[ "$(stat violations)" -eq 0 ] || fail "violations in normal use"
rmmod kc_hello || fail "rmmod kc_hello"
echo > /sys/module/kcage/parameters/sandbox
rmmod kcage || fail "rmmod kcage"
