#!/bin/sh
# Learn mode (kmod/enforce/learn.c, policyc --learn).  A module runs
# under a policy with "mode: learn" that allows nothing but the base
# allocators; kcage reports the first of each thing it does with what
# would allow it; `policyc --learn` turns `kcage monitor --json` output
# into a policy; the same workload then runs under that policy, enforced,
# with no violation, and what the workload did not do is still refused.
# Once on kc_attack (its harmless files, then its attacks), once on
# Debian's vfat and fat with the file workload on brd.  Stock kernel
# only for now: not yet run on the debug kernel, whose KASAN and lockdep
# code inlined into modules writes more kernel state.
# kernels: stock
# smp: 2
# timeout: 500
# kmods: brd vfat nls_cp437 ?nls_ascii ?nls_iso8859-1
. /tests/lib.sh

D=/sys/kernel/debug/kc_attack
L=/tmp/learn
mkdir -p $L

# learn_policy <module>: allow nothing but the kmalloc family, learn.
learn_policy() {
	cat > $L/$1.yaml <<YAML
module: $1
mode: learn
include: /kcage/src/policy/base/alloc.yaml
YAML
	load_policy $L/$1.yaml
}

monitor_start() {
	kcage monitor --json > $L/events.json &
	mon=$!
	sleep 1
}

monitor_stop() {
	sleep 1
	kill $mon
	wait $mon 2>/dev/null
}

# learned <module>: its learned policy, compiled and loaded.
learned() {
	policyc --learn -m $1 -b $1.yaml $L/events.json -o $L/$1-learned.yaml ||
		fail "policyc --learn $1"
	echo "--- $1-learned.yaml"
	cat $L/$1-learned.yaml
	load_policy $L/$1-learned.yaml
}

# Each thing is reported once: no two events of a module with the same
# kind, instruction and target.
once_each() {
	n=$(jq -r 'select(.type == "violation") | "\(.module) \(.kind) \(.pc) \(.target)"' \
		$L/events.json | sort | uniq -d | wc -l)
	[ "$n" -eq 0 ] || fail "$n things reported more than once"
}

harmless() {
	cat $D/ok > /dev/null || fail "ok"
	for f in own_listed jumptable heap granted region msr_ok; do
		echo 1 > $D/$f || fail "$f refused"
	done
}

load_kcage

# kc_attack: learn from its harmless files
learn_policy kc_attack
monitor_start
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (learn)"
harmless
harmless	# the second time, nothing new
# the unload too: a call of its exit function refused when enforced
# would leave its debugfs files (or a file system) registered
rmmod kc_attack || fail "rmmod kc_attack"
monitor_stop
once_each
jq -c 'select(.type == "violation")' $L/events.json
jq -s -e 'any(.[]; .target == "debugfs_create_file")' $L/events.json > /dev/null ||
	fail "calls not learned"
learned kc_attack
grep -q 'rdmsr, msrs: 0x1b' $L/kc_attack-learned.yaml || fail "rdmsr 0x1b not learned"
grep -q 'symbol: loops_per_jiffy' $L/kc_attack-learned.yaml || fail "region not learned"
grep -q 'entry: granted_write, arg: 1' $L/kc_attack-learned.yaml || fail "grant not learned"
grep -q '  - own_listed ' $L/kc_attack-learned.yaml || fail "entry not learned"
grep -q '  - debugfs_remove ' $L/kc_attack-learned.yaml || fail "the exit's calls not learned"
grep -q 'kernel_heap' $L/kc_attack-learned.yaml && fail "kernel_heap learned from no kernel object"

# enforced: the same files run with no violation...
v0=$(stat violations)
insmod $MODDIR/kc_attack.ko || fail "insmod kc_attack (enforce)"
kcage status --json kc_attack | jq -e '.sandboxes[0].mode == "enforce"' > /dev/null ||
	fail "kc_attack does not enforce"
harmless
[ "$(stat violations)" -eq "$v0" ] || fail "violations under the learned policy"
# ...and what it did not do while learning is refused
for f in call own_hidden global text msr_bad foreign; do
	v=$(stat violations)
	echo 1 > $D/$f 2> /dev/null
	[ "$(stat violations)" -gt "$v" ] || fail "$f: not refused by the learned policy"
	echo "$f: refused"
done
rmmod kc_attack || fail "rmmod kc_attack"

# vfat and fat: learn from the file workload
modprobe brd rd_nr=1 rd_size=32768 || fail "modprobe brd"
modprobe nls_ascii 2>/dev/null
modprobe nls_iso8859-1 2>/dev/null
modprobe nls_cp437 || fail "modprobe nls_cp437"
learn_policy fat
learn_policy vfat
monitor_start
modprobe vfat || fail "modprobe vfat (learn)"
mkdosfs /dev/ram0 > /dev/null || fail "mkdosfs"
fs_workload /dev/ram0 vfat
rmmod vfat fat || fail "rmmod vfat fat"
monitor_stop
once_each
echo "learned from $(jq -s '[.[] | select(.type == "violation")] | length' $L/events.json) events"
learned fat
learned vfat
grep -q '  - unregister_filesystem ' $L/vfat-learned.yaml || fail "vfat's exit not learned"

# enforced: the workload again, with no violation
v0=$(stat violations)
modprobe vfat || fail "modprobe vfat (enforce)"
for m in vfat fat; do
	kcage status --json $m | jq -e '.sandboxes[0].mode == "enforce"' > /dev/null ||
		fail "$m does not enforce"
done
mkdosfs /dev/ram0 > /dev/null || fail "mkdosfs"
fs_workload /dev/ram0 vfat
rmmod vfat fat brd || fail "rmmod"
v=$(($(stat violations) - v0))
[ $v -eq 0 ] || { dmesg | grep 'kcage: violation' | tail -20; fail "$v violations under the learned policies"; }
rmmod kcage || fail "rmmod kcage"
