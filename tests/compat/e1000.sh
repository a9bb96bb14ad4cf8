#!/bin/sh
# Debian's e1000 driving two emulated Intel NICs on one QEMU hub (no host
# network): each NIC in its own network namespace (lib/net.sh), pings and
# a file fetched from one to the other; its md5sum must be the payload's.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: e1000
# host-tools: ip
# qemu: -netdev hubport,id=hp1,hubid=0 -device e1000,netdev=hp1,mac=52:54:00:00:00:01 -netdev hubport,id=hp2,hubid=0 -device e1000,netdev=hp2,mac=52:54:00:00:00:02
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

compat_setup() {
	modprobe e1000 && net_nic_pair e1000 10.30.0
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
COMPAT_BASES="e1000:pci_netdev"
compat_run e1000 e1000 "two e1000 NICs on one QEMU hub, one per netns: ping and fetch 1 MB"
compat_exit
