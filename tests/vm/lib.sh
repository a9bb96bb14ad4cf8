# Helpers for VM test scripts (sourced from /tests/<name>.sh in the guest).
set -u

KCAGE_KO=/kcage/kcage.ko
MODDIR=/kcage/modules

fail() {
	echo "FAIL: $*"
	exit 1
}

# load_kcage [params...]: insmod kcage.ko, failing the test if it does not load.
load_kcage() {
	insmod "$KCAGE_KO" "$@" || fail "insmod kcage.ko failed"
}

# load_policy <file.yaml>: compile a policy and hand it to kcage; it
# applies to its module from the module's next load.
load_policy() {
	/sbin/policyc "$1" -o /tmp/policy.kcp || fail "policyc $1"
	/sbin/kcage policy load /tmp/policy.kcp || fail "kcage policy load $1"
}

# audit_policy <module> <check_reads: true|false>: load a policy for the
# module that checks everything kcage can (every call allowed, heap objects
# tracked through base/alloc.yaml) and only reports.
audit_policy() {
	cat > /tmp/$1.yaml <<YAML
module: $1
mode: audit
include: /kcage/src/policy/base/alloc.yaml
calls:
  allow: ["*"]
memory:
  check_reads: $2
YAML
	load_policy /tmp/$1.yaml
}

# nobody <command> [args...]: run it as an unprivileged user (uid 65534,
# no capabilities).  Arguments must not need quoting.
nobody() {
	grep -q '^nobody:' /etc/passwd 2>/dev/null || {
		mkdir -p /etc
		echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd
		echo 'nobody:x:65534:65534:nobody:/tmp:/bin/sh' >> /etc/passwd
		printf 'root:x:0:\nnogroup:x:65534:\n' > /etc/group
	}
	su -s /bin/sh nobody -c "PATH=$PATH; $*"
}

# dmesg_has <extended regex>: did the kernel log a matching line?
dmesg_has() {
	dmesg | grep -Eq "$1"
}

expect_dmesg() {
	dmesg_has "$1" || fail "no dmesg line matches: $1"
}

# stat <key>: a counter from kcage's debugfs stats.
stat() {
	sed -n "s/^$1=//p" /sys/kernel/debug/kcage/stats
}

# fs_workload <dev> <fstype> [mount options]: write a tree of files with
# known checksums, remount, read them back and compare, delete some, and
# unmount.  Fails the test on any difference.
fs_workload() {
	[ -d /tmp/src ] || fs_sources
	fs_run_workload "$@"
	rm -rf /tmp/src
}

# fs_sources: the files fs_workload writes, and their checksums.
fs_sources() {
	mkdir -p /tmp/src
	i=0
	for size in 1 7 64 300 1024 4096; do
		dd if=/dev/urandom of=/tmp/src/f$i bs=1k count=$size 2>/dev/null
		i=$((i + 1))
	done
	(cd /tmp/src && sha256sum f*) > /tmp/sums
}

# fs_run_workload <dev> <fstype> [mount options]: fs_workload on the files
# of an earlier fs_sources.
fs_run_workload() {
	dev=$1 fstype=$2 opts=${3:-}
	mkdir -p /mnt
	mount -t $fstype ${opts:+-o $opts} $dev /mnt || fail "mount $fstype"
	mkdir -p /mnt/a/b/c || fail "mkdir"
	for f in /tmp/src/f*; do
		cp $f /mnt/a/b/c/ || fail "cp $f"
		cp $f /mnt/ || fail "cp $f"
	done
	sync
	umount /mnt || fail "umount $fstype"
	mount -t $fstype ${opts:+-o $opts} $dev /mnt || fail "remount $fstype"
	(cd /mnt/a/b/c && sha256sum -c /tmp/sums) >/dev/null || fail "checksums in a/b/c"
	(cd /mnt && sha256sum -c /tmp/sums) >/dev/null || fail "checksums in /"
	rm /mnt/f1 /mnt/f3 /mnt/a/b/c/f5 || fail "rm"
	[ -e /mnt/f1 ] || [ -e /mnt/a/b/c/f5 ] && fail "removed files still there"
	[ "$(ls /mnt/a/b/c | wc -l)" -eq 5 ] || fail "listing after rm: $(ls /mnt/a/b/c)"
	umount /mnt || fail "final umount"
}

# workload_cleanup <teardown>: after a failed workload (bench, compat),
# what it may have left behind (quarantined modules stay loaded until
# released): release, unmount, run <teardown>, unload kcage, so that the
# next workload of the boot starts clean.
workload_cleanup() {
	k=/sys/kernel/debug/kcage
	if [ -r $k/sandboxes ]; then
		for m in $(sed -n 's/ .* quarantined=1 .*//p' $k/sandboxes); do
			echo "$m" > $k/release
		done
	fi
	umount /mnt 2> /dev/null
	($1) > /dev/null 2>&1
	rmmod kcage 2> /dev/null
}

# fs_image_tree <dir>: the files of an earlier fs_sources laid out as
# fs_run_workload leaves them before its deletions, for an image of a
# read-only file system.
fs_image_tree() {
	mkdir -p $1/a/b/c || return 1
	cp /tmp/src/f* $1/ && cp /tmp/src/f* $1/a/b/c/
}

