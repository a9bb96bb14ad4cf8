#!/bin/sh
# make bench: RAID-6 syndromes (P and Q over 6 data pages) from Debian's
# raid6_pq, called through raid6_call.gen_syndrome by kc_raid6bench
# (tests/bench/modules, native), with raid6_pq native, translated and
# enforced (lib/bench.sh).  raid6_pq benchmarks its algorithms when it
# loads and keeps the fastest: each mode's choice is reported, since a
# different choice would make the ratio compare different code.
# kernels: stock
# smp: 1
# timeout: 600
# kmods: raid6_pq
. /tests/lib.sh
. /tests/lib/bench.sh

CALLS=40000
F=/sys/kernel/debug/kc_raid6bench

# kc_raid6bench first: raid6_pq's policy names its stripe (a region is
# resolved when the sandboxed module loads).
bench_setup() {
	insmod $MODDIR/kc_raid6bench.ko && modprobe raid6_pq
}

bench_work() {
	echo $CALLS 2> /tmp/raid6.err > $F || fail "kc_raid6bench: $(cat /tmp/raid6.err)"
	r=$(cat $F)
	echo "${r##* }"
	bench_info "algo_$BENCH_MODE=$(echo "$r" | sed 's/^algo=\([^ ]*\).*/\1/')"
}

bench_warm() {
	echo 1000 > $F || fail "kc_raid6bench (warm-up)"
}

bench_teardown() {
	rmmod raid6_pq kc_raid6bench
}

bench_run raid6 raid6_pq \
	"$CALLS x raid6_call.gen_syndrome over 6 data + P + Q pages (raid6_pq)"
bench_exit
