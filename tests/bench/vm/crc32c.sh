#!/bin/sh
# make bench: crc32c through AF_ALG (lib/crypto.sh) from Debian's
# crc32c_intel (crc32 instructions, PCLMULQDQ for long inputs), native,
# translated and enforced (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 300
# kmods: algif_hash crc32c_intel
. /tests/lib.sh
. /tests/lib/bench.sh
. /tests/lib/crypto.sh

crypto_bench crc32c crc32c_intel crc32c hash 16384 40000
bench_exit
