/* DHCPv6 Information-Request and Reply (lib/net/dhcp6.c): the request
 * byte by byte, a Reply as libslirp and a data centre's server send it,
 * and each malformed one refused with a reason. */
#include <errno.h>
#include <string.h>

#include "dhcp6.h"
#include "test.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static size_t reply(uint8_t *p, uint32_t xid, const uint8_t *opts, size_t n)
{
	p[0] = DHCP6_REPLY;
	p[1] = (uint8_t)(xid >> 16);
	p[2] = (uint8_t)(xid >> 8);
	p[3] = (uint8_t)xid;
	memcpy(p + 4, opts, n);
	return 4 + n;
}

static void bad(const char *name, const uint8_t *opts, size_t n,
	const char *why_has)
{
	struct dhcp6_info in;
	uint8_t p[512];
	char why[160] = "";
	size_t len = reply(p, 0x123456, opts, n);

	CHECK_INT(name, dhcp6_parse(p, len, 0x123456, &in, why, sizeof(why)),
		-EINVAL);
	CHECK(strstr(why, why_has) != NULL, "%s: why \"%s\"; want \"%s\"",
		name, why, why_has);
}

void test_dhcp6(void)
{
	static const uint8_t want[] = {
		11, 0x12, 0x34, 0x56,
		0, 1, 0, 10, 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0, 6, 0, 6, 0, 59, 0, 60, 0, 23,
		0, 8, 0, 2, 0, 0,
		0, 61, 0, 2, 0, 7,
	};
	/* server id, DNS fec0::3, boot file URL, as libslirp answers */
	static const uint8_t good[] = {
		0, 2, 0, 4, 0, 3, 0, 1,
		0, 23, 0, 16, 0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 3,
		0, 59, 0, 28, 't', 'f', 't', 'p', ':', '/', '/', '[', 'f', 'e',
		'c', '0', ':', ':', '2', ']', '/', 'b', 'o', 'o', 't', '/', 'x',
		'.', 'i', 'p', 'x', 'e',
	};
	struct dhcp6_info in;
	uint8_t out[DHCP6_PKT_MAX], p[512];
	char why[160];
	size_t n;

	n = dhcp6_build_inforeq(0xab123456, mac, 7, out, sizeof(out));
	CHECK_INT("inforeq length", n, sizeof(want));
	CHECK(n == sizeof(want) && !memcmp(out, want, n),
		"the Information-Request differs");
	CHECK_INT("too small", dhcp6_build_inforeq(1, mac, 7, out, 39), 0);

	n = reply(p, 0x123456, good, sizeof(good));
	CHECK_INT("good", dhcp6_parse(p, n, 0x123456, &in, why, sizeof(why)),
		0);
	CHECK_STR("url", in.bootfile_url, "tftp://[fec0::2]/boot/x.ipxe");
	CHECK_INT("dns", in.ndns, 1);
	CHECK_INT("dns byte", in.dns[0][15], 3);
	/* not ours: another transaction, another type */
	CHECK_INT("xid", dhcp6_parse(p, n, 0x123457, &in, why, sizeof(why)),
		-EAGAIN);
	p[0] = 2;
	CHECK_INT("type", dhcp6_parse(p, n, 0x123456, &in, why, sizeof(why)),
		-EAGAIN);
	CHECK_INT("short", dhcp6_parse(p, 3, 0x123456, &in, why, sizeof(why)),
		-EAGAIN);
	/* the 24-bit xid: the high byte of ours is not sent */
	p[0] = DHCP6_REPLY;
	CHECK_INT("xid bits", dhcp6_parse(p, n, 0xff123456, &in, why,
		sizeof(why)), 0);
	{
		static const uint8_t o1[] = { 0, 59, 0, 9, 'h' };
		static const uint8_t o2[] = { 0, 59 };
		static const uint8_t o3[] = { 0, 59, 0, 3, 'a', ' ', 'b' };
		static const uint8_t o4[] = { 0, 59, 0, 1, 'a', 0, 59, 0, 1, 'b' };
		static const uint8_t o5[] = { 0, 23, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0 };
		static const uint8_t o6[] = { 0, 13, 0, 2, 0, 2 };
		static const uint8_t o7[] = { 0, 13, 0, 1, 0 };
		static const uint8_t o8[] = { 0, 59, 0, 0 };

		bad("past the end", o1, sizeof(o1), "left");
		bad("header cut", o2, sizeof(o2), "cut short");
		bad("space", o3, sizeof(o3), "0x20");
		bad("two urls", o4, sizeof(o4), "two boot file URLs");
		bad("dns 15", o5, sizeof(o5), "15 bytes");
		bad("status", o6, sizeof(o6), "status 2");
		bad("status short", o7, sizeof(o7), "status code of 1");
		bad("empty url", o8, sizeof(o8), "0 bytes");
	}
}
