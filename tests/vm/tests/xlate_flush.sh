#!/bin/sh
# With a code cache too small for ext4's working set, kcage flushes it
# (under stop_machine, keeping the chunks stacks refer to) again and again
# while brd, ext4, jbd2 and mbcache run translate-only, and the workload's
# results stay right.
# smp: 4
# timeout: 300
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh

load_kcage sandbox=brd,ext4,jbd2,mbcache cache_kib=1536
expect_dmesg 'kcage: code cache 1536 KiB'
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
modprobe ext4 || fail "modprobe ext4"
modprobe crc32c_generic || fail "modprobe crc32c_generic"
/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
fs_sources
for round in 1 2 3; do
	fs_run_workload /dev/ram0 ext4
done
/sbin/e2fsck -fn /dev/ram0 || fail "e2fsck found problems"
cat /sys/kernel/debug/kcage/stats
[ "$(stat flushes)" -gt 0 ] || fail "the cache was never flushed"
[ "$(stat flushed_chunks)" -gt 0 ] || fail "no chunk was ever freed"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod ext4 jbd2 mbcache brd || fail "rmmod"
rmmod kcage || fail "rmmod kcage"
