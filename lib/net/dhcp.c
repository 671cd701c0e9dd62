/* DHCPv4 packets: built and parsed. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "dhcp.h"

/* the BOOTP header (RFC 951, RFC 2131 §2) */
#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_FLAGS 10
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236
#define OFF_OPTIONS 240
#define SNAME_LEN 64
#define FILE_LEN 128
#define BOOTP_MIN 300	/* RFC 951's size; some relays drop less */
#define COOKIE 0x63825363u

enum { OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6,
	OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_OVERLOAD = 52, OPT_TYPE = 53,
	OPT_SERVER_ID = 54, OPT_PARAMS = 55, OPT_MAX_SIZE = 57,
	OPT_VENDOR_CLASS = 60, OPT_CLIENT_ID = 61, OPT_TFTP_SERVER = 66,
	OPT_BOOTFILE = 67, OPT_ARCH = 93, OPT_NII = 94, OPT_UUID = 97,
	OPT_PXE_CONFIG = 209, OPT_PXE_PREFIX = 210, OPT_END = 255 };

/* the options hop reads; several instances of one are concatenated
 * (RFC 3396) */
static const uint8_t wanted[] = { OPT_MASK, OPT_ROUTER, OPT_DNS,
	OPT_LEASE, OPT_OVERLOAD, OPT_TYPE, OPT_SERVER_ID, OPT_TFTP_SERVER,
	OPT_BOOTFILE, OPT_PXE_CONFIG, OPT_PXE_PREFIX };
#define NWANTED sizeof(wanted)

struct opts {
	uint8_t data[NWANTED][DHCP_STR_MAX];
	size_t len[NWANTED];
	int seen[NWANTED];
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* appends option code with n bytes of data at *o; 0, or -1 when it does
 * not fit (keeping room for OPT_END) */
static int put_opt(uint8_t *out, size_t outsz, size_t *o, uint8_t code,
	const void *data, size_t n)
{
	if (n > 255 || *o + 2 + n + 1 > outsz) {
		return -1;
	}
	out[(*o)++] = code;
	out[(*o)++] = (uint8_t)n;
	memcpy(out + *o, data, n);
	*o += n;
	return 0;
}

size_t dhcp_build(const struct dhcp_req *r, uint8_t *out, size_t outsz)
{
	static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_DNS, 12,
		15, OPT_LEASE, OPT_SERVER_ID, OPT_TFTP_SERVER, OPT_BOOTFILE,
		OPT_PXE_CONFIG, OPT_PXE_PREFIX };
	static const uint8_t nii[3] = { 1, 3, 0 };	/* UNDI 3.0 */
	uint8_t type = (uint8_t)r->type, b4[4], id[7], arch[2], uuid[17];
	uint8_t size[2] = { DHCP_PKT_MAX >> 8, DHCP_PKT_MAX & 0xff };
	char vendor[40];
	size_t o = OFF_OPTIONS;
	int bad = 0;

	if (outsz < BOOTP_MIN) {
		return 0;
	}
	memset(out, 0, BOOTP_MIN);
	out[OFF_OP] = 1;
	out[OFF_HTYPE] = 1;
	out[OFF_HLEN] = 6;
	put32(out + OFF_XID, r->xid);
	out[OFF_FLAGS] = 0x80;	/* broadcast: no address to unicast to */
	memcpy(out + OFF_CHADDR, r->mac, 6);
	put32(out + OFF_COOKIE, COOKIE);
	id[0] = 1;		/* ethernet */
	memcpy(id + 1, r->mac, 6);
	arch[0] = (uint8_t)(r->arch >> 8);
	arch[1] = (uint8_t)r->arch;
	/* the class PXE servers match on (PXE 2.1 spec, §2.2.2) */
	snprintf(vendor, sizeof(vendor), "PXEClient:Arch:%05u:UNDI:003000",
		(unsigned)r->arch);
	bad |= put_opt(out, outsz, &o, OPT_TYPE, &type, 1);
	bad |= put_opt(out, outsz, &o, OPT_CLIENT_ID, id, sizeof(id));
	bad |= put_opt(out, outsz, &o, OPT_MAX_SIZE, size, 2);
	bad |= put_opt(out, outsz, &o, OPT_PARAMS, params, sizeof(params));
	bad |= put_opt(out, outsz, &o, OPT_VENDOR_CLASS, vendor,
		strlen(vendor));
	bad |= put_opt(out, outsz, &o, OPT_ARCH, arch, 2);
	bad |= put_opt(out, outsz, &o, OPT_NII, nii, 3);
	if (r->uuid) {
		uuid[0] = 0;	/* type 0: a UUID follows (RFC 4578 §2.3) */
		memcpy(uuid + 1, r->uuid, 16);
		bad |= put_opt(out, outsz, &o, OPT_UUID, uuid, 17);
	}
	if (r->requested) {
		put32(b4, r->requested);
		bad |= put_opt(out, outsz, &o, OPT_REQUESTED, b4, 4);
	}
	if (r->server_id) {
		put32(b4, r->server_id);
		bad |= put_opt(out, outsz, &o, OPT_SERVER_ID, b4, 4);
	}
	if (bad) {
		return 0;
	}
	out[o++] = OPT_END;
	return o < BOOTP_MIN ? BOOTP_MIN : o;
}

