#!/bin/sh
# Debian's squashfs (read-only, gzip-compressed) on a brd RAM disk: an
# image of the file tree made by mksquashfs, mounted and every file
# checked.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: brd squashfs
# host-tools: mksquashfs
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe brd rd_nr=1 rd_size=16384 && modprobe squashfs &&
		dd if=/tmp/squashfs.img of=/dev/ram0 2> /dev/null
}

compat_work() {
	fs_image_verify /dev/ram0 squashfs && echo "files verified"
}

compat_teardown() {
	rmmod squashfs brd
}

fs_sources
fs_image_tree /tmp/tree || fail "tree"
/sbin/mksquashfs /tmp/tree /tmp/squashfs.img -noappend -quiet -comp gzip > /dev/null ||
	fail "mksquashfs"
COMPAT_BASES="squashfs:filesystem"
compat_run squashfs squashfs "mksquashfs image of 12 files on brd, mount, verify"
compat_exit
