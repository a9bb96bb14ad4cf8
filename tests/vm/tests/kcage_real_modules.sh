#!/bin/sh
# kcage decodes every function of real Debian modules no one here wrote.
# kmods: brd ext4 minix
. /tests/lib.sh

load_kcage
modprobe brd rd_nr=1 rd_size=8192 || fail "modprobe brd"
modprobe ext4 || fail "modprobe ext4"
modprobe minix || fail "modprobe minix"
for m in brd ext4 minix jbd2 mbcache; do
	line=$(dmesg | grep "kcage: module $m coming") ||
		fail "kcage did not see $m"
	echo "$line"
	echo "$line" | grep -q 'undecodable=0' || fail "undecodable bytes in $m"
done
