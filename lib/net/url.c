/* URLs: parse, check, format, resolve (RFC 3986), unescape. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "url.h"

static const struct {
	const char *name;
	uint16_t port;
} schemes[] = {
	[URL_HTTP] = { "http", 80 },
	[URL_HTTPS] = { "https", 443 },
	[URL_TFTP] = { "tftp", 69 },
};
#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* RFC 3986 unreserved: what an escape may be decoded to without
 * changing the URL's meaning (§6.2.2.2) */
static int unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr("-._~", c));
}

/* a path's characters besides escapes (pchar and "/") */
static int path_char(int c)
{
	return unreserved(c) || (c && strchr("!$&'()*+,;=:@/", c));
}

uint16_t url_default_port(enum url_scheme s)
{
	return (size_t)s < NSCHEMES ? schemes[s].port : 0;
}

const char *url_scheme_name(enum url_scheme s)
{
	return (size_t)s < NSCHEMES ? schemes[s].name : "?";
}

/* the length of "scheme://" at p, 0 when p has none of the schemes */
static size_t scheme_of(const char *p, enum url_scheme *s)
{
	size_t i, n;

	for (i = 0; i < NSCHEMES; i++) {
		n = strlen(schemes[i].name);
		if (strncasecmp(p, schemes[i].name, n) == 0 &&
			strncmp(p + n, "://", 3) == 0) {
			*s = (enum url_scheme)i;
			return n + 3;
		}
	}
	return 0;
}

int url_is_url(const char *s)
{
	enum url_scheme x;

	return s && scheme_of(s, &x) > 0;
}

/* RFC 3986 §5.2.4 for an absolute path in[0, n) (in[0] == '/'): "." and
 * ".." segments applied, into out. -ENAMETOOLONG when it does not fit */
static int remove_dots(const char *in, size_t n, char *out, size_t outsz)
{
	size_t i = 0, j, o = 0, len;

	while (i < n) {
		const char *seg = in + i + 1;

		for (j = i + 1; j < n && in[j] != '/'; j++) {
		}
		len = j - i - 1;
		if ((len == 1 && seg[0] == '.') ||
			(len == 2 && seg[0] == '.' && seg[1] == '.')) {
			if (len == 2) {
				while (o > 0 && out[--o] != '/') {
				}
			}
			if (j == n) {
				if (o + 1 >= outsz) {
					return -ENAMETOOLONG;
				}
				out[o++] = '/';
			}
		} else {
			if (o + 1 + len >= outsz) {
				return -ENAMETOOLONG;
			}
			out[o++] = '/';
			memcpy(out + o, seg, len);
			o += len;
		}
		i = j;
	}
	if (o == 0) {
		if (outsz < 2) {
			return -ENAMETOOLONG;
		}
		out[o++] = '/';
	}
	out[o] = '\0';
	return 0;
}

/* [p, e) checked as a path (or query, with "?" allowed) into out with
 * the escapes of unreserved characters decoded; the count written, or
 * -EINVAL / -ENAMETOOLONG with why set */
