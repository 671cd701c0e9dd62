/* TPM 2.0 commands and responses, marshalled by hand (pure). hop sends
 * two commands, TPM2_GetCapability(TPM_CAP_PCRS) and TPM2_PCR_Extend with
 * an empty password: about 1 KB of code here, where tpm2-tss's ESAPI and
 * its marshalling library would add a few hundred KB and a dynamic
 * loader for TCTI modules. References: TCG TPM 2.0 Library spec, Part 2
 * (Structures) and Part 3 (Commands), rev. 01.59; the kernel does the
 * same in drivers/char/tpm/tpm2-cmd.c (tpm2_get_pcr_allocation,
 * tpm2_pcr_extend). Every integer on the wire is big-endian (Part 1,
 * 18.2). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bearssl.h>

#include "hop.h"
#include "tpm.h"

#define TPM_ST_NO_SESSIONS 0x8001	/* Part 2, 6.9 */
#define TPM_ST_SESSIONS 0x8002
#define TPM_CC_PCR_EXTEND 0x00000182	/* Part 2, 6.5.2 */
#define TPM_CC_GET_CAPABILITY 0x0000017A
#define TPM_CC_PCR_READ 0x0000017E
#define TPM_CAP_PCRS 0x00000005		/* Part 2, 6.12 */
#define TPM_RS_PW 0x40000009		/* Part 2, 7.4 */
#define TPM_HDR 10		/* tag, size, command or response code */

static const struct {
	uint16_t alg;
	uint8_t size;
	char name[7];
} algs_known[] = {
	{ TPM_ALG_SHA1, 20, "sha1" },
	{ TPM_ALG_SHA256, 32, "sha256" },
	{ TPM_ALG_SHA384, 48, "sha384" },
	{ TPM_ALG_SHA512, 64, "sha512" },
};
#define NALGS (sizeof(algs_known) / sizeof(algs_known[0]))

const char *tpm_alg_name(uint16_t alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++) {
		if (algs_known[i].alg == alg) {
			return algs_known[i].name;
		}
	}
	return NULL;
}

size_t tpm_alg_size(uint16_t alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++) {
		if (algs_known[i].alg == alg) {
			return algs_known[i].size;
		}
	}
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static void header(uint8_t *buf, uint16_t tag, uint32_t size, uint32_t cc)
{
	put16(buf, tag);
	put32(buf + 2, size);
	put32(buf + 6, cc);
}

/* Part 3, 30.2: capability, property (the first PCR selection: 0 as the
 * kernel asks), propertyCount (1: TPM_CAP_PCRS always answers with every
 * bank in one TPML_PCR_SELECTION) */
size_t tpm_cmd_pcrs(uint8_t *buf, size_t sz)
{
	if (sz < TPM_HDR + 12) {
		return 0;
	}
	header(buf, TPM_ST_NO_SESSIONS, TPM_HDR + 12, TPM_CC_GET_CAPABILITY);
	put32(buf + 10, TPM_CAP_PCRS);
	put32(buf + 14, 0);
	put32(buf + 18, 1);
	return TPM_HDR + 12;
}

/* Part 3, 22.2: the handle pcrHandle; the authorization area (Part 1,
 * 18.7: its size, then TPMS_AUTH_COMMAND: TPM_RS_PW, an empty nonce,
 * sessionAttributes 0, an empty password, as the kernel's
 * tpm_buf_append_auth does); then TPML_DIGEST_VALUES: a count and one
 * TPMT_HA (hashAlg, the digest's bytes) per bank */
size_t tpm_cmd_extend(uint8_t *buf, size_t sz, unsigned pcr,
	const struct tpm_digests *d)
{
	size_t len = TPM_HDR + 4 + 4 + 9 + 4, i;

	if (pcr > TPM_MAX_PCR || !d->n || d->n > TPM_MAX_BANKS) {
		return 0;
	}
	for (i = 0; i < d->n; i++) {
		if (d->v[i].len > sizeof(d->v[i].d)) {
			return 0;
		}
		len += 2 + d->v[i].len;
	}
	if (len > sz) {
		return 0;
	}
	header(buf, TPM_ST_SESSIONS, len, TPM_CC_PCR_EXTEND);
	put32(buf + 10, pcr);		/* TPM_HR_PCR (0) + pcr */
	put32(buf + 14, 9);		/* authorizationSize */
	put32(buf + 18, TPM_RS_PW);
	put16(buf + 22, 0);		/* nonceCaller */
	buf[24] = 0;			/* sessionAttributes */
	put16(buf + 25, 0);		/* hmac: the empty password */
	put32(buf + 27, d->n);
	len = 31;
	for (i = 0; i < d->n; i++) {
		put16(buf + len, d->v[i].alg);
		memcpy(buf + len + 2, d->v[i].d, d->v[i].len);
		len += 2 + d->v[i].len;
	}
	return len;
}

