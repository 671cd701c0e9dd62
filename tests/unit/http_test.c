/* HTTP/1.1 (lib/net/http.c): requests, heads as servers write them,
 * chunked bodies whole and byte by byte, and broken ones */
#include <errno.h>
#include <string.h>

#include "http.h"
#include "test.h"

static int head(const char *s, struct http_head *h, char *why)
{
	why[0] = '\0';
	return http_parse_head((const uint8_t *)s, strlen(s), h, why, 256);
}

static void test_request(void)
{
	struct url u;
	char out[512], why[256];

	url_parse("http://Boot.Example/a/b?c=d", &u, why, sizeof(why));
	CHECK_INT("get", http_request("GET", &u, out, sizeof(out)) > 0, 1);
	CHECK_STR("get", out, "GET /a/b?c=d HTTP/1.1\r\nHost: boot.example\r\n"
		"User-Agent: hop\r\nAccept: */*\r\nConnection: close\r\n\r\n");
	url_parse("https://[2001:db8::1]:8443/k", &u, why, sizeof(why));
	http_request("HEAD", &u, out, sizeof(out));
	CHECK(strncmp(out, "HEAD /k HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\n",
		44) == 0, "%s", out);
	CHECK_INT("post", http_request("POST", &u, out, sizeof(out)), 0);
	CHECK_INT("small", http_request("GET", &u, out, 20), 0);
}

static void test_heads(void)
{
	struct http_head h;
	char why[256], big[HTTP_HEAD_MAX + 16];

	CHECK_INT("end", http_head_end((const uint8_t *)"HTTP/1.1 200 OK\r\n"
		"A: b\r\n\r\nbody", 29), 25);
	CHECK_INT("end lf", http_head_end((const uint8_t *)"HTTP/1.0 200 OK\n"
		"\nx", 18), 17);
	CHECK_INT("not yet", http_head_end((const uint8_t *)"HTTP/1.1 200 OK"
		"\r\nA: b\r\n", 24), 0);
	memset(big, 'a', sizeof(big));
	CHECK_INT("endless", http_head_end((const uint8_t *)big, sizeof(big)),
		-E2BIG);

	CHECK_INT("200", head("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n"
		"Server: x\r\n\r\n", &h, why), 0);
	CHECK(h.status == 200 && h.minor == 1 && h.has_length &&
		h.length == 1234 && !h.chunked && !h.close, "200 fields");
	CHECK_STR("reason", h.reason, "OK");
	CHECK_INT("chunked", head("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
		"Chunked\r\nContent-Length: 5\r\nConnection: Close\r\n\r\n",
		&h, why), 0);
	CHECK(h.chunked && !h.has_length && h.close, "chunked wins");
	CHECK_INT("1.0", head("HTTP/1.0 200 OK\n\n", &h, why), 0);
	CHECK(h.close && h.minor == 0, "1.0 closes");
	CHECK_INT("1.0 keep", head("HTTP/1.0 200 OK\nConnection: Keep-Alive, "
		"x\n\n", &h, why), 0);
	CHECK(!h.close, "1.0 keep-alive");
	CHECK_INT("302", head("HTTP/1.1 302 Found\r\nLocation: "
		"http://b/x?y=1\r\nContent-Length: 0\r\n\r\n", &h, why), 0);
	CHECK_STR("location", h.location, "http://b/x?y=1");
	CHECK_INT("no reason", head("HTTP/1.1 404\r\n\r\n", &h, why), 0);
	CHECK_INT("404", h.status, 404);
	CHECK_INT("same length twice", head("HTTP/1.1 200 OK\r\n"
		"Content-Length: 3\r\nContent-Length: 3\r\n\r\n", &h, why), 0);
	CHECK_INT("obs-text reason", head("HTTP/1.1 200 \xc3\xa9t\xc3\xa9\r\n"
		"\r\n", &h, why), 0);
	CHECK_STR("reason escaped", h.reason, "??t??");
	{
		static const struct {
			const char *in, *why;
		} bad[] = {
			{ "HTTP/2 200 OK\r\n\r\n", "status line" },
			{ "HTTP/1.1 20 OK\r\n\r\n", "status line" },
			{ "HTTP/1.1 600 OK\r\n\r\n", "status line" },
			{ "HTTP/1.1 200OK\r\n\r\n", "status line" },
			{ "\r\n\r\n", "status line" },
			{ "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "folded" },
			{ "HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "without a name" },
			{ "HTTP/1.1 200 OK\r\n: v\r\n\r\n", "without a name" },
			{ "HTTP/1.1 200 OK\r\nA b: c\r\n\r\n", "header name" },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
				"not a size" },
			{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
				"not a size" },
			{ "HTTP/1.1 200 OK\r\nContent-Length: "
				"99999999999999999999\r\n\r\n", "not a size" },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
				"Content-Length: 4\r\n\r\n", "two Content-Length" },
			{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked"
				"\r\n\r\n", "only chunked" },
			{ "HTTP/1.1 302 OK\r\nLocation: http://a/\x1b[2J\r\n\r\n",
				"byte 0x1b" },
			{ "HTTP/1.1 302 OK\r\nLocation: http://a/\xc3\xa9\r\n\r\n",
				"in the Location" },
			{ "HTTP/1.1 200 OK\r\nA: b", "empty line" },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CHECK_INT(bad[i].in, head(bad[i].in, &h, why), -EINVAL);
			CHECK(strstr(why, bad[i].why) != NULL, "%s: why \"%s\", "
				"want \"%s\"", bad[i].in, why, bad[i].why);
		}
	}
}

