/* Fetching a URL into a memfd (docs/network.md, "Transfers"): the
 * sockets under lib/net's pure parsers. What a server says is read by
 * http.c and tftp.c; this file owns the waiting, the counting and the
 * memory. The bytes go straight from the socket into a memfd, through
 * SHA-256 on the way (a pin is checked against the bytes received, which
 * are the bytes loaded: the memfd is sealed before anyone sees it), and a
 * server can make hop wait no longer, and hold no more memory, than
 * net.h's table allows. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fetch.h"
#include "hop.h"
#include "http.h"
#include "net.h"
#include "sha256.h"
#include "tftp.h"
#include "tls.h"

#define BUF_SIZE 65536
/* bytes gathered before a write into the memfd: a TFTP block or a TCP
 * segment each would be a system call of its own (TCG makes those dear) */
#define STAGE_SIZE (256 * 1024)

/* one try's destination */
struct sink {
	int fd;
	uint64_t got, cap;	/* cap: what memory, or the caller, allows */
	const char *cap_is;	/* what cap is, for the error line */
	uint64_t want;		/* announced, 0 when not */
	struct sha256 sha;
	int hash;		/* hash as received (a pin will be checked) */
	uint8_t *stage;		/* STAGE_SIZE */
	size_t staged;
	long long start, told;	/* mono_ms */
	const char *url;
	char server[URL_HOST_MAX + 10];	/* "10.0.2.2:80", for the error line */
	int retry;		/* the failure may pass: try again */
};

static int sink_open(struct sink *k, const char *url, int hash,
	uint64_t max)
{
	char name[250];
	uint64_t avail;

	memset(k, 0, sizeof(*k));
	k->url = url;
	k->hash = hash;
	file_fits_memory(0, &avail);
	k->cap = max && max < avail ? max : avail;
	k->cap_is = max && max < avail ? "hop's limit for this file" :
		"half of the free memory";
	k->start = k->told = mono_ms();
	sha256_init(&k->sha);
	/* named after the URL: a loader's error about the bytes names
	 * the memfd ("/memfd:URL (deleted)"); the kernel takes 249 bytes */
	snprintf(name, sizeof(name), "%.249s", url);
	k->fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (k->fd < 0) {
		return -errno;
	}
	k->stage = malloc(STAGE_SIZE);
	if (!k->stage) {
		close(k->fd);
		k->fd = -1;
		return -ENOMEM;
	}
	return 0;
}

static int fail(struct sink *k, int retry, int err, char *why, size_t whysz,
	const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail(struct sink *k, int retry, int err, char *why, size_t whysz,
	const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(why, whysz, "%s%s%s", k->server, k->server[0] ? ": " : "",
		msg);
	k->retry = retry;
	return err;
}

/* a size the memory can take: the announced one against half of the free
 * memory before a byte is stored (README, "Threat model") */
static int sink_announce(struct sink *k, uint64_t size, char *why,
	size_t whysz)
{
	if (size > k->cap) {
		return fail(k, 0, -EFBIG, why, whysz, "announces %llu bytes, "
			"more than %s (%llu)", (unsigned long long)size,
			k->cap_is, (unsigned long long)k->cap);
	}
	k->want = size;
	return 0;
}

static void progress(struct sink *k, int last)
{
	long long now = mono_ms(), ms = now - k->start;
	unsigned long long rate = ms > 0 ? k->got * 1000 / (uint64_t)ms : 0;

	if (!last && now - k->told < NET_PROGRESS_MS) {
		return;
	}
	k->told = now;
	if (last) {
		hop_log("net: %s: %llu bytes in %lld.%02lld s (%llu KiB/s)",
			k->url, (unsigned long long)k->got, ms / 1000,
			ms % 1000 / 10, rate >> 10);
	} else if (k->want) {
		hop_log("net: %s: %llu of %llu KiB (%llu KiB/s)", k->url,
			(unsigned long long)k->got >> 10,
			(unsigned long long)k->want >> 10, rate >> 10);
	} else {
		hop_log("net: %s: %llu KiB (%llu KiB/s)", k->url,
			(unsigned long long)k->got >> 10, rate >> 10);
	}
}

/* the staged bytes into the memfd */
static int sink_flush(struct sink *k, char *why, size_t whysz)
{
	size_t off = 0;

	while (off < k->staged) {
		ssize_t w = write(k->fd, k->stage + off, k->staged - off);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			int err = w < 0 ? -errno : -EIO;

			/* tmpfs-backed: ENOSPC is memory running out */
			return fail(k, 0, err, why, whysz, "storing byte %llu: "
				"%s", (unsigned long long)(k->got - k->staged +
				off), errname(err));
		}
		off += (size_t)w;
	}
	k->staged = 0;
	return 0;
}

