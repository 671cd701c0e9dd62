/* HTTP/1.1 for a client that fetches files (RFC 9110, 9112;
 * docs/network.md): the request hop sends, the response head it reads,
 * and the chunked transfer coding decoded as it arrives. Pure: bytes in,
 * a struct or byte ranges out; the connection (sockets, TLS, timeouts,
 * redirects, retries) is the network layer's. A response comes from a
 * server anyone may run: every length is bounded and every field that
 * could be logged or followed is checked. */
#ifndef HOP_HTTP_H
#define HOP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

#define HTTP_HEAD_MAX 16384	/* the status line and all headers */
#define HTTP_REASON_MAX 63

struct http_head {
	int status;		/* 100-599 */
	int minor;		/* HTTP/1.minor */
	char reason[HTTP_REASON_MAX + 1];	/* printable */
	int chunked;		/* Transfer-Encoding: chunked */
	int has_length;		/* Content-Length given (and not chunked) */
	uint64_t length;
	int close;		/* the server closes after this response */
	char location[URL_MAX + 1];	/* "" when none */
};

/* the request for u: "GET" or "HEAD", Host, a User-Agent, Connection:
 * close; its length, or 0 when it does not fit in outsz */
size_t http_request(const char *method, const struct url *u, char *out,
	size_t outsz);
/* the length of the head at the start of buf (through its empty line), 0
 * while it is incomplete; -E2BIG once HTTP_HEAD_MAX bytes hold no end */
long http_head_end(const uint8_t *buf, size_t len);
/* the head buf[0, len) (as http_head_end measured it) into h: 0, or
 * -EINVAL with why set */
int http_parse_head(const uint8_t *buf, size_t len, struct http_head *h,
	char *why, size_t whysz);

/* the chunked coding, decoded incrementally (RFC 9112 §7.1) */
struct http_chunked {
	int state;
	uint64_t left;		/* of the current chunk, or digits read */
	unsigned digits;
	size_t line;		/* bytes of the current size or trailer line */
};
void http_chunked_init(struct http_chunked *c);
/* reads from in[0, n): *used bytes consumed; when *dlen > 0, the body's
 * bytes at in + *doff (the caller keeps them, then calls again with the
 * rest). 0 to go on, 1 when the body ended (the last chunk and trailers
 * read), -EINVAL with why set on a malformed coding */
int http_chunked_step(struct http_chunked *c, const uint8_t *in, size_t n,
	size_t *used, size_t *doff, size_t *dlen, char *why, size_t whysz);

#endif
