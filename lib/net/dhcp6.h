/* DHCPv6 for network boot (RFC 8415, boot file URL RFC 5970;
 * docs/network.md): the stateless Information-Request hop sends once
 * SLAAC gave the interface an address, and the Reply it reads: the boot
 * file URL (option 59) and DNS servers (option 23), as u-root's netboot
 * takes them. Pure: bytes in, a struct out, unit-tested and fuzzed. */
#ifndef HOP_DHCP6_H
#define HOP_DHCP6_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

enum { DHCP6_REPLY = 7, DHCP6_INFO_REQUEST = 11 };

#define DHCP6_PKT_MAX 1500
#define DHCP6_DNS_MAX 3

struct dhcp6_info {
	char bootfile_url[URL_MAX + 1];	/* option 59, "" when none */
	uint8_t dns[DHCP6_DNS_MAX][16];	/* option 23 */
	size_t ndns;
};

/* an Information-Request with transaction id xid (24 bits), the client's
 * DUID-LL from mac, the options wanted (59, 60, 23), the elapsed time and
 * the client architecture (61, RFC 5970); its length, or 0 when outsz is
 * too small */
size_t dhcp6_build_inforeq(uint32_t xid, const uint8_t mac[6], uint16_t arch,
	uint8_t *out, size_t outsz);
/* a Reply to xid into in: 0, -EAGAIN when it is not one (another type or
 * transaction: skipped), -EINVAL with why set when it is but malformed or
 * says no (a status code other than success) */
int dhcp6_parse(const uint8_t *pkt, size_t len, uint32_t xid,
	struct dhcp6_info *in, char *why, size_t whysz);

#endif