static int sink_write(struct sink *k, const uint8_t *p, size_t n, char *why,
	size_t whysz)
{
	int err;

	if ((k->want && k->got + n > k->want) || k->got + n > k->cap) {
		return fail(k, 0, -EFBIG, why, whysz, "sent more than %s (%llu "
			"bytes)", k->want ? "it announced" : k->cap_is,
			(unsigned long long)(k->want ? k->want : k->cap));
	}
	if (k->hash) {
		sha256_update(&k->sha, p, n);
	}
	while (n) {
		size_t room = STAGE_SIZE - k->staged, c = n < room ? n : room;

		memcpy(k->stage + k->staged, p, c);
		k->staged += c;
		k->got += c;
		p += c;
		n -= c;
		if (k->staged == STAGE_SIZE && (err = sink_flush(k, why,
			whysz)) < 0) {
			return err;
		}
	}
	progress(k, 0);
	return 0;
}

static int sink_seal(struct sink *k, struct fetched *f, char *why,
	size_t whysz)
{
	uint8_t d[32];
	int err = sink_flush(k, why, whysz);

	if (err < 0) {
		return err;
	}
	if (fcntl(k->fd, F_ADD_SEALS, FILE_SEALS | F_SEAL_SEAL) < 0) {
		return -errno;
	}
	if (k->hash) {
		sha256_final(&k->sha, d);
		sha256_hex(d, f->sha256);
	}
	f->fd = k->fd;
	f->size = k->got;
	k->fd = -1;
	progress(k, 1);
	return 0;
}

static void sink_close(struct sink *k)
{
	if (k->fd >= 0) {
		close(k->fd);
		k->fd = -1;
	}
	free(k->stage);
	k->stage = NULL;
}

/* u's host and port as a socket address */
static int address(const struct url *u, int type, struct sockaddr_storage *sa,
	socklen_t *len)
{
	struct addrinfo hints, *res;
	char port[8];
	int err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", u->port);
	err = getaddrinfo(u->host, port, &hints, &res);
	if (err) {
		return err == EAI_NONAME ? -ENXIO : err == EAI_SYSTEM ? -errno :
			-EHOSTUNREACH;
	}
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* waits for ev on fd until the idle bound or deadline: 1 ready, 0 timed
 * out */
static int wait_for(int fd, short ev, int ms, long long deadline)
{
	long long left = deadline - mono_ms();
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	if (left < ms) {
		ms = left > 0 ? (int)left : 0;
	}
	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	return r > 0;
}

/* ---- HTTP ---- */

static int tcp_connect(const struct url *u, struct sink *k,
	long long deadline, char *why, size_t whysz)
{
	struct sockaddr_storage sa;
	socklen_t len, elen = sizeof(int);
	int s, err, one = 1;

	err = address(u, SOCK_STREAM, &sa, &len);
	if (err < 0) {
		return fail(k, err != -ENXIO, err, why, whysz, "%s: %s",
			u->host, err == -ENXIO ? "no such host" :
			"cannot resolve the name");
	}
	s = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		return fail(k, 0, -errno, why, whysz, "socket: %s",
			errname(-errno));
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s, (struct sockaddr *)&sa, len) < 0 &&
		errno != EINPROGRESS) {
		err = -errno;
	} else if (!wait_for(s, POLLOUT, NET_CONNECT_MS, deadline)) {
		err = -ETIMEDOUT;
	} else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen) < 0) {
		err = -errno;
	} else {
		err = -err;
	}
	if (err < 0) {
		close(s);
		return fail(k, 1, err, why, whysz, "cannot connect: %s%s",
			errname(err), err == -ETIMEDOUT ? " (no answer in 5 s)" :
			"");
	}
	return s;
}

/* one HTTP connection: a socket, with TLS over it for https */
struct conn {
	int s;
	struct tls *tls;
	long long deadline;
	int idle_ms;		/* NET_IDLE_MS; shorter for the last look */
	int timed_out;		/* the last wait ran out */
};

/* reads what comes within the idle bound: its length, 0 at the end, or
 * -ETIMEDOUT */
