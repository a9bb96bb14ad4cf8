#!/bin/sh
# Every check kcage inserts, on code no one here wrote: Debian's ext4,
# jbd2, mbcache and brd run under audit-mode policies that check calls,
# indirect branches, returns (the shadow stack), stack pivots, stores,
# loads, heap ownership and API rules, and only report.  The workload must
# work as without them, and a well-behaved module must never return
# anywhere but to its caller nor move its stack: no return violations.
# smp: 4
# timeout: 400
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh

K=/sys/kernel/debug/kcage
load_kcage sandbox=brd,ext4,jbd2,mbcache
for m in brd ext4 jbd2 mbcache; do
	audit_policy $m true
done
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
modprobe ext4 || fail "modprobe ext4"
modprobe crc32c_generic || fail "modprobe crc32c_generic"
for m in brd ext4 jbd2 mbcache; do
	expect_dmesg "kcage: $m: policy bound, mode=audit"
done
/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
fs_workload /dev/ram0 ext4
/sbin/e2fsck -fn /dev/ram0 || fail "e2fsck found problems"
cat $K/sandboxes
cat $K/stats
for m in brd ext4 jbd2 mbcache; do
	grep -q "^$m .* kinds=.*return:0," $K/sandboxes ||
		fail "$m: return violations (shadow stack or stack pivot)"
done
grep -q "^ext4 .* kinds=.*write:[1-9]" $K/sandboxes ||
	fail "ext4: no write reported (are stores checked?)"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod ext4 jbd2 mbcache brd || fail "rmmod"
rmmod kcage || fail "rmmod kcage"
