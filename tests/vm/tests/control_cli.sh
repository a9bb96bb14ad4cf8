#!/bin/sh
# The kcage CLI over the netlink family: every command, JSON
# output parsed with jq, exit codes, loads that fail and leave nothing
# behind, mode switches, and permissions: an unprivileged user reads
# statistics but cannot change anything, read a policy or follow events.
# smp: 2
. /tests/lib.sh

# run <exit code> <command...>: run it, show its output, check its status.
run() {
	want=$1
	shift
	"$@" > /tmp/out 2>&1
	got=$?
	sed 's/^/  | /' /tmp/out
	[ "$got" -eq "$want" ] || fail "$*: exit status $got, expected $want"
}

# said <regex>: did the last run print a matching line?
said() {
	grep -Eq "$1" /tmp/out || fail "expected output matching: $1"
}

# jqok <file> <filter>: the filter holds of the JSON in the file.
jqok() {
	jq -e "$2" "$1" > /dev/null || { cat "$1"; fail "jq: $2"; }
}

policy_crc() {
	kcage policy list --json | jq -r ".[] | select(.module == \"$1\") | .crc"
}

echo "== without kcage.ko"
run 3 kcage status
said "modprobe kcage"
run 2 kcage frobnicate
run 0 kcage --help
run 0 kcage load --help

load_kcage
echo "== a fresh kcage"
kcage status --json > /tmp/s.json || fail "status --json"
jqok /tmp/s.json '.sandboxes == [] and .last_seq == 0 and .policies == 0'
run 0 kcage policy list

echo "== kcage load with a policy"
/sbin/policyc /kcage/src/examples/policies/kc_hello.yaml -o /tmp/kc_hello.kcp ||
	fail "policyc"
run 0 kcage load --policy /tmp/kc_hello.kcp $MODDIR/kc_hello.ko
expect_dmesg "kcage: kc_hello: policy bound, mode=enforce"
for i in 1 2 3; do cat /proc/kc_hello > /dev/null; done
echo 7 > /proc/kc_hello || fail "kc_hello write"
run 0 kcage status
said "kc_hello"
kcage status --json > /tmp/s.json || fail "status --json"
jqok /tmp/s.json '.policies == 1 and (.sandboxes | length) == 1'
jqok /tmp/s.json '.sandboxes[0] | .module == "kc_hello" and .mode == "enforce" and
	.quarantined == false and .entries >= 4 and .blocks > 0 and
	.native_bytes > 0 and .cache_bytes > 0 and .text_size > 0 and
	.violations.total == 0 and .violations.write == 0'
crc=$(policy_crc kc_hello)
jqok /tmp/s.json ".sandboxes[0].policy_crc == \"$crc\""
kcage status --json kc_hello | jq -e '.sandboxes | length == 1' > /dev/null ||
	fail "status NAME"
run 1 kcage status no_such_module

echo "== policy list and show"
kcage policy list --json > /tmp/l.json || fail "policy list --json"
jqok /tmp/l.json 'length == 1 and .[0].module == "kc_hello" and
	.[0].mode == "enforce" and .[0].size > 0'
run 0 kcage policy show kc_hello
said "^module: kc_hello"
run 0 kcage policy show kc_hello -o /tmp/back.kcp
cmp /tmp/back.kcp /tmp/kc_hello.kcp || fail "policy show -o: not the bytes loaded"
run 1 kcage policy show no_such_module

echo "== mode switches"
run 0 kcage mode kc_hello audit
kcage status --json kc_hello | jq -e '.sandboxes[0].mode == "audit"' > /dev/null ||
	fail "mode not audit"
expect_dmesg "kcage: kc_hello: mode=audit"
[ "$(cat /proc/kc_hello)" ] || fail "kc_hello after the switch"
run 0 kcage mode kc_hello enforce
kcage status --json kc_hello | jq -e '.sandboxes[0].mode == "enforce"' > /dev/null ||
	fail "mode not enforce"
run 2 kcage mode kc_hello sideways
run 1 kcage mode no_such_module audit
said "no sandboxed module"
run 1 kcage release kc_hello
said "not quarantined"