# fs_image_verify <dev> <fstype>: mount an image of fs_image_tree read-only
# and check every file.
fs_image_verify() {
	mkdir -p /mnt
	mount -t $2 -o ro $1 /mnt || fail "mount $2"
	(cd /mnt/a/b/c && sha256sum -c /tmp/sums) >/dev/null || fail "checksums in a/b/c"
	(cd /mnt && sha256sum -c /tmp/sums) >/dev/null || fail "checksums in /"
	[ "$(ls /mnt/a/b/c | wc -l)" -eq 6 ] || fail "listing: $(ls /mnt/a/b/c)"
	umount /mnt || fail "umount $2"
}

# forms_run <file>: (examples/modules/kc_forms) the module's answers for a few seeds, with the key
# flipped and back, and after a WARN.
forms_run() {
	out=$1
	: > $out
	for s in 1 12345 4000000000; do
		echo "seed $s" > /proc/kc_forms || fail "seed $s"
		for cpu in 0 1 2 3; do
			taskset -c $cpu cat /proc/kc_forms > /tmp/cpu$cpu || fail "read on cpu $cpu"
		done
		for cpu in 1 2 3; do
			cmp -s /tmp/cpu0 /tmp/cpu$cpu || fail "cpu $cpu differs: $(diff /tmp/cpu0 /tmp/cpu$cpu)"
		done
		cat /tmp/cpu0 >> $out
	done
	echo key > /proc/kc_forms && cat /proc/kc_forms >> $out
	echo key > /proc/kc_forms && cat /proc/kc_forms >> $out
	echo warn > /proc/kc_forms && echo warn > /proc/kc_forms || fail "warn"
	cat /proc/kc_forms >> $out
}

# stress_seconds <default>: how long a "# stress: yes" test runs: the
# kcage_stress= of make stress, else the default (make check).
stress_seconds() {
	s=$(sed -n 's/.*kcage_stress=\([0-9]*\).*/\1/p' /proc/cmdline)
	echo "${s:-$1}"
}

# attack_cycle <atk_name> [may-refuse]: (tests/attacks) load it under its
# policy /tmp/<atk_name>.kcp, attack once, check that kcage counted a
# violation, release a quarantine and unload; trouble goes to
# /tmp/errors.  may-refuse: a load whose init failed, or an attack that
# failed with no violation, was refused for want of code cache (counted
# in /tmp/refused).
attack_cycle() {
	before=$(stat violations)
	if ! kcage load --policy /tmp/$1.kcp $MODDIR/$1.ko > /dev/null 2>&1; then
		if [ "${2:-}" = may-refuse ]; then
			echo >> /tmp/refused
		else
			echo "kcage load $1" >> /tmp/errors
		fi
		return
	fi
	if (echo 1 > /sys/kernel/debug/$1/run) 2> /dev/null; then ok=1; else ok=0; fi
	if [ "$(stat violations)" -le "$before" ]; then
		if [ "${2:-}" = may-refuse ] && [ $ok = 0 ]; then
			echo >> /tmp/refused
		else
			echo "$1 not caught" >> /tmp/errors
		fi
	fi
	if kcage status --json $1 | jq -e '.sandboxes[0].quarantined' > /dev/null; then
		kcage release $1 > /dev/null || echo "kcage release $1" >> /tmp/errors
	fi
	kcage unload $1 > /dev/null || echo "kcage unload $1" >> /tmp/errors
	echo >> /tmp/attacks
}

# compile_attacks <atk_name>...: their policies, to /tmp/<atk_name>.kcp.
compile_attacks() {
	for a in "$@"; do
		/sbin/policyc /kcage/src/tests/attacks/$a.yaml -o /tmp/$a.kcp ||
			fail "policyc $a"
	done
}

# lines <file>: its line count, 0 if it does not exist.
lines() {
	if [ -e "$1" ]; then wc -l < "$1"; else echo 0; fi
}

# hammer_read: the md5sum of 16 reads of kc_hammer's device
# (tests/vm/modules), or failure if any read failed: a read refused for
# want of cache room ends dd early, and the bytes before it are right but
# not the whole answer.
hammer_read() {
	f=$(mktemp) || return 1
	if dd if=/dev/kc_hammer of=$f bs=256 count=16 2>/dev/null &&
	   [ "$(wc -c < $f)" -eq 4096 ]; then
		md5sum < $f
		rm -f $f
		return 0
	fi
	rm -f $f
	return 1
}

# hotplug_cycles <error file>: until /tmp/stop, take CPUs 1-3 offline and
# online again, one line in /tmp/hotplugs per cycle.
hotplug_cycles() {
	while [ ! -e /tmp/stop ]; do
		for cpu in 1 2 3; do
			echo 0 > /sys/devices/system/cpu/cpu$cpu/online || echo "offline $cpu" >> $1
			sleep 0.3
			echo 1 > /sys/devices/system/cpu/cpu$cpu/online || echo "online $cpu" >> $1
			echo $cpu >> /tmp/hotplugs
		done
	done
}

# nmi_backtraces: until /tmp/stop, an NMI backtrace of every CPU each 5 s.
nmi_backtraces() {
	while [ ! -e /tmp/stop ]; do
		sleep 5
		echo l > /proc/sysrq-trigger
	done
}

# crypto_driver <algorithm> <module>: the module's driver of highest
# priority for it (e.g. sha256 sha256_ssse3 -> sha256-avx2), which
# algbench (tests/bench/tools) binds by name.
crypto_driver() {
	awk -v alg="$1" -v mod="$2" '
		/^name/ { n = $3 } /^driver/ { d = $3 } /^module/ { m = $3 }
		/^priority/ && n == alg && m == mod && $3 > best { best = $3; drv = d }
		END { print drv }' /proc/crypto
}
