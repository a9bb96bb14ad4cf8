#!/bin/sh
# make bench: SHA-256 through AF_ALG (lib/crypto.sh) from Debian's
# sha256_ssse3 (the AVX2 assembly on this CPU), native, translated and
# enforced (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 300
# kmods: algif_hash sha256_ssse3
. /tests/lib.sh
. /tests/lib/bench.sh
. /tests/lib/crypto.sh

crypto_bench sha256 sha256_ssse3 sha256 hash 4096 2500
bench_exit
