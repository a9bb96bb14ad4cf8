#!/bin/sh
# What `make demo` shows: kcage loads, an example driver runs under its
# policy (examples/policies/kc_hello.yaml) in enforce mode, only from
# kcage's code cache, with its native text poisoned with int3; then a
# misbehaving module (kc_attack) tries to write a kernel global, to free a
# buffer twice and to return through a swapped return address, and a
# crashing one (kc_crash) dereferences NULL: all are stopped, reported in
# dmesg, and the kernel goes on.  Netlink events and the kcage CLI come
# with issue 7.
# smp: 2
. /tests/lib.sh

say() { echo "demo: $*"; }
K=/sys/kernel/debug/kcage

say "insmod kcage.ko"
load_kcage
say "policyc examples/policies/kc_hello.yaml -o kc_hello.kcp, and load it"
/sbin/policyc /kcage/src/examples/policies/kc_hello.yaml -o /tmp/kc_hello.kcp ||
	fail "policyc"
dd if=/tmp/kc_hello.kcp of=$K/policy bs=1M 2>/dev/null || fail "policy load"
say "echo kc_hello > /sys/module/kcage/parameters/sandbox; insmod kc_hello.ko"
echo kc_hello > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello"
say "cat /sys/kernel/debug/kcage/sandboxes"
sed 's/^/demo:   /' $K/sandboxes
say "cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
[ "$(stat violations)" -eq 0 ] || fail "kc_hello violated its policy"

say "a misbehaving module (kc_attack), under a policy"
cat > /tmp/kc_attack.yaml <<'YAML'
module: kc_attack
mode: enforce
default_action: deny
include: /kcage/src/policy/base/alloc.yaml
calls:
  allow: ["debugfs_*", simple_read_from_buffer, snprintf]
YAML
/sbin/policyc /tmp/kc_attack.yaml -o /tmp/kc_attack.kcp || fail "policyc kc_attack"
dd if=/tmp/kc_attack.kcp of=$K/policy bs=1M 2>/dev/null || fail "policy load"
echo kc_hello,kc_attack > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack"
for a in global double_free rop_swap; do
	out=$(echo 1 2>&1 > /sys/kernel/debug/kc_attack/$a) || true
	say "echo 1 > /sys/kernel/debug/kc_attack/$a  ->  ${out:-done (the refused call returned -EPERM to the module)}"
done

say "a module that dereferences NULL (no policy: crashes are contained anyway)"
echo kc_hello,kc_attack,kc_crash > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_crash.ko || fail "insmod kc_crash"
say "echo 1 > /sys/kernel/debug/kc_crash/null  ->  $(echo 1 2>&1 > /sys/kernel/debug/kc_crash/null)"
say "cat /sys/kernel/debug/kcage/sandboxes"
sed 's/^/demo:   /' $K/sandboxes
say "the kernel goes on: cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
[ "$(stat violations)" -eq 4 ] || fail "expected four violations"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
echo kc_crash > $K/release
rmmod kc_crash kc_attack kc_hello
