#!/bin/sh
# Debian's wireguard between two network namespaces of the guest, joined
# by a veth pair (lib/net.sh): wg0 in each, pings and a file fetched
# through the tunnel; its md5sum must be the payload's.  Only wireguard is
# sandboxed: its crypto (libchacha20poly1305, curve25519-x86_64, ...),
# udp_tunnel and veth run native.
# kernels: stock
# smp: 2
# timeout: 900
# kmods: wireguard veth
# host-tools: ip wg
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

# wg_key <byte>: a fixed private key (32 times that byte, base64): the
# test needs no secrecy, and fixed keys keep the runs alike.
wg_key() {
	head -c 32 /dev/zero | tr '\0' "\\$1" | base64
}

# wg_end <i> <peer>: namespace ns<i> (10.10.0.<i> on the veth side) gets
# wg0 with address 10.20.0.<i>, its peer being ns<peer>.
wg_end() {
	$IP -n ns$1 link add wg0 type wireguard &&
		/sbin/ip netns exec ns$1 /sbin/wg set wg0 \
			private-key /tmp/wg$1.key listen-port 51820 \
			peer "$(cat /tmp/wg$2.pub)" allowed-ips 10.20.0.$2/32 \
			endpoint 10.10.0.$2:51820 &&
		net_ns_up ns$1 wg0 10.20.0.$1/24
}

compat_setup() {
	modprobe veth && modprobe wireguard || return 1
	$IP netns add ns1 && $IP netns add ns2 &&
		$IP -n ns1 link add eth0 type veth peer name eth0 netns ns2 &&
		net_ns_up ns1 eth0 10.10.0.1/24 && net_ns_up ns2 eth0 10.10.0.2/24 &&
		wg_end 1 2 && wg_end 2 1
}

compat_work() {
	net_ping ns1 10.20.0.2 5 && net_ping ns2 10.20.0.1 5 &&
		net_fetch ns2 ns1 10.20.0.2
}

compat_teardown() {
	$IP -n ns1 link del wg0
	$IP -n ns2 link del wg0
	$IP -n ns1 link del eth0
	net_ns_del ns1 ns2
	rmmod wireguard veth
}

net_init || fail "net_init"
net_payload 1024
for i in 1 2; do
	wg_key $i > /tmp/wg$i.key && /sbin/wg pubkey < /tmp/wg$i.key > /tmp/wg$i.pub ||
		fail "wireguard keys"
done
COMPAT_BASES="wireguard:netdev"
compat_run wireguard wireguard "ping and fetch 1 MB through wireguard between two netns over veth"
compat_exit