echo "== failed loads leave nothing behind"
# already loaded: finit_module says EEXIST; the policy loaded before stays
run 1 kcage load --policy /tmp/kc_hello.kcp --audit $MODDIR/kc_hello.ko
said "already loaded"
[ "$(policy_crc kc_hello)" = "$crc" ] || fail "policy changed by a failed load"
kcage policy list --json | jq -e '.[0].mode == "enforce"' > /dev/null ||
	fail "mode changed by a failed load"
# a policy for another module
run 1 kcage load --policy /tmp/kc_hello.kcp $MODDIR/kc_attack.ko
grep -q '^kc_attack ' /proc/modules && fail "kc_attack loaded anyway"
# the module's init fails: sandboxed at COMING, then gone
cat > /tmp/kc_attack.yaml <<'YAML'
module: kc_attack
mode: enforce
calls:
  allow: ["*"]
YAML
/sbin/policyc /tmp/kc_attack.yaml -o /tmp/kc_attack.kcp || fail "policyc kc_attack"
run 1 kcage load --policy /tmp/kc_attack.kcp $MODDIR/kc_attack.ko fail_init=1
grep -q '^kc_attack ' /proc/modules && fail "kc_attack loaded though its init failed"
expect_dmesg "kcage: kc_attack: sandbox removed"
kcage policy list --json | jq -e 'map(.module) == ["kc_hello"]' > /dev/null ||
	fail "the policy of a failed load stayed"
# no policy, none loaded
run 1 kcage load $MODDIR/kc_attack.ko
said "no policy loaded for kc_attack"
# a YAML file, a damaged blob
run 1 kcage load --policy /tmp/kc_attack.yaml $MODDIR/kc_attack.ko
said "policyc"
cp /tmp/kc_attack.kcp /tmp/bad.kcp
printf '\377' | dd of=/tmp/bad.kcp bs=1 seek=100 conv=notrunc 2>/dev/null
run 1 kcage load --policy /tmp/bad.kcp $MODDIR/kc_attack.ko
said "checksum"
kcage status --json | jq -e '(.sandboxes | length) == 1 and .policies == 1' > /dev/null ||
	fail "failed loads left something"

echo "== an unprivileged user"
run 0 nobody kcage status --json
jq -e '.sandboxes[0].module == "kc_hello"' /tmp/out > /dev/null || fail "nobody: status"
run 0 nobody kcage policy list
run 1 nobody kcage policy show kc_hello
said "CAP_SYS_ADMIN"
run 1 nobody kcage policy load /tmp/kc_attack.kcp
said "CAP_SYS_ADMIN"
run 1 nobody kcage policy remove kc_hello
run 1 nobody kcage mode kc_hello audit
said "CAP_SYS_ADMIN"
run 1 nobody kcage release kc_hello
run 1 nobody kcage load --policy /tmp/kc_attack.kcp $MODDIR/kc_attack.ko
run 1 nobody kcage monitor
said "CAP_SYS_ADMIN"
kcage policy list --json | jq -e 'map(.module) == ["kc_hello"]' > /dev/null ||
	fail "an unprivileged user changed the policies"
kcage status --json kc_hello | jq -e '.sandboxes[0].mode == "enforce"' > /dev/null ||
	fail "an unprivileged user changed the mode"

echo "== policy load, kcage load with the loaded policy, unload, remove"
run 0 kcage policy load /tmp/kc_attack.kcp
run 1 kcage policy load --exclusive /tmp/kc_attack.kcp
run 0 kcage load --audit $MODDIR/kc_attack.ko
kcage status --json kc_attack | jq -e '.sandboxes[0].mode == "audit"' > /dev/null ||
	fail "kcage load --audit: not in audit mode"
run 0 kcage unload kc_attack
run 0 kcage unload kc_hello
run 1 kcage unload kc_hello
kcage status --json | jq -e '.sandboxes == [] and .policies == 2' > /dev/null ||
	fail "after unload"
run 0 kcage policy remove kc_attack
run 0 kcage policy remove kc_hello
run 1 kcage policy remove kc_hello
kcage status --json | jq -e '.policies == 0' > /dev/null || fail "after remove"
rmmod kcage || fail "rmmod kcage"
