#!/bin/sh
# A million violations: kc_attack, in audit mode, stores to a
# kernel global a million times in one call while `kcage monitor` follows
# the events.  The kernel stays responsive (kcage status answers during
# the flood), nothing is lost silently: events received plus the gaps the
# monitor reported add up to every violation, the kernel's dropped counts
# are within those gaps, and the log's lines plus the suppressed counts
# they carry add up to every violation too.
# smp: 2
# timeout: 900
# kernels: stock
. /tests/lib.sh

D=/sys/kernel/debug/kc_attack
N=1000000

# stats <field>: a number from kcage status --json
stats() {
	kcage status --json | jq ".$1"
}

# drained <base seq> <base sent+dropped>: the kernel has sent or counted as
# dropped an event for every violation since the base (at most 120 s).
drained() {
	for i in $(seq 240); do
		s=$(kcage status --json)
		last=$(echo "$s" | jq .last_seq)
		done_=$(echo "$s" | jq '.events_sent + .dropped_total')
		[ $((done_ - $2)) -eq $((last - $1)) ] && return 0
		sleep 0.5
	done
	echo "$s"
	fail "events not drained"
}

load_kcage
audit_policy kc_attack false
kcage load $MODDIR/kc_attack.ko || fail "kcage load (policy already loaded)"

kcage monitor --json --summary > /tmp/sum.json 2> /tmp/mon.err &
mon=$!
sleep 2
base=$(stats last_seq)
base_done=$(kcage status --json | jq '.events_sent + .dropped_total')

echo "kcage-test: flood" > /dev/kmsg
t0=$(date +%s)
(echo $N > $D/flood || echo "flood write failed" > /tmp/flood.err) &
flood=$!
polls=0
while kill -0 $flood 2> /dev/null; do
	timeout 20 kcage status --json > /dev/null || fail "kcage status hung during the flood"
	polls=$((polls + 1))
	sleep 1
done
wait $flood
[ -e /tmp/flood.err ] && fail "$(cat /tmp/flood.err)"
echo "flood of $N violations: $(($(date +%s) - t0)) s, kcage status answered $polls times meanwhile"

drained $base $base_done
sleep 6	# the monitor reads what its socket holds; the log's limit resets
echo 1 > $D/global
final=$((base + N + 1))
[ "$(stats last_seq)" -eq $final ] || fail "last_seq $(stats last_seq), expected $final"
drained $base $base_done
sleep 2
kill -TERM $mon
wait $mon
cat /tmp/sum.json /tmp/mon.err

jq -e ".type == \"summary\" and .last_seq == $final and
	.events + .lost == $((N + 1)) and .dropped <= .lost and .events > 0" \
	/tmp/sum.json > /dev/null || fail "the monitor's counts do not add up"
kcage status --json kc_attack | jq -e ".sandboxes[0].violations.write == $((N + 1))" \
	> /dev/null || fail "violation count"

# every violation is a log line or counted as suppressed by a later one
dmesg | sed -n '/kcage-test: flood$/,$p' | grep 'kcage: violation seq=.* module=kc_attack ' \
	> /tmp/log
lines=$(wc -l < /tmp/log)
suppressed=$(sed -n 's/.* suppressed=\([0-9]*\)$/\1/p' /tmp/log | awk '{ s += $1 } END { print s + 0 }')
echo "log: $lines lines, $suppressed suppressed"
[ $((lines + suppressed)) -eq $((N + 1)) ] ||
	fail "log lines $lines + suppressed $suppressed != $((N + 1))"
tail -n 1 /tmp/log | grep -q "seq=$final module=kc_attack" || fail "the last violation is not logged"
kcage unload kc_attack || fail "unload kc_attack"
