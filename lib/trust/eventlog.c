/* The TCG PC Client crypto-agile event log, written and read (pure).
 * TCG PC Client Platform Firmware Profile (PFP) 1.05 rev. 23: the log
 * starts with a TCG_PCClientPCREvent in the SHA-1 format (10.2.1) of type
 * EV_NO_ACTION whose data is the TCG_EfiSpecIDEventStruct (10.4.5.1)
 * "Spec ID Event03": the banks and their digest sizes, which a reader
 * needs to step over every later TCG_PCR_EVENT2 (10.2.2: pcrIndex,
 * eventType, TPML_DIGEST_VALUES, eventSize, event). The kernel reads the
 * same layout in include/linux/tpm_eventlog.h (__calc_tpm2_event_size);
 * tpm2-tools' tpm2_eventlog reads what evlog_add writes. A log read back
 * is hostile: every size is checked against the header and the bytes
 * left before it is used. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "hop.h"

#define SPEC_ID_SIG "Spec ID Event03"	/* 16 bytes with its NUL */
#define LOCALITY_SIG "StartupLocality"	/* PFP 10.4.5.3, 16 with NUL */
#define OLD_EVENT_HDR 32	/* pcrIndex, eventType, SHA-1 digest, size */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/* room for n more bytes: 0, -E2BIG or -ENOMEM */
static int grow(struct evlog *l, size_t n)
{
	size_t cap = l->cap ? l->cap : 1024;
	uint8_t *p;

	if (n > EVLOG_MAX - l->len) {
		return -E2BIG;
	}
	while (cap - l->len < n) {
		cap *= 2;
	}
	if (cap > EVLOG_MAX) {
		cap = EVLOG_MAX;
	}
	if (cap != l->cap) {
		p = realloc(l->buf, cap);
		if (!p) {
			return -ENOMEM;
		}
		l->buf = p;
		l->cap = cap;
	}
	return 0;
}

int evlog_start(struct evlog *l, const uint16_t *algs, size_t nalgs)
{
	size_t evsize = 29 + 4 * nalgs, i, j;
	uint8_t *p;
	int err;

	memset(l, 0, sizeof(*l));
	if (!nalgs || nalgs > TPM_MAX_BANKS) {
		return -EINVAL;
	}
	for (i = 0; i < nalgs; i++) {
		for (j = 0; j < i; j++) {
			if (algs[j] == algs[i]) {
				return -EINVAL;
			}
		}
		if (!tpm_alg_size(algs[i])) {
			return -EINVAL;
		}
	}
	err = grow(l, OLD_EVENT_HDR + evsize);
	if (err) {
		return err;
	}
	p = l->buf;
	memset(p, 0, OLD_EVENT_HDR + evsize);
	put32(p + 4, EV_NO_ACTION);	/* PCR 0, a digest of zeros */
	put32(p + 28, evsize);
	p += OLD_EVENT_HDR;
	memcpy(p, SPEC_ID_SIG, 16);
	/* platformClass 0 (client), specVersionMinor 0, Major 2, errata 0 */
	p[21] = 2;
	/* uintnSize: 1 for UINT32, 2 for UINT64, the firmware's UINTN */
	p[23] = sizeof(long) == 8 ? 2 : 1;
	put32(p + 24, nalgs);
	for (i = 0; i < nalgs; i++) {
		put16(p + 28 + 4 * i, algs[i]);
		put16(p + 30 + 4 * i, tpm_alg_size(algs[i]));
	}
	/* vendorInfoSize 0: already */
	l->len = OLD_EVENT_HDR + evsize;
	return 0;
}