int tpm_parse_rc(const uint8_t *rsp, size_t n, uint32_t *rc, char *why,
	size_t whysz)
{
	uint16_t tag;

	*rc = 0;
	if (n < TPM_HDR) {
		return hop_why(why, whysz, -EPROTO, "a response of %zu bytes: "
			"shorter than its 10-byte header", n);
	}
	tag = get16(rsp);
	if (tag != TPM_ST_NO_SESSIONS && tag != TPM_ST_SESSIONS) {
		return hop_why(why, whysz, -EPROTO, "the response's tag 0x%04x "
			"is not TPM_ST_NO_SESSIONS or TPM_ST_SESSIONS", tag);
	}
	if (get32(rsp + 2) != n) {
		return hop_why(why, whysz, -EPROTO, "the response says it is %u "
			"bytes; %zu arrived", get32(rsp + 2), n);
	}
	*rc = get32(rsp + 6);
	if (*rc) {
		char t[64];

		return hop_why(why, whysz, -EIO, "the TPM answered %s",
			tpm_rc_text(*rc, t, sizeof(t)));
	}
	return 0;
}

/* Part 3, 30.2: moreData, the capability (TPM_CAP_PCRS), then
 * TPML_PCR_SELECTION (Part 2, 10.9.7): a count, then per bank
 * TPMS_PCR_SELECTION: hash, sizeofSelect, pcrSelect (bit p%8 of byte
 * p/8 for PCR p; a bank not allocated has every bit clear) */
int tpm_parse_pcrs(const uint8_t *rsp, size_t n, unsigned pcr,
	uint16_t *algs, size_t *nalgs, uint32_t *rc, char *why, size_t whysz)
{
	size_t off = TPM_HDR + 5, i, count, sel;
	int err;

	*nalgs = 0;
	err = tpm_parse_rc(rsp, n, rc, why, whysz);
	if (err) {
		return err;
	}
	if (n < off + 4) {
		return hop_why(why, whysz, -EPROTO, "TPM_CAP_PCRS: a response of "
			"%zu bytes, without its selection count", n);
	}
	if (get32(rsp + TPM_HDR + 1) != TPM_CAP_PCRS) {
		return hop_why(why, whysz, -EPROTO, "TPM_CAP_PCRS: the response "
			"is about capability %u", get32(rsp + TPM_HDR + 1));
	}
	count = get32(rsp + off);
	off += 4;
	for (i = 0; i < count; i++) {
		uint16_t alg;

		if (n - off < 3) {
			return hop_why(why, whysz, -EPROTO, "TPM_CAP_PCRS: "
				"selection %zu of %zu is cut short", i + 1, count);
		}
		alg = get16(rsp + off);
		sel = rsp[off + 2];
		off += 3;
		if (n - off < sel) {
			return hop_why(why, whysz, -EPROTO, "TPM_CAP_PCRS: the %u "
				"bytes of selection %zu's pcrSelect are cut short",
				(unsigned)sel, i + 1);
		}
		if (pcr / 8 < sel && rsp[off + pcr / 8] & 1u << pcr % 8) {
			if (*nalgs == TPM_MAX_BANKS) {
				return hop_why(why, whysz, -EPROTO, "TPM_CAP_PCRS: "
					"more than %d banks", TPM_MAX_BANKS);
			}
			algs[(*nalgs)++] = alg;
		}
		off += sel;
	}
	return 0;
}

/* Part 3, 22.4: TPML_PCR_SELECTION pcrSelectionIn: a count, then per
 * bank hash, sizeofSelect (3: PCRs 0-23) and the bitmap with pcr's bit */
size_t tpm_cmd_pcr_read(uint8_t *buf, size_t sz, unsigned pcr,
	const uint16_t *algs, size_t nalgs)
{
	size_t len = TPM_HDR + 4 + 6 * nalgs, i;

	if (pcr > TPM_MAX_PCR || !nalgs || nalgs > TPM_MAX_BANKS || len > sz) {
		return 0;
	}
	header(buf, TPM_ST_NO_SESSIONS, len, TPM_CC_PCR_READ);
	put32(buf + TPM_HDR, nalgs);
	for (i = 0; i < nalgs; i++) {
		uint8_t *b = buf + TPM_HDR + 4 + 6 * i;

		put16(b, algs[i]);
		b[2] = 3;
		b[3] = b[4] = b[5] = 0;
		b[3 + pcr / 8] = 1u << pcr % 8;
	}
	return len;
}

