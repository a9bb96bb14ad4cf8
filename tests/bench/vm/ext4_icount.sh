#!/bin/sh
# The ext4 workload (fs_run_workload on brd), first with every module
# native, then with brd, ext4, jbd2 and mbcache translate-only, then with
# every check on (audit-mode policies: the shadow stack, stack pivots,
# calls, stores, heap ownership, API rules; what ext4 stores into kernel
# objects no grant covers is reported, not refused).  kc_forms likewise:
# native, translate-only, and enforced under examples/policies/kc_forms.yaml
# (no violation).  Each phase
# is bracketed by kmsg markers; QEMU runs with -icount shift=0, so the
# printk timestamps between markers count guest instructions (1 ns each).
# report.py turns them into ratios.
# kernels: stock
# smp: 1
# timeout: 900
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh

ROUNDS=3
MODS="brd ext4 jbd2 mbcache"

mark() {
	echo "KCAGE-BENCH $*" > /dev/kmsg
}

# phase <name>: load the modules, run the workload ROUNDS times, unload.
phase() {
	modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
	modprobe ext4 || fail "modprobe ext4"
	modprobe crc32c_generic || fail "modprobe crc32c_generic"
	/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
	fs_run_workload /dev/ram0 ext4	# warm-up: translation happens here
	mark "begin $1"
	r=0
	while [ $r -lt $ROUNDS ]; do
		fs_run_workload /dev/ram0 ext4
		r=$((r + 1))
	done
	mark "end $1"
	/sbin/e2fsck -fn /dev/ram0 >/dev/null || fail "e2fsck ($1)"
	rmmod ext4 jbd2 mbcache brd || fail "rmmod ($1)"
}

# forms <name>: read /proc/kc_forms (module-bound code: string ops, SIMD,
# switches, recursion, kernel callbacks) 300 times.
forms() {
	insmod $MODDIR/kc_forms.ko || fail "insmod kc_forms ($1)"
	cat /proc/kc_forms > /dev/null
	mark "begin $1"
	i=0
	while [ $i -lt 300 ]; do
		cat /proc/kc_forms > /dev/null
		i=$((i + 1))
	done
	mark "end $1"
	rmmod kc_forms
}

fs_sources
load_kcage
phase native
forms forms_native
echo "brd,ext4,jbd2,mbcache,kc_forms" > /sys/module/kcage/parameters/sandbox
phase translated
forms forms_translated
sed 's/^/KCAGE-BENCH stat /' /sys/kernel/debug/kcage/stats > /dev/kmsg
for m in $MODS; do
	audit_policy $m false
done
load_policy /kcage/src/examples/policies/kc_forms.yaml
before=$(stat violations)
phase checked
echo "KCAGE-BENCH stat checked_violations=$(($(stat violations) - before))" > /dev/kmsg
before=$(stat violations)
forms forms_enforced
[ "$(stat violations)" -eq "$before" ] || fail "kc_forms: violations under its policy"
rmmod kcage || fail "rmmod kcage"
