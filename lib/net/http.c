/* HTTP/1.1 requests, response heads, chunked bodies. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "http.h"

#define LINE_MAX_CHUNKED 4096	/* a chunk-size line with extensions, or
				 * a trailer line */

size_t http_request(const char *method, const struct url *u, char *out,
	size_t outsz)
{
	char port[8] = "";
	int n;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		return 0;
	}
	if (u->port != url_default_port(u->scheme)) {
		snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	}
	n = snprintf(out, outsz, "%s %s HTTP/1.1\r\nHost: %s%s%s%s\r\n"
		"User-Agent: hop\r\nAccept: */*\r\nConnection: close\r\n\r\n",
		method, u->target, u->ipv6 ? "[" : "", u->host,
		u->ipv6 ? "]" : "", port);
	return n < 0 || (size_t)n >= outsz ? 0 : (size_t)n;
}

long http_head_end(const uint8_t *buf, size_t len)
{
	size_t i, n = len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			continue;
		}
		if (i + 1 < n && buf[i + 1] == '\n') {
			return (long)(i + 2);
		}
		if (i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
			return (long)(i + 3);
		}
	}
	return len >= HTTP_HEAD_MAX ? -E2BIG : 0;
}

static int token_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* value v[0, n) has the token t (comma-separated list, any case) */
static int has_token(const char *v, size_t n, const char *t)
{
	size_t i = 0, tl = strlen(t), j;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) {
			i++;
		}
		for (j = i; j < n && v[j] != ','; j++) {
		}
		while (j > i && (v[j - 1] == ' ' || v[j - 1] == '\t')) {
			j--;
		}
		if (j - i == tl && strncasecmp(v + i, t, tl) == 0) {
			return 1;
		}
		while (i < n && v[i] != ',') {
			i++;
		}
	}
	return 0;
}

static int header(struct http_head *h, const char *name, size_t nl,
	const char *v, size_t n, int *keep_alive, char *why, size_t whysz)
{
	uint64_t len = 0;
	size_t i;

	if (nl == 14 && strncasecmp(name, "content-length", nl) == 0) {
		if (n == 0 || n > 19) {
			return net_fail(why, whysz, "Content-Length: %.*s is not a "
				"size", (int)(n > 32 ? 32 : n), v);
		}
		for (i = 0; i < n; i++) {
			if (v[i] < '0' || v[i] > '9') {
				return net_fail(why, whysz, "Content-Length: %.*s is "
					"not a size", (int)(n > 32 ? 32 : n), v);
			}
			len = len * 10 + (uint64_t)(v[i] - '0');
		}
		if (h->has_length && h->length != len) {
			return net_fail(why, whysz, "two Content-Length values");
		}
		h->has_length = 1;
		h->length = len;
	} else if (nl == 17 && strncasecmp(name, "transfer-encoding", nl) ==
		0) {
		if (n != 7 || strncasecmp(v, "chunked", 7) != 0) {
			return net_fail(why, whysz, "Transfer-Encoding: %.*s: only "
				"chunked is taken", (int)(n > 32 ? 32 : n), v);
		}
		h->chunked = 1;
	} else if (nl == 10 && strncasecmp(name, "connection", nl) == 0) {
		if (has_token(v, n, "close")) {
			h->close = 1;
		}
		if (has_token(v, n, "keep-alive")) {
			*keep_alive = 1;
		}
	} else if (nl == 8 && strncasecmp(name, "location", nl) == 0) {
		if (n > URL_MAX) {
			return net_fail(why, whysz, "a Location of %zu bytes", n);
		}
		for (i = 0; i < n; i++) {
			if ((unsigned char)v[i] <= 0x20 ||
				(unsigned char)v[i] >= 0x7f) {
				return net_fail(why, whysz, "byte 0x%02x in the "
					"Location", (unsigned char)v[i]);
			}
		}
		memcpy(h->location, v, n);
		h->location[n] = '\0';
	}
	return 0;
}

