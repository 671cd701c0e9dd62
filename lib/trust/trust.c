/* Signatures and measurements of the files hop loads (trust.h). Each file
 * is made final first: a URL's download, a pinned copy or an earlier
 * check's copy is a sealed memfd already; anything else (a disk's file,
 * which a hostile USB stick could serve differently on a second read, or
 * the initramfs's) is copied into one. Its signature is then checked and
 * its digests taken over that mapping: what was checked and measured is
 * what kexec reads.
 *
 * Measured boot extends after the load and before the jump, so that a
 * failed load extends nothing; a failed extend unloads (the caller) and
 * leaves in the log what was extended, so the log always replays to the
 * PCR (docs/trust.md). Compiled in every build; what no feature calls is
 * dropped by the linker. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"
#include "request.h"
#include "sysmem.h"
#include "trust.h"
#if HOP_FEAT_SIG
#include "sig.h"
#endif
#if HOP_FEAT_MEASURE
#include "eventlog.h"
#include "tpm.h"
#endif

#if HOP_FEAT_SIG || HOP_FEAT_MEASURE

/* a pending event: its digests and its description */
struct pending {
#if HOP_FEAT_MEASURE
	struct tpm_digests d;
#endif
	char desc[TRUST_DESC_MAX];
};

#if HOP_FEAT_SIG
/* hop.pubkey: each comma-separated file of the initramfs, its keys */
static int load_keys(struct trust *t, const char *list)
{
	char path[512], why[160];
	const char *p = list;
	uint8_t *text;
	size_t n, len;
	int err;

	t->keys = calloc(1, sizeof(*t->keys));
	if (!t->keys) {
		hop_error("hop.pubkey", "out of memory");
		return -ENOMEM;
	}
	for (; *p; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (!n || n >= sizeof(path)) {
			hop_error("hop.pubkey", "'%s': an empty or too long "
				"file name: refusing to boot", list);
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "%.*s", (int)n, p);
		/* the owner's keys: the initramfs's, never a disk's or a
		 * server's, which the keys are there to check */
		if (path[0] != '/' || strstr(path, "..")) {
			hop_error("hop.pubkey", "%s: not an absolute path "
				"without '..' (the keys are the owner's: the "
				"initramfs's): refusing to boot", path);
			return -EINVAL;
		}
		err = read_whole(path, &text, &len, SIG_KEYFILE_MAX);
		if (err < 0) {
			hop_error("hop.pubkey", "%s: %s (%s): refusing to boot",
				path, file_strerror(err), errname(err));
			return err;
		}
		err = sig_keys_parse((const char *)text, len, t->keys, why,
			sizeof(why));
		free(text);
		if (err < 0) {
			hop_error("hop.pubkey", "%s: %s (%s): refusing to boot",
				path, why, errname(err));
			return err;
		}
	}
	if (!t->keys->n) {
		hop_error("hop.pubkey", "%s: no key: refusing to boot", list);
		return -ENOKEY;
	}
	return 0;
}
#endif

#if HOP_FEAT_MEASURE
/* the TPM's device, waited for up to timeout_s (its driver may be a
 * module hop.modules just loaded, or probe late) */
static int wait_tpm(struct trust *t, int timeout_s)
{
	long long end = mono_ms() + 1000LL * timeout_s;

	for (;;) {
		t->tpm = tpmdev_open(&t->tpm_path);
		if (t->tpm != -ENOENT || mono_ms() >= end) {
			return t->tpm;
		}
		usleep(100000);
	}
}

/* the log to continue: a fresh one when the PCR is at its reset value
 * (zero in every bank); else the one this system inherited (a hop before
 * this one measured into the same PCR) when it replays to what the PCR
 * holds, for every bank; else nothing replays: refused (why) */