int evlog_add(struct evlog *l, unsigned pcr, uint32_t type,
	const struct tpm_digests *d, const void *event, size_t evlen)
{
	const uint8_t *spec = l->buf + OLD_EVENT_HDR;
	size_t need, i;
	uint8_t *p;
	int err;

	if (evlen > EVLOG_MAX) {
		return -E2BIG;
	}
	need = 16 + evlen;
	/* the banks of evlog_start's header, which hop wrote itself */
	if (!l->buf || pcr > TPM_MAX_PCR || d->n != get32(spec + 24)) {
		return -EINVAL;
	}
	for (i = 0; i < d->n; i++) {
		if (d->v[i].alg != get16(spec + 28 + 4 * i) ||
			d->v[i].len != get16(spec + 30 + 4 * i)) {
			return -EINVAL;
		}
		need += 2 + d->v[i].len;
	}
	err = grow(l, need);
	if (err) {
		return err;
	}
	p = l->buf + l->len;
	put32(p, pcr);
	put32(p + 4, type);
	put32(p + 8, d->n);
	p += 12;
	for (i = 0; i < d->n; i++) {
		put16(p, d->v[i].alg);
		memcpy(p + 2, d->v[i].d, d->v[i].len);
		p += 2 + d->v[i].len;
	}
	put32(p, evlen);
	if (evlen) {
		memcpy(p + 4, event, evlen);
	}
	l->len += need;
	return 0;
}

void evlog_free(struct evlog *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

/* what the Spec ID event says */
struct spec {
	size_t n;
	uint16_t alg[TPM_MAX_BANKS], size[TPM_MAX_BANKS];
	size_t end;		/* the first TCG_PCR_EVENT2 */
};

static int parse_spec(const uint8_t *log, size_t len, struct spec *s,
	char *why, size_t whysz)
{
	const uint8_t *p = log + OLD_EVENT_HDR;
	size_t evsize, i, j;

	if (len > EVLOG_MAX) {
		return hop_why(why, whysz, -EINVAL, "%zu bytes: more than a log's %u",
			len, EVLOG_MAX);
	}
	if (len < OLD_EVENT_HDR) {
		return hop_why(why, whysz, -EINVAL, "%zu bytes: the Spec ID event is cut "
			"short", len);
	}
	if (get32(log) != 0 || get32(log + 4) != EV_NO_ACTION) {
		return hop_why(why, whysz, -EINVAL, "the first event is not the Spec ID "
			"event (PCR 0, EV_NO_ACTION): not a crypto-agile log");
	}
	evsize = get32(log + 28);
	if (evsize > len - OLD_EVENT_HDR) {
		return hop_why(why, whysz, -EINVAL, "the Spec ID event's size %zu goes "
			"past the end of the log", evsize);
	}
	if (evsize < 28 || memcmp(p, SPEC_ID_SIG, 16)) {
		return hop_why(why, whysz, -EINVAL, "the first event is not a \"" SPEC_ID_SIG
			"\" event: not a crypto-agile log");
	}
	if (p[23] != 1 && p[23] != 2) {
		return hop_why(why, whysz, -EINVAL, "the Spec ID event's uintnSize %u is "
			"not 1 or 2", p[23]);
	}
	s->n = get32(p + 24);
	if (!s->n || s->n > TPM_MAX_BANKS) {
		return hop_why(why, whysz, -EINVAL, "the Spec ID event names %zu banks "
			"(1 to %d)", s->n, TPM_MAX_BANKS);
	}
	/* the algorithms, then vendorInfoSize and vendorInfo */
	if (28 + 4 * s->n + 1 > evsize ||
		28 + 4 * s->n + 1 + p[28 + 4 * s->n] > evsize) {
		return hop_why(why, whysz, -EINVAL, "the Spec ID event's %zu banks and "
			"vendor data go past its %zu bytes", s->n, evsize);
	}
	for (i = 0; i < s->n; i++) {
		s->alg[i] = get16(p + 28 + 4 * i);
		s->size[i] = get16(p + 30 + 4 * i);
		/* an algorithm hop cannot hash (SM3) is stepped over by
		 * its size; one it knows has the size it knows */
		if (!s->size[i] || s->size[i] > 64 || (tpm_alg_size(s->alg[i])
			&& tpm_alg_size(s->alg[i]) != s->size[i])) {
			return hop_why(why, whysz, -EINVAL, "the Spec ID event gives "
				"algorithm 0x%04x digests of %u bytes",
				s->alg[i], s->size[i]);
		}
		for (j = 0; j < i; j++) {
			if (s->alg[j] == s->alg[i]) {
				return hop_why(why, whysz, -EINVAL, "the Spec ID event "
					"names algorithm 0x%04x twice",
					s->alg[i]);
			}
		}
	}
	s->end = OLD_EVENT_HDR + evsize;
	return 0;
}

/* the TCG_PCR_EVENT2 at *off (number idx, from 1) into e, *off past it:
 * 0 or -EINVAL with why */
static int parse_event(const uint8_t *log, size_t len, size_t *off,
	const struct spec *s, unsigned idx, struct evlog_event *e, char *why,
	size_t whysz)
{
	size_t o = *off, at = *off, i, j, count, evsize;

	if (len - o < 12) {
		return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): its header is "
			"cut short", idx, at);
	}
	e->pcr = get32(log + o);
	e->type = get32(log + o + 4);
	count = get32(log + o + 8);
	o += 12;
	if (e->pcr > TPM_MAX_PCR) {
		return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): PCR %u is above "
			"%d", idx, at, e->pcr, TPM_MAX_PCR);
	}
	if (count > s->n) {
		return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): %zu digests, the "
			"Spec ID event names %zu banks", idx, at, count, s->n);
	}
	e->d.n = count;
	for (i = 0; i < count; i++) {
		uint16_t alg;

		if (len - o < 2) {
			return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): digest "
				"%zu is cut short", idx, at, i + 1);
		}
		alg = get16(log + o);
		for (j = 0; j < s->n && s->alg[j] != alg; j++) {
		}
		if (j == s->n) {
			return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): digest "
				"%zu is of algorithm 0x%04x, which the Spec ID "
				"event does not name", idx, at, i + 1, alg);
		}
		for (j = 0; j < i; j++) {
			if (e->d.v[j].alg == alg) {
				return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): "
					"two digests of algorithm 0x%04x", idx,
					at, alg);
			}
		}
		for (j = 0; s->alg[j] != alg; j++) {
		}
		if (len - o - 2 < s->size[j]) {
			return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): its "
				"%u-byte digest of algorithm 0x%04x is cut "
				"short", idx, at, s->size[j], alg);
		}
		e->d.v[i].alg = alg;
		e->d.v[i].len = s->size[j];
		memcpy(e->d.v[i].d, log + o + 2, s->size[j]);
		o += 2 + s->size[j];
	}
	if (len - o < 4) {
		return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): its event size is "
			"cut short", idx, at);
	}
	evsize = get32(log + o);
	o += 4;
	if (evsize > len - o) {
		return hop_why(why, whysz, -EINVAL, "event %u (byte %zu): its %zu bytes of "
			"data go past the end of the log", idx, at, evsize);
	}
	e->data = log + o;
	e->len = evsize;
	*off = o + evsize;
	return 0;
}