static int slot(uint8_t code)
{
	size_t i;

	for (i = 0; i < NWANTED; i++) {
		if (wanted[i] == code) {
			return (int)i;
		}
	}
	return -1;
}

/* the options in [p, p + n) into o; where names the area for why */
static int walk(const uint8_t *p, size_t n, struct opts *o,
	const char *where, char *why, size_t whysz)
{
	size_t i = 0, len;
	int k;

	while (i < n) {
		uint8_t code = p[i];

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END) {
			return 0;
		}
		if (i + 1 >= n || i + 2 + p[i + 1] > n) {
			return net_fail(why, whysz, "option %u runs past the end "
				"of the %s", code, where);
		}
		len = p[i + 1];
		k = slot(code);
		if (k >= 0) {
			if (o->len[k] + len > DHCP_STR_MAX) {
				return net_fail(why, whysz, "option %u is longer "
					"than %d bytes", code, DHCP_STR_MAX);
			}
			memcpy(o->data[k] + o->len[k], p + i + 2, len);
			o->len[k] += len;
			o->seen[k] = 1;
		}
		i += 2 + len;
	}
	return 0;
}

/* option code's data as one address (exactly 4 bytes) into *v */
static int addr(const struct opts *o, uint8_t code, uint32_t *v, char *why,
	size_t whysz)
{
	int k = slot(code);

	if (!o->seen[k]) {
		return 0;
	}
	if (o->len[k] != 4) {
		return net_fail(why, whysz, "option %u is %zu bytes, not 4", code,
			o->len[k]);
	}
	*v = get32(o->data[k]);
	return 0;
}

/* p[0, n) as a string into out (DHCP_STR_MAX + 1): trailing NULs
 * dropped; any other byte outside printable ASCII refused */
static int text(const uint8_t *p, size_t n, char *out, const char *what,
	char *why, size_t whysz)
{
	size_t i;

	while (n && p[n - 1] == 0) {
		n--;
	}
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] >= 0x7f) {
			return net_fail(why, whysz, "%s holds byte 0x%02x", what,
				p[i]);
		}
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static int option_text(const struct opts *o, uint8_t code, char *out,
	char *why, size_t whysz)
{
	char what[16];
	int k = slot(code);

	if (!o->seen[k]) {
		return 0;
	}
	snprintf(what, sizeof(what), "option %u", code);
	return text(o->data[k], o->len[k], out, what, why, whysz);
}

int dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid,
	const uint8_t mac[6], struct dhcp_lease *l, char *why, size_t whysz)
{
	struct opts o;
	uint32_t m;
	size_t i;
	int k, err, overload = 0;

	memset(l, 0, sizeof(*l));
	l->prefix = -1;
	if (len < OFF_OPTIONS || pkt[OFF_OP] != 2 || pkt[OFF_HTYPE] != 1 ||
		pkt[OFF_HLEN] != 6 || get32(pkt + OFF_XID) != xid ||
		memcmp(pkt + OFF_CHADDR, mac, 6) != 0) {
		return -EAGAIN;
	}
	if (get32(pkt + OFF_COOKIE) != COOKIE) {
		return net_fail(why, whysz, "no DHCP magic cookie (a BOOTP-only "
			"server?)");
	}
	memset(&o, 0, sizeof(o));
	err = walk(pkt + OFF_OPTIONS, len - OFF_OPTIONS, &o, "packet", why,
		whysz);
	k = slot(OPT_OVERLOAD);
	if (err == 0 && o.seen[k]) {
		if (o.len[k] != 1 || o.data[k][0] < 1 || o.data[k][0] > 3) {
			return net_fail(why, whysz, "option 52 (overload) is not "
				"1, 2 or 3");
		}
		overload = o.data[k][0];
		/* RFC 2131 §4.1: the file field first, then sname */
		if (overload & 1) {
			err = walk(pkt + OFF_FILE, FILE_LEN, &o, "file field",
				why, whysz);
		}
		if (err == 0 && (overload & 2)) {
			err = walk(pkt + OFF_SNAME, SNAME_LEN, &o,
				"sname field", why, whysz);
		}
	}
	if (err < 0) {
		return err;
	}
	k = slot(OPT_TYPE);
	if (!o.seen[k] || o.len[k] != 1) {
		return -EAGAIN;	/* BOOTP, or not an answer */
	}
	l->type = o.data[k][0];
	if (l->type != DHCP_OFFER && l->type != DHCP_ACK &&
		l->type != DHCP_NAK) {
		return -EAGAIN;
	}
	l->addr = get32(pkt + OFF_YIADDR);
	l->next_server = get32(pkt + OFF_SIADDR);
	if ((err = addr(&o, OPT_SERVER_ID, &l->server_id, why, whysz)) < 0 ||
		(err = addr(&o, OPT_MASK, &l->mask, why, whysz)) < 0 ||
		(err = addr(&o, OPT_LEASE, &l->lease_s, why, whysz)) < 0) {
		return err;
	}
	if (o.seen[slot(OPT_MASK)]) {
		m = l->mask;
		for (l->prefix = 0; m & 0x80000000u; m <<= 1) {
			l->prefix++;
		}
		if (m) {
			return net_fail(why, whysz, "the netmask 0x%08x is not "
				"contiguous", l->mask);
		}
	}
	k = slot(OPT_ROUTER);
	if (o.seen[k]) {
		if (o.len[k] < 4 || o.len[k] % 4) {
			return net_fail(why, whysz, "option 3 (router) is %zu "
				"bytes", o.len[k]);
		}
		l->router = get32(o.data[k]);
	}
	k = slot(OPT_DNS);
	if (o.seen[k]) {
		if (o.len[k] < 4 || o.len[k] % 4) {
			return net_fail(why, whysz, "option 6 (DNS) is %zu bytes",
				o.len[k]);
		}
		for (i = 0; i < o.len[k] / 4 && i < DHCP_DNS_MAX; i++) {
			l->dns[l->ndns++] = get32(o.data[k] + 4 * i);
		}
	}
	if ((err = option_text(&o, OPT_BOOTFILE, l->bootfile, why,
		whysz)) < 0 || (err = option_text(&o, OPT_TFTP_SERVER,
		l->tftp_server, why, whysz)) < 0 || (err = option_text(&o,
		OPT_PXE_CONFIG, l->pxe_config, why, whysz)) < 0 ||
		(err = option_text(&o, OPT_PXE_PREFIX, l->pxe_prefix, why,
		whysz)) < 0) {
		return err;
	}
	/* the BOOTP file field, when it holds a name rather than options */
	if (!l->bootfile[0] && !(overload & 1)) {
		const uint8_t *f = pkt + OFF_FILE;

		err = text(f, strnlen((const char *)f, FILE_LEN), l->bootfile,
			"the file field", why, whysz);
		if (err < 0) {
			return err;
		}
	}
	if (l->type != DHCP_NAK && !l->addr) {
		return net_fail(why, whysz, "an answer with no address for us");
	}
	return 0;
}
