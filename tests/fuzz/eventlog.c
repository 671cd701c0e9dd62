/* TCG event logs (lib/trust/eventlog.c) as read from a file: the
 * walker's events inside the input and within their bounds; a log that
 * parses, written again event by event with evlog_start/evlog_add,
 * gives the same bytes back (when its banks are hop's and its Spec ID
 * event is the one hop writes) and replays to the same PCRs */
#include <errno.h>

#include "eventlog.h"
#include "fuzz.h"

struct ctx {
	const uint8_t *in;
	size_t size;
	struct evlog l;
	int copy;		/* the log is rewritten into l */
};

static int check_event(const struct evlog_event *e, void *arg)
{
	struct ctx *c = arg;
	size_t i;

	if (e->pcr > TPM_MAX_PCR || e->d.n > TPM_MAX_BANKS ||
		e->data < c->in || e->len > c->size ||
		e->data + e->len > c->in + c->size) {
		abort();
	}
	for (i = 0; i < e->d.n; i++) {
		if (!e->d.v[i].len || e->d.v[i].len > 64) {
			abort();
		}
	}
	if (c->copy && evlog_add(&c->l, e->pcr, e->type, &e->d, e->data,
		e->len)) {
		c->copy = 0;	/* fewer digests than banks: not hop's */
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t algs[TPM_MAX_BANKS];
	struct ctx c = { data, size, { 0 }, 0 };
	uint8_t v[64], w[64];
	unsigned nev, nev2, pcr;
	char why[256];
	size_t n, i;

	if (evlog_banks(data, size, algs, &n, why, sizeof(why))) {
		if (!memchr(why, 0, sizeof(why))) {
			abort();
		}
		return 0;
	}
	if (n == 0 || n > TPM_MAX_BANKS) {
		abort();
	}
	c.copy = evlog_start(&c.l, algs, n) == 0;
	if (evlog_walk(data, size, check_event, &c, why, sizeof(why))) {
		evlog_free(&c.l);
		return 0;
	}
	/* the header hop writes: same length (29 + 4n) and no vendor
	 * data, so the copy must be byte for byte the input */
	if (c.copy && size >= 32 && data[28] == 29 + 4 * n && !data[29] &&
		!data[30] && !data[31] && c.l.len == size &&
		memcmp(c.l.buf + 32, data + 32, 29 + 4 * n) == 0 &&
		memcmp(c.l.buf + 4, data + 4, 28) == 0 &&
		memcmp(c.l.buf, data, size)) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (!tpm_alg_size(algs[i])) {
			continue;
		}
		for (pcr = 0; pcr <= TPM_MAX_PCR; pcr += 7) {
			if (evlog_replay(data, size, pcr, algs[i], v, &nev, why,
				sizeof(why))) {
				continue;
			}
			if (nev > size / 12) {
				abort();
			}
			if (c.copy && (evlog_replay(c.l.buf, c.l.len, pcr,
				algs[i], w, &nev2, why, sizeof(why)) ||
				nev2 != nev || memcmp(v, w,
				tpm_alg_size(algs[i])))) {
				abort();
			}
		}
	}
	evlog_free(&c.l);
	return 0;
}
