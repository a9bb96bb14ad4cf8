#!/bin/sh
# Debian's zram (with zsmalloc): a compressed RAM disk, ext4 on it (ext4
# native), the file workload.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: zram ext4 crc32c_generic
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe crc32c_generic && modprobe zram num_devices=1 && modprobe ext4 &&
		echo 32M > /sys/block/zram0/disksize && /sbin/mke2fs -q -F -t ext4 /dev/zram0
}

compat_work() {
	fs_run_workload /dev/zram0 ext4 && echo "files verified"
}

compat_teardown() {
	echo 1 > /sys/block/zram0/reset && rmmod zram zsmalloc
}

fs_sources
COMPAT_BASES="zram:blockdev"
compat_run zram zram,zsmalloc "a 32 MB zram disk with ext4, write 12 files, remount, verify, delete"
compat_exit
