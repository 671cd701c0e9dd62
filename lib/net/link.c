/* Interfaces and addresses (docs/network.md, "Interfaces"): the thin
 * syscall layer under hop.net. An interface is brought up, waited for
 * (carrier), given an address by DHCP (lib/net/dhcp.c builds and reads
 * the packets) or by hop.net, and a default route. No netlink library
 * and no busybox udhcpc: a handful of ioctls, one UDP socket, and every
 * wait bounded by the caller's deadline. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dhcp.h"
#include "hop.h"
#include "link.h"
#include "net.h"

/* RFC 4578's client architecture of this build (option 93) */
#if defined(__x86_64__)
#define DHCP_ARCH 7	/* x86-64 UEFI */
#elif defined(__aarch64__)
#define DHCP_ARCH 11	/* ARM 64-bit UEFI */
#elif defined(__arm__)
#define DHCP_ARCH 10	/* ARM 32-bit UEFI */
#else
#define DHCP_ARCH 0
#endif

int link_list(char names[][NET_IFNAME_MAX], int max)
{
	struct dirent **d;
	char path[300], type[16];
	int i, n, k = 0;

	n = scandir("/sys/class/net", &d, NULL, versionsort);
	if (n < 0) {
		return -errno;
	}
	for (i = 0; i < n; i++) {
		/* Ethernet only (ARPHRD_ETHER, 1): not lo, not a tunnel */
		snprintf(path, sizeof(path), "/sys/class/net/%s/type",
			d[i]->d_name);
		if (d[i]->d_name[0] != '.' && k < max &&
			strlen(d[i]->d_name) < NET_IFNAME_MAX &&
			file_read_small(path, type, sizeof(type)) > 0 &&
			atoi(type) == 1) {
			snprintf(names[k++], NET_IFNAME_MAX, "%.15s", d[i]->d_name);
		}
		free(d[i]);
	}
	free(d);
	return k;
}

static int ifreq_of(const char *ifname, struct ifreq *r)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(r, 0, sizeof(*r));
	snprintf(r->ifr_name, sizeof(r->ifr_name), "%s", ifname);
	return s < 0 ? -errno : s;
}

int link_up(const char *ifname)
{
	struct ifreq r;
	int s = ifreq_of(ifname, &r), err = 0;

	if (s < 0) {
		return s;
	}
	if (ioctl(s, SIOCGIFFLAGS, &r) < 0) {
		err = -errno;
	} else if (!(r.ifr_flags & IFF_UP)) {
		r.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &r) < 0) {
			err = -errno;
		}
	}
	close(s);
	return err;
}

int link_carrier(const char *ifname)
{
	char path[300], v[8];

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	/* EINVAL while the interface is down: no carrier */
	return file_read_small(path, v, sizeof(v)) > 0 && v[0] == '1';
}

int link_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq r;
	int s = ifreq_of(ifname, &r), err = 0;

	if (s < 0) {
		return s;
	}
	if (ioctl(s, SIOCGIFHWADDR, &r) < 0) {
		err = -errno;
	} else {
		memcpy(mac, r.ifr_hwaddr.sa_data, 6);
	}
	close(s);
	return err;
}

static void sin_of(struct sockaddr *sa, uint32_t a)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(a);
	memcpy(sa, &sin, sizeof(sin));
}

int link_set_ipv4(const char *ifname, uint32_t addr, int prefix,
	uint32_t gateway)
{
	uint32_t mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
	struct rtentry rt;
	struct ifreq r;
	int s = ifreq_of(ifname, &r), err = 0;

	if (s < 0) {
		return s;
	}
	sin_of(&r.ifr_addr, addr);
	if (ioctl(s, SIOCSIFADDR, &r) < 0) {
		err = -errno;
	}
	sin_of(&r.ifr_netmask, mask);
	if (!err && ioctl(s, SIOCSIFNETMASK, &r) < 0) {
		err = -errno;
	}
	if (!err && gateway) {
		memset(&rt, 0, sizeof(rt));
		sin_of(&rt.rt_dst, 0);
		sin_of(&rt.rt_genmask, 0);
		sin_of(&rt.rt_gateway, gateway);
		rt.rt_flags = RTF_UP | RTF_GATEWAY;
		rt.rt_dev = (char *)ifname;
		/* EEXIST: a default route from an earlier try stays */
		if (ioctl(s, SIOCADDRT, &rt) < 0 && errno != EEXIST) {
			err = -errno;
		}
	}
	close(s);
	return err;
}