static int start_log(struct trust *t, const char *rundir, char *why,
	size_t whysz)
{
	struct tpm_digests now;
	char path[512], w[160];
	uint16_t algs[TPM_MAX_BANKS];
	uint8_t *old = NULL, v[64];
	size_t i, n, len = 0;
	unsigned nev;
	int err, zero = 1;

	err = tpm_pcr_read(t->tpm, t->pcr, t->algs, t->nalgs, &now, why,
		whysz);
	if (err < 0) {
		return err;
	}
	t->value = now;
	for (i = 0; i < now.n; i++) {
		for (n = 0; n < now.v[i].len; n++) {
			zero &= !now.v[i].d[n];
		}
	}
	if (zero) {
		return evlog_start(t->log, t->algs, t->nalgs);
	}
	snprintf(path, sizeof(path), "%s/measurements", rundir ? rundir :
		HOP_RUN_DIR);
	err = read_whole(path, &old, &len, EVLOG_MAX);
	if (err == 0 && evlog_banks(old, len, algs, &n, w, sizeof(w)) == 0 &&
		n == t->nalgs && !memcmp(algs, t->algs, n * sizeof(algs[0]))) {
		for (i = 0; err == 0 && i < now.n; i++) {
			err = evlog_replay(old, len, t->pcr, now.v[i].alg, v,
				&nev, w, sizeof(w));
			err = err ? err : memcmp(v, now.v[i].d, now.v[i].len) ?
				-EBADMSG : 0;
		}
		if (err == 0) {
			t->log->buf = old;
			t->log->len = t->log->cap = len;
			hop_log("hop.measure: PCR %u continues %s (%u events "
				"before this boot's)", t->pcr, path, nev);
			return 0;
		}
	}
	free(old);
	return hop_why(why, whysz, -EBUSY, "PCR %u is not at its reset value "
		"and no event log here (%s) replays to it: something else "
		"measures into it (the firmware, the EFI stub, a boot loader); "
		"choose another PCR", t->pcr, path);
}