static ssize_t sock_read(struct conn *c, uint8_t *buf, size_t n)
{
	ssize_t r;

	/* what is there already, without a poll first: one system call per
	 * read while data flows */
	r = recv(c->s, buf, n, MSG_DONTWAIT);
	if (r >= 0 || (errno != EAGAIN && errno != EINTR)) {
		return r < 0 ? -errno : r;
	}
	if (!wait_for(c->s, POLLIN, c->idle_ms, c->deadline)) {
		c->timed_out = 1;
		return -ETIMEDOUT;
	}
	r = recv(c->s, buf, n, 0);
	return r < 0 ? -errno : r;
}

static int sock_write(struct conn *c, const uint8_t *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w;

		if (!wait_for(c->s, POLLOUT, c->idle_ms, c->deadline)) {
			c->timed_out = 1;
			return -ETIMEDOUT;
		}
		w = send(c->s, p + done, n - done, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			return -errno;
		}
		done += w > 0 ? (size_t)w : 0;
	}
	return 0;
}

/* BearSSL's transport: the same bounds as plain HTTP */
static int tls_rd(void *ctx, unsigned char *buf, size_t n)
{
	ssize_t r = sock_read(ctx, buf, n);

	return r > 0 ? (int)r : -1;
}

static int tls_wr(void *ctx, const unsigned char *buf, size_t n)
{
	return sock_write(ctx, buf, n) < 0 ? -1 : (int)n;
}

static ssize_t conn_read(struct conn *c, uint8_t *buf, size_t n)
{
	long r;

	if (!c->tls) {
		return sock_read(c, buf, n);
	}
	c->timed_out = 0;
	r = tls_read(c->tls, buf, n > 16384 ? 16384 : n);
	return r >= 0 ? r : c->timed_out ? -ETIMEDOUT : -EPROTO;
}

static int conn_write(struct conn *c, const char *p, size_t n)
{
	if (!c->tls) {
		return sock_write(c, (const uint8_t *)p, n);
	}
	c->timed_out = 0;
	return tls_write(c->tls, p, n) == 0 ? 0 : c->timed_out ? -ETIMEDOUT :
		-EPROTO;
}

static int read_error(struct sink *k, struct conn *c, ssize_t r,
	const char *during, char *why, size_t whysz)
{
	char tw[160];

	if (r == -EPROTO && c->tls) {
		/* a verification failure will not pass; a broken record
		 * might, but hop does not guess which */
		return fail(k, 0, -EPROTO, why, whysz, "%s %s",
			tls_why(c->tls, tw, sizeof(tw)), during);
	}
	if (r == -ETIMEDOUT) {
		return fail(k, 1, -ETIMEDOUT, why, whysz, "stalled: no byte "
			"for %d s %s", NET_IDLE_MS / 1000, during);
	}
	if (r < 0) {
		return fail(k, 1, (int)r, why, whysz, "%s %s", errname((int)r),
			during);
	}
	return fail(k, 1, -ECONNRESET, why, whysz, "closed the connection %s",
		during);
}

/* the body after the head: buf[0, have) is its start */
static int http_body(struct conn *c, const struct http_head *h,
	struct sink *k, uint8_t *buf, size_t have, char *why, size_t whysz)
{
	struct http_chunked ch;
	char bad[160], during[80];
	ssize_t r = (ssize_t)have;
	int err, end = 0;

	if (h->has_length && (err = sink_announce(k, h->length, why,
		whysz)) < 0) {
		return err;
	}
	http_chunked_init(&ch);
	for (;;) {
		size_t off = 0;

		while (h->chunked && off < (size_t)r && !end) {
			size_t used, doff, dlen;

			end = http_chunked_step(&ch, buf + off, (size_t)r - off,
				&used, &doff, &dlen, bad, sizeof(bad));
			if (end < 0) {
				return fail(k, 0, -EPROTO, why, whysz, "a "
					"malformed chunked body: %s", bad);
			}
			if (dlen && (err = sink_write(k, buf + off + doff, dlen,
				why, whysz)) < 0) {
				return err;
			}
			off += used;
		}
		if (!h->chunked && r > 0 && (err = sink_write(k, buf,
			(size_t)r, why, whysz)) < 0) {
			return err;
		}
		if (end || (h->has_length && k->got == h->length)) {
			break;
		}
		r = conn_read(c, buf, BUF_SIZE);
		if (r == 0 && !h->chunked && !h->has_length) {
			return 0;	/* the body ends where the connection does */
		}
		if (r <= 0) {
			snprintf(during, sizeof(during), "after %llu bytes of "
				"the body", (unsigned long long)k->got);
			if (h->has_length) {
				snprintf(during, sizeof(during), "after %llu of "
					"%llu bytes", (unsigned long long)k->got,
					(unsigned long long)h->length);
			}
			return read_error(k, c, r, during, why, whysz);
		}
	}
	/* what arrived after the body is more than the server announced.
	 * Only what is there already is looked at: waiting for the close
	 * would cost every download the server's teardown (make bench-net
	 * measured 400 ms), and the bytes loaded are the announced ones
	 * either way */
	c->idle_ms = 0;
	if (conn_read(c, buf, BUF_SIZE) > 0) {
		return fail(k, 0, -EPROTO, why, whysz, "sent more than the "
			"%llu bytes it announced", (unsigned long long)k->got);
	}
	return 0;
}

