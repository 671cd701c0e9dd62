/* What hop checks and records of each file before it loads it
 * (lib/trust/trust.c; README, "Signatures and measured boot"): its
 * detached signature (hop.pubkey, hop.sig; kexec --pubkey, --sig) and its
 * measurement into a TPM PCR (hop.measure) with the event log the next
 * system replays. Either one copies a file that could still change (a
 * disk's, the initramfs's) into a sealed memfd first, so that the bytes
 * checked and measured are the bytes loaded. */
#ifndef HOP_TRUST_H
#define HOP_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "hop.h"
#include "load.h"
#include "tpm.h"

/* where the event log is written, in this system and in the extra cpio
 * the next one gets */
#define TRUST_LOG_PATH "/run/hop/measurements"
/* events one entry measures: kernel, initrds, device tree, command line,
 * modules */
#define TRUST_MAX_EVENTS (HOP_MAX_INITRD + HOP_MAX_MODULES + 3)
/* bytes of an event's description ("initrd LABEL=boot:/initrd.img"); a
 * command line's is "cmdline " and the whole line */
#define TRUST_DESC_MAX 256
/* the PCRs hop.measure takes: 16 and 23 are resettable at locality 0,
 * 17-22 are the dynamic root of trust's */
#define TRUST_PCR_MAX 15

enum trust_sig { TRUST_SIG_OFF, TRUST_SIG_OPTIONAL, TRUST_SIG_REQUIRED };

struct sig_keys;
struct evlog;
struct trust {
	enum trust_sig sig;
	struct sig_keys *keys;	/* hop.pubkey's, NULL: none */
	int measure;		/* 1: hop.measure, into pcr */
	unsigned pcr;
	int tpm;		/* the TPM's fd, -1: none */
	const char *tpm_path;
	uint16_t algs[TPM_MAX_BANKS];	/* the banks PCR pcr is active in */
	size_t nalgs;
	struct tpm_digests value;	/* what the PCR holds, as extended */
	/* the boot's event log: its header, the events extended into the
	 * PCR (committed bytes), then the entry's events not yet extended */
	struct evlog *log;
	size_t committed;
	size_t npending;
	size_t end[TRUST_MAX_EVENTS];	/* each pending event's end */
	void *pending;		/* the pending events' digests */
};

/* a signature file next to src (src + ext: ".minisig", ".sig"), read
 * from where src was (its device, its server) into *text (malloc'd, at
 * most SIG_FILE_MAX bytes): 0, -ENOENT when there is none (nothing
 * logged), else -errno with the reason logged */
typedef int (*trust_read_fn)(void *arg, const char *src, const char *ext,
	char **text, size_t *len);

/* what the keys ask (each NULL when not given): pubkey "/FILE[,/FILE...]"
 * (public key files in the initramfs), sig "required" or "optional"
 * (hop.pubkey alone means required), measure "PCR" (0..TRUST_PCR_MAX:
 * the TPM, waited for up to timeout_s, is opened and its active banks and
 * the PCR read now; a PCR not at its reset value continues the log in
 * rundir that replays to it). 0, or -errno with one line logged: a key
 * this hop cannot honour refuses the boot (fail closed) */
int trust_setup(struct trust *t, const char *pubkey, const char *sig,
	const char *measure, const char *rundir, int timeout_s);

/* the names of a request's files as written (for signatures next to
 * them and for the log's descriptions): each NULL for req's own path;
 * module_words: module[i] is "SRC ARGS" (hop.module), SRC its file */
struct trust_srcs {
	const char *kernel;
	const char *const *initrd;
	const char *dtb;
	const char *const *module;
	int module_words;
};

/* what trust_request holds for one load: the sealed copies it made, the
 * initrds and modules req now points at */
struct trust_hold {
	char *own[HOP_MAX_INITRD + HOP_MAX_MODULES + 3];
	int fd[HOP_MAX_INITRD + HOP_MAX_MODULES + 3];
	const char *initrd[HOP_MAX_INITRD + 1];
	struct module_src module[HOP_MAX_MODULES];
};

#if HOP_FEAT_SIG || HOP_FEAT_MEASURE
/* 1 when anything is checked or measured */
int trust_active(const struct trust *t);
/* each file of req made final (a sealed memfd: copied unless its bytes
 * are final already, req then names the copy), its signature checked, its
 * digests and then the command line's kept for the entry's log, and the
 * log (as it will be once the entry's events are extended, a newc cpio of
 * TRUST_LOG_PATH) appended to req's initrds. 0, or -errno with the
 * refusal logged; h is released by trust_release in either case */
int trust_request(struct trust *t, struct load_req *req,
	const struct trust_srcs *src, trust_read_fn read_sig, void *arg,
	struct trust_hold *h);
void trust_release(struct trust_hold *h);
/* the image is loaded: the entry's events extended into the PCR in
 * order and the log written to TRUST_LOG_PATH. 0, or -errno logged:
 * the caller unloads the image (the PCR no longer matches what a jump
 * would run); the events extended stay in the log, so that it replays
 * to the PCR still */
int trust_commit(struct trust *t, const char *rundir);
/* the entry's events forgotten (it failed before its jump) */
void trust_drop(struct trust *t);
void trust_free(struct trust *t);
#else
/* neither is built in: trust_setup refuses the keys, nothing else runs */
static inline int trust_active(const struct trust *t)
{
	(void)t;
	return 0;
}

static inline int trust_request(struct trust *t, struct load_req *req,
	const struct trust_srcs *src, trust_read_fn read_sig, void *arg,
	struct trust_hold *h)
{
	(void)t, (void)req, (void)src, (void)read_sig, (void)arg, (void)h;
	return 0;
}

static inline void trust_release(struct trust_hold *h)
{
	(void)h;
}

static inline int trust_commit(struct trust *t, const char *rundir)
{
	(void)t, (void)rundir;
	return 0;
}

static inline void trust_drop(struct trust *t)
{
	(void)t;
}

static inline void trust_free(struct trust *t)
{
	(void)t;
}
#endif

#endif
