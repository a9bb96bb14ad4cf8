#!/bin/sh
# Debian's vfat and fat on a brd RAM disk: mkdosfs, then the file
# workload (lib.sh fs_workload).
# kernels: stock
# smp: 2
# timeout: 600
# kmods: brd vfat nls_cp437 ?nls_ascii ?nls_iso8859-1
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe brd rd_nr=1 rd_size=32768 || return 1
	# the default iocharset's table: a module on one kernel, built in on another
	modprobe nls_ascii 2> /dev/null
	modprobe nls_iso8859-1 2> /dev/null
	modprobe nls_cp437 && modprobe vfat && mkdosfs /dev/ram0 > /dev/null
}

compat_work() {
	fs_run_workload /dev/ram0 vfat && echo "files verified"
}

compat_teardown() {
	rmmod vfat fat brd
}

fs_sources
COMPAT_BASES="vfat:filesystem fat:filesystem"
compat_run vfat vfat,fat "mkdosfs, write 12 files, remount, verify, delete on brd"
compat_exit
