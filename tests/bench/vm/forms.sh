#!/bin/sh
# make bench: module-bound code.  300 reads of /proc/kc_forms
# (examples/modules: string ops, SIMD, switches, recursion, list
# allocation, kernel callbacks) with kc_forms native, translated and
# enforced under examples/policies/kc_forms.yaml (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 300
. /tests/lib.sh
. /tests/lib/bench.sh

READS=300

bench_setup() {
	insmod $MODDIR/kc_forms.ko
}

bench_work() {
	i=0
	while [ $i -lt $READS ]; do
		cat /proc/kc_forms > /tmp/forms.out || fail "read /proc/kc_forms"
		i=$((i + 1))
	done
	md5sum < /tmp/forms.out | cut -c1-16
}

bench_warm() {
	cat /proc/kc_forms
}

bench_teardown() {
	rmmod kc_forms
}

bench_run forms kc_forms "$READS reads of /proc/kc_forms (module-bound code)"
bench_exit