static int open_tpm(struct trust *t, const char *measure, const char *rundir,
	int timeout_s)
{
	char *end, why[300];
	unsigned long pcr;
	int err;

	/* 16 and 23 can be reset at locality 0 (their value proves
	 * nothing), 17-22 cannot be extended there (dynamic root of trust):
	 * 0-15, of which the firmware and boot loaders use 0-9 and systemd
	 * 11-15 (README) */
	pcr = strtoul(measure, &end, 10);
	if (!*measure || *end || measure[0] == '-' || pcr > TRUST_PCR_MAX) {
		hop_error("hop.measure", "'%s': not a PCR hop extends (0 to %d): "
			"refusing to boot", measure, TRUST_PCR_MAX);
		return -EINVAL;
	}
	t->pcr = (unsigned)pcr;
	err = wait_tpm(t, timeout_s);
	if (err < 0) {
		hop_error("hop.measure", "no TPM (/dev/tpmrm0, /dev/tpm0): %s "
			"(%s): refusing to boot unmeasured", errname(err),
			strerror(-err));
		return err;
	}
	err = tpm_active_banks(t->tpm, t->pcr, t->algs, &t->nalgs, why,
		sizeof(why));
	if (err == 0 && !t->nalgs) {
		err = hop_why(why, sizeof(why), -ENXIO, "PCR %u is in no active "
			"bank", t->pcr);
	}
	for (size_t i = 0; err == 0 && i < t->nalgs; i++) {
		if (!tpm_alg_size(t->algs[i])) {
			err = hop_why(why, sizeof(why), -ENOTSUP, "an active bank "
				"of algorithm 0x%04x, which hop cannot hash",
				t->algs[i]);
		}
	}
	if (err == 0) {
		t->log = calloc(1, sizeof(*t->log));
		err = t->log ? start_log(t, rundir, why, sizeof(why)) :
			hop_why(why, sizeof(why), -ENOMEM, "out of memory");
	}
	if (err < 0) {
		hop_error(t->tpm_path, "hop.measure: %s (%s): refusing to boot "
			"unmeasured", why, errname(err));
		return err;
	}
	t->committed = t->log->len;
	t->pending = calloc(TRUST_MAX_EVENTS, sizeof(struct pending));
	if (!t->pending) {
		hop_error("hop.measure", "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->nalgs; i++) {
		hop_debug("TPM %s: PCR %u active in bank %s", t->tpm_path,
			t->pcr, tpm_alg_name(t->algs[i]));
	}
	return 0;
}
#endif

int trust_setup(struct trust *t, const char *pubkey, const char *sig,
	const char *measure, const char *rundir, int timeout_s)
{
	int err = 0;

	memset(t, 0, sizeof(*t));
	t->tpm = -1;
	if (sig && !strcmp(sig, "required")) {
		t->sig = TRUST_SIG_REQUIRED;
	} else if (sig && !strcmp(sig, "optional")) {
		t->sig = TRUST_SIG_OPTIONAL;
	} else if (sig) {
		hop_error("hop.sig", "'%s': neither required nor optional: "
			"refusing to boot", sig);
		return -EINVAL;
	} else if (pubkey) {
		t->sig = TRUST_SIG_REQUIRED;	/* keys given to be used */
	}
	if (t->sig && !pubkey) {
		hop_error("hop.sig", "no hop.pubkey to check signatures "
			"against: refusing to boot");
		return -ENOKEY;
	}
#if HOP_FEAT_SIG
	if (pubkey) {
		err = load_keys(t, pubkey);
	}
#else
	if (pubkey || sig) {
		hop_error(pubkey ? "hop.pubkey" : "hop.sig", "not built into "
			"this hop (make CONFIG=default builds it)");
		return -ENOPKG;
	}
#endif
#if HOP_FEAT_MEASURE
	if (!err && measure) {
		t->measure = 1;
		err = open_tpm(t, measure, rundir, timeout_s);
	}
#else
	if (measure) {
		hop_error("hop.measure", "not built into this hop (make "
			"CONFIG=default builds it)");
		return -ENOPKG;
	}
#endif
	return err;
}

int trust_active(const struct trust *t)
{
	return t->sig != TRUST_SIG_OFF || t->measure;
}

#if HOP_FEAT_SIG
/* the signature next to src: minisign's, then signify's */
static int check_signature(struct trust *t, const char *kind,
	const char *src, const uint8_t *data, size_t len,
	trust_read_fn read_sig, void *arg)
{
	static const char *const ext[] = { ".minisig", ".sig" };
	char keyid[17], why[200], *text = NULL;
	size_t i, tlen = 0;
	int err = -ENOENT;

	for (i = 0; i < 2 && err == -ENOENT; i++) {
		err = read_sig(arg, src, ext[i], &text, &tlen);
	}
	if (err == -ENOENT) {
		if (t->sig == TRUST_SIG_OPTIONAL) {
			hop_log("%s %s: not signed (hop.sig=optional)", kind,
				src);
			return 0;
		}
		hop_error(src, "%s: no signature (%s.minisig or %s.sig) and "
			"hop.sig=required", kind, src, src);
		return -ENOKEY;
	}
	if (err < 0) {
		return err;	/* logged */
	}
	i--;
	err = sig_verify(data, len, text, tlen, t->keys, keyid, why,
		sizeof(why));
	free(text);
	if (err < 0) {
		/* the key id, unless why names it already */
		hop_error(src, "%s: %s%s%s%s%s: %s (%s)", kind, src, ext[i],
			keyid[0] && err != -ENOKEY ? " (key " : "",
			err != -ENOKEY ? keyid : "",
			keyid[0] && err != -ENOKEY ? ")" : "", why, errname(err));
		return err;
	}
	hop_log("%s %s: signed by key %s", kind, src, keyid);
	return 0;
}
#endif

#if HOP_FEAT_MEASURE
/* a pending event: digests of data, the log's data event[0..evlen), desc
 * for messages */
static int record(struct trust *t, const char *desc, const void *data,
	size_t len, const char *event, size_t evlen)
{
	struct pending *pe;
	int err;

	if (t->npending == TRUST_MAX_EVENTS) {
		hop_error("hop.measure", "%s: more than %d events in one entry",
			desc, TRUST_MAX_EVENTS);
		return -E2BIG;
	}
	pe = (struct pending *)t->pending + t->npending;
	snprintf(pe->desc, sizeof(pe->desc), "%s", desc);
	err = tpm_hash(t->algs, t->nalgs, data, len, &pe->d);
	if (err == 0) {
		err = evlog_add(t->log, t->pcr, EV_IPL, &pe->d, event, evlen);
	}
	if (err < 0) {
		hop_error("hop.measure", "%s: %s", pe->desc, errname(err));
		return err;
	}
	t->end[t->npending++] = t->log->len;
	return 0;
}

/* a file's bytes, described "KIND SRC" */
static int add_event(struct trust *t, const char *kind, const char *src,
	const void *data, size_t len)
{
	char desc[TRUST_DESC_MAX];

	snprintf(desc, sizeof(desc), "%s %s", kind, src);
	return record(t, desc, data, len, desc, strlen(desc));
}

/* a string's bytes (no NUL), the log's event "KIND STRING" in full: a
 * verifier reads which command line booted, as grub's and systemd's logs
 * say it */
static int add_text(struct trust *t, const char *kind, const char *text)
{
	size_t k = strlen(kind), n = strlen(text);
	char *event = malloc(k + 1 + n);
	int err;

	if (!event) {
		hop_error("hop.measure", "%s: out of memory", kind);
		return -ENOMEM;
	}
	memcpy(event, kind, k);
	event[k] = ' ';
	memcpy(event + k + 1, text, n);
	err = record(t, kind, text, n, event, k + 1 + n);
	free(event);
	return err;
}

/* what PCR pcr holds after extending d: H(value || digest) per bank */
static int fold(const struct tpm_digests *value, const struct tpm_digests *d,
	struct tpm_digests *out)
{
	struct tpm_digests one;
	uint8_t buf[128];
	size_t i, n;
	int err = 0;

	*out = *value;
	for (i = 0; i < value->n && !err; i++) {
		n = value->v[i].len;
		memcpy(buf, value->v[i].d, n);
		memcpy(buf + n, d->v[i].d, n);
		err = tpm_hash(&value->v[i].alg, 1, buf, 2 * n, &one);
		memcpy(out->v[i].d, one.v[0].d, n);
	}
	return err;
}

static int same(const struct tpm_digests *a, const struct tpm_digests *b)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (i >= b->n || memcmp(a->v[i].d, b->v[i].d, a->v[i].len)) {
			return 0;
		}
	}
	return a->n == b->n;
}
#endif

