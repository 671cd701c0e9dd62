/* HTTPS's TLS client (lib/net/tls.c): BearSSL, verified against hop.ca. */
#ifndef HOP_TLS_H
#define HOP_TLS_H

#include <stddef.h>

#include "url.h"

/* hop.ca: "/path" (a PEM bundle of CA certificates in the initramfs) or
 * "key:/path" (a PEM certificate whose public key the server must hold),
 * loaded once per spec: 0, or -errno with why set */
int tls_trust_load(const char *spec, char *why, size_t whysz);
void tls_trust_free(void);

struct tls;
/* a client for host over the caller's transport (rd, wr: BearSSL's
 * low-level I/O, -1 on failure); NULL without trust loaded or memory */
struct tls *tls_start(const char *host, int (*rd)(void *, unsigned char *,
	size_t), int (*wr)(void *, const unsigned char *, size_t), void *ctx);
/* the handshake happens on the first write: 0 or -EPROTO */
int tls_write(struct tls *t, const void *p, size_t n);
/* bytes read (> 0), 0 at the end of the stream, -EPROTO on failure */
long tls_read(struct tls *t, void *p, size_t n);
/* the engine's last error in words, into buf */
const char *tls_why(struct tls *t, char *buf, size_t n);
void tls_end(struct tls *t);

#endif
