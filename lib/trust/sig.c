/* minisign and signify detached signatures: public key files read,
 * signature files read and checked (sig.h). Pure: no syscalls, nothing
 * printed. The file formats are minisign's (src/minisign.h: PubkeyStruct,
 * SigStruct; src/minisign.c: sig_load, verify) and signify's
 * (usr.bin/signify/signify.c: struct pubkey, struct sig), which share
 * their public keys and their first two signature lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/crypto_sign_ed25519.h>

#include "hop.h"
#include "sig.h"

/* what the base64 lines hold: an algorithm, a key id, then a key or a
 * signature */
#define ALG_LEN 2
#define ID_LEN 8
#define PK_LEN 32
#define SIGBYTES 64
#define KEY_BIN (ALG_LEN + ID_LEN + PK_LEN)	/* 42 bytes */
#define SIG_BIN (ALG_LEN + ID_LEN + SIGBYTES)	/* 74 bytes */
/* characters of padded base64 for n bytes (RFC 4648 §4) */
#define B64_LEN(n) (((n) + 2) / 3 * 4)

/* both tools write and check these prefixes, space included */
#define COMMENT_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "

_Static_assert(sizeof(struct sig_key) == ID_LEN + PK_LEN,
	"struct sig_key is the id and the key, unpadded");
_Static_assert(crypto_sign_ed25519_BYTES == SIGBYTES &&
	crypto_sign_ed25519_PUBLICKEYBYTES == PK_LEN &&
	crypto_generichash_blake2b_BYTES_MAX == 64,
	"libsodium's sizes are the formats' sizes");

struct line {
	const char *p;
	size_t len;	/* without its "\n" or "\r\n" */
	size_t no;	/* counted from 1 */
};

/* the next line of text[*off..len) into l (l->no counts them): 1, or 0
 * at the end. A line ends with "\n" or "\r\n"; the last may end with
 * neither */
static int next_line(const char *text, size_t len, size_t *off,
	struct line *l)
{
	const char *nl;

	if (*off >= len) {
		return 0;
	}
	l->p = text + *off;
	nl = memchr(l->p, '\n', len - *off);
	l->len = nl ? (size_t)(nl - l->p) : len - *off;
	*off += l->len + (nl != NULL);
	if (l->len && l->p[l->len - 1] == '\r') {
		l->len--;
	}
	l->no++;
	return 1;
}

/* neither tool writes a NUL or a lone carriage return: C strings and
 * fgets would each read such a file their own way, so neither is taken */
static int line_check(const struct line *l, char *why, size_t whysz)
{
	if (memchr(l->p, '\0', l->len)) {
		return hop_why(why, whysz, -EINVAL, "line %zu: a NUL byte", l->no);
	}
	if (memchr(l->p, '\r', l->len)) {
		return hop_why(why, whysz, -EINVAL, "line %zu: a carriage return "
			"inside the line", l->no);
	}
	return 0;
}

static int has_prefix(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && !memcmp(l->p, prefix, n);
}

/* RFC 4648 §4's alphabet, the one both tools write: 0-63, or -1 */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == '+') {
		return 62;
	}
	return c == '/' ? 63 : -1;
}

/* exactly n bytes from exactly B64_LEN(n) characters, '='-padded, the
 * bits past the last byte zero (RFC 4648 §3.5; libsodium's
 * sodium_base642bin, which minisign reads with, refuses them too): 0, or
 * -1 */
static int b64_decode(const char *s, size_t slen, uint8_t *out, size_t n)
{
	size_t pad = (3 - n % 3) % 3, i, o = 0;
	uint32_t acc = 0;
	int bits = 0, v;

	if (slen != B64_LEN(n)) {
		return -1;
	}
	for (i = 0; i < slen - pad; i++) {
		if ((v = b64_value((unsigned char)s[i])) < 0) {
			return -1;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == n) {
				return -1;
			}
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	for (; i < slen; i++) {
		if (s[i] != '=') {
			return -1;
		}
	}
	return o == n && acc == 0 ? 0 : -1;
}

/* l as the base64 of exactly n bytes (what: "a public key") */
static int decode_line(const struct line *l, uint8_t *out, size_t n,
	const char *what, char *why, size_t whysz)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		if (b64_value((unsigned char)l->p[i]) < 0 && l->p[i] != '=') {
			return hop_why(why, whysz, -EINVAL, "line %zu: not base64",
				l->no);
		}
	}
	if (l->len != B64_LEN(n)) {
		return hop_why(why, whysz, -EINVAL, "line %zu: %zu characters of "
			"base64 where %s has %zu", l->no, l->len, what,
			(size_t)B64_LEN(n));
	}
	if (b64_decode(l->p, l->len, out, n) < 0) {
		return hop_why(why, whysz, -EINVAL, "line %zu: not base64 as "
			"written (its padding or its last bits)", l->no);
	}
	return 0;
}