/* one GET: 0 with the body in k, 1 to follow loc, or -errno */
static int http_get(const struct url *u, const char *ca, struct sink *k,
	long long deadline, char *loc, size_t locsz, char *why, size_t whysz)
{
	struct conn c = { -1, NULL, deadline, NET_IDLE_MS, 0 };
	struct http_head h;
	char req[URL_MAX + 512], bad[200];
	uint8_t *buf;
	size_t have = 0;
	long end = 0;
	int err;

	if (u->scheme == URL_HTTPS) {
#if HOP_FEAT_TLS
		/* fail closed: an unverified https is not offered */
		if (!ca) {
			return fail(k, 0, -EPERM, why, whysz, "https: no hop.ca "
				"(a CA bundle, or key:FILE) to verify the server "
				"with");
		}
		err = tls_trust_load(ca, bad, sizeof(bad));
		if (err < 0) {
			return fail(k, 0, err, why, whysz, "hop.ca=%s: %s", ca,
				bad);
		}
#else
		(void)ca;
		return fail(k, 0, -EPROTONOSUPPORT, why, whysz, "https: TLS is "
			"not built into this hop (make CONFIG=default builds it)");
#endif
	}
	c.s = tcp_connect(u, k, deadline, why, whysz);
	if (c.s < 0) {
		return c.s;
	}
	buf = malloc(BUF_SIZE);
#if HOP_FEAT_TLS
	if (buf && u->scheme == URL_HTTPS) {
		c.tls = tls_start(u->host, tls_rd, tls_wr, &c);
	}
	if (u->scheme == URL_HTTPS && !c.tls) {
		free(buf);
		buf = NULL;
	}
#endif
	if (!buf) {
		close(c.s);
		return fail(k, 0, -ENOMEM, why, whysz, "out of memory");
	}
	err = conn_write(&c, req, http_request("GET", u, req, sizeof(req)));
	if (err < 0) {
		err = read_error(k, &c, err, "sending the request", why, whysz);
		goto out;
	}
	while (end == 0) {
		ssize_t r = conn_read(&c, buf + have, HTTP_HEAD_MAX + 1 - have);

		if (r <= 0) {
			err = read_error(k, &c, r, "before the response head "
				"ended", why, whysz);
			goto out;
		}
		have += (size_t)r;
		end = http_head_end(buf, have);
	}
	if (end < 0 || http_parse_head(buf, (size_t)end, &h, bad,
		sizeof(bad)) < 0) {
		err = fail(k, 0, -EPROTO, why, whysz, "a malformed response "
			"head: %s", end < 0 ? "longer than 16 KiB" : bad);
		goto out;
	}
	if (h.status >= 300 && h.status < 400 && h.status != 304 &&
		h.location[0]) {
		snprintf(loc, locsz, "%s", h.location);
		err = 1;
		goto out;
	}
	if (h.status != 200) {
		/* 5xx may pass (503 while a server starts); 4xx will not */
		err = fail(k, h.status >= 500, h.status == 404 ? -ENOENT :
			h.status == 403 || h.status == 401 ? -EACCES : -EPROTO,
			why, whysz, "HTTP %d %s", h.status, h.reason);
		goto out;
	}
	memmove(buf, buf + end, have - (size_t)end);
	err = http_body(&c, &h, k, buf, have - (size_t)end, why, whysz);
out:
#if HOP_FEAT_TLS
	if (c.tls) {
		tls_end(c.tls);
	}
#endif
	free(buf);
	close(c.s);
	return err;
}

