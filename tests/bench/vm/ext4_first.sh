#!/bin/sh
# make bench: time to first useful work.  From "modprobe ext4" to the end
# of the first mount, copy of 5.4 MB and sync on a fresh file system, with
# ext4, jbd2 and mbcache native, translated and enforced (lib/bench.sh):
# sandboxed, this includes translating what the first mount and writes
# run.  LOADS times, each a new load of the modules (so a new
# translation), measured span by span.
# kernels: stock
# smp: 1
# timeout: 600
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh
. /tests/lib/bench.sh

LOADS=1
BENCH_WARM=0
BENCH_SPANS=self

bench_setup() {
	modprobe brd rd_nr=1 rd_size=65536 && modprobe crc32c_generic
}

# first_work: one load of ext4 and its first work; the checksum of the
# files it wrote.
first_work() {
	/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
	mkdir -p /mnt
	bench_span begin
	modprobe ext4 || fail "modprobe ext4"
	mount -t ext4 /dev/ram0 /mnt || fail "mount"
	cp /tmp/src/f* /mnt/ || fail "cp"
	sync
	bench_span end
	[ $BENCH_MODE = native ] || bench_sandboxed
	(cd /mnt && sha256sum f*) | sha256sum | cut -c1-16
	umount /mnt || fail "umount"
	rmmod ext4 jbd2 mbcache || fail "rmmod ext4"
}

bench_work() {
	i=0
	while [ $i -lt $LOADS ]; do
		first_work > /tmp/first.sum
		i=$((i + 1))
	done
	cat /tmp/first.sum
}

bench_teardown() {
	rmmod crc32c_generic brd
}

fs_sources
BENCH_PER="$LOADS loads"
bench_run ext4_first ext4,jbd2,mbcache \
	"modprobe ext4 to the end of its first mount + copy 5.4 MB + sync"
bench_exit
