#!/bin/sh
# A sandboxed character device hammered for a minute by many readers,
# each read taking a mutex, a spinlock with interrupts off, sleeping on a
# wait queue that a translated timer wakes, and sometimes in msleep(),
# while CPUs go offline and online (forcing tasks asleep in translated
# code to resume elsewhere) and NMIs take backtraces of every CPU.  The
# guest runs with full preemption, so translated code is also preempted
# at arbitrary instructions.  Every read must return the native bytes.
# smp: 4
# timeout: 180
# stress: yes
. /tests/lib.sh

SECONDS_TO_RUN=$(stress_seconds 60)

insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (native)"
expected=$(hammer_read)
rmmod kc_hammer

load_kcage sandbox=kc_hammer
insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (sandboxed)"
[ "$(hammer_read)" = "$expected" ] || fail "sandboxed read differs from native"

reader() {
	while [ ! -e /tmp/stop ]; do
		got=$(hammer_read)
		[ "$got" = "$expected" ] || echo "bad: $got" >> /tmp/bad
	done
}

rm -f /tmp/stop /tmp/bad /tmp/hotplugs /tmp/hotplug_err
for i in 1 2 3 4 5 6 7 8; do reader & done
hotplug_cycles /tmp/hotplug_err &
nmi_backtraces &
sleep $SECONDS_TO_RUN
touch /tmp/stop
wait

cat /sys/kernel/debug/kc_hammer
cat /sys/kernel/debug/kcage/stats
[ -e /tmp/bad ] && fail "wrong data: $(sort /tmp/bad | uniq -c | head -n 3)"
[ -e /tmp/hotplug_err ] && fail "hotplug failed: $(head -n 3 /tmp/hotplug_err)"
echo "CPU offline/online cycles: $(wc -l < /tmp/hotplugs)"
[ "$(wc -l < /tmp/hotplugs)" -ge 10 ] || fail "too few hotplug cycles"
reads=$(sed -n 's/^reads=//p' /sys/kernel/debug/kc_hammer)
migrated=$(sed -n 's/^migrated=//p' /sys/kernel/debug/kc_hammer)
[ "$reads" -ge 1000 ] || fail "only $reads reads"
[ "$migrated" -ge 1 ] || fail "no read resumed on another CPU"
dmesg | grep -c "NMI backtrace for cpu" | sed 's/^/NMI backtraces: /'
dmesg | grep -v '? ' | grep -q kcage_cache_area && fail "a backtrace shows a cache address"
[ "$(stat violations)" -eq 0 ] || fail "violations in a correct module"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kc_hammer || fail "rmmod kc_hammer"
rmmod kcage || fail "rmmod kcage"
