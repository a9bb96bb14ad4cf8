#!/bin/sh
# Debian's isofs (ISO 9660 with Rock Ridge) on a brd RAM disk: an image of
# the file tree made by genisoimage, mounted and every file checked.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: brd isofs
# host-tools: genisoimage
. /tests/lib.sh
. /tests/lib/compat.sh

compat_setup() {
	modprobe brd rd_nr=1 rd_size=16384 && modprobe isofs &&
		dd if=/tmp/iso.img of=/dev/ram0 2> /dev/null
}

compat_work() {
	fs_image_verify /dev/ram0 iso9660 && echo "files verified"
}

compat_teardown() {
	rmmod isofs brd
}

fs_sources
fs_image_tree /tmp/tree || fail "tree"
/sbin/genisoimage -quiet -R -o /tmp/iso.img /tmp/tree || fail "genisoimage"
COMPAT_BASES="isofs:filesystem"
compat_run isofs isofs "genisoimage (Rock Ridge) image of 12 files on brd, mount, verify"
compat_exit