int link_machine_uuid(uint8_t uuid[16])
{
	char t[64];
	int i, k = 0, hi = -1;

	/* SMBIOS's UUID (x86 and arm64 UEFI machines); none on a board
	 * without DMI. The text's byte order is what PXE ROMs send */
	if (file_read_small("/sys/class/dmi/id/product_uuid", t, sizeof(t)) < 36) {
		return -ENOENT;
	}
	for (i = 0; t[i] && t[i] != '\n' && k < 16; i++) {
		int v = net_hexval(t[i]);

		if (t[i] == '-') {
			continue;
		}
		if (v < 0) {
			return -EINVAL;
		}
		if (hi < 0) {
			hi = v;
		} else {
			uuid[k++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return k == 16 ? 0 : -EINVAL;
}

/* one DHCP exchange step: sends req, then reads answers until one for us
 * of a type in want arrives (0, *l set), deadline passes (-ETIMEDOUT) or
 * wait_ms passes (-EAGAIN: send again) */
static int exchange(int s, const struct dhcp_req *req, int want_ack,
	long long deadline, int wait_ms, struct dhcp_lease *l, char *why,
	size_t whysz)
{
	uint8_t pkt[DHCP_PKT_MAX];
	struct sockaddr_in to;
	long long until = mono_ms() + wait_ms;
	size_t len = dhcp_build(req, pkt, sizeof(pkt));
	char bad[160];
	ssize_t n;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(67);
	to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	if (!len || sendto(s, pkt, len, 0, (struct sockaddr *)&to,
		sizeof(to)) < 0) {
		return len ? -errno : -EINVAL;
	}
	for (;;) {
		long long now = mono_ms(), end = until < deadline ? until :
			deadline;
		struct pollfd p = { .fd = s, .events = POLLIN };
		int err;

		if (now >= end) {
			return now >= deadline ? -ETIMEDOUT : -EAGAIN;
		}
		if (poll(&p, 1, (int)(end - now)) <= 0) {
			continue;
		}
		n = recv(s, pkt, sizeof(pkt), 0);
		if (n <= 0) {
			continue;
		}
		err = dhcp_parse(pkt, (size_t)n, req->xid, req->mac, l, bad,
			sizeof(bad));
		if (err == -EINVAL) {
			/* a broken answer: said once, and another may come */
			snprintf(why, whysz, "a malformed answer: %s", bad);
			hop_debug("dhcp: ignored: %s", bad);
			continue;
		}
		if (err < 0) {
			continue;
		}
		if (l->type == DHCP_NAK && want_ack) {
			return -ECONNREFUSED;
		}
		if ((want_ack && l->type == DHCP_ACK) ||
			(!want_ack && l->type == DHCP_OFFER)) {
			return 0;
		}
	}
}

int link_dhcp(const char *ifname, const uint8_t mac[6],
	const uint8_t *uuid, long long deadline, struct dhcp_lease *lease,
	char *why, size_t whysz)
{
	struct sockaddr_in me;
	struct dhcp_req req;
	struct dhcp_lease offer;
	int s, one = 1, wait = NET_DHCP_FIRST_MS, err = -ETIMEDOUT;

	snprintf(why, whysz, "no answer");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		return -errno;
	}
	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	me.sin_port = htons(68);
	/* the interface has no address yet: the socket is tied to it, sends
	 * broadcast, and asks the server to answer broadcast (dhcp.c sets
	 * the flag), so no raw socket is needed */
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
		setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		(socklen_t)strlen(ifname) + 1) < 0 ||
		bind(s, (struct sockaddr *)&me, sizeof(me)) < 0) {
		err = -errno;
		snprintf(why, whysz, "the DHCP client socket: %s",
			errname(err));
		close(s);
		return err;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.mac, mac, 6);
	req.arch = DHCP_ARCH;
	req.uuid = uuid;
	if (getrandom(&req.xid, sizeof(req.xid), GRND_NONBLOCK) !=
		sizeof(req.xid)) {
		req.xid = (uint32_t)mono_ms() ^ (uint32_t)mac[5] << 24;
	}
	while (mono_ms() < deadline) {
		req.type = DHCP_DISCOVER;
		req.requested = req.server_id = 0;
		err = exchange(s, &req, 0, deadline, wait, &offer, why, whysz);
		if (err == 0) {
			req.type = DHCP_REQUEST;
			req.requested = offer.addr;
			req.server_id = offer.server_id;
			err = exchange(s, &req, 1, deadline, wait, lease, why,
				whysz);
		}
		if (err == 0) {
			break;
		}
		if (err == -ECONNREFUSED) {
			snprintf(why, whysz, "the server refused the offered "
				"address (NAK)");
		}
		if (err != -EAGAIN && err != -ECONNREFUSED) {
			break;
		}
		wait = wait * 2 > NET_DHCP_MAX_MS ? NET_DHCP_MAX_MS : wait * 2;
	}
	close(s);
	return err == -EAGAIN ? -ETIMEDOUT : err;
}

