#!/bin/sh
# Debian's e1000 driving two emulated Intel NICs on one QEMU hub (no host
# network): each NIC in its own network namespace (lib/net.sh), pings and
# a file fetched from one to the other; its md5sum must be the payload's.
# The NICs' NAPI polls run in kernel threads (/sys/class/net/*/threaded):
# in a softirq, e1000_clean would run on the CPU's interrupt stack, where
# kcage allows no stores yet (it knows the task's stack only), and the
# enforced run would be refused its stack stores.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: e1000
# host-tools: ip
# qemu: -netdev hubport,id=hp1,hubid=0 -device e1000,netdev=hp1,mac=52:54:00:00:00:01 -netdev hubport,id=hp2,hubid=0 -device e1000,netdev=hp2,mac=52:54:00:00:00:02
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

# e1000_nics: the interfaces e1000 drives (names depend on probe order).
e1000_nics() {
	for d in /sys/class/net/*; do
		case $(readlink $d/device/driver) in
		*/e1000) basename $d ;;
		esac
	done
}

# e1000_carrier <ns> <dev>: wait for the link to come up (the driver's
# watchdog notices it some time after "ip link set up").
e1000_carrier() {
	local n=0

	until $IP -n $1 link show $2 | grep -q LOWER_UP; do
		n=$((n + 1))
		[ $n -lt 150 ] || { echo "e1000: no carrier on $2 in $1" >&2; return 1; }
		sleep 0.2
	done
}

compat_setup() {
	modprobe e1000 || return 1
	set -- $(e1000_nics)
	[ $# -eq 2 ] || { echo "e1000: NICs: $*" >&2; return 1; }
	i=1
	for dev in "$@"; do
		echo 1 > /sys/class/net/$dev/threaded &&
			$IP netns add ns$i && $IP link set $dev netns ns$i &&
			net_ns_up ns$i $dev 10.30.0.$i/24 && e1000_carrier ns$i $dev ||
			return 1
		i=$((i + 1))
	done
}

compat_work() {
	net_ping ns1 10.30.0.2 5 && net_ping ns2 10.30.0.1 5 &&
		net_fetch ns2 ns1 10.30.0.2
}

# rmmod first: deleting the namespaces would hand the NICs back to the
# root namespace later, from a work queue.
compat_teardown() {
	rmmod e1000
	net_ns_del ns1 ns2
}

net_init || fail "net_init"
net_payload 1024
compat_run e1000 e1000 "two e1000 NICs on one QEMU hub, one per netns: ping and fetch 1 MB"
compat_exit