static int copy_part(const char *p, const char *e, int query, char *out,
	size_t outsz, const char *what, char *why, size_t whysz)
{
	size_t o = 0;
	int hi, lo;

	for (; p < e; p++) {
		char c = *p;

		if (c == '%') {
			hi = p + 1 < e ? net_hexval(p[1]) : -1;
			lo = p + 2 < e ? net_hexval(p[2]) : -1;
			if (hi < 0 || lo < 0) {
				return net_fail(why, whysz, "a %% in the %s not "
					"followed by two hex digits", what);
			}
			c = (char)(hi << 4 | lo);
			if (!unreserved((unsigned char)c)) {
				/* kept escaped, as written */
				if (o + 3 >= outsz) {
					return -ENAMETOOLONG;
				}
				memcpy(out + o, p, 3);
				o += 3;
				p += 2;
				continue;
			}
			p += 2;
		} else if (!path_char((unsigned char)c) && !(query && c == '?')) {
			return net_fail(why, whysz, "'%c' in the %s (escape it as "
				"%%%02X)", c, what, (unsigned char)c);
		}
		if (o + 1 >= outsz) {
			return -ENAMETOOLONG;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return (int)o;
}

/* the host at [p, e): a name, dotted IPv4, or "[IPv6]" */
static int parse_host(const char *p, const char *e, struct url *u,
	char *why, size_t whysz)
{
	size_t n = (size_t)(e - p), i;
	int colon = 0;

	if (n && p[0] == '[') {
		if (n < 2 || p[n - 1] != ']') {
			return net_fail(why, whysz, "an IPv6 address without its "
				"closing ]");
		}
		p++;
		n -= 2;
		for (i = 0; i < n; i++) {
			if (p[i] == '%') {
				return net_fail(why, whysz, "IPv6 zones (%%) are not "
					"taken in URLs; name the interface with "
					"hop.net");
			}
			if (net_hexval(p[i]) < 0 && p[i] != ':' && p[i] != '.') {
				return net_fail(why, whysz, "'%c' in an IPv6 address",
					p[i]);
			}
			colon |= p[i] == ':';
		}
		if (!colon) {
			return net_fail(why, whysz, "[%.*s] is not an IPv6 address",
				(int)n, p);
		}
		u->ipv6 = 1;
	} else {
		for (i = 0; i < n; i++) {
			if (!is_alpha(p[i]) && !is_digit(p[i]) && p[i] != '-' &&
				p[i] != '.') {
				return net_fail(why, whysz, "'%c' in the host name",
					p[i]);
			}
		}
	}
	if (n == 0) {
		return net_fail(why, whysz, "no host");
	}
	if (n > URL_HOST_MAX) {
		return net_fail(why, whysz, "a host name of %zu bytes, at most %d",
			n, URL_HOST_MAX);
	}
	for (i = 0; i < n; i++) {
		u->host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 :
			p[i]);
	}
	u->host[n] = '\0';
	return 0;
}

int url_parse(const char *s, struct url *u, char *why, size_t whysz)
{
	char path[URL_TARGET_MAX + 1];
	const char *auth, *ae, *he, *q, *pe, *qe;
	size_t n, i, k;
	int len, err;

	memset(u, 0, sizeof(*u));
	if (!s) {
		return net_fail(why, whysz, "no URL");
	}
	n = strnlen(s, URL_MAX + 1);
	if (n > URL_MAX) {
		return net_fail(why, whysz, "longer than %d bytes", URL_MAX);
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f) {
			return net_fail(why, whysz, "byte 0x%02x at %zu: a space, "
				"control or non-ASCII byte (escape it as %%XX)",
				(unsigned char)s[i], i);
		}
	}
	k = scheme_of(s, &u->scheme);
	if (!k) {
		return net_fail(why, whysz, "not an http://, https:// or tftp:// "
			"URL");
	}
	auth = s + k;
	ae = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(ae - auth))) {
		return net_fail(why, whysz, "credentials in a URL are not taken");
	}
	if (*auth == '[') {
		he = memchr(auth, ']', (size_t)(ae - auth));
		he = he ? he + 1 : ae;
	} else {
		he = memchr(auth, ':', (size_t)(ae - auth));
		he = he ? he : ae;
	}
	if ((err = parse_host(auth, he, u, why, whysz)) < 0) {
		return err;
	}
	u->port = schemes[u->scheme].port;
	if (he < ae) {
		unsigned long port = 0;

		if (*he != ':') {
			return net_fail(why, whysz, "'%c' after the host", *he);
		}
		for (q = he + 1; q < ae; q++) {
			if (!is_digit(*q) || q - he > 5) {
				return net_fail(why, whysz, "the port %.*s is not "
					"1-65535", (int)(ae - he - 1), he + 1);
			}
			port = port * 10 + (unsigned long)(*q - '0');
		}
		if (q > he + 1) {
			if (port < 1 || port > 65535) {
				return net_fail(why, whysz, "the port %lu is not "
					"1-65535", port);
			}
			u->port = (uint16_t)port;
		}
	}
	pe = ae + strcspn(ae, "?#");
	len = 0;
	if (pe > ae) {
		len = copy_part(ae, pe, 0, path, sizeof(path), "path", why,
			whysz);
		if (len < 0) {
			goto toolong;
		}
	}
	if (remove_dots(len ? path : "/", len ? (size_t)len : 1, u->target,
		sizeof(u->target)) < 0) {
		len = -ENAMETOOLONG;
		goto toolong;
	}
	if (*pe == '?') {
		if (u->scheme == URL_TFTP) {
			return net_fail(why, whysz, "a query (?) in a tftp:// URL");
		}
		qe = pe + strcspn(pe, "#");
		k = strlen(u->target);
		len = copy_part(pe, qe, 1, u->target + k, sizeof(u->target) - k,
			"query", why, whysz);
		if (len < 0) {
			goto toolong;
		}
	}
	return 0;
