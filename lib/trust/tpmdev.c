/* The TPM character device: the only file of lib/trust/ with syscalls.
 * The kernel takes one whole command per write(2) and gives its whole
 * response to the read(2) that follows (drivers/char/tpm/tpm-dev-common.c);
 * with O_NONBLOCK the write only queues the command (Linux >= 5.3; before,
 * it runs it) and poll(2) says when the response is there, so a TPM that
 * never answers costs a timeout, not the boot. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "hop.h"
#include "tpm.h"

/* a PCR_Read command: its header, a count, 6 bytes per bank */
#define TPM_HDR_MAX_READ (10 + 4 + 6 * TPM_MAX_BANKS)

int tpmdev_open(const char **path)
{
	/* tpmrm0 first: the resource manager lets other users (systemd,
	 * the next system's tpm2-abrmd) share the TPM while hop holds it;
	 * tpm0 is exclusive */
	static const char *const paths[] = { "/dev/tpmrm0", "/dev/tpm0" };
	int fd = -ENOENT;
	size_t i;

	for (i = 0; i < 2; i++) {
		fd = open(paths[i], O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			*path = paths[i];
			return fd;
		}
		fd = -errno;
		if (fd != -ENOENT && fd != -ENODEV && fd != -ENXIO) {
			*path = paths[i];
			return fd;
		}
	}
	*path = paths[1];
	return -ENOENT;
}

int tpmdev_transmit(int fd, const uint8_t *cmd, size_t n, uint8_t *rsp,
	size_t rspsz, int timeout_ms)
{
	long long end = mono_ms() + timeout_ms, left;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t r;

	do {
		r = write(fd, cmd, n);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		return -errno;
	}
	if ((size_t)r != n) {
		return -EIO;
	}
	for (;;) {
		left = end - mono_ms();
		if (left <= 0) {
			return -ETIMEDOUT;
		}
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno != EINTR) {
			return -errno;
		}
		if (r > 0) {
			break;
		}
	}
	do {
		r = read(fd, rsp, rspsz);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : (int)r;
}

/* the command, its response into a buffer of TPM_RSP_MAX bytes: its
 * length, or -errno with why */
static int transact(int fd, const uint8_t *cmd, size_t n, uint8_t *rsp,
	const char *what, char *why, size_t whysz)
{
	int r = tpmdev_transmit(fd, cmd, n, rsp, TPM_RSP_MAX, TPM_TIMEOUT_MS);

	if (r < 0 && why && whysz) {
		snprintf(why, whysz, "%s: %s", what, r == -ETIMEDOUT ?
			"no answer from the TPM" : errname(r));
	}
	return r;
}

/* err from a parser, its reason w after the command's name */
static int answer(int err, const char *what, const char *w, char *why,
	size_t whysz)
{
	if (err && why && whysz) {
		snprintf(why, whysz, "%s: %s", what, w);
	}
	return err;
}

int tpm_active_banks(int fd, unsigned pcr, uint16_t *algs, size_t *n,
	char *why, size_t whysz)
{
	uint8_t cmd[32], rsp[TPM_RSP_MAX];
	uint32_t rc;
	char w[160];
	int r;

	*n = 0;
	r = transact(fd, cmd, tpm_cmd_pcrs(cmd, sizeof(cmd)), rsp,
		"TPM2_GetCapability", why, whysz);
	if (r < 0) {
		return r;
	}
	return answer(tpm_parse_pcrs(rsp, r, pcr, algs, n, &rc, w,
		sizeof(w)), "TPM2_GetCapability", w, why, whysz);
}

int tpm_pcr_read(int fd, unsigned pcr, const uint16_t *algs, size_t nalgs,
	struct tpm_digests *out, char *why, size_t whysz)
{
	uint8_t cmd[TPM_HDR_MAX_READ], rsp[TPM_RSP_MAX];
	size_t n = tpm_cmd_pcr_read(cmd, sizeof(cmd), pcr, algs, nalgs), i;
	uint32_t rc;
	char w[160];
	int r;

	out->n = 0;
	r = n ? transact(fd, cmd, n, rsp, "TPM2_PCR_Read", why, whysz) :
		-EINVAL;
	if (r < 0) {
		return r;
	}
	r = answer(tpm_parse_pcr_read(rsp, (size_t)r, pcr, out, &rc, w,
		sizeof(w)), "TPM2_PCR_Read", w, why, whysz);
	for (i = 0; r == 0 && i < nalgs; i++) {
		if (i >= out->n || out->v[i].alg != algs[i]) {
			r = hop_why(why, whysz, -EPROTO, "TPM2_PCR_Read: no "
				"value of PCR %u in bank 0x%04x", pcr, algs[i]);
		}
	}
	return r;
}

int tpm_extend(int fd, unsigned pcr, const struct tpm_digests *d, char *why,
	size_t whysz)
{
	uint8_t cmd[31 + TPM_MAX_BANKS * 66], rsp[TPM_RSP_MAX];
	size_t n = tpm_cmd_extend(cmd, sizeof(cmd), pcr, d);
	uint32_t rc;
	char w[160];
	int r;

	if (!n) {
		if (why && whysz) {
			snprintf(why, whysz, "TPM2_PCR_Extend: PCR %u or its "
				"%zu digests out of range", pcr, d->n);
		}
		return -EINVAL;
	}
	r = transact(fd, cmd, n, rsp, "TPM2_PCR_Extend", why, whysz);
	if (r < 0) {
		return r;
	}
	return answer(tpm_parse_rc(rsp, r, &rc, w, sizeof(w)),
		"TPM2_PCR_Extend", w, why, whysz);
}
