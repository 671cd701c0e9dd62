/* DHCPv4 (lib/net/dhcp.c): what hop sends, and answers as QEMU's user
 * network, dnsmasq and ISC's server write them, then broken ones */
#include <errno.h>
#include <string.h>

#include "dhcp.h"
#include "test.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x1234abcdu

/* an answer: the BOOTP header, then the options bytes given */
static size_t reply(uint8_t *p, const void *opts, size_t n)
{
	memset(p, 0, 576);
	p[0] = 2;
	p[1] = 1;
	p[2] = 6;
	p[4] = 0x12, p[5] = 0x34, p[6] = 0xab, p[7] = 0xcd;
	p[16] = 10, p[17] = 0, p[18] = 2, p[19] = 15;	/* yiaddr */
	p[20] = 10, p[21] = 0, p[22] = 2, p[23] = 2;	/* siaddr */
	memcpy(p + 28, mac, 6);
	p[236] = 99, p[237] = 130, p[238] = 83, p[239] = 99;
	memcpy(p + 240, opts, n);
	return 240 + n;
}

static int parse(const uint8_t *p, size_t n, struct dhcp_lease *l,
	char *why)
{
	why[0] = '\0';
	return dhcp_parse(p, n, XID, mac, l, why, 256);
}

static void test_offer(void)
{
	static const uint8_t qemu[] = { 53, 1, 2, 54, 4, 10, 0, 2, 2,
		1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 6, 4, 10, 0, 2, 3,
		51, 4, 0, 1, 81, 128, 67, 10, 'p', 'x', 'e', 'l', 'i', 'n', 'u',
		'x', '.', '0', 0, 0, 255 };
	/* dnsmasq with pxelinux options, the boot file split in two
	 * instances (RFC 3396), 66 NUL-terminated as some servers send */
	static const uint8_t split[] = { 53, 1, 5, 1, 4, 255, 255, 240, 0,
		67, 4, 'b', 'o', 'o', 't', 67, 6, '/', 'x', '.', 'e', 'f', 'i',
		66, 9, 'b', 'o', 'o', 't', '.', 'l', 'a', 'n', 0,
		209, 12, 'p', 'x', 'e', '/', 'c', 'o', 'n', 'f', 'i', 'g', '.',
		'0', 210, 6, '/', 't', 'f', 't', 'p', '/', 255 };
	uint8_t p[576];
	struct dhcp_lease l;
	char why[256];
	size_t n;

	n = reply(p, qemu, sizeof(qemu));
	CHECK_INT("qemu", parse(p, n, &l, why), 0);
	CHECK_INT("type", l.type, DHCP_OFFER);
	CHECK_INT("addr", l.addr, 0x0a00020f);
	CHECK_INT("next server", l.next_server, 0x0a000202);
	CHECK_INT("server id", l.server_id, 0x0a000202);
	CHECK_INT("prefix", l.prefix, 24);
	CHECK_INT("router", l.router, 0x0a000202);
	CHECK_INT("dns", l.ndns, 1);
	CHECK_INT("dns 0", l.dns[0], 0x0a000203);
	CHECK_INT("lease", l.lease_s, 86400);
	CHECK_STR("bootfile", l.bootfile, "pxelinux.0");
	/* options past the end option are not read */
	n = reply(p, qemu, sizeof(qemu));
	p[n] = 67;
	p[n + 1] = 200;
	CHECK_INT("after end", parse(p, n + 2, &l, why), 0);

	n = reply(p, split, sizeof(split));
	CHECK_INT("split", parse(p, n, &l, why), 0);
	CHECK_INT("ack", l.type, DHCP_ACK);
	CHECK_INT("prefix 20", l.prefix, 20);
	CHECK_STR("joined", l.bootfile, "boot/x.efi");
	CHECK_STR("66", l.tftp_server, "boot.lan");
	CHECK_STR("209", l.pxe_config, "pxe/config.0");
	CHECK_STR("210", l.pxe_prefix, "/tftp/");
	CHECK_INT("no router", l.router, 0);
}

