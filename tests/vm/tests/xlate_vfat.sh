#!/bin/sh
# Debian's vfat and fat run translate-only on a brd disk: mkfs, mount,
# write, read back and checksum, unmount.
# smp: 4
# timeout: 240
# kmods: brd vfat nls_cp437 ?nls_ascii ?nls_iso8859-1
. /tests/lib.sh

load_kcage sandbox=vfat,fat
modprobe brd rd_nr=1 rd_size=32768 || fail "modprobe brd"
# The default iocharset's table is a module on one kernel, built in on another.
modprobe nls_ascii 2>/dev/null
modprobe nls_iso8859-1 2>/dev/null
for m in nls_cp437 vfat; do
	modprobe $m || fail "modprobe $m"
done
for m in vfat fat; do
	grep "^$m " /sys/kernel/debug/kcage/sandboxes || fail "$m not sandboxed"
done
mkdosfs /dev/ram0 >/dev/null || fail "mkdosfs"
fs_workload /dev/ram0 vfat
cat /sys/kernel/debug/kcage/stats
[ "$(stat blocks)" -gt 500 ] || fail "too few blocks translated"
[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
rmmod vfat fat brd || fail "rmmod"
rmmod kcage || fail "rmmod kcage"
