/* What the network's parts share: hop.net's form, the wording of a
 * refusal, hex digits. Pure. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

int net_hexval(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* a dotted IPv4 address, exactly four decimal parts of 0-255 without
 * leading zeros (which some read as octal) */
static int parse_ip(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part && (i >= n || s[i++] != '.')) {
			return -1;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255 ||
			(digits > 1 && s[i - digits] == '0')) {
			return -1;
		}
		a = a << 8 | v;
	}
	if (i != n) {
		return -1;
	}
	*out = a;
	return 0;
}

static int iface_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n >= NET_IFNAME_MAX) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.@", s[i])) {
			return 0;
		}
	}
	return 1;
}

int net_spec_parse(const char *s, struct net_spec *n, char *why,
	size_t whysz)
{
	const char *f[4];
	size_t len[4], k = 0;
	const char *p = s, *slash;
	char *end;
	long pre;

	memset(n, 0, sizeof(*n));
	if (!strcmp(s, "off")) {
		n->mode = NET_OFF;
		return 0;
	}
	while (k < 4) {
		f[k] = p;
		len[k] = strcspn(p, ":");
		p += len[k++];
		if (!*p++) {
			break;
		}
	}
	if (k == 4 && p[-1]) {
		return net_fail(why, whysz, "more than four ':'-separated fields");
	}
	if ((len[0] == 4 && !strncmp(f[0], "dhcp", 4)) ||
		(len[0] == 5 && !strncmp(f[0], "dhcp6", 5))) {
		n->mode = len[0] == 5 ? NET_DHCP6 : NET_DHCP;
		if (k > 2 || (k == 2 && !iface_ok(f[1], len[1]))) {
			return net_fail(why, whysz, "%.*s takes an interface "
				"name only (%.*s or %.*s:eth0)", (int)len[0], f[0],
				(int)len[0], f[0], (int)len[0], f[0]);
		}
		if (k == 2) {
			memcpy(n->iface, f[1], len[1]);
		}
		return 0;
	}
	n->mode = NET_STATIC;
	if (k < 2 || !iface_ok(f[0], len[0])) {
		return net_fail(why, whysz, "not dhcp[:IFACE], dhcp6[:IFACE], "
			"off or IFACE:ADDR/PREFIX[:GATEWAY[:DNS]]");
	}
	memcpy(n->iface, f[0], len[0]);
	slash = memchr(f[1], '/', len[1]);
	if (!slash || parse_ip(f[1], (size_t)(slash - f[1]), &n->addr) < 0) {
		return net_fail(why, whysz, "'%.*s' is not an IPv4 address with "
			"a prefix length (10.0.2.15/24)", (int)len[1], f[1]);
	}
	pre = strtol(slash + 1, &end, 10);
	if (end != f[1] + len[1] || !isdigit((unsigned char)slash[1]) ||
		pre < 1 || pre > 32) {
		return net_fail(why, whysz, "the prefix length of '%.*s' is not "
			"1-32", (int)len[1], f[1]);
	}
	n->prefix = (int)pre;
	if (k > 2 && len[2] && parse_ip(f[2], len[2], &n->gateway) < 0) {
		return net_fail(why, whysz, "gateway '%.*s' is not an IPv4 "
			"address", (int)len[2], f[2]);
	}
	if (k > 3 && len[3] && parse_ip(f[3], len[3], &n->dns) < 0) {
		return net_fail(why, whysz, "DNS server '%.*s' is not an IPv4 "
			"address", (int)len[3], f[3]);
	}
	return 0;
}

const char *net_ip(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		a & 255);
	return buf;
}
