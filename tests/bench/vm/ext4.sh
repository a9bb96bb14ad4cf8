#!/bin/sh
# make bench: ext4 on a RAM disk: fs_run_workload (tests/vm/lib.sh: mount,
# copy 5.4 MB in 12 files, sync, remount, checksum, delete, unmount) with
# brd, ext4, jbd2 and mbcache native, translated and enforced
# (lib/bench.sh); e2fsck must find the file system clean every time.
# kernels: stock
# smp: 1
# timeout: 600
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh
. /tests/lib/bench.sh

ROUNDS=1

bench_setup() {
	modprobe brd rd_nr=1 rd_size=65536 &&
		modprobe ext4 &&
		modprobe crc32c_generic &&
		/sbin/mke2fs -q -F -t ext4 /dev/ram0
}

bench_work() {
	bench_fs_rounds /dev/ram0 ext4
}

bench_sum() {
	bench_fs_sum /dev/ram0 ext4
}

bench_teardown() {
	/sbin/e2fsck -fn /dev/ram0 > /dev/null || fail "e2fsck"
	rmmod ext4 jbd2 mbcache brd
}

fs_sources
bench_run ext4 brd,ext4,jbd2,mbcache \
	"ext4 on brd: $ROUNDS x (mount, copy 5.4 MB in 12 files, sync, remount, verify, delete, unmount)"
bench_exit
