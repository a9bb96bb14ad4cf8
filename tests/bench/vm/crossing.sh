#!/bin/sh
# make bench: crossings.  readbench (tests/bench/tools) reads
# /dev/kc_cross (tests/bench/modules) one byte per read(2): each read is
# one call from the kernel into the module and back, with almost no work
# inside, so (translated - native) / reads is what a crossing costs
# translate-only, (enforced - native) / reads with its policy's checks
# (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 300
. /tests/lib.sh
. /tests/lib/bench.sh

READS=500000

bench_setup() {
	insmod $MODDIR/kc_cross.ko
}

bench_work() {
	readbench /dev/kc_cross $READS > /tmp/readbench.out 2>&1 ||
		fail "$(cat /tmp/readbench.out)"
	sed 's/.*sum=//' /tmp/readbench.out
}

bench_warm() {
	readbench /dev/kc_cross 1000
}

bench_teardown() {
	rmmod kc_cross
}

BENCH_PER="$READS reads"
bench_run crossing kc_cross "$READS x read(fd, buf, 1) of /dev/kc_cross"
bench_exit