/* an address of ifname on which more than the link can be reached (SLAAC's
 * or DHCPv6's: not link-local, not tentative) from /proc/net/if_inet6, in
 * text; 1 found, 0 not yet */
int link_ipv6_global(const char *ifname, char *text, size_t textsz)
{
	char line[160];
	unsigned scope, flags;
	uint8_t a[16];
	FILE *f = fopen("/proc/net/if_inet6", "re");
	int found = 0, i;

	while (f && !found && fgets(line, sizeof(line), f)) {
		/* "fec0...3456 02 40 00 80     eth0": address, index, prefix,
		 * scope, flags, name; strtok, not scanf (musl's would link its
		 * float parser) */
		char *w[6], *save = NULL, *p = line;
		int n = 0;

		while (n < 6 && (w[n] = strtok_r(p, " \t\n", &save))) {
			p = NULL;
			n++;
		}
		if (n < 6 || strlen(w[0]) != 32 || strcmp(w[5], ifname)) {
			continue;
		}
		scope = (unsigned)strtoul(w[3], NULL, 16);
		flags = (unsigned)strtoul(w[4], NULL, 16);
		/* scope 0x20 is link-local; 0x40 IFA_F_TENTATIVE (DAD) */
		if (scope == 0x20 || scope == 0x10 || (flags & 0x40)) {
			continue;
		}
		for (i = 0; i < 16; i++) {
			a[i] = (uint8_t)(net_hexval(w[0][2 * i]) << 4 |
				net_hexval(w[0][2 * i + 1]));
		}
		found = inet_ntop(AF_INET6, a, text, (socklen_t)textsz) != NULL;
	}
	if (f) {
		fclose(f);
	}
	return found;
}

int link_dhcp6(const char *ifname, const uint8_t mac[6], long long deadline,
	struct dhcp6_info *info, char *why, size_t whysz)
{
	struct sockaddr_in6 me, to;
	uint8_t pkt[DHCP6_PKT_MAX];
	uint32_t xid = 0;
	size_t len;
	int s, one = 1, wait = NET_DHCP_FIRST_MS, err = -ETIMEDOUT;
	char bad[160];

	snprintf(why, whysz, "no answer to an Information-Request");
	s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		return -errno;
	}
	memset(&me, 0, sizeof(me));
	me.sin6_family = AF_INET6;
	me.sin6_port = htons(546);
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	to.sin6_port = htons(547);
	/* All_DHCP_Relay_Agents_and_Servers, on this link */
	inet_pton(AF_INET6, "ff02::1:2", &to.sin6_addr);
	to.sin6_scope_id = if_nametoindex(ifname);
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		(socklen_t)strlen(ifname) + 1) < 0 ||
		bind(s, (struct sockaddr *)&me, sizeof(me)) < 0) {
		err = -errno;
		snprintf(why, whysz, "the DHCPv6 client socket: %s",
			errname(err));
		close(s);
		return err;
	}
	if (getrandom(&xid, sizeof(xid), GRND_NONBLOCK) != sizeof(xid)) {
		xid = (uint32_t)mono_ms();
	}
	len = dhcp6_build_inforeq(xid, mac, DHCP_ARCH, pkt, sizeof(pkt));
	while (mono_ms() < deadline) {
		long long until = mono_ms() + wait;

		if (sendto(s, pkt, len, 0, (struct sockaddr *)&to,
			sizeof(to)) < 0) {
			err = -errno;
			snprintf(why, whysz, "sending: %s", errname(err));
			break;
		}
		while (err == -ETIMEDOUT && mono_ms() < until &&
			mono_ms() < deadline) {
			long long end = until < deadline ? until : deadline;
			struct pollfd p = { .fd = s, .events = POLLIN };
			uint8_t in[DHCP6_PKT_MAX];
			ssize_t n;
			int r;

			if (poll(&p, 1, (int)(end - mono_ms())) <= 0) {
				continue;
			}
			n = recv(s, in, sizeof(in), 0);
			if (n <= 0) {
				continue;
			}
			r = dhcp6_parse(in, (size_t)n, xid, info, bad,
				sizeof(bad));
			if (r == 0) {
				err = 0;
			} else if (r == -EINVAL) {
				snprintf(why, whysz, "a malformed answer: %s",
					bad);
				hop_debug("dhcp6: ignored: %s", bad);
			}
		}
		if (err != -ETIMEDOUT) {
			break;
		}
		wait = wait * 2 > NET_DHCP_MAX_MS ? NET_DHCP_MAX_MS : wait * 2;
	}
	close(s);
	return err;
}
