#!/bin/sh
# Everything at once, for a minute (make stress: kcage_stress= seconds):
# eight readers in a sandboxed character device that sleeps, locks and
# takes timers (kc_hammer); a sandboxed module loaded and unloaded again
# and again under two readers (kc_hello); attack modules loaded under
# their policies, attacking, quarantined, released and unloaded in a
# loop; CPUs going offline and online; NMI backtraces of every CPU.  The
# guest runs with full preemption.  Every read must give the native
# answer, every attack must be caught, and at the end nothing is left
# quarantined and no native code of a sandboxed module has run.
# smp: 4
# timeout: 240
# stress: yes
. /tests/lib.sh

SECONDS_TO_RUN=$(stress_seconds 60)
ATTACKS="atk_heap_oob atk_uaf atk_rop atk_bug atk_null atk_fortify atk_call atk_double_free"

# Native answers first.
insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (native)"
hammer_expected=$(hammer_read)
rmmod kc_hammer
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello (native)"
hello_expected=$(cat /proc/kc_hello)
rmmod kc_hello
compile_attacks $ATTACKS

load_kcage sandbox=kc_hammer,kc_hello
insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (sandboxed)"

hammer_reader() {
	while [ ! -e /tmp/stop ]; do
		got=$(hammer_read)
		[ "$got" = "$hammer_expected" ] || echo "kc_hammer: $got" >> /tmp/bad
	done
}

hello_reader() {
	while [ ! -e /tmp/stop ]; do
		out=$(cat /proc/kc_hello 2>/dev/null) || continue
		[ "$out" = "$hello_expected" ] || echo "kc_hello: $out" >> /tmp/bad
	done
}

load_cycles() {
	while [ ! -e /tmp/stop ]; do
		insmod $MODDIR/kc_hello.ko || echo "insmod kc_hello" >> /tmp/errors
		sleep 0.1
		rmmod kc_hello || echo "rmmod kc_hello" >> /tmp/errors
		echo >> /tmp/cycles
	done
}

attacker() {
	while [ ! -e /tmp/stop ]; do
		for a in $ATTACKS; do
			[ -e /tmp/stop ] || attack_cycle $a
		done
	done
}

rm -f /tmp/stop /tmp/bad /tmp/errors /tmp/cycles /tmp/attacks /tmp/hotplugs
for i in 1 2 3 4 5 6 7 8; do hammer_reader & done
hello_reader &
hello_reader &
load_cycles &
attacker &
hotplug_cycles /tmp/errors &
nmi_backtraces &
echo "stress: $SECONDS_TO_RUN s"
sleep $SECONDS_TO_RUN
touch /tmp/stop
wait

cat /sys/kernel/debug/kcage/stats
echo "kc_hello load/unload cycles: $(lines /tmp/cycles)"
echo "attacks: $(lines /tmp/attacks)"
echo "CPU offline/online cycles: $(lines /tmp/hotplugs)"
[ -e /tmp/bad ] && fail "wrong answers: $(sort /tmp/bad | uniq -c | head -n 3)"
[ -e /tmp/errors ] && fail "errors: $(sort /tmp/errors | uniq -c | head -n 5)"
[ "$(lines /tmp/cycles)" -ge 5 ] || fail "too few load/unload cycles"
[ "$(lines /tmp/attacks)" -ge 2 ] || fail "too few attacks"
[ "$(lines /tmp/hotplugs)" -ge 10 ] || fail "too few hotplug cycles"
reads=$(sed -n 's/^reads=//p' /sys/kernel/debug/kc_hammer)
[ "$reads" -ge 1000 ] || fail "only $reads kc_hammer reads"
kcage status --json | jq -e '[.sandboxes[] | select(.quarantined)] == []' > /dev/null ||
	fail "a module is left quarantined"
[ "$(stat native_execs)" -eq 0 ] || fail "native code of a sandboxed module ran"
rmmod kc_hammer || fail "rmmod kc_hammer"
rmmod kcage || fail "rmmod kcage"
