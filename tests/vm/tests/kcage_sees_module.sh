#!/bin/sh
# kcage loads, sees a module coming before its init runs, decodes every
# byte of its functions, and forgets it when it goes.
# kernels: stock debug
. /tests/lib.sh

echo "kcage-test: sees_module" > /dev/kmsg	# earlier tests' lines end here
load_kcage
expect_dmesg '^.*kcage: loaded'
insmod $MODDIR/kc_hello.ko || fail "insmod kc_hello"

# The notifier ran before kc_hello's init printed anything.
dmesg | sed -n '/kcage-test: sees_module$/,$p' |
	grep -E 'kcage: module kc_hello coming|kc_hello: loaded' >/tmp/order
head -n1 /tmp/order | grep -q 'kcage: module kc_hello coming' ||
	fail "kcage did not see kc_hello before its init ran"
line=$(grep 'kcage: module kc_hello coming' /tmp/order)
echo "$line"
echo "$line" | grep -q 'undecodable=0' || fail "undecodable bytes in kc_hello"
echo "$line" | grep -Eq 'functions=([5-9]|[1-9][0-9])' ||
	fail "too few functions found: $line"
grep -q '^kc_hello ' /sys/kernel/debug/kcage/modules || fail "not in debugfs"
cat /proc/kc_hello | grep -q 'checksum=' || fail "kc_hello does not work"

rmmod kc_hello || fail "rmmod kc_hello"
expect_dmesg 'kcage: module kc_hello going'
grep -q '^kc_hello ' /sys/kernel/debug/kcage/modules && fail "still in debugfs"
rmmod kcage || fail "rmmod kcage"
expect_dmesg 'kcage: unloaded'