/* ---- TFTP ---- */

static int tftp_get(const struct url *u, struct sink *k, long long deadline,
	char *why, size_t whysz)
{
	struct sockaddr_storage srv, from;
	socklen_t len, flen;
	char name[URL_TARGET_MAX + 1], bad[160];
	uint8_t out[TFTP_REQ_MAX], *buf;
	uint32_t blksize = TFTP_BLKSIZE_DEFAULT;
	uint16_t want = 1;
	size_t olen;
	long long resend_at = 0;
	int s, err, resends = 0, have_tid = 0, send_now = 1;
	in_port_t tid = 0;

	/* RFC 3617: the file is the path after the host's "/" */
	if (url_unescape(u->target + 1, name, sizeof(name)) < 0 || !name[0]) {
		return fail(k, 0, -EINVAL, why, whysz, "'%s' is not a TFTP "
			"file name", u->target);
	}
	err = address(u, SOCK_DGRAM, &srv, &len);
	if (err < 0) {
		return fail(k, err != -ENXIO, err, why, whysz, "%s: %s",
			u->host, err == -ENXIO ? "no such host" :
			"cannot resolve the name");
	}
	olen = tftp_rrq(name, out, sizeof(out));
	if (!olen) {
		return fail(k, 0, -ENAMETOOLONG, why, whysz, "the file name "
			"is too long for a TFTP request");
	}
	s = socket(srv.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	buf = malloc(TFTP_BLKSIZE_MAX + 4);
	if (s < 0 || !buf) {
		err = s < 0 ? -errno : -ENOMEM;
		if (s >= 0) {
			close(s);
		}
		free(buf);
		return fail(k, 0, err, why, whysz, "%s", errname(err));
	}
	for (;;) {
		struct tftp_msg m;
		long long wait;
		ssize_t r;

		/* out (the request, or the last ACK) goes when it is new,
		 * when its answer is late, and when the server repeats the
		 * block before: not for every stray packet, which would let
		 * anyone on the wire make hop send */
		if (send_now) {
			if (resends > NET_TFTP_RESENDS) {
				err = fail(k, 1, -ETIMEDOUT, why, whysz, "stalled: "
					"no answer to %d tries over %d s, after "
					"%llu bytes", NET_TFTP_RESENDS + 1,
					(NET_TFTP_RESENDS + 1) *
					NET_TFTP_RESEND_MS / 1000,
					(unsigned long long)k->got);
				break;
			}
			if (sendto(s, out, olen, 0, (struct sockaddr *)&srv,
				len) < 0) {
				err = fail(k, 1, -errno, why, whysz, "sending: "
					"%s", errname(-errno));
				break;
			}
			resend_at = mono_ms() + NET_TFTP_RESEND_MS;
			send_now = 0;
		}
		wait = resend_at - mono_ms();
		if (!wait_for(s, POLLIN, wait > 0 ? (int)wait : 0, deadline)) {
			if (mono_ms() >= deadline) {
				err = fail(k, 0, -ETIMEDOUT, why, whysz, "gave "
					"up after %d s (the bound of one fetch)",
					NET_TOTAL_MS / 1000);
				break;
			}
			if (mono_ms() >= resend_at) {
				resends++;
				send_now = 1;
			}
			continue;
		}
		flen = sizeof(from);
		r = recvfrom(s, buf, TFTP_BLKSIZE_MAX + 4, 0,
			(struct sockaddr *)&from, &flen);
		if (r < 0) {
			continue;
		}
		/* the server answers from a port of its own (its transfer
		 * id); anyone else's packets are not part of this */
		if (from.ss_family != AF_INET && from.ss_family != AF_INET6) {
			continue;
		}
		if (from.ss_family == AF_INET ? memcmp(&((struct sockaddr_in *)
			&from)->sin_addr, &((struct sockaddr_in *)&srv)->sin_addr,
			4) : memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr,
			&((struct sockaddr_in6 *)&srv)->sin6_addr, 16)) {
			continue;
		}
		if (!have_tid) {
			tid = ((struct sockaddr_in *)&from)->sin_port;
			have_tid = 1;
			((struct sockaddr_in *)&srv)->sin_port = tid;
		} else if (((struct sockaddr_in *)&from)->sin_port != tid) {
			continue;
		}
		if (tftp_parse(buf, (size_t)r, blksize, &m, bad,
			sizeof(bad)) < 0) {
			err = fail(k, 0, -EPROTO, why, whysz, "%s", bad);
			break;
		}
		if (m.op == TFTP_ERROR) {
			err = fail(k, 0, m.code == 1 ? -ENOENT : m.code == 2 ?
				-EACCES : -EPROTO, why, whysz, "TFTP error %u: %s",
				m.code, m.text[0] ? m.text : "(no message)");
			break;
		}
		if (m.op == TFTP_OACK) {
			if (want != 1 || k->got) {
				continue;	/* a late duplicate */
			}
			blksize = m.blksize ? m.blksize : TFTP_BLKSIZE_DEFAULT;
			if (m.has_tsize && m.tsize && (err = sink_announce(k,
				m.tsize, why, whysz)) < 0) {
				break;
			}
			olen = tftp_ack(0, out);
			resends = 0;
			send_now = 1;
			continue;
		}
		if (m.block != want) {
			/* a duplicate of the last block: its ACK was lost,
			 * and is sent again */
			if ((uint16_t)(m.block + 1) == want) {
				resends++;
				send_now = 1;
			}
			continue;
		}
		err = sink_write(k, m.data, m.len, why, whysz);
		if (err < 0) {
			break;
		}
		olen = tftp_ack(want, out);
		resends = 0;
		send_now = 1;
		if (m.len < blksize) {
			sendto(s, out, olen, 0, (struct sockaddr *)&srv, len);
			if (k->want && k->got != k->want) {
				err = fail(k, 1, -EPROTO, why, whysz, "sent "
					"%llu bytes, announced %llu",
					(unsigned long long)k->got,
					(unsigned long long)k->want);
			}
			break;
		}
		want++;	/* after 65535 comes 0, as most servers roll over */
	}
	free(buf);
	close(s);
	return err;
}

