#!/bin/sh
# Debian's xfs on a brd RAM disk, sandboxed: mkfs.xfs, then the file
# workload (lib.sh fs_workload: a tree of files written, remounted,
# checksummed, some deleted).  mkfs.xfs refuses file systems under 300 MB
# but for test suites (TEST_DEV, TEST_DIR and QA_CHECK_FS set, as
# xfstests does); 64 MB keeps the guest's memory in bounds.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: brd xfs crc32c_generic
# host-tools: mkfs.xfs
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe crc32c_generic && modprobe brd rd_nr=1 rd_size=65536 &&
		modprobe xfs &&
		TEST_DEV=/dev/ram0 TEST_DIR=/mnt QA_CHECK_FS=1 /sbin/mkfs.xfs -q -f /dev/ram0
}

compat_work() {
	fs_run_workload /dev/ram0 xfs && echo "files verified"
}

compat_teardown() {
	rmmod xfs brd
}

fs_sources
COMPAT_BASES="xfs:filesystem"
compat_run xfs xfs "mkfs.xfs, write 12 files, remount, verify, delete on brd"
compat_exit
