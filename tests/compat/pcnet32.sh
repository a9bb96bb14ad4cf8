#!/bin/sh
# Debian's pcnet32 driving two emulated AMD PCnet NICs on one QEMU hub
# (no host network): each NIC in its own network namespace (lib/net.sh),
# pings and a file fetched from one to the other; its md5sum must be the
# payload's.  The driver reaches the NIC through port I/O, where e1000
# and 8139cp use memory-mapped registers.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: pcnet32
# host-tools: ip
# qemu: -netdev hubport,id=pn1,hubid=1 -device pcnet,netdev=pn1,mac=52:54:00:00:01:01 -netdev hubport,id=pn2,hubid=1 -device pcnet,netdev=pn2,mac=52:54:00:00:01:02
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

compat_setup() {
	modprobe pcnet32 && net_nic_pair pcnet32 10.31.0
}

compat_work() {
	net_ping ns1 10.31.0.2 5 && net_ping ns2 10.31.0.1 5 &&
		net_fetch ns2 ns1 10.31.0.2
}

# rmmod first: deleting the namespaces would hand the NICs back to the
# root namespace later, from a work queue.
compat_teardown() {
	rmmod pcnet32
	net_ns_del ns1 ns2
}

net_init || fail "net_init"
net_payload 1024
COMPAT_BASES="pcnet32:pci_netdev"
compat_run pcnet32 pcnet32 "two PCnet NICs on one QEMU hub, one per netns: ping and fetch 1 MB"
compat_exit
