#!/bin/sh
# Debian's x86 crypto drivers through AF_ALG (algbench, tests/bench/tools):
# crc32c_intel, sha256_ssse3 and aesni_intel, each bound by its driver
# name; the digests and ciphertext must be the native run's.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: algif_hash algif_skcipher crc32c_intel sha256_ssse3 aesni_intel
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe $MOD
}

compat_work() {
	drv=$(crypto_driver $ALG $MOD)
	[ -n "$drv" ] || return 1
	algbench $TYPE $drv $SIZE 200 | sed 's/.*sum=//'
}

compat_teardown() {
	rmmod $MOD
}

modprobe algif_hash && modprobe algif_skcipher || fail "AF_ALG"
COMPAT_BASES="crc32c_intel:crypto sha256_ssse3:crypto aesni_intel:crypto"
MOD=crc32c_intel ALG=crc32c TYPE=hash SIZE=4096
compat_run crc32c crc32c_intel "crc32c of 4 KB x 200 through AF_ALG"
MOD=sha256_ssse3 ALG=sha256 TYPE=hash SIZE=4096
compat_run sha256 sha256_ssse3 "sha256 of 4 KB x 200 through AF_ALG"
MOD=aesni_intel ALG="cbc(aes)" TYPE=skcipher SIZE=4096
compat_run aes aesni_intel "cbc(aes) of 4 KB x 200 through AF_ALG"
compat_exit
