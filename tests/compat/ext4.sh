#!/bin/sh
# Debian's ext4 (with jbd2 and mbcache) on a brd RAM disk, all four
# sandboxed: mkfs, then the file workload (lib.sh fs_workload: a tree of
# files written, remounted, checksummed, some deleted).  The inode tables
# are written by mkfs and block bitmaps are not prefetched, so ext4 starts
# no lazy-init thread after the mount: that thread runs, and is still
# there to be stopped at unload, as timing lets it, so what learning saw
# of it would be chance.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe crc32c_generic && modprobe brd rd_nr=1 rd_size=32768 && modprobe ext4 &&
		/sbin/mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 /dev/ram0
}

compat_work() {
	fs_run_workload /dev/ram0 ext4 no_prefetch_block_bitmaps && echo "files verified"
}

compat_teardown() {
	rmmod ext4 jbd2 mbcache brd
}

fs_sources
COMPAT_BASES="brd:blockdev ext4:filesystem"
compat_run ext4 brd,ext4,jbd2,mbcache "mkfs.ext4, write 12 files, remount, verify, delete on brd"
compat_exit
