/* HTTPS's TLS client (docs/network.md, "HTTPS"): BearSSL, which Debian
 * packages as a static library, verifies the server against hop.ca: a
 * bundle of CA certificates (PEM) from the initramfs, or "key:FILE", a
 * certificate whose public key the server must hold (a pin: its chain,
 * names and dates are not looked at, BearSSL's "known key" mode). No
 * hop.ca, no HTTPS: a connection nobody checks is not offered. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bearssl.h>

#include "hop.h"
#include "net.h"
#include "sysmem.h"
#include "tls.h"

#define TLS_CA_MAX (4u << 20)	/* a bundle: Debian's is 210 KB */
#define TLS_ANCHORS_MAX 1024

static struct {
	br_x509_trust_anchor *ta;
	size_t n;
	int pinned;			/* key:FILE */
	br_x509_pkey key;		/* the pinned key */
	unsigned key_usages;
	char *spec;			/* what was loaded (malloc'd), or NULL */
} trust;

struct tls {
	br_ssl_client_context cc;
	br_x509_minimal_context xc;
	br_x509_knownkey_context kk;
	br_sslio_context io;
	unsigned char buf[BR_SSL_BUFSIZE_BIDI];
	char host[URL_HOST_MAX + 1];
};

/* a DN as it is decoded, appended */
struct dn {
	unsigned char *p;
	size_t n, cap;
	int oom;
};

static void dn_append(void *ctx, const void *buf, size_t len)
{
	struct dn *d = ctx;
	unsigned char *np;

	if (d->oom) {
		return;
	}
	if (d->n + len > d->cap) {
		d->cap = (d->n + len) * 2;
		np = realloc(d->p, d->cap);
		if (!np) {
			d->oom = 1;
			return;
		}
		d->p = np;
	}
	memcpy(d->p + d->n, buf, len);
	d->n += len;
}

static unsigned char *dup_bytes(const void *p, size_t n)
{
	unsigned char *q = malloc(n ? n : 1);

	if (q) {
		memcpy(q, p, n);
	}
	return q;
}

/* pk's key bytes copied out of the decoder, which is about to go */
static int copy_key(const br_x509_pkey *pk, br_x509_pkey *out)
{
	*out = *pk;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		out->key.rsa.n = dup_bytes(pk->key.rsa.n, pk->key.rsa.nlen);
		out->key.rsa.e = dup_bytes(pk->key.rsa.e, pk->key.rsa.elen);
		return out->key.rsa.n && out->key.rsa.e ? 0 : -ENOMEM;
	}
	out->key.ec.q = dup_bytes(pk->key.ec.q, pk->key.ec.qlen);
	return out->key.ec.q ? 0 : -ENOMEM;
}