/* its response: pcrUpdateCounter, pcrSelectionOut (the banks answered,
 * in order), TPML_DIGEST pcrValues (a count, then TPM2B_DIGESTs: a size
 * and the bytes), one digest per bank whose pcr bit is set */
int tpm_parse_pcr_read(const uint8_t *rsp, size_t n, unsigned pcr,
	struct tpm_digests *out, uint32_t *rc, char *why, size_t whysz)
{
	uint16_t banks[TPM_MAX_BANKS];
	size_t off = TPM_HDR + 4, i, count, nb = 0;
	int err;

	out->n = 0;
	err = tpm_parse_rc(rsp, n, rc, why, whysz);
	if (err) {
		return err;
	}
	if (n < off + 4) {
		return hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: a response "
			"of %zu bytes, without its selection", n);
	}
	count = get32(rsp + off);
	off += 4;
	for (i = 0; i < count; i++) {
		size_t sel;

		if (n - off < 3 || n - off - 3 < rsp[off + 2]) {
			return hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: "
				"selection %zu of %zu is cut short", i + 1, count);
		}
		sel = rsp[off + 2];
		if (pcr / 8 < sel && rsp[off + 3 + pcr / 8] & 1u << pcr % 8) {
			if (nb == TPM_MAX_BANKS) {
				return hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: "
					"more than %d banks", TPM_MAX_BANKS);
			}
			banks[nb++] = get16(rsp + off);
		}
		off += 3 + sel;
	}
	if (n - off < 4 || get32(rsp + off) != nb) {
		return hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: %zu banks "
			"selected, the digests' count differs or is cut short",
			nb);
	}
	off += 4;
	for (i = 0; i < nb; i++) {
		size_t len = n - off >= 2 ? get16(rsp + off) : 0;

		if (n - off < 2 || n - off - 2 < len ||
			len != tpm_alg_size(banks[i])) {
			return hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: digest "
				"%zu (bank 0x%04x) is cut short or of the wrong "
				"size", i + 1, banks[i]);
		}
		out->v[i].alg = banks[i];
		out->v[i].len = (uint8_t)len;
		memcpy(out->v[i].d, rsp + off + 2, len);
		off += 2 + len;
	}
	out->n = nb;
	return 0;
}

static const struct {
	uint16_t code;
	char name[20];
} rc_names[] = {
	/* format 0, TPM_RC_VER1 + (Part 2, 6.6.3) */
	{ 0x100, "INITIALIZE" }, { 0x101, "FAILURE" }, { 0x103, "SEQUENCE" },
	{ 0x120, "DISABLED" }, { 0x121, "EXCLUSIVE" },
	{ 0x124, "AUTH_TYPE" }, { 0x125, "AUTH_MISSING" }, { 0x126, "POLICY" },
	{ 0x127, "PCR" }, { 0x128, "PCR_CHANGED" }, { 0x12D, "UPGRADE" },
	{ 0x12E, "TOO_MANY_CONTEXTS" }, { 0x12F, "AUTH_UNAVAILABLE" },
	{ 0x130, "REBOOT" }, { 0x131, "UNBALANCED" },
	{ 0x142, "COMMAND_SIZE" }, { 0x143, "COMMAND_CODE" },
	{ 0x144, "AUTHSIZE" }, { 0x145, "AUTH_CONTEXT" },
	{ 0x153, "NEEDS_TEST" }, { 0x154, "NO_RESULT" },
	/* format 1, TPM_RC_FMT1 + (without the parameter, handle or
	 * session number) */
	{ 0x081, "ASYMMETRIC" }, { 0x082, "ATTRIBUTES" }, { 0x083, "HASH" },
	{ 0x084, "VALUE" }, { 0x085, "HIERARCHY" }, { 0x087, "KEY_SIZE" },
	{ 0x089, "MODE" }, { 0x08A, "TYPE" }, { 0x08B, "HANDLE" },
	{ 0x08D, "RANGE" }, { 0x08E, "AUTH_FAIL" }, { 0x08F, "NONCE" },
	{ 0x090, "PP" }, { 0x092, "SCHEME" }, { 0x095, "SIZE" },
	{ 0x096, "SYMMETRIC" }, { 0x097, "TAG" }, { 0x098, "SELECTOR" },
	{ 0x09A, "INSUFFICIENT" }, { 0x09D, "POLICY_FAIL" },
	{ 0x09F, "INTEGRITY" }, { 0x0A1, "RESERVED_BITS" },
	{ 0x0A2, "BAD_AUTH" }, { 0x0A3, "EXPIRED" },
	/* format 0, TPM_RC_WARN + */
	{ 0x901, "CONTEXT_GAP" }, { 0x902, "OBJECT_MEMORY" },
	{ 0x903, "SESSION_MEMORY" }, { 0x904, "MEMORY" },
	{ 0x905, "SESSION_HANDLES" }, { 0x906, "OBJECT_HANDLES" },
	{ 0x907, "LOCALITY" }, { 0x908, "YIELDED" }, { 0x909, "CANCELED" },
	{ 0x90A, "TESTING" }, { 0x920, "NV_RATE" }, { 0x921, "LOCKOUT" },
	{ 0x922, "RETRY" }, { 0x923, "NV_UNAVAILABLE" },
};