/* one file: final, checked, measured; *path names the copy when one is
 * made (*own, *fd hold it) */
static int one(struct trust *t, const char *kind, const char *src,
	const char **path, char **own, int *fd, trust_read_fn read_sig,
	void *arg)
{
	struct stat st;
	void *map = NULL;
	int f, err = 0;

	f = file_open(*path);
	if (f < 0) {
		hop_error(*path, "%s: %s (%s)", kind, file_strerror(f),
			errname(f));
		return f;
	}
	if (!file_is_sealed(f)) {
		close(f);
		f = file_sealed_copy(*path, "hop-checked", NULL, NULL);
		if (f < 0) {
			hop_error(*path, "%s: a copy to check: %s (%s)", kind,
				f == -EFBIG ? "larger than half of the free "
				"memory" : file_strerror(f), errname(f));
			return f;
		}
		*fd = f;
		*own = file_fd_path(f);
		if (!*own) {
			return -ENOMEM;
		}
		*path = *own;
		f = dup(f);	/* closed below; *fd stays */
		if (f < 0) {
			return -errno;
		}
	}
	if (fstat(f, &st) < 0) {
		err = -errno;
	} else if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, f, 0);
		err = map == MAP_FAILED ? -errno : 0;
		map = err ? NULL : map;
	}
	close(f);
	if (err < 0) {
		hop_error(*path, "%s: %s", kind, errname(err));
		return err;
	}
#if HOP_FEAT_SIG
	if (t->sig) {
		err = check_signature(t, kind, src, map ? map : "",
			(size_t)st.st_size, read_sig, arg);
	}
#else
	(void)read_sig, (void)arg;
#endif
#if HOP_FEAT_MEASURE
	if (!err && t->measure) {
		err = add_event(t, kind, src, map ? map : "",
			(size_t)st.st_size);
	}
#endif
	if (map) {
		munmap(map, (size_t)st.st_size);
	}
	return err;
}

static int measure_cmdline(struct trust *t, const char *line)
{
#if HOP_FEAT_MEASURE
	if (t->measure) {
		return add_text(t, "cmdline", line);
	}
#else
	(void)t, (void)line;
#endif
	return 0;
}

#if HOP_FEAT_MEASURE
/* the cpio writer's output: the memfd whose fd ctx points to */
static int memfd_write(void *ctx, const void *buf, size_t len)
{
	return file_write_all(*(int *)ctx, buf, len);
}
#endif

