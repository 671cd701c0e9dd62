/* Interfaces and addresses (lib/net/link.c): the syscalls under hop.net. */
#ifndef HOP_LINK_H
#define HOP_LINK_H

#include <stdint.h>

#include "dhcp.h"
#include "dhcp6.h"
#include "net.h"

/* the Ethernet interfaces in name order (eth0 before eth1 before eth10);
 * their count, or -errno */
int link_list(char names[][NET_IFNAME_MAX], int max);
int link_up(const char *ifname);
/* 1 when the interface has carrier */
int link_carrier(const char *ifname);
int link_mac(const char *ifname, uint8_t mac[6]);
/* the address, its prefix and (gateway not 0) a default route */
int link_set_ipv4(const char *ifname, uint32_t addr, int prefix,
	uint32_t gateway);
/* SMBIOS's machine UUID, for DHCP option 97 and pxelinux: 0 or -errno */
int link_machine_uuid(uint8_t uuid[16]);
/* DHCPv4 on ifname (up, with carrier) until deadline (mono_ms):
 * DISCOVER, OFFER, REQUEST, ACK, retransmitting with backoff; 0 with
 * *lease the ACK, else -errno with why set */
int link_dhcp(const char *ifname, const uint8_t mac[6],
	const uint8_t *uuid, long long deadline, struct dhcp_lease *lease,
	char *why, size_t whysz);

/* a routable (not link-local, not tentative) IPv6 address of ifname as
 * text: 1, else 0 (SLAAC has not given one yet) */
int link_ipv6_global(const char *ifname, char *text, size_t textsz);
/* DHCPv6 Information-Request on ifname until deadline, retransmitted with
 * backoff: 0 with *info the Reply's, else -errno with why set */
int link_dhcp6(const char *ifname, const uint8_t mac[6], long long deadline,
	struct dhcp6_info *info, char *why, size_t whysz);

#endif
