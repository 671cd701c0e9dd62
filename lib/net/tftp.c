/* TFTP packets: built and parsed. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net.h"
#include "tftp.h"

size_t tftp_rrq(const char *name, uint8_t *out, size_t outsz)
{
	int n;

	if (outsz > TFTP_REQ_MAX) {
		outsz = TFTP_REQ_MAX;
	}
	if (!name[0] || outsz < 2) {
		return 0;
	}
	out[0] = 0;
	out[1] = TFTP_RRQ;
	/* name, mode and the options, each NUL-terminated */
	n = snprintf((char *)out + 2, outsz - 2, "%s%coctet%cblksize%c%u%c"
		"tsize%c0", name, 0, 0, 0, TFTP_BLKSIZE_WANT, 0, 0);
	if (n < 0 || (size_t)n + 1 > outsz - 2) {
		return 0;
	}
	return 2 + (size_t)n + 1;
}

size_t tftp_ack(uint16_t block, uint8_t *out)
{
	out[0] = 0;
	out[1] = TFTP_ACK;
	out[2] = (uint8_t)(block >> 8);
	out[3] = (uint8_t)block;
	return 4;
}

/* a decimal number of at most 20 digits in [p, p + n) into *v */
static int number(const char *p, size_t n, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 19) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return -1;
		}
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return 0;
}

static int oack(const uint8_t *p, size_t len, struct tftp_msg *m,
	char *why, size_t whysz)
{
	const char *s = (const char *)p, *end = s + len;

	while (s < end) {
		const char *name = s, *val, *ve;
		uint64_t v;

		s = memchr(name, 0, (size_t)(end - name));
		if (!s) {
			return net_fail(why, whysz, "an option name without its "
				"NUL in the OACK");
		}
		val = s + 1;
		ve = val < end ? memchr(val, 0, (size_t)(end - val)) : NULL;
		if (!ve) {
			return net_fail(why, whysz, "option %.32s without a value "
				"in the OACK", name);
		}
		s = ve + 1;
		if (number(val, (size_t)(ve - val), &v) < 0) {
			return net_fail(why, whysz, "option %.32s = %.32s in the "
				"OACK is not a number", name, val);
		}
		if (strcasecmp(name, "blksize") == 0) {
			if (v < TFTP_BLKSIZE_MIN || v > TFTP_BLKSIZE_WANT) {
				return net_fail(why, whysz, "blksize %llu in the "
					"OACK: asked for %d at most",
					(unsigned long long)v,
					TFTP_BLKSIZE_WANT);
			}
			m->blksize = (uint32_t)v;
		} else if (strcasecmp(name, "tsize") == 0) {
			m->tsize = v;
			m->has_tsize = 1;
		} else {
			return net_fail(why, whysz, "option %.32s in the OACK: "
				"not asked for", name);
		}
	}
	return 0;
}

int tftp_parse(const uint8_t *pkt, size_t len, uint32_t blksize,
	struct tftp_msg *m, char *why, size_t whysz)
{
	size_t i, n;

	memset(m, 0, sizeof(*m));
	if (len < 4 && !(len >= 2 && pkt[0] == 0 && pkt[1] == TFTP_OACK)) {
		return net_fail(why, whysz, "a packet of %zu bytes", len);
	}
	m->op = pkt[0] << 8 | pkt[1];
	switch (m->op) {
	case TFTP_DATA:
		m->block = (uint16_t)(pkt[2] << 8 | pkt[3]);
		m->data = pkt + 4;
		m->len = len - 4;
		if (m->len > blksize) {
			return net_fail(why, whysz, "block %u holds %zu bytes, the "
				"block size is %u", m->block, m->len,
				(unsigned)blksize);
		}
		return 0;
	case TFTP_ERROR:
		m->code = (uint16_t)(pkt[2] << 8 | pkt[3]);
		n = strnlen((const char *)pkt + 4, len - 4);
		for (i = 0; i < n && i < TFTP_MSG_MAX; i++) {
			uint8_t c = pkt[4 + i];

			m->text[i] = (char)(c >= 0x20 && c < 0x7f ? c : '?');
		}
		m->text[i] = '\0';
		return 0;
	case TFTP_OACK:
		return oack(pkt + 2, len - 2, m, why, whysz);
	default:
		return net_fail(why, whysz, "opcode %d from the server", m->op);
	}
}
