/* The TCG PC Client crypto-agile event log (pure): what UEFI firmware
 * hands the kernel (/sys/kernel/security/tpm0/binary_bios_measurements)
 * and tpm2-tools' tpm2_eventlog reads. TCG PC Client Platform Firmware
 * Profile (PFP) spec, 1.05 rev. 23, 10.2 (events) and 10.4.5.1 (the
 * Spec ID event). Every integer in the log is little-endian. */
#ifndef HOP_EVENTLOG_H
#define HOP_EVENTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "tpm.h"

/* event types, PFP 10.4.1 */
#define EV_NO_ACTION 0x00000003		/* not extended into any PCR */
#define EV_SEPARATOR 0x00000004
#define EV_IPL 0x0000000D		/* what a boot loader loads */
#define EVLOG_MAX (1u << 20)		/* a log hop writes or reads */

/* a log being written: buf[0..len) */
struct evlog {
	uint8_t *buf;
	size_t len, cap;
};
/* the Spec ID event (a TCG_PCClientPCREvent: PFP 10.2.1) naming the banks
 * algs[0..nalgs): 0, -EINVAL (none, too many, one hop does not know),
 * -ENOMEM */
int evlog_start(struct evlog *l, const uint16_t *algs, size_t nalgs);
/* a TCG_PCR_EVENT2 (PFP 10.2.2): d holds the digests of the start's
 * banks, in their order. 0, -EINVAL (they disagree, pcr above
 * TPM_MAX_PCR), -E2BIG (past EVLOG_MAX), -ENOMEM */
int evlog_add(struct evlog *l, unsigned pcr, uint32_t type,
	const struct tpm_digests *d, const void *event, size_t evlen);
void evlog_free(struct evlog *l);

/* the banks a log's Spec ID event names (algs: room for TPM_MAX_BANKS),
 * those hop does not know included: 0 or -EINVAL with why */
int evlog_banks(const uint8_t *log, size_t len, uint16_t *algs, size_t *n,
	char *why, size_t whysz);
/* log[0..len) (hostile: from a file) replayed for PCR pcr of bank alg
 * from its reset value (zeros; PCR 0 from the locality of a
 * StartupLocality event): the value into out (tpm_alg_size(alg) bytes),
 * how many events extended it into *nev. 0, or -EINVAL with why (which
 * event, which field) */
int evlog_replay(const uint8_t *log, size_t len, unsigned pcr, uint16_t alg,
	uint8_t out[64], unsigned *nev, char *why, size_t whysz);

struct evlog_event {
	unsigned pcr;
	uint32_t type;
	struct tpm_digests d;
	const uint8_t *data;	/* the event's bytes, inside the log */
	size_t len;
};
/* fn for each event after the Spec ID event, in order, once the whole
 * log was found well-formed: 0, -EINVAL with why, or what fn returned
 * when not 0 (the walk stops there) */
int evlog_walk(const uint8_t *log, size_t len,
	int (*fn)(const struct evlog_event *e, void *arg), void *arg,
	char *why, size_t whysz);
/* "EV_IPL", ..., NULL for a type not named here */
const char *evlog_type_name(uint32_t type);

#endif
