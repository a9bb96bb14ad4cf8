#!/bin/sh
# Debian's bridge (with stp and llc) and veth: namespaces ns1 (10.0.0.1)
# and ns2 (10.0.0.2), each joined by a veth pair to bridge br0 in the
# root namespace (lib/net.sh); pings and a file fetched across, whose
# md5sum must be the payload's.
# kernels: stock
# smp: 2
# timeout: 600
# kmods: veth bridge
# host-tools: ip
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

compat_setup() {
	modprobe veth && modprobe bridge || return 1
	$IP link add br0 type bridge && $IP link set br0 up || return 1
	for i in 1 2; do
		$IP netns add ns$i &&
			$IP link add veth$i type veth peer name eth0 netns ns$i &&
			$IP link set veth$i master br0 up &&
			net_ns_up ns$i eth0 10.0.0.$i/24 || return 1
	done
}

compat_work() {
	net_ping ns1 10.0.0.2 5 && net_ping ns2 10.0.0.1 5 &&
		net_fetch ns2 ns1 10.0.0.2
}

compat_teardown() {
	$IP link del veth1
	$IP link del veth2
	$IP link del br0
	net_ns_del ns1 ns2
	rmmod veth bridge stp llc
}

net_init || fail "net_init"
net_payload 1024
COMPAT_BASES="veth:netdev bridge:netdev"
compat_run bridge veth,bridge "ping and fetch 1 MB between two netns, veth pairs to a bridge"
compat_exit