int evlog_banks(const uint8_t *log, size_t len, uint16_t *algs, size_t *n,
	char *why, size_t whysz)
{
	struct spec s;
	int err;

	*n = 0;
	err = parse_spec(log, len, &s, why, whysz);
	if (err) {
		return err;
	}
	memcpy(algs, s.alg, s.n * sizeof(*algs));
	*n = s.n;
	return 0;
}

/* every event, fn (when not NULL) called for each */
static int walk(const uint8_t *log, size_t len,
	int (*fn)(const struct evlog_event *e, void *arg), void *arg,
	char *why, size_t whysz)
{
	struct evlog_event e;
	struct spec s;
	size_t off;
	unsigned idx;
	int err;

	err = parse_spec(log, len, &s, why, whysz);
	if (err) {
		return err;
	}
	for (off = s.end, idx = 1; off < len; idx++) {
		err = parse_event(log, len, &off, &s, idx, &e, why, whysz);
		if (!err && fn) {
			err = fn(&e, arg);
		}
		if (err) {
			return err;
		}
	}
	return 0;
}

int evlog_walk(const uint8_t *log, size_t len,
	int (*fn)(const struct evlog_event *e, void *arg), void *arg,
	char *why, size_t whysz)
{
	int err = walk(log, len, NULL, NULL, why, whysz);

	return err ? err : walk(log, len, fn, arg, why, whysz);
}

struct replay {
	unsigned pcr, nev, idx;
	uint16_t alg;
	size_t size;
	uint8_t v[64];
	char *why;
	size_t whysz;
};

