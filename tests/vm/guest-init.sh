#!/bin/busybox sh
# /init of the test VM.  Runs the tests named on the kernel command line
# (kcage_tests=a,b,c) one after the other and powers off.  Test markers go
# through /dev/kmsg so they are ordered exactly with the kernel's own
# messages on the console; the host harness (run.py) splits the console log
# at these markers.
/bin/busybox --install -s /bin
export PATH=/sbin:/bin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /run && mount -t tmpfs tmpfs /run
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
ln -sf /proc/self/fd /dev/fd
[ -d /lib/modules ] && depmod -a 2>/dev/null

mark() { echo "$*" >/dev/kmsg; }

# Tests share one boot, so each starts from the module set the previous one
# found: unload what a test left loaded, newest first (lsmod's order).
loaded() { cut -d' ' -f1 /proc/modules; }
# A test that failed midway may leave a module quarantined (unremovable).
release_quarantined() {
	q=/sys/kernel/debug/kcage
	[ -r $q/sandboxes ] || return 0
	for m in $(sed -n 's/ .* quarantined=1 .*//p' $q/sandboxes); do
		echo "$m" > $q/release
	done
}
unload_new() {
	release_quarantined
	for m in $(loaded); do
		grep -qx "$m" /tmp/.mods-before || rmmod "$m" 2>/dev/null ||
			echo "guest-init: could not unload $m after $1" >/dev/kmsg
	done
}

tests=$(sed -n 's/.*kcage_tests=\([^ ]*\).*/\1/p' /proc/cmdline)
mark "KCAGE-VM-READY"
for t in $(echo "$tests" | tr , ' '); do
	to=$(cat "/tests/$t.timeout" 2>/dev/null || echo 60)
	loaded >/tmp/.mods-before
	mark "KCAGE-TEST-BEGIN $t"
	(cd /tmp && timeout "$to" sh "/tests/$t.sh" </dev/null 2>&1)
	rc=$?
	mark "KCAGE-TEST-END $t rc=$rc"
	unload_new "$t"
done
mark "KCAGE-VM-DONE"
sync
poweroff -f