/* 16 uppercase hex digits of the id as a little-endian uint64, as
 * minisign prints it (le64_load, PRIX64) and writes it into its public
 * key file's comment */
static void keyid_hex(const uint8_t id[ID_LEN], char out[17])
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	for (i = 0; i < ID_LEN; i++) {
		out[2 * i] = hex[id[ID_LEN - 1 - i] >> 4];
		out[2 * i + 1] = hex[id[ID_LEN - 1 - i] & 15];
	}
	out[16] = '\0';
}

int sig_keys_parse(const char *text, size_t len, struct sig_keys *keys,
	char *why, size_t whysz)
{
	struct sig_keys k = *keys;	/* keys changes only on success */
	struct line l = { 0 };
	size_t off = 0, comment = 0, keylines = 0, i;
	uint8_t bin[KEY_BIN];
	char id[17];
	int err;

	if (why && whysz) {
		why[0] = '\0';
	}
	if (k.n > SIG_MAX_KEYS) {
		return hop_why(why, whysz, -E2BIG, "more than %d keys", SIG_MAX_KEYS);
	}
	if (len > SIG_KEYFILE_MAX) {
		return hop_why(why, whysz, -E2BIG, "a public key file of %zu bytes, "
			"at most %d", len, SIG_KEYFILE_MAX);
	}
	while (next_line(text, len, &off, &l)) {
		if ((err = line_check(&l, why, whysz)) < 0) {
			return err;
		}
		if (l.len == 0) {
			continue;
		}
		if (has_prefix(&l, COMMENT_PREFIX)) {
			if (l.len > SIG_COMMENT_MAX) {
				return hop_why(why, whysz, -EINVAL, "line %zu: an "
					"untrusted comment over %d bytes", l.no,
					SIG_COMMENT_MAX);
			}
			comment = l.no;
			continue;
		}
		if ((err = decode_line(&l, bin, KEY_BIN, "a public key", why,
			whysz)) < 0) {
			return err;
		}
		if (memcmp(bin, "Ed", ALG_LEN)) {
			return hop_why(why, whysz, -EINVAL, "line %zu: algorithm "
				"%02X%02X, not Ed25519 (\"Ed\")", l.no, bin[0],
				bin[1]);
		}
		comment = 0;
		keylines++;
		for (i = 0; i < k.n; i++) {
			if (!memcmp(k.key[i].id, bin + ALG_LEN, ID_LEN)) {
				break;
			}
		}
		if (i < k.n) {
			/* the same key twice is harmless; two keys under one
			 * id would make the id name either */
			if (memcmp(k.key[i].pk, bin + ALG_LEN + ID_LEN, PK_LEN)) {
				keyid_hex(bin + ALG_LEN, id);
				return hop_why(why, whysz, -EINVAL, "line %zu: key id "
					"%s is another key's already", l.no, id);
			}
			continue;
		}
		if (k.n == SIG_MAX_KEYS) {
			return hop_why(why, whysz, -E2BIG, "line %zu: more than %d "
				"keys", l.no, SIG_MAX_KEYS);
		}
		memcpy(k.key[k.n].id, bin + ALG_LEN, ID_LEN);
		memcpy(k.key[k.n].pk, bin + ALG_LEN + ID_LEN, PK_LEN);
		k.n++;
	}
	if (comment) {
		/* a file cut short, most likely */
		return hop_why(why, whysz, -EINVAL, "line %zu: an untrusted comment "
			"with no key after it", comment);
	}
	if (!keylines) {
		return hop_why(why, whysz, -EINVAL, "no public key in the file");
	}
	*keys = k;
	return 0;
}