static int replay_one(const struct evlog_event *e, void *arg)
{
	struct replay *r = arg;
	struct tpm_digests out;
	uint8_t buf[128];
	size_t i;

	r->idx++;
	if (e->pcr != r->pcr) {
		return 0;
	}
	/* not extended (PFP 10.4.5); PCR 0's reset value is the startup
	 * locality (PFP 10.4.5.3, TPM 2.0 Part 1, 34.2) */
	if (e->type == EV_NO_ACTION) {
		if (e->pcr == 0 && e->len == 17 &&
			!memcmp(e->data, LOCALITY_SIG, 16)) {
			memset(r->v, 0, sizeof(r->v));
			r->v[r->size - 1] = e->data[16];
		}
		return 0;
	}
	for (i = 0; i < e->d.n && e->d.v[i].alg != r->alg; i++) {
	}
	if (i == e->d.n) {
		return hop_why(r->why, r->whysz, -EINVAL, "event %u (PCR %u) has no %s "
			"digest", r->idx, e->pcr, tpm_alg_name(r->alg));
	}
	memcpy(buf, r->v, r->size);
	memcpy(buf + r->size, e->d.v[i].d, r->size);
	tpm_hash(&r->alg, 1, buf, 2 * r->size, &out);
	memcpy(r->v, out.v[0].d, r->size);
	r->nev++;
	return 0;
}

int evlog_replay(const uint8_t *log, size_t len, unsigned pcr, uint16_t alg,
	uint8_t out[64], unsigned *nev, char *why, size_t whysz)
{
	struct replay r = { .pcr = pcr, .alg = alg, .why = why,
		.whysz = whysz };
	uint16_t algs[TPM_MAX_BANKS];
	size_t n, i;
	int err;

	*nev = 0;
	r.size = tpm_alg_size(alg);
	if (!r.size || pcr > TPM_MAX_PCR) {
		return hop_why(why, whysz, -EINVAL, "PCR %u of algorithm 0x%04x: hop "
			"replays PCRs 0-%d of sha1, sha256, sha384, sha512",
			pcr, alg, TPM_MAX_PCR);
	}
	err = evlog_banks(log, len, algs, &n, why, whysz);
	if (err) {
		return err;
	}
	for (i = 0; i < n && algs[i] != alg; i++) {
	}
	if (i == n) {
		return hop_why(why, whysz, -EINVAL, "the log has no %s bank",
			tpm_alg_name(alg));
	}
	err = evlog_walk(log, len, replay_one, &r, why, whysz);
	if (err) {
		return err;
	}
	memcpy(out, r.v, r.size);
	*nev = r.nev;
	return 0;
}

/* PFP 10.4.1, and the UEFI ones */
const char *evlog_type_name(uint32_t type)
{
	static const char *const pc[] = {
		"EV_PREBOOT_CERT", "EV_POST_CODE", "EV_UNUSED",
		"EV_NO_ACTION", "EV_SEPARATOR", "EV_ACTION", "EV_EVENT_TAG",
		"EV_S_CRTM_CONTENTS", "EV_S_CRTM_VERSION", "EV_CPU_MICROCODE",
		"EV_PLATFORM_CONFIG_FLAGS", "EV_TABLE_OF_DEVICES",
		"EV_COMPACT_HASH", "EV_IPL", "EV_IPL_PARTITION_DATA",
		"EV_NONHOST_CODE", "EV_NONHOST_CONFIG", "EV_NONHOST_INFO",
		"EV_OMIT_BOOT_DEVICE_EVENTS",
	};
	static const char *const efi[] = {
		"EV_EFI_EVENT_BASE", "EV_EFI_VARIABLE_DRIVER_CONFIG",
		"EV_EFI_VARIABLE_BOOT", "EV_EFI_BOOT_SERVICES_APPLICATION",
		"EV_EFI_BOOT_SERVICES_DRIVER", "EV_EFI_RUNTIME_SERVICES_DRIVER",
		"EV_EFI_GPT_EVENT", "EV_EFI_ACTION",
		"EV_EFI_PLATFORM_FIRMWARE_BLOB", "EV_EFI_HANDOFF_TABLES",
		"EV_EFI_PLATFORM_FIRMWARE_BLOB2", "EV_EFI_HANDOFF_TABLES2",
		"EV_EFI_VARIABLE_BOOT2",
	};

	if (type < sizeof(pc) / sizeof(pc[0])) {
		return pc[type];
	}
	if (type - 0x80000000u < sizeof(efi) / sizeof(efi[0])) {
		return efi[type - 0x80000000u];
	}
	if (type == 0x800000E0) {
		return "EV_EFI_VARIABLE_AUTHORITY";
	}
	return NULL;
}
