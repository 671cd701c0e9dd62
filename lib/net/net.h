/* What the network's parts share (lib/net/): the limits every transfer
 * keeps, how hop.net is read, how a refusal is worded and how a hex digit
 * is read. */
#ifndef HOP_NET_H
#define HOP_NET_H

#include <stddef.h>
#include <stdint.h>

#include "hop.h"

/* The bounds of the network path (README, "Network boot"), one table:
 * a server, a relay or a cable cannot hold hop longer than these */
#define NET_CONNECT_MS 5000	/* a TCP connection's setup */
#define NET_IDLE_MS 10000	/* no byte from the server for this long */
#define NET_TRIES 3		/* a fetch, first try included */
#define NET_BACKOFF_MS 1000	/* before the 2nd try; doubles after */
#define NET_REDIRECTS 5		/* HTTP redirects followed for one fetch */
#define NET_TOTAL_MS 900000	/* one fetch, every try and redirect */
#define NET_PROGRESS_MS 5000	/* a progress line this often */
#define NET_TFTP_RESEND_MS 1000	/* a TFTP packet's answer awaited */
#define NET_TFTP_RESENDS 5	/* then the transfer has stalled */
#define NET_DHCP_FIRST_MS 1000	/* DHCP's first retransmission; doubles */
#define NET_DHCP_MAX_MS 8000	/* up to this */
#define NET_IFACES_MAX 16	/* interfaces tried in one boot */
#define NET_IFNAME_MAX 16	/* IFNAMSIZ */

/* hop.net: "dhcp", "dhcp:IFACE", "dhcp6", "dhcp6:IFACE",
 * "IFACE:ADDR/PREFIX[:GATEWAY[:DNS]]", or "off" (no network: a URL is an
 * error) */
struct net_spec {
	enum { NET_DHCP, NET_DHCP6, NET_STATIC, NET_OFF } mode;
	char iface[NET_IFNAME_MAX];	/* "" for DHCP on the first that works */
	uint32_t addr;			/* host order */
	int prefix;
	uint32_t gateway, dns;		/* 0: none */
};
/* s into n: 0, or -EINVAL with why set (pure) */
int net_spec_parse(const char *s, struct net_spec *n, char *why,
	size_t whysz);
/* "10.0.2.15" for a host-order address, into a buffer of 16 */
const char *net_ip(uint32_t a, char buf[16]);

/* the reason into why (when not NULL), then -EINVAL */
#define net_fail(why, whysz, ...) hop_why(why, whysz, -EINVAL, __VA_ARGS__)
/* c as a hex digit, -1 when it is not one */
int net_hexval(int c);

#endif