/* one DER certificate: an anchor (CA mode) or the pinned key */
static int take_cert(const unsigned char *der, size_t len, char *why,
	size_t whysz)
{
	br_x509_decoder_context dc;
	br_x509_trust_anchor *ta, *nta;
	struct dn dn = { NULL, 0, 0, 0 };
	br_x509_pkey *pk;
	int err;

	br_x509_decoder_init(&dc, dn_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	pk = br_x509_decoder_get_pkey(&dc);
	err = br_x509_decoder_last_error(&dc);
	if (!pk || err || dn.oom) {
		free(dn.p);
		return net_fail(why, whysz, "a certificate BearSSL cannot "
			"decode (error %d)", err);
	}
	if (trust.pinned) {
		free(dn.p);
		if (trust.n) {
			return net_fail(why, whysz, "key: takes one certificate, "
				"the file holds more");
		}
		trust.key_usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
		trust.n = 1;
		return copy_key(pk, &trust.key);
	}
	if (trust.n == TLS_ANCHORS_MAX) {
		free(dn.p);
		return net_fail(why, whysz, "more than %d certificates",
			TLS_ANCHORS_MAX);
	}
	nta = realloc(trust.ta, (trust.n + 1) * sizeof(*nta));
	if (!nta) {
		free(dn.p);
		return -ENOMEM;
	}
	trust.ta = nta;
	ta = &trust.ta[trust.n];
	memset(ta, 0, sizeof(*ta));
	ta->dn.data = dn.p;
	ta->dn.len = dn.n;
	/* a bundle's every certificate is an anchor, as curl and OpenSSL
	 * take a CA file; a leaf in it anchors only itself */
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	if (copy_key(pk, &ta->pkey) < 0) {
		free(dn.p);
		return -ENOMEM;
	}
	trust.n++;
	return 0;
}

int tls_trust_load(const char *spec, char *why, size_t whysz)
{
	const char *path = spec;
	br_pem_decoder_context pc;
	struct dn obj = { NULL, 0, 0, 0 };
	uint8_t *text;
	size_t len, off = 0;
	int err = 0, in_cert = 0, certs = 0;

	if (trust.spec && !strcmp(trust.spec, spec)) {
		return 0;
	}
	tls_trust_free();	/* another spec, or a failed one: from nothing */
	if (!strncmp(spec, "key:", 4)) {
		path = spec + 4;
	}
	if (path[0] != '/') {
		return net_fail(why, whysz, "'%s' is not a file of the "
			"initramfs (/path): the trust is the owner's", path);
	}
	trust.pinned = path != spec;
	err = read_whole(path, &text, &len, TLS_CA_MAX);
	if (err < 0) {
		net_fail(why, whysz, "%s: %s", path, err == -EFBIG ?
			"larger than 4 MiB" : errname(err));
		trust.pinned = 0;
		return err;
	}
	br_pem_decoder_init(&pc);
	while (off < len && !err) {
		off += br_pem_decoder_push(&pc, text + off, len - off);
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			in_cert = !strcmp(br_pem_decoder_name(&pc),
				"CERTIFICATE") ||
				!strcmp(br_pem_decoder_name(&pc),
				"X509 CERTIFICATE");
			obj.n = 0;
			br_pem_decoder_setdest(&pc, in_cert ? dn_append : NULL,
				&obj);
			break;
		case BR_PEM_END_OBJ:
			if (in_cert) {
				err = obj.oom ? -ENOMEM : take_cert(obj.p, obj.n,
					why, whysz);
				certs++;
			}
			in_cert = 0;
			break;
		case BR_PEM_ERROR:
			err = net_fail(why, whysz, "%s: not PEM text", path);
			break;
		}
	}
	free(obj.p);
	free(text);
	if (!err && !certs) {
		err = net_fail(why, whysz, "%s: no certificate in it", path);
	}
	if (err) {
		if (err == -ENOMEM) {
			snprintf(why, whysz, "%s: out of memory", path);
		}
		tls_trust_free();
		return err;
	}
	trust.spec = strdup(spec);
	if (!trust.spec) {
		tls_trust_free();
		snprintf(why, whysz, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void free_key(br_x509_pkey *k)
{
	if (k->key_type == BR_KEYTYPE_RSA) {
		free(k->key.rsa.n);
		free(k->key.rsa.e);
	} else {
		free(k->key.ec.q);
	}
}

void tls_trust_free(void)
{
	size_t i;

	for (i = 0; !trust.pinned && i < trust.n; i++) {
		free(trust.ta[i].dn.data);
		free_key(&trust.ta[i].pkey);
	}
	if (trust.pinned && trust.n) {
		free_key(&trust.key);
	}
	free(trust.ta);
	free(trust.spec);
	memset(&trust, 0, sizeof(trust));
}

/* What hop speaks, chosen for size (docs/network.md, "HTTPS"): TLS 1.2
 * only, ECDHE key exchange signed by RSA or ECDSA, AES-GCM and
 * ChaCha20-Poly1305, SHA-256/384/512; the constant-time implementations.
 * BearSSL's "full" profile (TLS 1.0-1.2, CBC, 3DES, static RSA) is 120 KB
 * of a 390 KB binary for servers nobody should run. */
static void client_init(struct tls *t)
{
	static const uint16_t suites[] = {
		BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	};
	static const br_hash_class *const hashes[] = {
		&br_sha256_vtable, &br_sha384_vtable, &br_sha512_vtable,
	};
	br_ssl_engine_context *e = &t->cc.eng;
	br_x509_minimal_context *x = &t->xc;
	size_t i;

	br_ssl_client_zero(&t->cc);
	br_ssl_engine_set_versions(e, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(e, suites, sizeof(suites) / sizeof(suites[0]));
	br_x509_minimal_init(x, &br_sha256_vtable, trust.pinned ? NULL :
		trust.ta, trust.pinned ? 0 : trust.n);
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		int id = (int)(hashes[i]->desc >> BR_HASHDESC_ID_OFF &
			BR_HASHDESC_ID_MASK);

		br_ssl_engine_set_hash(e, id, hashes[i]);
		br_x509_minimal_set_hash(x, id, hashes[i]);
	}
	br_x509_minimal_set_rsa(x, br_rsa_i31_pkcs1_vrfy);
	br_x509_minimal_set_ecdsa(x, &br_ec_prime_i31, br_ecdsa_i31_vrfy_asn1);
	/* P-256/384/521 by one generic i31 implementation: every server
	 * offers P-256, and curve25519 and the P-256-only code would be
	 * 30 KB more */
	br_ssl_engine_set_ec(e, &br_ec_prime_i31);
	br_ssl_engine_set_rsavrfy(e, br_rsa_i31_pkcs1_vrfy);
	br_ssl_engine_set_ecdsa(e, br_ecdsa_i31_vrfy_asn1);
	br_ssl_engine_set_prf_sha256(e, br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(e, br_tls12_sha384_prf);
	br_ssl_engine_set_gcm(e, &br_sslrec_in_gcm_vtable,
		&br_sslrec_out_gcm_vtable);
	br_ssl_engine_set_aes_ctr(e, &br_aes_ct_ctr_vtable);
	br_ssl_engine_set_ghash(e, br_ghash_ctmul);
	br_ssl_engine_set_chapol(e, &br_sslrec_in_chapol_vtable,
		&br_sslrec_out_chapol_vtable);
	br_ssl_engine_set_chacha20(e, br_chacha20_ct_run);
	br_ssl_engine_set_poly1305(e, br_poly1305_ctmul_run);
	br_ssl_engine_set_x509(e, &x->vtable);
}

struct tls *tls_start(const char *host, int (*rd)(void *, unsigned char *,
	size_t), int (*wr)(void *, const unsigned char *, size_t), void *ctx)
{
	struct tls *t;

	if (!trust.n) {
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	snprintf(t->host, sizeof(t->host), "%s", host);
	client_init(t);
	if (trust.pinned) {
		if (trust.key.key_type == BR_KEYTYPE_RSA) {
			br_x509_knownkey_init_rsa(&t->kk, &trust.key.key.rsa,
				trust.key_usages);
		} else {
			br_x509_knownkey_init_ec(&t->kk, &trust.key.key.ec,
				trust.key_usages);
		}
		br_ssl_engine_set_x509(&t->cc.eng, &t->kk.vtable);
	}
	br_ssl_engine_set_buffer(&t->cc.eng, t->buf, sizeof(t->buf), 1);
	/* the name checked against the certificate (and sent as SNI) */
	if (!br_ssl_client_reset(&t->cc, host, 0)) {
		free(t);
		return NULL;
	}
	br_sslio_init(&t->io, &t->cc.eng, rd, ctx, wr, ctx);
	return t;
}

int tls_write(struct tls *t, const void *p, size_t n)
{
	return br_sslio_write_all(&t->io, p, n) < 0 ||
		br_sslio_flush(&t->io) < 0 ? -EPROTO : 0;
}

long tls_read(struct tls *t, void *p, size_t n)
{
	int r = br_sslio_read(&t->io, p, n);

	if (r > 0) {
		return r;
	}
	/* a clean close_notify, or the server closing without one after a
	 * body whose end it told (both are the body's end to HTTP) */
	return br_ssl_engine_current_state(&t->cc.eng) == BR_SSL_CLOSED &&
		(br_ssl_engine_last_error(&t->cc.eng) == BR_ERR_OK ||
		br_ssl_engine_last_error(&t->cc.eng) == BR_ERR_IO) ? 0 : -EPROTO;
}

static const struct {
	int code;
	const char *text;
} reasons[] = {
	{ BR_ERR_X509_NOT_TRUSTED, "its certificate chain does not lead to a "
		"CA of hop.ca" },
	{ BR_ERR_X509_BAD_SERVER_NAME, "its certificate is not for this host "
		"name" },
	{ BR_ERR_X509_EXPIRED, "a certificate is expired or not yet valid "
		"(is the clock right?)" },
	{ BR_ERR_X509_TIME_UNKNOWN, "the clock is unknown" },
	{ BR_ERR_X509_NOT_CA, "a certificate that is not a CA signs another" },
	{ BR_ERR_X509_BAD_SIGNATURE, "a certificate's signature is wrong" },
	{ BR_ERR_X509_WEAK_PUBLIC_KEY, "a key is too weak" },
	{ BR_ERR_X509_EMPTY_CHAIN, "it sent no certificate" },
	{ BR_ERR_X509_UNSUPPORTED, "a certificate uses what BearSSL does not" },
	{ BR_ERR_BAD_SIGNATURE, "its key exchange is not signed by the key it "
		"should hold (hop.ca=key: a pinned key?)" },
	{ BR_ERR_WRONG_KEY_USAGE, "its key may not be used for this" },
	{ BR_ERR_BAD_CIPHER_SUITE, "no cipher suite in common" },
	{ BR_ERR_UNSUPPORTED_VERSION, "no TLS version in common (hop speaks "
		"1.2)" },
	{ BR_ERR_BAD_VERSION, "no TLS version in common (hop speaks 1.2)" },
	{ BR_ERR_BAD_MAC, "a record failed its integrity check" },
	{ BR_ERR_IO, "the connection failed" },
};

const char *tls_why(struct tls *t, char *buf, size_t n)
{
	int e = br_ssl_engine_last_error(&t->cc.eng);
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (reasons[i].code == e) {
			snprintf(buf, n, "TLS: %s (BearSSL error %d)",
				reasons[i].text, e);
			return buf;
		}
	}
	if (e >= BR_ERR_RECV_FATAL_ALERT && e < BR_ERR_SEND_FATAL_ALERT) {
		snprintf(buf, n, "TLS: the server sent alert %d",
			e - BR_ERR_RECV_FATAL_ALERT);
	} else if (e >= BR_ERR_SEND_FATAL_ALERT) {
		snprintf(buf, n, "TLS: hop sent alert %d",
			e - BR_ERR_SEND_FATAL_ALERT);
	} else {
		snprintf(buf, n, "TLS: BearSSL error %d", e);
	}
	return buf;
}

void tls_end(struct tls *t)
{
	free(t);
}

#if !defined(__GLIBC__)
/* Debian builds libbearssl.a with _FORTIFY_SOURCE, for glibc: the
 * checked copies it calls, as glibc defines them. An overflow here is a
 * memory-safety bug in BearSSL, where going on is worse than a panic */
void *__memcpy_chk(void *d, const void *s, size_t n, size_t dn);
void *__memmove_chk(void *d, const void *s, size_t n, size_t dn);
void *__memset_chk(void *d, int c, size_t n, size_t dn);

void *__memcpy_chk(void *d, const void *s, size_t n, size_t dn)
{
	if (n > dn) {
		abort();
	}
	return memcpy(d, s, n);
}

void *__memmove_chk(void *d, const void *s, size_t n, size_t dn)
{
	if (n > dn) {
		abort();
	}
	return memmove(d, s, n);
}

void *__memset_chk(void *d, int c, size_t n, size_t dn)
{
	if (n > dn) {
		abort();
	}
	return memset(d, c, n);
}
#endif
