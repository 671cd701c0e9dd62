/* URLs hop fetches from (issue 20, docs/network.md): http, https and tftp,
 * parsed, checked and resolved against a base (RFC 3986). Pure: strings
 * in, a struct or a string out, unit-tested and fuzzed. A URL comes from
 * the kernel command line or from a configuration fetched over the
 * network: anyone on the wire may have written it, so anything RFC 3986
 * does not allow, and a few things it does (credentials, IPv6 zones, NUL
 * in a file name), is refused with a reason. */
#ifndef HOP_URL_H
#define HOP_URL_H

#include <stddef.h>
#include <stdint.h>

/* the schemes, their names and default ports: url.c's table */
enum url_scheme { URL_HTTP, URL_HTTPS, URL_TFTP };

#define URL_MAX 4096		/* a whole URL, as written */
#define URL_HOST_MAX 255	/* RFC 1035 */
#define URL_TARGET_MAX 2048	/* path and query */

struct url {
	enum url_scheme scheme;
	/* a host name in lower case, dotted IPv4, or IPv6 (ipv6 set,
	 * without its brackets) */
	char host[URL_HOST_MAX + 1];
	int ipv6;
	uint16_t port;		/* as written, or the scheme's */
	/* the path, dot segments removed, percent escapes as written
	 * (checked), then "?query" if any: an HTTP request target or,
	 * unescaped (url_unescape), a TFTP file name. Never empty ("/") */
	char target[URL_TARGET_MAX + 1];
};

/* 1 when s starts with one of the schemes and "://" (any case) */
int url_is_url(const char *s);
/* 0, or -EINVAL with why set ("the port 70000 is not 1-65535") */
int url_parse(const char *s, struct url *u, char *why, size_t whysz);
/* u as a string, in the form url_parse reads back to the same u; the
 * port only when it is not the scheme's. -ENAMETOOLONG when it does not
 * fit */
int url_format(const struct url *u, char *out, size_t outsz);
/* ref (a URL, or a reference relative to base: "../x", "/x", "x?y",
 * "//host/x") made absolute against base, an absolute URL, as RFC 3986
 * §5.2 says; the fragment dropped. 0, or -EINVAL with why set (either is
 * not a URL hop takes, or the result is not) */
int url_resolve(const char *base, const char *ref, char *out, size_t outsz,
	char *why, size_t whysz);
/* in with its percent escapes decoded, into out (outsz > 0): a TFTP file
 * name. -EINVAL on a malformed escape or one that decodes to NUL or a
 * control character; -ENAMETOOLONG when out is too small */
int url_unescape(const char *in, char *out, size_t outsz);
/* the scheme's default port: 80, 443, 69 */
uint16_t url_default_port(enum url_scheme s);
/* the scheme's name: "http", "https", "tftp" */
const char *url_scheme_name(enum url_scheme s);

#endif
