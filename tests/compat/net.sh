#!/bin/sh
# Debian's virtual network drivers, inside the guest (lib/net.sh): a veth
# pair between two network namespaces, a dummy device, and a tun device
# answered by tunecho (tests/bench/tools).  The packet counts and the
# md5sum of a file fetched across must be the native run's, and each
# workload checks them itself.
# kernels: stock
# smp: 2
# timeout: 1200
# kmods: veth dummy tun
# host-tools: ip
. /tests/lib.sh
. /tests/lib/compat.sh
. /tests/lib/net.sh

# veth: namespaces ns1 (10.0.0.1) and ns2 (10.0.0.2) joined by a veth
# pair.
veth_setup() {
	modprobe veth && $IP netns add ns1 && $IP netns add ns2 &&
		$IP -n ns1 link add eth0 type veth peer name eth0 netns ns2 &&
		net_ns_up ns1 eth0 10.0.0.1/24 && net_ns_up ns2 eth0 10.0.0.2/24
}

veth_work() {
	net_ping ns1 10.0.0.2 5 && net_ping ns2 10.0.0.1 5 &&
		net_fetch ns2 ns1 10.0.0.2
}

veth_teardown() {
	$IP -n ns1 link del eth0
	net_ns_del ns1 ns2
	rmmod veth
}

# dummy: pings to an address routed to dummy0, which drops them; its
# transmit counter must count each.
dummy_setup() {
	modprobe dummy numdummies=0 && $IP link add dummy0 type dummy &&
		$IP addr add 10.9.0.1/24 dev dummy0 && $IP link set dummy0 up
}

dummy_work() {
	# no one answers: ping fails, the counter tells
	ping -q -c 5 -i 0.2 -W 1 10.9.0.2 > /dev/null
	n=$(cat /sys/class/net/dummy0/statistics/tx_packets)
	echo "dummy0 tx_packets $n"
	[ "$n" -eq 5 ]
}

dummy_teardown() {
	$IP link del dummy0
	rmmod dummy
}

# tun: tunecho owns tun0 and answers the pings the kernel routes to it.
tun_setup() {
	modprobe tun
}

tun_work() {
	# timeout: tunecho waits for as many pings as it was told
	timeout 120 tunecho tun0 5 > /tmp/tunecho.out &
	pid=$!
	i=0
	until [ -e /sys/class/net/tun0 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { kill $pid; return 1; }
		sleep 0.1
	done
	$IP addr add 10.8.0.1/24 dev tun0 && $IP link set tun0 up || return 1
	got=$(ping -q -c 5 -i 0.2 -W 10 10.8.0.2 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	echo "ping 10.8.0.2 ${got:-0}/5"
	wait $pid && cat /tmp/tunecho.out && [ "$got" = 5 ]
}

tun_teardown() {
	rmmod tun
}

# compat_net NAME MODULES DESCRIPTION: compat_run with NAME's functions.
compat_net() {
	eval "compat_setup() { ${1}_setup; }"
	eval "compat_work() { ${1}_work; }"
	eval "compat_teardown() { ${1}_teardown; }"
	compat_run "$@"
}

net_init || fail "net_init"
net_payload 1024
COMPAT_BASES="veth:netdev dummy:netdev tun:netdev"
compat_net veth veth "ping and fetch 1 MB between two netns over a veth pair"
compat_net dummy dummy "5 pings routed to a dummy device, its tx counter"
compat_net tun tun "5 pings answered by a user-space program on a tun device"
compat_exit
