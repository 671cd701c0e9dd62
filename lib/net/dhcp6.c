/* DHCPv6 Information-Request and Reply (RFC 8415 §16.12, §21; RFC 5970
 * §3.1, §3.3). Pure. An option is a 16-bit code and length, then that
 * many bytes; each is checked to lie inside the packet, and the strings
 * that reach a log or a URL must be printable. */
#include <errno.h>
#include <string.h>

#include "dhcp6.h"
#include "net.h"

enum {
	OPT_CLIENTID = 1, OPT_ORO = 6, OPT_ELAPSED = 8, OPT_STATUS = 13,
	OPT_DNS = 23, OPT_BOOTFILE_URL = 59, OPT_BOOTFILE_PARAM = 60,
	OPT_ARCH = 61,
};

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t dhcp6_build_inforeq(uint32_t xid, const uint8_t mac[6], uint16_t arch,
	uint8_t *out, size_t outsz)
{
	static const uint16_t wanted[] = { OPT_BOOTFILE_URL,
		OPT_BOOTFILE_PARAM, OPT_DNS };
	size_t o = 0, i;

	/* 4 + client id 14 + ORO 4+6 + elapsed 6 + arch 6 */
	if (outsz < 40) {
		return 0;
	}
	out[o++] = DHCP6_INFO_REQUEST;
	out[o++] = (uint8_t)(xid >> 16);
	out[o++] = (uint8_t)(xid >> 8);
	out[o++] = (uint8_t)xid;
	/* DUID-LL (type 3): hardware type 1 (Ethernet), the MAC */
	o += put16(out + o, OPT_CLIENTID);
	o += put16(out + o, 10);
	o += put16(out + o, 3);
	o += put16(out + o, 1);
	memcpy(out + o, mac, 6);
	o += 6;
	o += put16(out + o, OPT_ORO);
	o += put16(out + o, (uint16_t)(2 * (sizeof(wanted) /
		sizeof(wanted[0]))));
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		o += put16(out + o, wanted[i]);
	}
	o += put16(out + o, OPT_ELAPSED);
	o += put16(out + o, 2);
	o += put16(out + o, 0);
	o += put16(out + o, OPT_ARCH);
	o += put16(out + o, 2);
	o += put16(out + o, arch);
	return o;
}

int dhcp6_parse(const uint8_t *pkt, size_t len, uint32_t xid,
	struct dhcp6_info *in, char *why, size_t whysz)
{
	size_t o = 4;

	memset(in, 0, sizeof(*in));
	if (len < 4 || pkt[0] != DHCP6_REPLY ||
		((uint32_t)pkt[1] << 16 | (uint32_t)pkt[2] << 8 | pkt[3]) !=
		(xid & 0xffffff)) {
		return -EAGAIN;
	}
	while (o < len) {
		uint16_t code, n;
		const uint8_t *v;
		size_t i;

		if (len - o < 4) {
			return net_fail(why, whysz, "an option header cut short "
				"at byte %zu", o);
		}
		code = get16(pkt + o);
		n = get16(pkt + o + 2);
		v = pkt + o + 4;
		if (n > len - o - 4) {
			return net_fail(why, whysz, "option %u: %u bytes, %zu "
				"left", code, n, len - o - 4);
		}
		switch (code) {
		case OPT_STATUS:
			if (n < 2) {
				return net_fail(why, whysz, "a status code of %u "
					"bytes", n);
			}
			if (get16(v)) {
				return net_fail(why, whysz, "the server says no "
					"(status %u)", get16(v));
			}
			break;
		case OPT_BOOTFILE_URL:
			if (in->bootfile_url[0]) {
				return net_fail(why, whysz, "two boot file URLs");
			}
			if (n == 0 || n > URL_MAX) {
				return net_fail(why, whysz, "a boot file URL of %u "
					"bytes", n);
			}
			for (i = 0; i < n; i++) {
				if (v[i] < 0x21 || v[i] > 0x7e) {
					return net_fail(why, whysz, "the boot file "
						"URL holds byte 0x%02x", v[i]);
				}
			}
			memcpy(in->bootfile_url, v, n);
			in->bootfile_url[n] = '\0';
			break;
		case OPT_DNS:
			if (n == 0 || n % 16) {
				return net_fail(why, whysz, "a DNS server list of "
					"%u bytes", n);
			}
			for (i = 0; i < n / 16 && in->ndns < DHCP6_DNS_MAX;
				i++) {
				memcpy(in->dns[in->ndns++], v + 16 * i, 16);
			}
			break;
		default:
			break;	/* server id, and the rest: not hop's business */
		}
		o += 4 + (size_t)n;
	}
	return 0;
}