int sig_verify(const uint8_t *data, size_t len, const char *sig,
	size_t siglen, const struct sig_keys *keys, char keyid[17], char *why,
	size_t whysz)
{
	static const uint8_t nothing[1];
	/* the lines that count: minisign's four, signify's two */
	struct line l[4], cur = { 0 };
	size_t off = 0, nl = 0, nkeys, i, tclen;
	uint8_t bin[SIG_BIN], global[SIGBYTES], digest[64];
	uint8_t signed_comment[SIGBYTES + SIG_FILE_MAX];
	const uint8_t *alg = bin, *id = bin + ALG_LEN;
	const uint8_t *sigbytes = bin + ALG_LEN + ID_LEN, *m;
	const struct sig_key *key = NULL;
	unsigned long long mlen;
	int prehashed, err;

	keyid[0] = '\0';
	if (why && whysz) {
		why[0] = '\0';
	}
	if (siglen > SIG_FILE_MAX) {
		return hop_why(why, whysz, -EINVAL, "a signature file of %zu bytes, "
			"at most %d", siglen, SIG_FILE_MAX);
	}
	while (next_line(sig, siglen, &off, &cur)) {
		if ((err = line_check(&cur, why, whysz)) < 0) {
			return err;
		}
		if (nl < 4) {
			l[nl++] = cur;
		} else if (cur.len) {
			return hop_why(why, whysz, -EINVAL, "line %zu: text after the "
				"signature", cur.no);
		}
	}
	/* blank lines at the end are an editor's, not a line of the format */
	while (nl && l[nl - 1].len == 0) {
		nl--;
	}
	if (nl == 0 || !has_prefix(&l[0], COMMENT_PREFIX)) {
		return hop_why(why, whysz, -EINVAL, "line 1: not an untrusted "
			"comment");
	}
	if (l[0].len > SIG_COMMENT_MAX) {
		return hop_why(why, whysz, -EINVAL, "line 1: an untrusted comment "
			"over %d bytes", SIG_COMMENT_MAX);
	}
	if (nl < 2) {
		return hop_why(why, whysz, -EINVAL, "line 2: missing (the "
			"signature)");
	}
	if ((err = decode_line(&l[1], bin, SIG_BIN, "a signature", why,
		whysz)) < 0) {
		return err;
	}
	keyid_hex(id, keyid);
	/* minisign's SIGALG_HASHED and SIGALG; signify's is the latter */
	prehashed = !memcmp(alg, "ED", ALG_LEN);
	if (!prehashed && memcmp(alg, "Ed", ALG_LEN)) {
		return hop_why(why, whysz, -EINVAL, "line 2: algorithm %02X%02X, "
			"neither Ed25519 (\"Ed\") nor minisign's prehashed "
			"Ed25519 (\"ED\")", alg[0], alg[1]);
	}
	if (nl == 2 && prehashed) {
		return hop_why(why, whysz, -EINVAL, "line 3: missing (minisign's "
			"trusted comment, which its prehashed signatures have)");
	}
	if (nl == 3) {
		return hop_why(why, whysz, -EINVAL, "line 4: missing (the trusted "
			"comment's signature)");
	}
	if (nl == 4) {
		if (!has_prefix(&l[2], TRUSTED_PREFIX)) {
			return hop_why(why, whysz, -EINVAL, "line 3: not a trusted "
				"comment");
		}
		if ((err = decode_line(&l[3], global, SIGBYTES, "a signature",
			why, whysz)) < 0) {
			return err;
		}
	}

	nkeys = keys ? (keys->n < SIG_MAX_KEYS ? keys->n : SIG_MAX_KEYS) : 0;
	for (i = 0; i < nkeys && !key; i++) {
		if (!memcmp(keys->key[i].id, id, ID_LEN)) {
			key = &keys->key[i];
		}
	}
	if (!key) {
		return hop_why(why, whysz, -ENOKEY, "signed by key %s, which "
			"hop.pubkey does not hold", keyid);
	}

	if (prehashed) {
		/* minisign's message_load_hashed: BLAKE2b-512, no key */
		crypto_generichash_blake2b(digest, sizeof(digest),
			data ? data : nothing, len, NULL, 0);
		m = digest;
		mlen = sizeof(digest);
	} else {
		m = data ? data : nothing;
		mlen = len;
	}
	if (crypto_sign_ed25519_verify_detached(sigbytes, m, mlen,
		key->pk) != 0) {
		return hop_why(why, whysz, -EBADMSG, "the signature does not match "
			"the file (a bad signature, or another file's)");
	}
	if (nl == 4) {
		/* minisign's verify: the global signature is over the
		 * signature and the trusted comment's text, its end of line
		 * left out */
		tclen = l[2].len - strlen(TRUSTED_PREFIX);
		memcpy(signed_comment, sigbytes, SIGBYTES);
		memcpy(signed_comment + SIGBYTES, l[2].p + strlen(TRUSTED_PREFIX),
			tclen);
		if (crypto_sign_ed25519_verify_detached(global, signed_comment,
			SIGBYTES + tclen, key->pk) != 0) {
			return hop_why(why, whysz, -EBADMSG, "the trusted comment's "
				"signature does not verify");
		}
	}
	return 0;
}