int net_fetch(const char *url, const char *ca, int hash, uint64_t max,
	struct fetched *f, char *why, size_t whysz)
{
	char cur[URL_MAX + 1], loc[URL_MAX + 1], next[URL_MAX + 1], bad[200];
	long long deadline = mono_ms() + NET_TOTAL_MS;
	int tries = 0, redirects = 0, err, backoff = NET_BACKOFF_MS;
	struct sink k;
	struct url u;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	snprintf(cur, sizeof(cur), "%s", url);
	for (;;) {
		if (url_parse(cur, &u, bad, sizeof(bad)) < 0) {
			snprintf(why, whysz, "%s", bad);
			return -EINVAL;
		}
		err = sink_open(&k, cur, hash, max);
		if (err < 0) {
			snprintf(why, whysz, "memfd_create: %s", errname(err));
			return err;
		}
		snprintf(k.server, sizeof(k.server), "%s%s%s:%u", u.ipv6 ? "[" :
			"", u.host, u.ipv6 ? "]" : "", u.port);
		err = u.scheme == URL_TFTP ? tftp_get(&u, &k, deadline, why,
			whysz) : http_get(&u, ca, &k, deadline, loc, sizeof(loc),
			why, whysz);
		if (err == 1) {
			sink_close(&k);
			if (url_resolve(cur, loc, next, sizeof(next), bad,
				sizeof(bad)) < 0) {
				snprintf(why, whysz, "%s: a redirect hop does "
					"not follow: %s", k.server, bad);
				return -EINVAL;
			}
			/* what https promised, a redirect cannot take back */
			if (u.scheme == URL_HTTPS && strncasecmp(next,
				"https://", 8)) {
				snprintf(why, whysz, "%s: a redirect from https "
					"to %s is refused (not verified)", k.server,
					next);
				return -EPERM;
			}
			if (++redirects > NET_REDIRECTS) {
				snprintf(why, whysz, "%s: more than %d redirects "
					"(the last to %s)", k.server,
					NET_REDIRECTS, next);
				return -ELOOP;
			}
			hop_log("net: %s: redirected to %s", cur, next);
			snprintf(cur, sizeof(cur), "%s", next);
			continue;
		}
		if (err == 0) {
			err = sink_seal(&k, f, why, whysz);
			snprintf(f->url, sizeof(f->url), "%s", cur);
		}
		sink_close(&k);
		if (err == 0 || !k.retry || ++tries >= NET_TRIES ||
			mono_ms() + backoff >= deadline) {
			return err;
		}
		hop_log("net: %s: %s; trying again in %d s", cur, why,
			backoff / 1000);
		usleep((useconds_t)backoff * 1000);
		backoff *= 2;
	}
}
