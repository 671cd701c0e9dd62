/* URLs (lib/net/url.c): RFC 3986's own examples of resolution, and what
 * hop refuses */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "url.h"

static void check_resolve(const char *base, const char *ref,
	const char *want)
{
	char out[URL_MAX + 1], why[256] = "";
	int err;

	err = url_resolve(base, ref, out, sizeof(out), why, sizeof(why));
	if (!want) {
		CHECK(err == -EINVAL && why[0], "resolve(%s, %s): want a "
			"refusal, got %d %s", base, ref, err, err ? why : out);
		return;
	}
	CHECK(err == 0, "resolve(%s, %s): %s", base, ref, why);
	if (err == 0) {
		CHECK_STR(ref, out, want);
	}
}

/* RFC 3986 §5.4.1 and §5.4.2, base "http://a/b/c/d;p?q"; an empty path
 * is written "/" by hop, and other schemes are refused */
static void test_rfc3986(void)
{
	static const char *const t[][2] = {
		{ "g:h", NULL },
		{ "g", "http://a/b/c/g" },
		{ "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" },
		{ "/g", "http://a/g" },
		{ "//g", "http://g/" },
		{ "?y", "http://a/b/c/d;p?y" },
		{ "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q" },
		{ "g#s", "http://a/b/c/g" },
		{ "g?y#s", "http://a/b/c/g?y" },
		{ ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" },
		{ "g;x?y#s", "http://a/b/c/g;x?y" },
		{ "", "http://a/b/c/d;p?q" },
		{ ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" },
		{ "..", "http://a/b/" },
		{ "../", "http://a/b/" },
		{ "../g", "http://a/b/g" },
		{ "../..", "http://a/" },
		{ "../../", "http://a/" },
		{ "../../g", "http://a/g" },
		{ "../../../g", "http://a/g" },
		{ "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" },
		{ "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." },
		{ ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." },
		{ "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" },
		{ "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" },
		{ "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g" },
		{ "g#s/../x", "http://a/b/c/g" },
		{ "http:g", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		check_resolve("http://a/b/c/d;p?q", t[i][0], t[i][1]);
	}
}

/* what pxelinux and petitboot configurations write */
static void test_configs(void)
{
	check_resolve("tftp://10.0.2.2/pxelinux.cfg/01-52-54-00-12-34-56",
		"../vmlinuz", "tftp://10.0.2.2/vmlinuz");
	check_resolve("http://boot.example:8080/debian/grub.cfg",
		"linux/initrd.gz", "http://boot.example:8080/debian/linux/"
		"initrd.gz");
	check_resolve("http://h/a/b?x=/y/z", "c", "http://h/a/c");
	check_resolve("http://h/a/", "https://OTHER.example/k",
		"https://other.example/k");
	check_resolve("http://[fe80::1]:81/a/b", "c", "http://[fe80::1]:81/a/c");
	check_resolve("tftp://h/a/b", "c?d", NULL);
	check_resolve("http://h/a", "file:///etc/passwd", NULL);
	check_resolve("http://h/a", "c d", NULL);
	check_resolve("ftp://h/a", "c", NULL);
}

static void test_parse(void)
{
	static const struct {
		const char *in, *host, *target;
		int port, ipv6;
	} ok[] = {
		{ "http://Boot.Example/", "boot.example", "/", 80, 0 },
		{ "HTTPS://h", "h", "/", 443, 0 },
		{ "tftp://10.0.2.2/pxelinux.0", "10.0.2.2", "/pxelinux.0", 69, 0 },
		{ "http://h:8080", "h", "/", 8080, 0 },
		{ "http://h:/x", "h", "/x", 80, 0 },
		{ "http://[2001:db8::1]:8443/k", "2001:db8::1", "/k", 8443, 1 },
		{ "http://h/a/../../b/./c/", "h", "/b/c/", 80, 0 },
		{ "http://h/%7e%41/%2e%2E/x", "h", "/x", 80, 0 },
		{ "http://h/a%2Fb?q=%20#frag", "h", "/a%2Fb?q=%20", 80, 0 },
		{ "http://h/a?b?c/d", "h", "/a?b?c/d", 80, 0 },
	};
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "http://user:pw@h/", "credentials" },
		{ "http://h:0/", "not 1-65535" },
		{ "http://h:65536/", "not 1-65535" },
		{ "http://h:123456/", "not 1-65535" },
		{ "http://h:8x/", "not 1-65535" },
		{ "http:///x", "no host" },
		{ "http://[fe80::1%eth0]/", "zones" },
		{ "http://[fe80::1/", "closing ]" },
		{ "http://[1.2.3.4]/", "not an IPv6" },
		{ "http://h_1/", "host name" },
		{ "http://h/a b", "byte 0x20" },
		{ "http://h/\xc3\xa9", "non-ASCII" },
		{ "http://h/%4", "two hex digits" },
		{ "http://h/%zz", "two hex digits" },
		{ "http://h/a\\b", "escape it" },
		{ "http://h/a<b", "escape it" },
		{ "tftp://h/a?b", "query" },
		{ "gopher://h/", "not an http" },
		{ "h/x", "not an http" },
		{ "http:/h/x", "not an http" },
	};
	char why[256], out[URL_MAX + 1], big[URL_MAX + 64];
	struct url u, v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		why[0] = '\0';
		if (url_parse(ok[i].in, &u, why, sizeof(why)) < 0) {
			CHECK(0, "%s: %s", ok[i].in, why);
			continue;
		}
		CHECK_STR(ok[i].in, u.host, ok[i].host);
		CHECK_STR(ok[i].in, u.target, ok[i].target);
		CHECK_INT(ok[i].in, u.port, ok[i].port);
		CHECK_INT(ok[i].in, u.ipv6, ok[i].ipv6);
		/* formatted, it reads back the same */
		CHECK_INT("format", url_format(&u, out, sizeof(out)), 0);
		CHECK_INT(out, url_parse(out, &v, why, sizeof(why)), 0);
		CHECK(u.scheme == v.scheme && u.port == v.port &&
			u.ipv6 == v.ipv6 && !strcmp(u.host, v.host) &&
			!strcmp(u.target, v.target), "%s: %s reads back "
			"otherwise", ok[i].in, out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		CHECK_INT(bad[i].in, url_parse(bad[i].in, &u, why,
			sizeof(why)), -EINVAL);
		CHECK(strstr(why, bad[i].why) != NULL, "%s: why \"%s\", want "
			"\"%s\"", bad[i].in, why, bad[i].why);
	}
	/* the limits */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "http://h/", 9);
	CHECK_INT("huge", url_parse(big, &u, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "longer than") != NULL, "huge: %s", why);
	big[9 + URL_TARGET_MAX + 1] = '\0';
	CHECK_INT("long target", url_parse(big, &u, why, sizeof(why)),
		-EINVAL);
	CHECK(strstr(why, "path and query longer") != NULL, "long: %s", why);
	big[9 + URL_TARGET_MAX - 1] = '\0';
	CHECK_INT("longest target", url_parse(big, &u, why, sizeof(why)), 0);
	CHECK_INT("format too small", url_format(&u, out, 16), -ENAMETOOLONG);
	memset(big + 7, 'b', URL_HOST_MAX + 1);
	big[7 + URL_HOST_MAX + 1] = '\0';
	CHECK_INT("long host", url_parse(big, &u, why, sizeof(why)), -EINVAL);
	CHECK(url_is_url("TFTP://x") && !url_is_url("tftp:/x") &&
		!url_is_url(NULL) && !url_is_url("/boot/vmlinuz"), "url_is_url");
	CHECK_STR("scheme", url_scheme_name(URL_HTTPS), "https");
}

static void test_unescape(void)
{
	char out[16];

	CHECK_INT("plain", url_unescape("/a/b%20c", out, sizeof(out)), 0);
	CHECK_STR("plain", out, "/a/b c");
	CHECK_INT("NUL", url_unescape("/a%00b", out, sizeof(out)), -EINVAL);
	CHECK_INT("newline", url_unescape("/a%0ab", out, sizeof(out)),
		-EINVAL);
	CHECK_INT("short", url_unescape("/a%4", out, sizeof(out)), -EINVAL);
	CHECK_INT("end", url_unescape("/a%", out, sizeof(out)), -EINVAL);
	CHECK_INT("fits", url_unescape("0123456789abcde", out, sizeof(out)),
		0);
	CHECK_INT("too long", url_unescape("0123456789abcdef", out,
		sizeof(out)), -ENAMETOOLONG);
}

void test_url(void)
{
	test_rfc3986();
	test_configs();
	test_parse();
	test_unescape();
}