int http_parse_head(const uint8_t *buf, size_t len, struct http_head *h,
	char *why, size_t whysz)
{
	const char *s = (const char *)buf, *end = s + len, *line, *le;
	int keep_alive = 0, first = 1, err;
	size_t i;

	memset(h, 0, sizeof(*h));
	if (len > HTTP_HEAD_MAX) {
		return net_fail(why, whysz, "a head longer than %d bytes",
			HTTP_HEAD_MAX);
	}
	for (i = 0; i < len; i++) {
		if ((buf[i] < 0x20 && buf[i] != '\r' && buf[i] != '\n' &&
			buf[i] != '\t') || buf[i] == 0x7f) {
			return net_fail(why, whysz, "byte 0x%02x in the head", buf[i]);
		}
	}
	for (line = s; line < end; line = le + 1) {
		const char *colon, *v, *ve;
		size_t n;

		le = memchr(line, '\n', (size_t)(end - line));
		if (!le) {
			return net_fail(why, whysz, "the head does not end with an "
				"empty line");
		}
		n = (size_t)(le - line);
		if (n && line[n - 1] == '\r') {
			n--;
		}
		if (first) {
			first = 0;
			if (n < 12 || strncmp(line, "HTTP/1.", 7) != 0 ||
				line[7] < '0' || line[7] > '9' || line[8] != ' ' ||
				line[9] < '1' || line[9] > '5' || line[10] < '0' ||
				line[10] > '9' || line[11] < '0' || line[11] > '9' ||
				(n > 12 && line[12] != ' ')) {
				return net_fail(why, whysz, "not an HTTP/1 status "
					"line: %.*s", (int)(n > 40 ? 40 : n), line);
			}
			h->minor = line[7] - '0';
			h->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 +
				(line[11] - '0');
			for (i = 13; i < n && i - 13 < HTTP_REASON_MAX; i++) {
				h->reason[i - 13] = (unsigned char)line[i] < 0x7f ?
					line[i] : '?';
			}
			continue;
		}
		if (n == 0) {
			break;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			return net_fail(why, whysz, "a folded header line");
		}
		colon = memchr(line, ':', n);
		if (!colon || colon == line) {
			return net_fail(why, whysz, "a header line without a name: "
				"%.*s", (int)(n > 40 ? 40 : n), line);
		}
		for (v = line; v < colon; v++) {
			if (!token_char((unsigned char)*v)) {
				return net_fail(why, whysz, "'%c' in a header name",
					*v);
			}
		}
		for (v = colon + 1; v < line + n && (*v == ' ' || *v == '\t');
			v++) {
		}
		for (ve = line + n; ve > v && (ve[-1] == ' ' || ve[-1] == '\t');
			ve--) {
		}
		err = header(h, line, (size_t)(colon - line), v,
			(size_t)(ve - v), &keep_alive, why, whysz);
		if (err < 0) {
			return err;
		}
	}
	if (first) {
		return net_fail(why, whysz, "an empty head");
	}
	if (h->chunked) {
		/* RFC 9112 §6.3: the coding decides, the length is ignored */
		h->has_length = 0;
		h->length = 0;
	}
	if (h->minor == 0 && !keep_alive) {
		h->close = 1;
	}
	return 0;
}

enum { C_SIZE, C_EXT, C_SIZE_LF, C_DATA, C_DATA_CR, C_DATA_LF, C_TRAILER,
	C_TRAILER_LINE, C_END_LF, C_DONE };

void http_chunked_init(struct http_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = C_SIZE;
}

/* the size line ended: a chunk follows, or the trailers */
static void size_done(struct http_chunked *c)
{
	c->state = c->left ? C_DATA : C_TRAILER;
	c->line = 0;
}

int http_chunked_step(struct http_chunked *c, const uint8_t *in, size_t n,
	size_t *used, size_t *doff, size_t *dlen, char *why, size_t whysz)
{
	size_t i = 0;
	int v;

	*dlen = 0;
	*doff = 0;
	while (i < n && c->state != C_DONE) {
		uint8_t b = in[i];

		switch (c->state) {
		case C_SIZE:
			v = net_hexval(b);
			if (v >= 0) {
				if (++c->digits > 15) {
					return net_fail(why, whysz, "a chunk size "
						"of more than 15 hex digits");
				}
				c->left = c->left << 4 | (uint64_t)v;
			} else if (!c->digits) {
				return net_fail(why, whysz, "byte 0x%02x where a "
					"chunk size starts", b);
			} else if (b == ';' || b == ' ' || b == '\t') {
				c->state = C_EXT;
			} else if (b == '\r') {
				c->state = C_SIZE_LF;
			} else if (b == '\n') {
				size_done(c);
			} else {
				return net_fail(why, whysz, "byte 0x%02x in a chunk "
					"size", b);
			}
			c->line++;
			i++;
			break;
		case C_EXT:
			if (++c->line > LINE_MAX_CHUNKED) {
				return net_fail(why, whysz, "a chunk size line "
					"longer than %d bytes", LINE_MAX_CHUNKED);
			}
			if (b == '\n') {
				size_done(c);
			}
			i++;
			break;
		case C_SIZE_LF:
			if (b != '\n') {
				return net_fail(why, whysz, "a chunk size line "
					"without its LF");
			}
			size_done(c);
			i++;
			break;
		case C_DATA:
			*doff = i;
			*dlen = n - i < c->left ? n - i : (size_t)c->left;
			c->left -= *dlen;
			if (!c->left) {
				c->state = C_DATA_CR;
			}
			*used = i + *dlen;
			return 0;
		case C_DATA_CR:
		case C_DATA_LF:
			if (b == '\r' && c->state == C_DATA_CR) {
				c->state = C_DATA_LF;
			} else if (b == '\n') {
				c->state = C_SIZE;
				c->digits = 0;
				c->line = 0;
			} else {
				return net_fail(why, whysz, "a chunk not followed "
					"by its line end");
			}
			i++;
			break;
		case C_TRAILER:
			if (b == '\r') {
				c->state = C_END_LF;
			} else if (b == '\n') {
				c->state = C_DONE;
			} else {
				c->state = C_TRAILER_LINE;
				c->line = 1;
			}
			i++;
			break;
		case C_TRAILER_LINE:
			if (++c->line > LINE_MAX_CHUNKED) {
				return net_fail(why, whysz, "a trailer line longer "
					"than %d bytes", LINE_MAX_CHUNKED);
			}
			if (b == '\n') {
				c->state = C_TRAILER;
			}
			i++;
			break;
		case C_END_LF:
			if (b != '\n') {
				return net_fail(why, whysz, "the chunked body's last "
					"line without its LF");
			}
			c->state = C_DONE;
			i++;
			break;
		}
	}
	*used = i;
	return c->state == C_DONE ? 1 : 0;
}
