#!/bin/sh
# A sandboxed module's native text is int3 (all but its ftrace sites), and
# a direct call into it from another module still returns the native
# answer: it works only because translation works.
# smp: 2
. /tests/lib.sh

peek() {
	dmesg -c > /dev/null
	insmod $MODDIR/kc_peek.ko || fail "insmod kc_peek"
	line=$(dmesg | grep 'kc_peek: kc_forms_probe') || fail "kc_peek said nothing"
	echo "$line" >&2
	rmmod kc_peek
	echo "$line" | sed 's/.*kc_peek: //'
}

insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (native)"
native=$(peek)
rmmod kc_forms
# Natively only the padding gcc puts after jumps (straight-line
# speculation hardening) is int3.
n_int3=$(echo "$native" | sed 's/.* int3=\([0-9]*\)\/.*/\1/')
n_total=$(echo "$native" | sed 's/.* int3=[0-9]*\/\([0-9]*\) .*/\1/')
[ $((n_int3 * 2)) -lt "$n_total" ] || fail "native text mostly int3: $native"

load_kcage sandbox=kc_forms
insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms (sandboxed)"
sandboxed=$(peek)
rmmod kc_forms
total=$(echo "$sandboxed" | sed 's/.* int3=[0-9]*\/\([0-9]*\) .*/\1/')
echo "$sandboxed" | grep -q " int3=$total/$total " ||
	fail "native text not poisoned: $sandboxed"
[ "${native##*result=}" = "${sandboxed##*result=}" ] ||
	fail "results differ: native $native, sandboxed $sandboxed"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod kcage || fail "rmmod kcage"