/* option 52: the file and sname fields hold options */
static void test_overload(void)
{
	static const uint8_t opts[] = { 53, 1, 2, 52, 1, 3, 255 };
	static const uint8_t in_file[] = { 67, 5, 'k', '.', 'e', 'f', 'i',
		255 };
	static const uint8_t in_sname[] = { 66, 4, 'h', 'o', 's', 't', 255 };
	uint8_t p[576];
	struct dhcp_lease l;
	char why[256];
	size_t n;

	n = reply(p, opts, sizeof(opts));
	memcpy(p + 108, in_file, sizeof(in_file));
	memcpy(p + 44, in_sname, sizeof(in_sname));
	CHECK_INT("overload", parse(p, n, &l, why), 0);
	CHECK_STR("file options", l.bootfile, "k.efi");
	CHECK_STR("sname options", l.tftp_server, "host");
	p[245] = 4;
	CHECK_INT("overload 4", parse(p, n, &l, why), -EINVAL);
	CHECK(strstr(why, "overload") != NULL, "%s", why);
	/* without it the file field is a name */
	n = reply(p, opts, 3);
	p[243] = 255;
	memcpy(p + 108, "boot/x", 7);
	CHECK_INT("file field", parse(p, n + 1, &l, why), 0);
	CHECK_STR("file name", l.bootfile, "boot/x");
	p[110] = '\n';
	CHECK_INT("file field control", parse(p, n + 1, &l, why), -EINVAL);
	CHECK(strstr(why, "file field holds byte 0x0a") != NULL, "%s", why);
}

static void test_not_ours(void)
{
	static const uint8_t offer[] = { 53, 1, 2, 255 };
	static const uint8_t disc[] = { 53, 1, 1, 255 };
	static const uint8_t bootp[] = { 1, 4, 255, 255, 255, 0, 255 };
	uint8_t p[576];
	struct dhcp_lease l;
	char why[256];
	size_t n;

	n = reply(p, offer, sizeof(offer));
	CHECK_INT("ours", parse(p, n, &l, why), 0);
	p[7] ^= 1;
	CHECK_INT("other xid", parse(p, n, &l, why), -EAGAIN);
	n = reply(p, offer, sizeof(offer));
	p[33] ^= 1;
	CHECK_INT("other mac", parse(p, n, &l, why), -EAGAIN);
	n = reply(p, offer, sizeof(offer));
	p[0] = 1;
	CHECK_INT("a request", parse(p, n, &l, why), -EAGAIN);
	n = reply(p, disc, sizeof(disc));
	CHECK_INT("a discover", parse(p, n, &l, why), -EAGAIN);
	n = reply(p, bootp, sizeof(bootp));
	CHECK_INT("BOOTP only", parse(p, n, &l, why), -EAGAIN);
	CHECK_INT("short", parse(p, 239, &l, why), -EAGAIN);
}

