/* DHCPv4 (RFC 2131, 2132) with what network boot adds (PXE client
 * architecture and UUID, RFC 4578; pxelinux's options 209 and 210,
 * RFC 5071): the packets hop sends, and what it reads from the answers.
 * Pure: bytes in, a struct out, unit-tested and fuzzed. The answers come
 * from whoever answers first on the wire, so every length is checked and
 * every string refused when it holds a byte a log or a path must not
 * (docs/network.md). */
#ifndef HOP_DHCP_H
#define HOP_DHCP_H

#include <stddef.h>
#include <stdint.h>

/* message types, option 53 */
enum { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_ACK = 5,
	DHCP_NAK = 6 };

#define DHCP_PKT_MAX 1500	/* what hop asks for (option 57) and reads */
#define DHCP_STR_MAX 255	/* one option's worth; longer ones refused */
#define DHCP_DNS_MAX 3

/* IPv4 addresses are host-order numbers: 10.0.2.2 is 0x0a000202 */
struct dhcp_lease {
	int type;			/* DHCP_OFFER, DHCP_ACK, DHCP_NAK */
	uint32_t addr;			/* yiaddr: ours */
	uint32_t next_server;		/* siaddr */
	uint32_t server_id;		/* option 54 */
	uint32_t mask;			/* option 1, 0 when absent */
	int prefix;			/* from mask: 0-32, -1 when absent */
	uint32_t router;		/* option 3 (the first), 0: none */
	uint32_t dns[DHCP_DNS_MAX];	/* option 6 */
	size_t ndns;
	uint32_t lease_s;		/* option 51, 0: absent */
	/* option 67, else the BOOTP file field; "" when neither */
	char bootfile[DHCP_STR_MAX + 1];
	char tftp_server[DHCP_STR_MAX + 1];	/* option 66 */
	char pxe_config[DHCP_STR_MAX + 1];	/* option 209 */
	char pxe_prefix[DHCP_STR_MAX + 1];	/* option 210 */
};

/* what hop sends */
struct dhcp_req {
	int type;			/* DHCP_DISCOVER or DHCP_REQUEST */
	uint32_t xid;
	uint8_t mac[6];
	uint32_t requested;		/* option 50 (REQUEST), 0: none */
	uint32_t server_id;		/* option 54 (REQUEST), 0: none */
	uint16_t arch;			/* option 93, RFC 4578's table */
	const uint8_t *uuid;		/* 16 bytes for option 97, or NULL */
};

/* the packet for r into out; its length, or 0 when outsz is too small
 * (DHCP_PKT_MAX always suffices) */
size_t dhcp_build(const struct dhcp_req *r, uint8_t *out, size_t outsz);
/* an answer to xid for mac into l: 0, -EAGAIN when it is not an answer
 * to us (another xid or address, a request, no message type: to be
 * skipped), -EINVAL with why set when it is one but malformed */
int dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid,
	const uint8_t mac[6], struct dhcp_lease *l, char *why, size_t whysz);

#endif
