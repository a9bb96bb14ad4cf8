#!/bin/sh
# Allocation failures injected (failslab and fail_page_alloc: one failure
# of each per attempt, after a number of allocations that grows from one
# attempt to the next, so that failures land early and late) into the
# tasks that load modules under their
# policies with `kcage load` (netlink, policy decoding, the sandbox's
# set-up in the module notifier, translation), attack (violation events,
# heap records) and read kc_forms under its policy (translation, the
# module's own allocations and kcage's records of them).  Each command
# must work or fail cleanly; no module may be left half-loaded or
# quarantined; the debug kernel must stay silent (KASAN, lockdep); and
# once injection stops everything must work as before, with native
# answers from kc_forms.
# kernels: debug
# smp: 2
# timeout: 600
# expect-splat: WARNING:
. /tests/lib.sh

# The interval of each attempt: about how many allocations in its failure comes.
INTERVALS="1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597"
ATTACKS="atk_heap_oob atk_uaf atk_double_free atk_bug atk_fortify atk_memset"
KNOBS="failslab fail_page_alloc"

# inject <interval>: the marked tasks' next allocation that is a multiple
# of <interval> in their count fails, once per knob (0: none).
inject() {
	for k in $KNOBS; do
		d=/sys/kernel/debug/$k
		echo 0 > $d/probability
		echo 0 > $d/verbose
		echo 0 > $d/space
		echo Y > $d/task-filter
		echo N > $d/ignore-gfp-wait
		[ "$1" -gt 0 ] || continue
		echo $1 > $d/interval
		echo 1 > $d/times
		echo 100 > $d/probability
	done
	echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
}

# failing <command...>: run it (and what it starts) with failures injected.
failing() {
	(echo 1 > /proc/self/make-it-fail && "$@")
}

# injected: failures of the last attempt (times counts down from 1).
injected() {
	n=0
	for k in $KNOBS; do
		n=$((n + 1 - $(cat /sys/kernel/debug/$k/times)))
	done
	echo $n
}

# cleanup <module>: whatever state it was left in, it must unload.
cleanup() {
	grep -q "^$1 " /proc/modules || return 0
	grep -q "^$1 .*quarantined=1" /sys/kernel/debug/kcage/sandboxes &&
		echo $1 > /sys/kernel/debug/kcage/release
	rmmod $1 || fail "rmmod $1 after round $round"
}

insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (native)"
forms_run /tmp/native
rmmod kc_forms || fail "rmmod kc_forms (native)"
compile_attacks $ATTACKS
/sbin/policyc /kcage/src/examples/policies/kc_forms.yaml -o /tmp/kc_forms.kcp ||
	fail "policyc kc_forms"

load_kcage
loaded=0
refused=0
n=0
for round in $INTERVALS; do
	for a in $ATTACKS kc_forms; do
		inject $round
		if failing kcage load --policy /tmp/$a.kcp $MODDIR/$a.ko > /dev/null 2>&1; then
			loaded=$((loaded + 1))
		else
			refused=$((refused + 1))
		fi
		if [ $a = kc_forms ]; then
			for s in 1 2 3; do
				failing sh -c "echo seed $s > /proc/kc_forms; cat /proc/kc_forms" > /dev/null 2>&1
			done
		elif grep -q "^$a " /proc/modules; then
			failing sh -c "echo 1 > /sys/kernel/debug/$a/run" 2> /dev/null
		fi
		n=$((n + $(injected)))
		inject 0
		cleanup $a
	done
done
echo "attempts: $((loaded + refused)), modules loaded: $loaded, loads refused: $refused, allocation failures injected: $n"
[ "$n" -ge 40 ] || fail "only $n failures injected"
[ "$loaded" -ge 10 ] || fail "only $loaded modules loaded"
[ "$refused" -ge 1 ] || fail "no load failed: were failures injected where they matter?"
cat /sys/kernel/debug/kcage/sandboxes
grep -q quarantined=1 /sys/kernel/debug/kcage/sandboxes && fail "a module is left quarantined"

# Without injection everything works again.
kcage load --policy /tmp/kc_forms.kcp $MODDIR/kc_forms.ko || fail "kcage load kc_forms"
forms_run /tmp/after
cmp /tmp/native /tmp/after || fail "kc_forms answers differ after injection: $(diff /tmp/native /tmp/after | head)"
rmmod kc_forms || fail "rmmod kc_forms"
compile_attacks atk_heap_oob
attack_cycle atk_heap_oob
[ -e /tmp/errors ] && fail "after injection: $(cat /tmp/errors)"
[ "$(stat native_execs)" -eq 0 ] || fail "native code of a sandboxed module ran"
rmmod kcage || fail "rmmod kcage"
