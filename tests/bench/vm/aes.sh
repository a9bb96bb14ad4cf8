#!/bin/sh
# make bench: AES-CBC encryption through AF_ALG (lib/crypto.sh) from
# Debian's aesni_intel (AES-NI assembly), native, translated and enforced
# (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 300
# kmods: algif_skcipher aesni_intel
. /tests/lib.sh
. /tests/lib/bench.sh
. /tests/lib/crypto.sh

crypto_bench aes aesni_intel "cbc(aes)" skcipher 16384 3500
bench_exit
