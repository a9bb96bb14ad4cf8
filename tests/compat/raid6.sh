#!/bin/sh
# Debian's raid6_pq: P and Q syndromes of a stripe of 6 pages, called by
# kc_raid6bench (tests/bench/modules, native); the checksum of the last
# syndrome must be the native run's.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: raid6_pq
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	insmod $MODDIR/kc_raid6bench.ko && modprobe raid6_pq
}

compat_work() {
	echo 200 > /sys/kernel/debug/kc_raid6bench &&
		sed 's/.*sum=//' /sys/kernel/debug/kc_raid6bench
}

compat_teardown() {
	rmmod raid6_pq kc_raid6bench
}

COMPAT_BASES="raid6_pq:fpu"
compat_run raid6 raid6_pq "gen_syndrome x 200 over 6 data pages + P + Q"
compat_exit