static void test_broken(void)
{
	static const struct {
		uint8_t opts[24];
		size_t n;
		const char *why;
	} t[] = {
		{ { 53, 1, 2, 67, 9, 'a' }, 6, "runs past the end" },
		{ { 53, 1, 2, 67 }, 4, "runs past the end" },
		{ { 53, 1, 2, 1, 3, 255, 255, 255, 255 }, 9, "not 4" },
		{ { 53, 1, 2, 1, 4, 255, 0, 255, 0, 255 }, 10, "not contiguous" },
		{ { 53, 1, 2, 54, 2, 1, 2, 255 }, 8, "option 54 is 2 bytes" },
		{ { 53, 1, 2, 3, 5, 1, 2, 3, 4, 5, 255 }, 11, "router" },
		{ { 53, 1, 2, 6, 0, 255 }, 6, "DNS" },
		{ { 53, 1, 2, 209, 3, 'a', 0x1b, 'b', 255 }, 9,
			"option 209 holds byte 0x1b" },
		{ { 53, 1, 2, 210, 2, 'a', 0xc3, 255 }, 8, "byte 0xc3" },
	};
	uint8_t p[576];
	struct dhcp_lease l;
	char why[256];
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = reply(p, t[i].opts, t[i].n);
		CHECK_INT(t[i].why, parse(p, n, &l, why), -EINVAL);
		CHECK(strstr(why, t[i].why) != NULL, "why \"%s\", want \"%s\"",
			why, t[i].why);
	}
	/* no cookie */
	n = reply(p, t[0].opts, 3);
	p[236] = 0;
	CHECK_INT("cookie", parse(p, n, &l, why), -EINVAL);
	CHECK(strstr(why, "cookie") != NULL, "%s", why);
	/* an offer without an address; a NAK needs none */
	n = reply(p, (const uint8_t[]){ 53, 1, 2, 255 }, 4);
	memset(p + 16, 0, 4);
	CHECK_INT("no address", parse(p, n, &l, why), -EINVAL);
	p[242] = DHCP_NAK;
	CHECK_INT("nak", parse(p, n, &l, why), 0);
	CHECK_INT("nak type", l.type, DHCP_NAK);
	/* one option past 255 bytes in all, over two instances */
	memset(p + 240, 'a', 300);
	p[240] = 67, p[241] = 200, p[442] = 67, p[443] = 60;
	p[504] = 53, p[505] = 1, p[506] = 2, p[507] = 255;
	CHECK_INT("too long", parse(p, 508, &l, why), -EINVAL);
	CHECK(strstr(why, "longer than 255") != NULL, "%s", why);
}

/* find option code in a packet hop built */
static const uint8_t *opt(const uint8_t *p, size_t n, uint8_t code)
{
	size_t i = 240;

	while (i + 1 < n && p[i] != 255) {
		if (p[i] == code) {
			return p + i;
		}
		i += p[i] ? 2u + p[i + 1] : 1u;
	}
	return NULL;
}

static void test_build(void)
{
	static const uint8_t uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
		12, 13, 14, 15, 16 };
	struct dhcp_req r = { DHCP_DISCOVER, XID, { 0 }, 0, 0, 11, NULL };
	uint8_t p[DHCP_PKT_MAX];
	const uint8_t *o;
	size_t n;

	memcpy(r.mac, mac, 6);
	n = dhcp_build(&r, p, sizeof(p));
	/* the options end the packet, which is BOOTP's 300 bytes at least */
	CHECK(n >= 300 && p[n - 1] == 255, "discover size %zu", n);
	CHECK_INT("op", p[0], 1);
	CHECK(memcmp(p + 28, mac, 6) == 0, "chaddr");
	CHECK_INT("broadcast", p[10], 0x80);
	o = opt(p, n, 53);
	CHECK(o && o[1] == 1 && o[2] == DHCP_DISCOVER, "option 53");
	o = opt(p, n, 93);
	CHECK(o && o[1] == 2 && o[2] == 0 && o[3] == 11, "option 93");
	o = opt(p, n, 60);
	CHECK(o && o[1] == 32 && memcmp(o + 2, "PXEClient:Arch:00011:UNDI:"
		"003000", 32) == 0, "option 60");
	CHECK(opt(p, n, 97) == NULL && opt(p, n, 50) == NULL, "no 97, 50");
	r.type = DHCP_REQUEST;
	r.requested = 0x0a00020f;
	r.server_id = 0x0a000202;
	r.uuid = uuid;
	n = dhcp_build(&r, p, sizeof(p));
	o = opt(p, n, 50);
	CHECK(o && o[1] == 4 && o[2] == 10 && o[5] == 15, "option 50");
	o = opt(p, n, 54);
	CHECK(o && o[1] == 4 && o[5] == 2, "option 54");
	o = opt(p, n, 97);
	CHECK(o && o[1] == 17 && o[2] == 0 && o[3] == 1 && o[18] == 16,
		"option 97");
	CHECK_INT("too small", dhcp_build(&r, p, 299), 0);
	CHECK_INT("options too many", dhcp_build(&r, p, 320), 0);
}

void test_dhcp(void)
{
	test_offer();
	test_overload();
	test_not_ours();
	test_broken();
	test_build();
}
