# Helpers of the network workloads (tests/compat/net.sh, bridge.sh,
# wireguard.sh, e1000.sh, pcnet32.sh): network namespaces inside the
# guest, no host network.
#
# IP is iproute2's ip (shipped with "# host-tools: ip"): busybox's applet
# makes neither namespaces nor veth pairs, bridges or wireguard devices.
# The static busybox runs its own applet for a bare "ip", hence the path.

IP=/sbin/ip
NET_PORT=8080

# net_init: no IPv6 in the guest, in the namespaces made later too: its
# router solicitations, duplicate address detection and MLD reports would
# make packet counts differ from run to run.  /run/netns: where "ip netns"
# keeps the namespaces (the guest has no /run); a script that failed
# earlier in the boot may have left its own there.  Called once per script.
net_init() {
	mkdir -p /run/netns && net_ns_del $(ls /run/netns) &&
		echo 1 > /proc/sys/net/core/devconf_inherit_init_net &&
		echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 &&
		echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
}

# net_payload <KB>: /tmp/www/payload, random bytes made once per script,
# so that every phase sends the same file.
net_payload() {
	mkdir -p /tmp/www
	dd if=/dev/urandom of=/tmp/www/payload bs=1k count=$1 2> /dev/null
}

# net_ns_up <ns> <dev> <addr/len>: dev, already in namespace ns, up with
# that address, and the namespace's loopback.
net_ns_up() {
	$IP -n $1 addr add $3 dev $2 && $IP -n $1 link set $2 up &&
		$IP -n $1 link set lo up
}

# net_ping <ns> <addr> <count>: "ping <addr> received/sent"; fails unless
# every echo request was answered.
net_ping() {
	local got

	got=$($IP netns exec $1 ping -q -c $3 -i 0.2 -W 10 $2 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	echo "ping $2 ${got:-0}/$3"
	[ "$got" = "$3" ]
}

# net_listening <ns>: is the workload's server listening in ns yet?
net_listening() {
	$IP netns exec $1 netstat -ltn | grep -q ":$NET_PORT "
}

# net_fetch <server-ns> <client-ns> <server-addr>: the payload over TCP,
# from busybox httpd in one namespace to wget in the other (nc would do,
# but busybox's nc quits as soon as its peer half-closes, which can cut a
# transfer short).  Prints the md5sum of what arrived; fails if it is not
# the payload's.
net_fetch() {
	local srv n=0 rc sum

	rm -f /tmp/recv
	$IP netns exec $1 httpd -f -p $3:$NET_PORT -h /tmp/www &
	srv=$!
	until net_listening $1; do
		n=$((n + 1))
		[ $n -lt 100 ] || { kill $srv; echo "net_fetch: no server" >&2; return 1; }
		sleep 0.2
	done
	$IP netns exec $2 timeout 300 wget -q -O /tmp/recv http://$3:$NET_PORT/payload
	rc=$?
	kill $srv
	wait $srv 2> /dev/null
	[ $rc -eq 0 ] || { echo "net_fetch: wget failed ($rc)" >&2; return 1; }
	sum=$(md5sum < /tmp/recv | cut -d' ' -f1)
	echo "fetched $(wc -c < /tmp/recv) bytes md5 $sum"
	[ "$sum" = "$(md5sum < /tmp/www/payload | cut -d' ' -f1)" ]
}

# net_nics <driver>: the interfaces a NIC driver drives (their names
# depend on probe order).
net_nics() {
	local d

	for d in /sys/class/net/*; do
		case $(readlink $d/device/driver) in
		*/$1) basename $d ;;
		esac
	done
}

# net_carrier <ns> <dev>: wait for a NIC's link to come up (its driver
# notices it some time after "ip link set up").
net_carrier() {
	local n=0

	until $IP -n $1 link show $2 | grep -q LOWER_UP; do
		n=$((n + 1))
		[ $n -lt 150 ] || { echo "no carrier on $2 in $1" >&2; return 1; }
		sleep 0.2
	done
}

# net_nic_pair <driver> <subnet>: the driver's two NICs (on one QEMU hub),
# the first in ns1 as <subnet>.1, the second in ns2 as <subnet>.2.
net_nic_pair() {
	local dev i=1

	set -- $1 $2 $(net_nics $1)
	[ $# -eq 4 ] || { echo "$1 NICs: $3 $4" >&2; return 1; }
	for dev in $3 $4; do
		$IP netns add ns$i && $IP link set $dev netns ns$i &&
			net_ns_up ns$i $dev $2.$i/24 && net_carrier ns$i $dev ||
			return 1
		i=$((i + 1))
	done
}

# net_ns_del <ns>...: the namespaces, if they exist.
net_ns_del() {
	local ns

	for ns in "$@"; do
		$IP netns del $ns 2> /dev/null
	done
	return 0
}