static int log_initrd(struct trust *t, char **path, int *fd)
{
#if HOP_FEAT_MEASURE
	struct cpio c = { memfd_write, NULL, 0, 0, 0 };
	int f, err;

	*fd = -1;
	*path = NULL;
	if (!t->measure) {
		return 0;
	}
	f = memfd_create("hop-measurements", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (f < 0) {
		err = -errno;
		goto fail;
	}
	c.ctx = &f;
	err = cpio_entry(&c, "run", S_IFDIR | 0755, 0, 0, NULL, 0);
	err = err ? err : cpio_entry(&c, "run/hop", S_IFDIR | 0755, 0, 0,
		NULL, 0);
	err = err ? err : cpio_entry(&c, TRUST_LOG_PATH, S_IFREG | 0444, 0, 0,
		t->log->buf, t->log->len);
	err = err ? err : cpio_trailer(&c);
	if (!err && fcntl(f, F_ADD_SEALS, FILE_SEALS | F_SEAL_SEAL) < 0) {
		err = -errno;
	}
	if (!err && !(*path = file_fd_path(f))) {
		err = -ENOMEM;
	}
	if (!err) {
		*fd = f;
		return 0;
	}
	close(f);
fail:
	hop_error(TRUST_LOG_PATH, "the event log's initrd: %s", errname(err));
	return err;
#else
	(void)t;
	*fd = -1;
	*path = NULL;
	return 0;
#endif
}

int trust_request(struct trust *t, struct load_req *req,
	const struct trust_srcs *src, trust_read_fn read_sig, void *arg,
	struct trust_hold *h)
{
	enum { KERNEL, DTB, LOG, INITRD, MODULE = INITRD + HOP_MAX_INITRD };
	char word[1024];
	const char *name;
	size_t i, n;
	int err;

	for (i = 0; i < sizeof(h->fd) / sizeof(h->fd[0]); i++) {
		h->own[i] = NULL;
		h->fd[i] = -1;
	}
	if (!trust_active(t)) {
		return 0;
	}
	if (req->ninitrd > HOP_MAX_INITRD || req->nmodules > HOP_MAX_MODULES) {
		hop_error(req->kernel, "more than %d initrds or %d modules",
			HOP_MAX_INITRD, HOP_MAX_MODULES);
		return -E2BIG;
	}
	err = one(t, "kernel", src->kernel ? src->kernel : req->kernel,
		&req->kernel, &h->own[KERNEL], &h->fd[KERNEL], read_sig, arg);
	for (i = 0; i < req->ninitrd; i++) {
		h->initrd[i] = req->initrd[i];
		name = src->initrd ? src->initrd[i] : req->initrd[i];
		err = err ? err : one(t, "initrd", name, &h->initrd[i],
			&h->own[INITRD + i], &h->fd[INITRD + i], read_sig, arg);
	}
	req->initrd = h->initrd;
	if (!err && req->dtb) {
		err = one(t, "dtb", src->dtb ? src->dtb : req->dtb, &req->dtb,
			&h->own[DTB], &h->fd[DTB], read_sig, arg);
	}
	for (i = 0; i < req->nmodules; i++) {
		h->module[i] = req->modules[i];
		name = src->module ? src->module[i] : req->modules[i].path;
		if (src->module && src->module_words) {
			n = strcspn(name, " \t");
			snprintf(word, sizeof(word), "%.*s", (int)n, name);
			name = word;
		}
		err = err ? err : one(t, "module", name, &h->module[i].path,
			&h->own[MODULE + i], &h->fd[MODULE + i], read_sig, arg);
#if HOP_FEAT_MEASURE
		/* its string configures what the kernel does with it (Xen's
		 * dom0 command line): measured as a command line is */
		if (!err && t->measure && req->modules[i].cmdline) {
			err = add_text(t, "module-string",
				req->modules[i].cmdline);
		}
#endif
	}
	req->modules = h->module;
	err = err ? err : measure_cmdline(t, req->cmdline ? req->cmdline : "");
	/* a multiboot kernel takes no initrd (its modules are what it
	 * gets): the log stays in this system's TRUST_LOG_PATH only */
	if (!err && t->measure && req->nmodules) {
		hop_log("hop.measure: a multiboot kernel gets no initrd: the "
			"event log is not passed on");
	} else {
		err = err ? err : log_initrd(t, &h->own[LOG], &h->fd[LOG]);
	}
	if (!err && h->own[LOG]) {
		h->initrd[req->ninitrd++] = h->own[LOG];
	}
	return err;
}

void trust_release(struct trust_hold *h)
{
	size_t i;

	for (i = 0; i < sizeof(h->fd) / sizeof(h->fd[0]); i++) {
		free(h->own[i]);
		h->own[i] = NULL;
		if (h->fd[i] >= 0) {
			close(h->fd[i]);
		}
		h->fd[i] = -1;
	}
}

#if HOP_FEAT_MEASURE
/* the log as extended so far, for tools of this system (hop eventlog) */
static void write_log(const struct trust *t, const char *rundir)
{
	char path[512], tmp[520];
	int f, err = 0;

	if (!rundir) {
		return;
	}
	snprintf(path, sizeof(path), "%s/measurements", rundir);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	mkdir(rundir, 0755);
	f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
	if (f < 0) {
		err = -errno;
	} else {
		err = file_write_all(f, t->log->buf, t->committed);
		close(f);
	}
	if (!err && rename(tmp, path) < 0) {
		err = -errno;
	}
	if (err < 0) {
		hop_warn(path, "the event log: %s", errname(err));
	}
}
#endif

int trust_commit(struct trust *t, const char *rundir)
{
#if HOP_FEAT_MEASURE
	const struct pending *pe = t->pending;
	struct tpm_digests next, now;
	char why[200], w[160];
	size_t i;
	int err = 0;

	if (!t->measure) {
		return 0;
	}
	for (i = 0; i < t->npending && !err; i++) {
		err = fold(&t->value, &pe[i].d, &next);
		err = err ? err : tpm_extend(t->tpm, t->pcr, &pe[i].d, why,
			sizeof(why));
		/* an answer lost on the way (a timeout, an I/O error) may
		 * follow an extension made: the PCR says which */
		if (err < 0) {
			int known = tpm_pcr_read(t->tpm, t->pcr, t->algs,
				t->nalgs, &now, w, sizeof(w)) == 0;

			if (known && same(&now, &next)) {
				hop_warn(t->tpm_path, "hop.measure: %s: %s, yet "
					"PCR %u holds it extended", pe[i].desc,
					why, t->pcr);
				err = 0;
			} else {
				hop_error(t->tpm_path, "hop.measure: extending "
					"PCR %u with %s: %s (%s)%s", t->pcr,
					pe[i].desc, why, errname(err), !known ?
					"; the PCR could not be read back" :
					same(&now, &t->value) ? "" : "; the PCR "
					"holds neither its value before nor "
					"after: the log no longer replays to it");
				break;
			}
		}
		t->value = next;
		t->committed = t->end[i];
	}
	/* what was not extended leaves the log */
	t->log->len = t->committed;
	t->npending = 0;
	write_log(t, rundir);
	if (!err) {
		hop_log("measured into PCR %u (%zu banks): %s", t->pcr,
			t->nalgs, TRUST_LOG_PATH);
	}
	return err;
#else
	(void)t, (void)rundir;
	return 0;
#endif
}

void trust_drop(struct trust *t)
{
	if (t->log) {
		t->log->len = t->committed;
	}
	t->npending = 0;
}

void trust_free(struct trust *t)
{
	free(t->keys);
#if HOP_FEAT_MEASURE
	if (t->log) {
		evlog_free(t->log);
	}
#endif
	free(t->log);
	free(t->pending);
	if (t->tpm >= 0) {
		close(t->tpm);
	}
	memset(t, 0, sizeof(*t));
	t->tpm = -1;
}

#else	/* neither signatures nor measurements are built in */

int trust_setup(struct trust *t, const char *pubkey, const char *sig,
	const char *measure, const char *rundir, int timeout_s)
{
	(void)rundir, (void)timeout_s;
	memset(t, 0, sizeof(*t));
	t->tpm = -1;
	if (pubkey || sig || measure) {
		hop_error(measure ? "hop.measure" : pubkey ? "hop.pubkey" :
			"hop.sig", "not built into this hop (make "
			"CONFIG=default builds it)");
		return -ENOPKG;
	}
	return 0;
}

#endif
