#!/bin/sh
# Debian's aesni_intel (AES-NI, PCLMULQDQ and AVX in assembly functions
# without ftrace sites, SIMD under kernel_fpu_begin, glue code in C) runs
# translate-only and passes the crypto manager's known-answer self-tests,
# which run every algorithm it registers as it loads.
# kernels: stock
# smp: 2
# timeout: 240
# kmods: aesni_intel
. /tests/lib.sh

grep -qw aes /proc/cpuinfo || fail "the virtual CPU has no AES-NI"
load_kcage sandbox=aesni_intel
dmesg -c > /dev/null
modprobe aesni_intel || fail "modprobe aesni_intel"
grep '^aesni_intel ' /sys/kernel/debug/kcage/sandboxes || fail "not sandboxed"
dmesg | grep -E 'alg: .*(fail|error)' && fail "a self-test failed"
# Every algorithm the module registered, with its self-test result.
awk '/^driver/ { d = $3 } /^module/ { m = $3 } /^selftest/ {
	if (m == "aesni_intel") print d, $3 }' /proc/crypto > /tmp/algs
cat /tmp/algs
[ "$(wc -l < /tmp/algs)" -ge 5 ] || fail "too few algorithms registered"
grep -v ' passed$' /tmp/algs && fail "an algorithm did not pass its self-test"
cat /sys/kernel/debug/kcage/stats
[ "$(stat blocks)" -gt 100 ] || fail "too few blocks translated"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod aesni_intel || fail "rmmod aesni_intel"