toolong:
	if (len == -ENAMETOOLONG) {
		return net_fail(why, whysz, "a path and query longer than %d bytes",
			URL_TARGET_MAX);
	}
	return len;
}

int url_format(const struct url *u, char *out, size_t outsz)
{
	char port[8] = "";
	int n;

	if (u->port != schemes[u->scheme].port) {
		snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	}
	n = snprintf(out, outsz, "%s://%s%s%s%s%s", schemes[u->scheme].name,
		u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", port,
		u->target);
	return n < 0 || (size_t)n >= outsz ? -ENAMETOOLONG : 0;
}

/* RFC 3986 scheme ":" at s: an absolute reference of another scheme */
static int has_scheme(const char *s)
{
	size_t i = 0;

	if (!is_alpha(s[0])) {
		return 0;
	}
	while (is_alpha(s[i]) || is_digit(s[i]) || (s[i] && strchr("+-.",
		s[i]))) {
		i++;
	}
	return s[i] == ':';
}

int url_resolve(const char *base, const char *ref, char *out, size_t outsz,
	char *why, size_t whysz)
{
	char joined[2 * URL_MAX + 16];
	struct url b, r;
	size_t rl, dir, plen;
	const char *query;
	int n, err;

	if (url_parse(base, &b, why, whysz) < 0) {
		return -EINVAL;
	}
	if (!ref) {
		return net_fail(why, whysz, "no reference");
	}
	rl = strnlen(ref, URL_MAX + 1);
	if (rl > URL_MAX) {
		return net_fail(why, whysz, "longer than %d bytes", URL_MAX);
	}
	rl = strcspn(ref, "#");
	query = strchr(b.target, '?');
	plen = query ? (size_t)(query - b.target) : strlen(b.target);
	/* the base's folder: its path up to its last "/" (there is one:
	 * a target starts with "/") */
	for (dir = plen; dir > 0 && b.target[dir - 1] != '/'; dir--) {
	}
	if (url_is_url(ref) || has_scheme(ref)) {
		n = snprintf(joined, sizeof(joined), "%.*s", (int)rl, ref);
	} else if (ref[0] == '/' && ref[1] == '/') {
		n = snprintf(joined, sizeof(joined), "%s:%.*s",
			schemes[b.scheme].name, (int)rl, ref);
	} else {
		char auth[URL_HOST_MAX + 16];

		snprintf(auth, sizeof(auth), "%s://%s%s%s:%u",
			schemes[b.scheme].name, b.ipv6 ? "[" : "", b.host,
			b.ipv6 ? "]" : "", (unsigned)b.port);
		if (rl == 0) {
			n = snprintf(joined, sizeof(joined), "%s%s", auth,
				b.target);
		} else if (ref[0] == '?') {
			n = snprintf(joined, sizeof(joined), "%s%.*s%.*s", auth,
				(int)plen, b.target, (int)rl, ref);
		} else if (ref[0] == '/') {
			n = snprintf(joined, sizeof(joined), "%s%.*s", auth,
				(int)rl, ref);
		} else {
			n = snprintf(joined, sizeof(joined), "%s%.*s%.*s", auth,
				(int)dir, b.target, (int)rl, ref);
		}
	}
	if (n < 0 || (size_t)n >= sizeof(joined)) {
		return net_fail(why, whysz, "longer than %d bytes", URL_MAX);
	}
	if ((err = url_parse(joined, &r, why, whysz)) < 0) {
		return err;
	}
	if (url_format(&r, out, outsz) < 0) {
		return net_fail(why, whysz, "longer than the %zu bytes given",
			outsz);
	}
	return 0;
}

int url_unescape(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	int hi, lo;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '%') {
			hi = net_hexval(in[1]);
			lo = hi < 0 ? -1 : net_hexval(in[2]);
			if (hi < 0 || lo < 0) {
				return -EINVAL;
			}
			c = (unsigned char)(hi << 4 | lo);
			in += 2;
		}
		if (c < 0x20 || c == 0x7f) {
			return -EINVAL;
		}
		if (o + 1 >= outsz) {
			return -ENAMETOOLONG;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}
