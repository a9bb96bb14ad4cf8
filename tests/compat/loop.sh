#!/bin/sh
# Debian's loop driver: a file on tmpfs as a block device (losetup),
# ext4 on it (ext4 native), the file workload.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: loop ext4 crc32c_generic
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe crc32c_generic && modprobe loop && modprobe ext4 &&
		dd if=/dev/zero of=/tmp/loop.img bs=1M count=24 2> /dev/null &&
		losetup /dev/loop0 /tmp/loop.img && /sbin/mke2fs -q -F -t ext4 /dev/loop0
}

compat_work() {
	fs_run_workload /dev/loop0 ext4 && echo "files verified"
}

compat_teardown() {
	losetup -d /dev/loop0 && rm -f /tmp/loop.img && rmmod loop
}

fs_sources
COMPAT_BASES="loop:blockdev"
compat_run loop loop "a 24 MB file as /dev/loop0 with ext4, write 12 files, remount, verify, delete"
compat_exit
