#!/bin/sh
# Debian's ext4 (with jbd2 and mbcache) on Debian's brd, all four modules
# run translate-only: mkfs, mount, write, read back and checksum, unmount,
# fsck clean, with every byte of their code run from the code cache.
# smp: 4
# timeout: 300
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh

load_kcage sandbox=brd,ext4,jbd2,mbcache
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
modprobe ext4 || fail "modprobe ext4"
modprobe crc32c_generic || fail "modprobe crc32c_generic"
for m in brd ext4 jbd2 mbcache; do
	grep "^$m " /sys/kernel/debug/kcage/sandboxes || fail "$m not sandboxed"
done
/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
fs_workload /dev/ram0 ext4
/sbin/e2fsck -fn /dev/ram0 || fail "e2fsck found problems"
cat /sys/kernel/debug/kcage/stats
[ "$(stat blocks)" -gt 1000 ] || fail "too few blocks translated"
[ "$(stat entries)" -gt 1000 ] || fail "too few entries"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
# Each CPU starts with one 64 KiB chunk; ext4 needs more, so CPUs grew.
[ "$(stat cache_chunks)" -gt 4 ] || fail "no CPU took a second cache chunk"
rmmod ext4 jbd2 mbcache brd || fail "rmmod"
grep . /sys/kernel/debug/kcage/sandboxes && fail "sandboxes left"
rmmod kcage || fail "rmmod kcage"
