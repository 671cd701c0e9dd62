/* DHCPv4 answers (lib/net/dhcp.c), addressed to the xid and hardware
 * address they carry themselves, so that every input reaches the option
 * parser; what it returns is checked (abort() otherwise): strings
 * printable and terminated, counts in bounds */
#include "dhcp.h"
#include "fuzz.h"

static void printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max) {
		abort();
	}
	while (n--) {
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_lease l;
	uint8_t mac[6] = { 0 };
	uint32_t xid = 0;
	char why[256];

	if (size >= 34) {
		xid = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 |
			(uint32_t)data[6] << 8 | data[7];
		memcpy(mac, data + 28, 6);
	}
	if (dhcp_parse(data, size, xid, mac, &l, why, sizeof(why)) == 0) {
		printable(l.bootfile, DHCP_STR_MAX);
		printable(l.tftp_server, DHCP_STR_MAX);
		printable(l.pxe_config, DHCP_STR_MAX);
		printable(l.pxe_prefix, DHCP_STR_MAX);
		if (l.ndns > DHCP_DNS_MAX || l.prefix > 32 || l.prefix < -1) {
			abort();
		}
	}
	return 0;
}
