# make bench's crypto workloads (crc32c.sh, sha256.sh, aes.sh): the
# kernel's crypto through AF_ALG sockets, measured with algbench
# (tests/bench/tools), sourced after lib/bench.sh.  The generic C
# versions are built into vmlinux (sha256, aes) or a module of lower
# priority (crc32c_generic), so algbench binds the x86 module's driver by
# its name, as /proc/crypto lists it.

bench_setup() {
	modprobe $CRYPTO_MOD || return 1
	DRIVER=$(crypto_driver $CRYPTO_ALG $CRYPTO_MOD)
	[ -n "$DRIVER" ] || fail "$CRYPTO_MOD registers no $CRYPTO_ALG"
	bench_info "driver_$BENCH_MODE=$DRIVER"
}

bench_work() {
	algbench $CRYPTO_TYPE $DRIVER $CRYPTO_SIZE $CRYPTO_COUNT > /tmp/algbench.out 2>&1 ||
		fail "$(cat /tmp/algbench.out)"
	sed 's/.*sum=//' /tmp/algbench.out
}

bench_warm() {
	algbench $CRYPTO_TYPE $DRIVER $CRYPTO_SIZE $((CRYPTO_COUNT / 10 + 1)) ||
		fail "algbench (warm-up)"
}

bench_teardown() {
	rmmod $CRYPTO_MOD
}

# crypto_bench <workload> <module> <algorithm> <hash|skcipher> <size> <count>
crypto_bench() {
	CRYPTO_MOD=$2 CRYPTO_ALG=$3 CRYPTO_TYPE=$4 CRYPTO_SIZE=$5 CRYPTO_COUNT=$6
	modprobe af_alg && modprobe algif_$4 || fail "modprobe algif_$4"
	bench_run $1 $2 "$6 x $3 of $5 bytes through AF_ALG ($2)"
}
