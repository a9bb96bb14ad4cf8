#!/bin/sh
# Violation events: kc_attack, loaded with `kcage load` under an
# enforcing policy, writes a kernel global, calls a denied function and
# breaks an API rule; kc_crash dereferences NULL.  `kcage monitor --json`
# and the text monitor get one event each, with every field right (kind,
# action, module, symbol, address, size, cpu, pid, comm, rule), and the
# kernel log has the same violation under the same sequence number.  A
# policy with "release: false" keeps its module quarantined.
# smp: 2
# timeout: 150
. /tests/lib.sh

D=/sys/kernel/debug/kc_attack

# wait_lines <file> <n>: until the file has n lines (at most 30 s).
wait_lines() {
	for i in $(seq 300); do
		[ "$(wc -l < "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	cat "$1"
	fail "$1: fewer than $2 lines"
}

# event <n>: the n-th violation (from 1) the JSON monitor printed.
event() {
	jq -c -s "[.[] | select(.type == \"violation\")][$1 - 1]" /tmp/ev.json
}

# check <n> <jq filter>: the n-th event passes the filter.
check() {
	event "$1" | jq -e "$2" > /dev/null || { event "$1"; fail "event $1: $2"; }
}

# logged <n>: the kernel log has the n-th event's line, field for field.
logged() {
	line=$(event "$1" | jq -r '"kcage: violation seq=\(.seq) module=\(.module) kind=\(.kind) action=\(.action) pc=\(.symbol) addr=\(.addr) size=\(.size) cpu=\(.cpu) pid=\(.pid) comm=\(.comm) rule=\(.rule) detail=\(.detail) "')
	dmesg | grep -qF "$line" || fail "no log line: $line"
	seq=$(event "$1" | jq .seq)
	grep -q "^seq=$seq .*module=$(event "$1" | jq -r .module) " /tmp/ev.txt ||
		fail "text monitor: no seq=$seq"
}

load_kcage
cat > /tmp/kc_attack.yaml <<'YAML'
module: kc_attack
mode: enforce
default_action: deny
include: /kcage/src/policy/base/alloc.yaml
calls:
  allow: [_printk, "debugfs_*", simple_read_from_buffer, snprintf,
          kstrtouint_from_user]
  deny: [jiffies_to_usecs]
api:
  - { function: kstrtouint_from_user, arg: 4, check: writable, size: 4 }
YAML
/sbin/policyc /tmp/kc_attack.yaml -o /tmp/kc_attack.kcp || fail "policyc"
kcage load --policy /tmp/kc_attack.kcp $MODDIR/kc_attack.ko || fail "kcage load"

kcage monitor --json > /tmp/ev.json 2> /tmp/ev.err &
json=$!
kcage monitor > /tmp/ev.txt 2>&1 &
text=$!
sleep 2	# both have joined the group

echo 1 > $D/global
echo 1 > $D/call
echo 1 > $D/api_bad
wait_lines /tmp/ev.json 3
wait_lines /tmp/ev.txt 3
cat /tmp/ev.json /tmp/ev.txt
pid=$$

panic_timeout=$(sed -n 's/^\([0-9a-f]*\) . panic_timeout$/0x\1/p' /proc/kallsyms)
check 1 ".module == \"kc_attack\" and .kind == \"write\" and .action == \"deny\" and
	(.symbol | startswith(\"global_write+0x\")) and .addr == \"$panic_timeout\" and
	.size == 4 and .rule == \"memory.writes\" and .detail == \"write_not_allowed\" and
	.comm == \"sh\" and .pid == $pid and .dropped == 0 and .time_ns > 0 and
	(.pc | startswith(\"0xffffffff\"))"
check 2 '.kind == "call" and .action == "deny" and
	(.symbol | startswith("call_write+0x")) and .rule == "calls.deny:jiffies_to_usecs"'
check 3 '.kind == "api" and .action == "deny" and
	(.symbol | startswith("api_bad_write+0x")) and .size == 4 and
	.rule == "api:kstrtouint_from_user" and .detail == "arg4_not_writable"'
first=$(event 1 | jq .seq)
[ "$(event 2 | jq .seq)" -eq $((first + 1)) ] || fail "sequence numbers not consecutive"
[ "$(event 3 | jq .seq)" -eq $((first + 2)) ] || fail "sequence numbers not consecutive"
logged 1
logged 2
logged 3
jq -e -s 'map(select(.type == "lost")) == []' /tmp/ev.json > /dev/null ||
	fail "events reported lost"
kcage status --json kc_attack | jq -e '.sandboxes[0].violations |
	.write == 1 and .call == 1 and .api == 1 and .total == 3' > /dev/null ||
	fail "status: violation counts"

echo "== a crash, quarantined by a policy that forbids release"
cat > /tmp/kc_crash.yaml <<'YAML'
module: kc_crash
mode: enforce
release: false
calls:
  allow: ["*"]
actions:
  fault: quarantine
YAML
/sbin/policyc /tmp/kc_crash.yaml -o /tmp/kc_crash.kcp || fail "policyc kc_crash"
kcage load --policy /tmp/kc_crash.kcp $MODDIR/kc_crash.ko || fail "kcage load kc_crash"
echo 1 > /sys/kernel/debug/kc_crash/null && fail "the crashing call returned success"
wait_lines /tmp/ev.json 4
check 4 '.module == "kc_crash" and .kind == "fault" and .action == "quarantine" and
	.rule == "containment"'
logged 4
kcage status --json kc_crash | jq -e '.sandboxes[0].quarantined' > /dev/null ||
	fail "kc_crash not quarantined"
kcage release kc_crash && fail "released against release: false"
kcage unload kc_crash && fail "a quarantined module was unloaded"
# the test VM's cleanup may force it (debugfs), so may this test
echo kc_crash > /sys/kernel/debug/kcage/release || fail "forced release"
kcage unload kc_crash || fail "unload kc_crash"

echo "== the same crash without release: false"
sed -i '/^release:/d' /tmp/kc_crash.yaml
/sbin/policyc /tmp/kc_crash.yaml -o /tmp/kc_crash.kcp || fail "policyc kc_crash"
kcage load --policy /tmp/kc_crash.kcp $MODDIR/kc_crash.ko || fail "kcage load kc_crash"
echo 1 > /sys/kernel/debug/kc_crash/null && fail "the crashing call returned success"
wait_lines /tmp/ev.json 5
kcage release kc_crash || fail "kcage release"
kcage status --json kc_crash | jq -e '.sandboxes[0].quarantined | not' > /dev/null ||
	fail "still quarantined"
kcage unload kc_crash || fail "unload kc_crash"

kill $json $text
wait
cat /tmp/ev.err
kcage unload kc_attack || fail "unload kc_attack"
