/* TPM 2.0: PCR banks, PCR_Extend and digests (issue 21). tpm.c is pure:
 * commands marshalled and responses parsed by hand, after the TCG TPM 2.0
 * Library spec (Part 2, Structures; Part 3, Commands; rev. 01.59);
 * tpmdev.c is the only file that talks to /dev/tpm*. */
#ifndef HOP_TPM_H
#define HOP_TPM_H

#include <stddef.h>
#include <stdint.h>

/* TPM_ALG_ID (Part 2, 6.3) of the hashes hop computes */
#define TPM_ALG_SHA1 0x0004
#define TPM_ALG_SHA256 0x000B
#define TPM_ALG_SHA384 0x000C
#define TPM_ALG_SHA512 0x000D
#define TPM_MAX_BANKS 8		/* every TPM_ALG_ID hash Part 2 lists */
#define TPM_MAX_PCR 23		/* PC Client: PCRs 0-23 */
#define TPM_RSP_MAX 4096	/* the kernel's TPM_BUFSIZE */

struct tpm_digest {
	uint16_t alg;
	uint8_t len;
	uint8_t d[64];
};
struct tpm_digests {
	size_t n;
	struct tpm_digest v[TPM_MAX_BANKS];
};

/* "sha256", ..., NULL for another algorithm */
const char *tpm_alg_name(uint16_t alg);
/* the digest's bytes, 0 for an algorithm hop does not know */
size_t tpm_alg_size(uint16_t alg);

/* TPM2_GetCapability(TPM_CAP_PCRS) into buf: its length, 0 when buf is
 * too small */
size_t tpm_cmd_pcrs(uint8_t *buf, size_t sz);
/* its response rsp[0..n): the banks in which PCR pcr is active (allocated
 * and its bit set in pcrSelect), in the TPM's order, into algs (room for
 * TPM_MAX_BANKS) and *nalgs. 0; -EPROTO for a malformed response (why
 * says where); -EIO with *rc set when the TPM answered an error */
int tpm_parse_pcrs(const uint8_t *rsp, size_t n, unsigned pcr,
	uint16_t *algs, size_t *nalgs, uint32_t *rc, char *why, size_t whysz);
/* TPM2_PCR_Extend(pcr, d) authorized by an empty password session
 * (TPM_RS_PW) into buf: its length, 0 when buf is too small or pcr or d
 * is out of range. Only d's banks are extended: the caller gives one
 * digest for every active bank, or the others stay forgeable */
size_t tpm_cmd_extend(uint8_t *buf, size_t sz, unsigned pcr,
	const struct tpm_digests *d);
/* TPM2_PCR_Read(pcr in each of algs) into buf: its length, 0 when buf is
 * too small or an argument out of range */
size_t tpm_cmd_pcr_read(uint8_t *buf, size_t sz, unsigned pcr,
	const uint16_t *algs, size_t nalgs);
/* its response: the value of PCR pcr in each bank the TPM answered for,
 * into out. 0, -EPROTO (malformed, why) or -EIO with *rc */
int tpm_parse_pcr_read(const uint8_t *rsp, size_t n, unsigned pcr,
	struct tpm_digests *out, uint32_t *rc, char *why, size_t whysz);
/* a response's header: 0, -EPROTO (malformed) or -EIO with *rc */
int tpm_parse_rc(const uint8_t *rsp, size_t n, uint32_t *rc, char *why,
	size_t whysz);
/* rc's name as Part 2, 6.6 spells it, with the handle, session or
 * parameter it is about ("TPM_RC_VALUE (parameter 1, 0x1c4)"), into buf;
 * returns buf */
const char *tpm_rc_text(uint32_t rc, char *buf, size_t sz);
/* data's digest for each of algs[0..nalgs) (one pass over data) into
 * out: 0, -EINVAL (more than TPM_MAX_BANKS) or -ENOTSUP for an algorithm
 * hop cannot compute (SM3, SHA-3) */
int tpm_hash(const uint16_t *algs, size_t nalgs, const void *data,
	size_t len, struct tpm_digests *out);

/* ---- tpmdev.c: the TPM character device ---- */
#define TPM_TIMEOUT_MS 120000	/* above Part 3's longest (TPM2_CreatePrimary
				 * on a slow TPM), far above PCR_Extend */
/* /dev/tpmrm0 (the kernel's resource manager), else /dev/tpm0: an fd and
 * *path, or -errno (-ENOENT: neither exists) */
int tpmdev_open(const char **path);
/* cmd[0..n) sent, its response into rsp: the response's length, or
 * -errno (-ETIMEDOUT after timeout_ms) */
int tpmdev_transmit(int fd, const uint8_t *cmd, size_t n, uint8_t *rsp,
	size_t rspsz, int timeout_ms);
/* the banks in which PCR pcr is active (algs: room for TPM_MAX_BANKS):
 * 0 or -errno with why */
int tpm_active_banks(int fd, unsigned pcr, uint16_t *algs, size_t *n,
	char *why, size_t whysz);
/* PCR pcr's value in each of algs (in that order) into out: 0 or -errno
 * with why; -EPROTO when the TPM left one out */
int tpm_pcr_read(int fd, unsigned pcr, const uint16_t *algs, size_t nalgs,
	struct tpm_digests *out, char *why, size_t whysz);
/* TPM2_PCR_Extend(pcr, d): 0 or -errno with why (the TPM's error by
 * name) */
int tpm_extend(int fd, unsigned pcr, const struct tpm_digests *d, char *why,
	size_t whysz);

#endif