/* Part 2, 6.6: format 1 (bit 7) carries the error in bits 0-5 and, in
 * bits 8-11, the parameter (bit 6 set), session (bit 11 set) or handle it
 * is about; format 0 is VER1 (bit 8) or WARN (bits 8 and 11) plus the
 * error in bits 0-6, vendor-defined with bit 10; below 0x100 a TPM 1.2
 * code (TPM_RC_BAD_TAG, 0x1E, is what a 2.0 TPM answers to 1.2) */
const char *tpm_rc_text(uint32_t rc, char *buf, size_t sz)
{
	uint32_t code = rc, num = 0;
	const char *what = NULL, *name = NULL;
	size_t i;

	if (rc & 0x80) {
		code = 0x80 | (rc & 0x3f);
		num = rc >> 8 & 0xf;
		what = rc & 0x40 ? "parameter" : "handle";
		if (!(rc & 0x40) && num & 8) {
			what = "session";
			num &= 7;
		}
	}
	for (i = 0; i < sizeof(rc_names) / sizeof(rc_names[0]); i++) {
		if (rc_names[i].code == code) {
			name = rc_names[i].name;
		}
	}
	if (rc == 0x1E) {
		name = "BAD_TAG";
	}
	if (!name) {
		snprintf(buf, sz, "TPM_RC 0x%x%s", (unsigned)rc,
			!(rc & 0x180) ? " (TPM 1.2)" : rc & 0x400 ?
			" (vendor-defined)" : "");
	} else if (what && num) {
		snprintf(buf, sz, "TPM_RC_%s (%s %u, 0x%x)", name, what,
			(unsigned)num, (unsigned)rc);
	} else {
		snprintf(buf, sz, "TPM_RC_%s (0x%x)", name, (unsigned)rc);
	}
	return buf;
}

static const br_hash_class *hash_class(uint16_t alg)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		return &br_sha1_vtable;
	case TPM_ALG_SHA256:
		return &br_sha256_vtable;
	case TPM_ALG_SHA384:
		return &br_sha384_vtable;
	case TPM_ALG_SHA512:
		return &br_sha512_vtable;
	}
	return NULL;
}

/* one pass: each chunk goes to every context while it is in the cache
 * (a kernel or initrd of tens of MB is read once, hashed for each bank) */
int tpm_hash(const uint16_t *algs, size_t nalgs, const void *data,
	size_t len, struct tpm_digests *out)
{
	br_hash_compat_context ctx[TPM_MAX_BANKS];
	const uint8_t *p = data;
	size_t i, off, chunk;

	out->n = 0;
	if (nalgs > TPM_MAX_BANKS) {
		return -EINVAL;
	}
	for (i = 0; i < nalgs; i++) {
		const br_hash_class *c = hash_class(algs[i]);

		if (!c) {
			return -ENOTSUP;
		}
		c->init(&ctx[i].vtable);
	}
	for (off = 0; off < len; off += chunk) {
		chunk = len - off < 16384 ? len - off : 16384;
		for (i = 0; i < nalgs; i++) {
			ctx[i].vtable->update(&ctx[i].vtable, p + off, chunk);
		}
	}
	for (i = 0; i < nalgs; i++) {
		out->v[i].alg = algs[i];
		out->v[i].len = tpm_alg_size(algs[i]);
		memset(out->v[i].d, 0, sizeof(out->v[i].d));
		ctx[i].vtable->out(&ctx[i].vtable, out->v[i].d);
	}
	out->n = nalgs;
	return 0;
}
