/* hop.net's forms (lib/net/net.c net_spec_parse): what the owner writes
 * on the command line, each malformed form refused with a reason. */
#include <errno.h>
#include <string.h>

#include "net.h"
#include "test.h"

static void good(const char *s, int mode, const char *iface, uint32_t addr,
	int prefix, uint32_t gw, uint32_t dns)
{
	struct net_spec n;
	char why[128] = "";

	CHECK_INT(s, net_spec_parse(s, &n, why, sizeof(why)), 0);
	CHECK_INT(s, n.mode, mode);
	CHECK_STR(s, n.iface, iface);
	CHECK_INT(s, n.addr, addr);
	CHECK_INT(s, n.prefix, prefix);
	CHECK_INT(s, n.gateway, gw);
	CHECK_INT(s, n.dns, dns);
}

static void bad(const char *s, const char *why_has)
{
	struct net_spec n;
	char why[128] = "";

	CHECK_INT(s, net_spec_parse(s, &n, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, why_has) != NULL, "%s: why \"%s\"; want \"%s\"", s,
		why, why_has);
}

void test_netspec(void)
{
	char ip[16], big[300];

	good("dhcp", NET_DHCP, "", 0, 0, 0, 0);
	good("dhcp:eth1", NET_DHCP, "eth1", 0, 0, 0, 0);
	good("off", NET_OFF, "", 0, 0, 0, 0);
	good("dhcp6", NET_DHCP6, "", 0, 0, 0, 0);
	good("dhcp6:enp1s0", NET_DHCP6, "enp1s0", 0, 0, 0, 0);
	bad("dhcp6:a:b", "dhcp6 takes an interface name only");
	bad("dhcp66", "not dhcp");
	good("eth0:10.0.2.15/24", NET_STATIC, "eth0", 0x0a00020f, 24, 0, 0);
	good("eth0:10.0.2.15/24:10.0.2.2", NET_STATIC, "eth0", 0x0a00020f, 24,
		0x0a000202, 0);
	good("enp0s3:192.168.1.20/32:192.168.1.1:1.1.1.1", NET_STATIC,
		"enp0s3", 0xc0a80114, 32, 0xc0a80101, 0x01010101);
	good("eth0:10.0.0.1/8::9.9.9.9", NET_STATIC, "eth0", 0x0a000001, 8, 0,
		0x09090909);
	bad("dhcp:eth0:x", "interface name only");
	bad("dhcp:", "interface name only");
	bad("dhcp:e/th0", "interface name only");
	bad("eth0", "not dhcp");
	bad("", "not dhcp");
	bad("eth0:10.0.2.15", "prefix length");
	bad("eth0:10.0.2.256/24", "not an IPv4");
	bad("eth0:010.0.2.1/24", "not an IPv4");	/* octal to some */
	bad("eth0:10.0.2/24", "not an IPv4");
	bad("eth0:10.0.2.1.5/24", "not an IPv4");
	bad("eth0:10.0.2.1/0", "1-32");
	bad("eth0:10.0.2.1/33", "1-32");
	bad("eth0:10.0.2.1/+24", "1-32");
	bad("eth0:10.0.2.1/24x", "1-32");
	bad("eth0:10.0.2.1/", "1-32");
	bad("eth0:10.0.2.1/99999999999999999999", "1-32");
	bad("eth0:10.0.2.1/24:gw", "gateway");
	bad("eth0:10.0.2.1/24:1.2.3.4:dns", "DNS");
	bad("eth0:10.0.2.1/24:1.2.3.4:5.6.7.8:x", "four");
	bad("averyveryverylongname:10.0.2.1/24", "not dhcp");
	memset(big, ':', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bad(big, "four");
	CHECK_STR("net_ip", net_ip(0x0a00020f, ip), "10.0.2.15");
	CHECK_STR("net_ip max", net_ip(0xffffffff, ip), "255.255.255.255");
}