/* the whole of in, fed step by step in pieces of at most step bytes:
 * the body into out, the result of the last step */
static int chunked(const char *in, size_t step, char *out, size_t *outlen,
	char *why)
{
	struct http_chunked c;
	size_t n = strlen(in), at = 0, used, doff, dlen, piece;
	int r = 0;

	http_chunked_init(&c);
	*outlen = 0;
	while (at < n) {
		piece = n - at < step ? n - at : step;
		r = http_chunked_step(&c, (const uint8_t *)in + at, piece,
			&used, &doff, &dlen, why, 256);
		if (r < 0) {
			return r;
		}
		memcpy(out + *outlen, in + at + doff, dlen);
		*outlen += dlen;
		at += used;
		if (r == 1) {
			break;
		}
		if (used == 0) {
			return -999;	/* no progress: a decoder bug */
		}
	}
	return r;
}

static void test_chunked(void)
{
	static const char body[] = "4\r\nWiki\r\n6;name=v\r\npedia \r\n"
		"E\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
	char out[256], why[256];
	size_t n, step;

	for (step = 1; step <= sizeof(body); step++) {
		CHECK_INT("chunked", chunked(body, step, out, &n, why), 1);
		CHECK(n == 24 && memcmp(out, "Wikipedia in \r\n\r\nchunks.",
			24) == 0, "step %zu: body %.*s", step, (int)n, out);
	}
	CHECK_INT("bare lf", chunked("3\nabc\n0\n\n", 100, out, &n, why), 1);
	CHECK_INT("bare lf body", n, 3);
	CHECK_INT("not ended", chunked("3\r\nabc\r\n", 100, out, &n, why), 0);
	CHECK_INT("15 digits", chunked("fffffffffffffff\r\nab", 100, out, &n,
		why), 0);
	CHECK_INT("15 digits body", n, 2);
	{
		static const struct {
			const char *in, *why;
		} bad[] = {
			{ "x\r\n", "where a chunk size starts" },
			{ "\r\n", "where a chunk size starts" },
			{ "1000000000000000\r\n", "15 hex digits" },
			{ "3x\r\n", "in a chunk size" },
			{ "3\rx", "without its LF" },
			{ "3\r\nabcd", "line end" },
			{ "0\r\n\rx", "last line" },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			why[0] = '\0';
			CHECK_INT(bad[i].in, chunked(bad[i].in, 100, out, &n,
				why), -EINVAL);
			CHECK(strstr(why, bad[i].why) != NULL, "why \"%s\", want "
				"\"%s\"", why, bad[i].why);
		}
	}
}

void test_http(void)
{
	test_request();
	test_heads();
	test_chunked();
}
