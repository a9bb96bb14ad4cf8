#!/bin/sh
# A sandboxed module loaded and unloaded again and again while readers
# hammer it from every CPU: every unload waits for tasks that may still
# return into its translations, the cache is emptied only of what no stack
# refers to, and every load is translated afresh.
# smp: 4
# timeout: 240
. /tests/lib.sh

load_kcage sandbox=kc_hello
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello"
expected=$(cat /proc/kc_hello)
rmmod kc_hello

hammer() {
	while [ ! -e /tmp/stop ]; do
		out=$(cat /proc/kc_hello 2>/dev/null) || continue
		[ "$out" = "$expected" ] || echo "bad: $out" >> /tmp/bad
	done
}
for i in 1 2 3 4 5 6; do hammer & done
round=0
while [ $round -lt 20 ]; do
	insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello, round $round"
	sleep 0.2
	rmmod kc_hello || fail "rmmod kc_hello, round $round"
	round=$((round + 1))
done
touch /tmp/stop
wait
[ -e /tmp/bad ] && fail "wrong answers: $(head -n 3 /tmp/bad)"
dmesg | grep -c 'kc_hello: sandbox removed'
[ "$(dmesg | grep -c 'kc_hello: sandbox removed')" -ge 21 ] || fail "not every unload removed the sandbox"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kcage || fail "rmmod kcage"
