/* Detached signatures of minisign and OpenBSD's signify, checked (issue
 * 21): Ed25519 (RFC 8032), and minisign's BLAKE2b-512 prehash (RFC 7693),
 * from libsodium, the library minisign itself uses. Pure: bytes in, a
 * result out, unit-tested and fuzzed. Key and signature files come from
 * a disk anyone may have written: every line is bounded, the base64 is
 * strict (exact lengths, padding, no stray bits), and no text of theirs
 * (comments, trusted or not) ever reaches why, only fixed words, line
 * numbers and hex.
 *
 * The formats (minisign's src/minisign.h and its manual; signify(1) and
 * OpenBSD's usr.bin/signify/signify.c):
 *   public key: "untrusted comment: ...\n" then base64 of "Ed", an 8-byte
 *     key id and the 32-byte Ed25519 key
 *   minisign signature: "untrusted comment: ...\n", base64 of "ED"
 *     (plain Ed25519 over the file's BLAKE2b-512 digest, not RFC 8032's
 *     Ed25519ph: the default of minisign 0.11, Debian bookworm's) or "Ed"
 *     (over the file itself: minisign -l), the key id and the 64-byte
 *     signature, "\n", "trusted comment: TEXT\n", base64 of the 64-byte
 *     signature over the first signature and TEXT
 *   signify signature: "untrusted comment: ...\n", base64 of "Ed", the key
 *     id and the 64-byte signature over the file */
#ifndef HOP_SIG_H
#define HOP_SIG_H

#include <stddef.h>
#include <stdint.h>

#define SIG_MAX_KEYS 16		/* keys hop.pubkey may name in all */
#define SIG_KEYFILE_MAX 16384	/* bytes of one public key file */
#define SIG_FILE_MAX 4096	/* bytes of one .minisig / .sig file */
/* bytes of an untrusted comment line, its end of line left out:
 * minisign reads them with fgets into COMMENTMAXBYTES (1024) */
#define SIG_COMMENT_MAX 1023

struct sig_key {
	uint8_t id[8];		/* as the files hold it; minisign prints it
				 * as a little-endian uint64 */
	uint8_t pk[32];		/* Ed25519 */
};

struct sig_keys {
	struct sig_key key[SIG_MAX_KEYS];
	size_t n;
};

/* adds the keys of one public key file's text (minisign's NAME.pub or
 * signify's NAME.pub: "untrusted comment: ..." lines, then a base64 line
 * of "Ed" + 8-byte key id + 32-byte Ed25519 key; a file may hold several
 * such keys one after another, and blank lines; CRLF ok; a bare base64
 * line ok, as `minisign -P` takes) to keys. A key already held (same id,
 * same key) is not added twice. 0; or -EINVAL (malformed: why names the
 * line and what is wrong; an id held by another key; no key at all),
 * -E2BIG (more than SIG_MAX_KEYS, or the file over SIG_KEYFILE_MAX bytes);
 * on an error keys is as it was. why: one sentence, no trailing period,
 * e.g. "line 2: not base64" */
int sig_keys_parse(const char *text, size_t len, struct sig_keys *keys,
	char *why, size_t whysz);

/* checks a detached signature file's text (sig[0..siglen), minisign's or
 * signify's, told apart by their lines) over data[0..len), against keys.
 * Returns 0: good (and, for minisign, its trusted comment's signature
 * too); -ENOKEY: its key id is none of keys; -EBADMSG: the signature does
 * not verify (a bad signature, or one of another file) or the trusted
 * comment's does not; -EINVAL: malformed, or an unknown algorithm.
 * keyid: the signature's key id as minisign prints it (16 uppercase hex
 * digits of the 8 bytes read as a little-endian uint64) when it could be
 * read, else "". why: one sentence saying what failed ("signed by key
 * 1234ABCD..., which hop.pubkey does not hold", "line 2: not base64").
 * The trusted comment's text is checked, never looked at or returned. A
 * legacy ("Ed") minisign signature's first two lines alone are a signify
 * signature and pass as one, as minisign's manual says its signatures do
 * ("Compatibility with OpenBSD signify") */
int sig_verify(const uint8_t *data, size_t len, const char *sig,
	size_t siglen, const struct sig_keys *keys, char keyid[17], char *why,
	size_t whysz);

#endif
