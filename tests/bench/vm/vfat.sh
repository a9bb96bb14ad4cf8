#!/bin/sh
# make bench: vfat on a RAM disk, the ext4 workload's file work
# (fs_run_workload) with brd, vfat and fat native, translated and
# enforced (lib/bench.sh).
# kernels: stock
# smp: 1
# timeout: 600
# kmods: brd vfat nls_cp437 ?nls_ascii ?nls_iso8859-1
. /tests/lib.sh
. /tests/lib/bench.sh

ROUNDS=1

bench_setup() {
	# The default iocharset's table: a module or built in.
	modprobe nls_ascii 2> /dev/null
	modprobe nls_iso8859-1 2> /dev/null
	modprobe nls_cp437 &&
		modprobe brd rd_nr=1 rd_size=32768 &&
		modprobe vfat &&
		mkdosfs /dev/ram0 > /dev/null
}

bench_work() {
	bench_fs_rounds /dev/ram0 vfat
}

bench_sum() {
	bench_fs_sum /dev/ram0 vfat
}

bench_teardown() {
	rmmod vfat fat brd
}

fs_sources
bench_run vfat brd,vfat,fat \
	"vfat on brd: $ROUNDS x (mount, copy 5.4 MB in 12 files, sync, remount, verify, delete, unmount)"
bench_exit
