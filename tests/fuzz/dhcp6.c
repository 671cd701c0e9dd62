/* DHCPv6 Replies (lib/net/dhcp6.c), addressed to the transaction id they
 * carry, so that every input reaches the option parser; what it returns
 * is checked (abort() otherwise): the URL printable and terminated, the
 * count in bounds */
#include "dhcp6.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp6_info in;
	uint32_t xid = 0;
	char why[256];
	size_t i, n;

	if (size >= 4) {
		xid = (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	}
	if (dhcp6_parse(data, size, xid, &in, why, sizeof(why)) == 0) {
		n = strnlen(in.bootfile_url, URL_MAX + 1);
		if (n > URL_MAX || in.ndns > DHCP6_DNS_MAX) {
			abort();
		}
		for (i = 0; i < n; i++) {
			if (in.bootfile_url[i] < 0x21 ||
				in.bootfile_url[i] > 0x7e) {
				abort();
			}
		}
	}
	return 0;
}
