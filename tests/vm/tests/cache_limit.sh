#!/bin/sh
# The code cache at its smallest (cache_kib=1 gives the minimum, two
# chunks per CPU and two more) under attack load: kc_forms loaded under
# its policy, read on every CPU and unloaded again and again, readers
# asleep in kc_hammer's translated code pinning the chunks their stacks
# return into, and attack modules loaded, attacking and unloaded; every
# load is translated afresh, so the cache fills and is flushed again and
# again.  An entry that finds no room is refused (-EIO) or abandoned
# (-ENOMEM), never run natively or wrongly: every answer must be the
# native one or such an error, and once the load stops every answer
# must be native again.
# smp: 4
# timeout: 300
# expect-splat: WARNING:
. /tests/lib.sh

SECONDS_TO_RUN=40
ATTACKS="atk_heap_oob atk_uaf atk_rop atk_bug atk_null atk_call"

insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (native)"
hammer_expected=$(hammer_read)
rmmod kc_hammer
insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (native)"
echo "seed 1" > /proc/kc_forms && forms_expected=$(cat /proc/kc_forms)
forms_run /tmp/native
rmmod kc_forms
compile_attacks $ATTACKS
/sbin/policyc /kcage/src/examples/policies/kc_forms.yaml -o /tmp/kc_forms.kcp ||
	fail "policyc kc_forms"

load_kcage sandbox=kc_hammer cache_kib=1
dmesg | grep 'kcage: code cache'
insmod $MODDIR/kc_hammer.ko || fail "insmod kc_hammer (sandboxed)"

# A read may fail when the cache has no room; a wrong answer is a bug.
forms_cycles() {
	while [ ! -e /tmp/stop ]; do
		if ! kcage load --policy /tmp/kc_forms.kcp $MODDIR/kc_forms.ko > /dev/null 2>&1; then
			echo >> /tmp/refused	# its init found no room
			continue
		fi
		for cpu in 0 1 2 3 0 1 2 3; do
			if echo "seed 1" 2> /dev/null > /proc/kc_forms &&
			   out=$(taskset -c $cpu cat /proc/kc_forms 2> /dev/null); then
				[ "$out" = "$forms_expected" ] ||
					echo "kc_forms: $(echo "$out" | md5sum)" >> /tmp/bad
			else
				echo >> /tmp/refused
			fi
		done
		kcage unload kc_forms > /dev/null || echo "kcage unload kc_forms" >> /tmp/errors
		echo >> /tmp/forms_loads
	done
}

hammer_reader() {
	while [ ! -e /tmp/stop ]; do
		if got=$(hammer_read); then
			[ "$got" = "$hammer_expected" ] || echo "kc_hammer: $got" >> /tmp/bad
		fi
	done
}

attacker() {
	while [ ! -e /tmp/stop ]; do
		for a in $ATTACKS; do
			[ -e /tmp/stop ] || attack_cycle $a may-refuse
		done
	done
}

rm -f /tmp/stop /tmp/bad /tmp/errors /tmp/refused /tmp/attacks /tmp/forms_loads
forms_cycles &
for i in 1 2 3 4; do hammer_reader & done
attacker &
sleep $SECONDS_TO_RUN
touch /tmp/stop
wait

cat /sys/kernel/debug/kcage/stats
echo "kc_forms loads: $(lines /tmp/forms_loads), attacks: $(lines /tmp/attacks), entries refused: $(lines /tmp/refused)"
[ -e /tmp/bad ] && fail "wrong answers: $(sort /tmp/bad | uniq -c | head -n 3)"
[ -e /tmp/errors ] && fail "errors: $(sort /tmp/errors | uniq -c | head -n 5)"
[ "$(lines /tmp/attacks)" -ge 3 ] || fail "too few attacks"
[ "$(lines /tmp/forms_loads)" -ge 3 ] || fail "too few kc_forms loads"
[ "$(stat flushes)" -gt 0 ] || fail "the cache never filled"
[ "$(stat native_execs)" -eq 0 ] || fail "native code of a sandboxed module ran"

# The load gone, every answer is native again.
rmmod kc_hammer || fail "rmmod kc_hammer"
kcage load --policy /tmp/kc_forms.kcp $MODDIR/kc_forms.ko || fail "kcage load kc_forms"
forms_run /tmp/after
cmp /tmp/native /tmp/after || fail "kc_forms differs after the load: $(diff /tmp/native /tmp/after | head)"
rmmod kc_forms || fail "rmmod kc_forms"
rmmod kcage || fail "rmmod kcage"
