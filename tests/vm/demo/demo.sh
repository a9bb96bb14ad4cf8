#!/bin/sh
# What `make demo` shows, as a user would do it: compile a policy with
# policyc, load an example driver under it with `kcage load`, use it; then
# load a misbehaving module (kc_attack) the same way while `kcage monitor
# --json` follows the events: its write to a kernel global, double free
# and swapped return address are stopped, and each shows up in dmesg and
# on netlink.  A crashing module (kc_crash) is contained and quarantined;
# the kernel goes on.
# smp: 2
. /tests/lib.sh

say() { echo "demo: $*"; }
show() { sed 's/^/demo:   /' "$@"; }

say "insmod kcage.ko"
load_kcage
say "policyc examples/policies/kc_hello.yaml -o kc_hello.kcp"
/sbin/policyc /kcage/src/examples/policies/kc_hello.yaml -o /tmp/kc_hello.kcp ||
	fail "policyc"
say "kcage load --policy kc_hello.kcp kc_hello.ko"
kcage load --policy /tmp/kc_hello.kcp $MODDIR/kc_hello.ko 2>&1 | show
grep -q '^kc_hello ' /proc/modules || fail "kcage load kc_hello"
say "cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
say "kcage status"
kcage status | show

say "a misbehaving module (kc_attack), under a policy:"
cat > /tmp/kc_attack.yaml <<'YAML'
module: kc_attack
mode: enforce
default_action: deny
include: /kcage/src/policy/base/alloc.yaml
calls:
  allow: ["debugfs_*", simple_read_from_buffer, snprintf]
YAML
show /tmp/kc_attack.yaml
/sbin/policyc /tmp/kc_attack.yaml -o /tmp/kc_attack.kcp || fail "policyc kc_attack"
say "kcage monitor --json &"
kcage monitor --json > /tmp/events.json 2>&1 &
monitor=$!
sleep 2
say "kcage load --policy kc_attack.kcp kc_attack.ko"
kcage load --policy /tmp/kc_attack.kcp $MODDIR/kc_attack.ko 2>&1 | show
for a in global double_free rop_swap; do
	out=$(echo 1 2>&1 > /sys/kernel/debug/kc_attack/$a) || true
	say "echo 1 > /sys/kernel/debug/kc_attack/$a  ->  ${out:-done (the refused call returned -EPERM to the module)}"
done

say "a module that dereferences NULL (no policy: crashes are contained anyway)"
echo kc_crash > /sys/module/kcage/parameters/sandbox
insmod $MODDIR/kc_crash.ko || fail "insmod kc_crash"
say "echo 1 > /sys/kernel/debug/kc_crash/null  ->  $(echo 1 2>&1 > /sys/kernel/debug/kc_crash/null)"
sleep 1
kill $monitor
say "dmesg | grep 'kcage: violation'"
dmesg | grep 'kcage: violation' | sed 's/^\[[^]]*\] //' | show
say "what kcage monitor --json printed:"
show /tmp/events.json
say "kcage status"
kcage status | show
say "the kernel goes on: cat /proc/kc_hello  ->  $(cat /proc/kc_hello)"
[ "$(jq -s 'map(select(.type == "violation")) | length' /tmp/events.json)" -eq 4 ] ||
	fail "expected four violation events"
[ "$(stat violations)" -eq 4 ] || fail "expected four violations"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
kcage release kc_crash 2>&1 | show
rmmod kc_crash
kcage unload kc_attack
kcage unload kc_hello
