// SPDX-License-Identifier: GPL-2.0
/*
 * tunecho: the other end of a tun device, for the compatibility corpus
 * (tests/compat/net.sh).  Creates tun device NAME (IFF_TUN, no packet
 * information), answers the first COUNT ICMP echo requests written to it
 * with echo replies, and prints how many it answered.  Everything else
 * the kernel sends (IPv6 router solicitations, ...) is ignored.
 *
 * It reads non-blocking, after poll(), as QEMU and VPN daemons do: a
 * blocking read sleeps inside tun.ko (tun_ring_recv's
 * set_current_state(), a store into the task), which kcage's learned
 * policies cannot allow yet; the compat table is about what can.
 *
 *   tunecho NAME COUNT
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The Internet checksum (RFC 1071) of len bytes. */
static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/*
 * Turn an IPv4 ICMP echo request of n bytes into its reply in place;
 * false if it is not one.  Both checksums are recomputed rather than
 * patched: the packets are small and this is easier to check.
 */
static int echo_reply(uint8_t *pkt, size_t n)
{
	size_t ihl = (pkt[0] & 0xf) * 4;
	uint8_t addr[4];

	if (n < 20 || pkt[0] >> 4 != 4 || ihl < 20 || n < ihl + 8 ||
	    pkt[9] != 1 /* ICMP */ || pkt[ihl] != 8 /* echo request */)
		return 0;
	memcpy(addr, pkt + 12, 4);
	memcpy(pkt + 12, pkt + 16, 4);
	memcpy(pkt + 16, addr, 4);
	pkt[8] = 64;				/* TTL */
	put16(pkt + 10, 0);
	put16(pkt + 10, csum(pkt, ihl));
	pkt[ihl] = 0;				/* echo reply */
	put16(pkt + ihl + 2, 0);
	put16(pkt + ihl + 2, csum(pkt + ihl, n - ihl));
	return 1;
}

static int tun_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);

	if (fd < 0) {
		perror("tunecho: /dev/net/tun");
		exit(1);
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tunecho: TUNSETIFF");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	uint8_t pkt[65536];
	int fd, count, answered = 0;
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: tunecho NAME COUNT\n");
		return 2;
	}
	fd = tun_open(argv[1]);
	count = atoi(argv[2]);
	while (answered < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, -1) < 0) {
			perror("tunecho: poll");
			return 1;
		}
		n = read(fd, pkt, sizeof(pkt));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0) {
			perror("tunecho: read");
			return 1;
		}
		if (!echo_reply(pkt, n))
			continue;
		if (write(fd, pkt, n) != n) {
			perror("tunecho: write");
			return 1;
		}
		answered++;
	}
	printf("answered=%d\n", answered);
	return 0;
}
