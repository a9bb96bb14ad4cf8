# Helpers of the install tests (tests/install/vm): the guest's root holds a
# "make install DESTDIR= PREFIX=/usr" tree, kcage.ko built from its DKMS
# tree by dkms in /lib/modules/$(uname -r)/updates/dkms, kc_hello.ko in
# .../extra, and the host's kmod as /sbin/modprobe.  busybox prefers its
# own applets, so kmod's tools are called by their full paths.
. /tests/lib.sh

MODPROBE=/sbin/modprobe
KCAGE=/usr/sbin/kcage
POLICIES=/etc/kcage/policies.d
EXTRA=/lib/modules/$(uname -r)/extra

# The modules.dep kmod's modprobe reads (the boot's busybox depmod wrote
# another).
/sbin/depmod -a || fail "depmod"

# kc_hello's policy, as an administrator installs it: the example policy,
# which includes base/printk.yaml, found among the installed base policies.
install_kc_hello_policy() {
	cp /kcage/src/examples/policies/kc_hello.yaml $POLICIES/
}

# modprobe_fails <module> <message>: modprobe refuses, with this line on
# its standard error and in the kernel log, and the module is not loaded.
modprobe_fails() {
	$MODPROBE "$1" 2>/tmp/modprobe.err && fail "modprobe $1 loaded it"
	cat /tmp/modprobe.err
	grep -qF "kcage: $2" /tmp/modprobe.err || fail "modprobe $1 did not say: kcage: $2"
	dmesg | grep -qF "kcage: $2" || fail "the kernel log does not say: kcage: $2"
	grep -q "^$1 " /proc/modules && fail "$1 is loaded"
	return 0
}

# sandbox_mode <module>: its sandbox's mode ("enforce", "audit", ...).
sandbox_mode() {
	$KCAGE status --json "$1" | jq -r '.sandboxes[0].mode'
}

# modprobe_rule <module> [kcage load options]: the install line that makes
# modprobe load <module> through kcage, in the installed
# /etc/modprobe.d/kcage.conf (once).
modprobe_rule() {
	m=$1
	shift
	grep -q "^install $m " /etc/modprobe.d/kcage.conf ||
		echo "install $m $KCAGE load ${*:+$* }$m \$CMDLINE_OPTS" >> /etc/modprobe.d/kcage.conf
}
