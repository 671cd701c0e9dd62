/* Boot selection for the agent: the keys' target or the configurations'
 * entries, each file resolved on its device (inside its file system:
 * lib/agent/source.c), pinned (hop.*.sha256), and loaded (lib/load/
 * load.c); README, "The agent" and "Boot configurations". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "bootsel.h"
#include "hop.h"
#include "menu.h"
#include "modules.h"
#include "netboot.h"
#include "plan.h"
#include "request.h"
#include "sha256.h"
#include "sig.h"
#include "source.h"
#include "trust.h"
#include "unpack.h"
#include "url.h"

const char *boot_rundir = HOP_RUN_DIR;

/* what one boot attempt loads; the keys, or a configuration's entry */
struct target {
	const char *what;	/* "hop.kernel" or the entry's label */
	int entry;		/* 1: from a configuration's entry */
	const char *kernel;
	const char *kernel_name;	/* a configuration's path, or NULL */
	const char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	const char *dtb;
	const char *cmdline;
	/* a kernel that is a Unified Kernel Image brings its own command
	 * line (lib/load/unpack.h): it is the base unless cmdline_own (the
	 * line is hop.cmdline's or the entry's), then append (hop.append)
	 * is added; sub picks its profile or a FIT's configuration
	 * (hop.entry, or the entry's) */
	int cmdline_own;
	const char *append;
	const char *sub;
	/* multiboot modules: their strings; the file is module_src[i] when
	 * given (a configuration's module line), else the string's first
	 * word (hop.module="SRC ARGS") */
	const char *const *module;
	const char *const *module_src;
	size_t nmodule;
};

static void check_config(const struct config *cfg)
{
	if (cfg->dtb && !arch_uses_dtb) {
		hop_warn("hop.dtb", "this arch boots without a device tree, "
			"ignored");
	}
	if (cfg->kernel && cfg->conf) {
		hop_warn("hop.config", "hop.kernel is set: the configuration "
			"is not read");
	}
}

static void print_plan(const struct config *cfg, const struct target *t)
{
	size_t i;

	hop_log("plan: kernel %s", t->kernel);
	for (i = 0; i < t->ninitrd; i++) {
		hop_log("plan: initrd %s", t->initrd[i]);
	}
	if (t->dtb) {
		hop_log("plan: dtb %s", t->dtb);
	}
	for (i = 0; i < t->nmodule; i++) {
		hop_log("plan: module %s%s%s", t->module_src ?
			t->module_src[i] : "", t->module_src ? " as " : "",
			t->module[i]);
	}
	hop_log("plan: cmdline \"%s\"", t->cmdline);
	hop_log("plan: syscall %s", syscall_name(cfg->syscall));
}

/* who asked for a file, for its error line: the key ("hop.kernel") or
 * the entry ("entry \"debian\" kernel") */
static const char *what_of(const struct target *t, const char *file,
	char *buf, size_t sz)
{
	if (t->entry) {
		snprintf(buf, sz, "entry \"%s\" %s", t->what, file);
	} else {
		snprintf(buf, sz, "hop.%s", file);
	}
	return buf;
}

/* hop.*.sha256: the file is copied into a sealed memfd while hashed, and
 * the memfd is what gets loaded, so the checked bytes are the loaded
 * bytes; *path is replaced by /proc/self/fd/N, *fd keeps it open. A URL's
 * bytes are in a sealed memfd already, hashed as they came (received):
 * compared, not copied again */
static int pin(const char *key, const char *want, const char *src,
	const char *received, char **path, int *fd)
{
	char got[65], *p;
	int f;

	if (!want) {
		return 0;
	}
	if (received && received[0]) {
		if (strcasecmp(received, want)) {
			hop_error(src, "SHA-256 mismatch: the bytes received "
				"have %s, %s wants %s", received, key, want);
			return -EBADMSG;
		}
		hop_debug("%s verified (%s)", src, key);
		return 0;
	}
	f = sha256_pinned_copy(*path, want, got);
	if (f == -EBADMSG) {
		hop_error(*path, "SHA-256 mismatch: the file has %s, %s wants %s",
			got, key, want);
		return f;
	}
	if (f == -EFBIG) {
		hop_error(*path, "%s: larger than half of the free memory: not "
			"copied for its check", key);
		return f;
	}
	if (f < 0) {
		hop_error(*path, "%s: %s (%s)", key, errname(f),
			file_strerror(f));
		return f;
	}
	p = file_fd_path(f);
	if (!p) {
		close(f);
		return -ENOMEM;
	}
	hop_debug("%s verified (%s)", *path, key);
	free(*path);
	*path = p;
	*fd = f;
	return 0;
}

/* hop.cmdline.sha256: the digest of the next command line's bytes as the
 * kernel gets them (no NUL) */
static int pin_cmdline(const char *want, const char *line)
{
	struct sha256 s;
	uint8_t d[32];
	char got[65];

	if (!want) {
		return 0;
	}
	sha256_init(&s);
	sha256_update(&s, line, strlen(line));
	sha256_final(&s, d);
	sha256_hex(d, got);
	if (strcasecmp(got, want)) {
		hop_error("hop.cmdline.sha256", "SHA-256 mismatch: the command "
			"line \"%s\" has %s, hop.cmdline.sha256 wants %s", line,
			got, want);
		return -EBADMSG;
	}
	hop_debug("command line verified (hop.cmdline.sha256)");
	return 0;
}

/* the Nth comma-separated hex digest of list, in buf; NULL past the end */
static const char *nth_pin(const char *list, size_t n, char *buf, size_t sz)
{
	const char *p = list;

	while (p && n--) {
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p) {
		return NULL;
	}
	snprintf(buf, sz, "%.*s", (int)strcspn(p, ","), p);
	return buf;
}

/* module i's file: module_src[i], or SRC, the first word of
 * hop.module="SRC ARGS"; -EINVAL logged when there is none */
static int module_file(const struct target *t, size_t i, char *src,
	size_t sz)
{
	size_t n = strcspn(t->module[i], " \t");

	if (t->module_src) {
		n = (size_t)snprintf(src, sz, "%s", t->module_src[i]);
	}
	if (!n || n >= sz) {
		hop_error("hop.module", "'%s': %s", t->module[i], n ?
			"file name too long" : "no file (hop.module=\"SRC "
			"ARGS\")");
		return -EINVAL;
	}
	if (!t->module_src) {
		memcpy(src, t->module[i], n);
		src[n] = '\0';
	}
	return 0;
}

/* each module's file resolved into path[i]; the module's string stays
 * as written */
static int resolve_modules(const struct config *cfg, const struct target *t,
	struct mounts *m, char **path, int *fds, struct module_src *mods)
{
	char src[1024], w[300];
	size_t i;
	int err;

	for (i = 0; i < t->nmodule; i++) {
		err = module_file(t, i, src, sizeof(src));
		if (err < 0) {
			return err;
		}
		err = source_resolve(what_of(t, "module", w, sizeof(w)), src,
			cfg->timeout, m, &path[i], &fds[i], NULL);
		if (err < 0) {
			return err;
		}
		mods[i].path = path[i];
		mods[i].cmdline = t->module[i];
	}
	return 0;
}

/* what this boot checks and measures (hop.pubkey, hop.sig,
 * hop.measure), set up by boot_load */
static struct trust trust;

/* the signature next to a source, where the source is */
struct sibling {
	const struct config *cfg;
	struct mounts *m;
	const char *what;
};

static int read_sibling(void *arg, const char *src, const char *ext,
	char **text, size_t *len)
{
	struct sibling *sb = arg;

	return source_read_sibling(sb->what, src, ext, sb->cfg->timeout, sb->m,
		SIG_FILE_MAX, text, len);
}

/* a Unified Kernel Image's .cmdline as the next command line, hop.append
 * added (lib/load/unpack.h): into out, or out empty when the line stays
 * the target's (hop.cmdline's or the entry's, or the image has none) */
static int uki_cmdline_for(const struct target *t, const struct unpacked *u,
	char *out, size_t sz)
{
	out[0] = '\0';
	if (t->cmdline_own || !u->plan.has_cmdline) {
		return 0;
	}
	if (cmdline_insert(out, sz, u->plan.cmdline, t->append ? t->append :
		"") < 0) {
		hop_error(t->what, "the image's .cmdline and hop.append: longer "
			"than %d bytes", CMDLINE_MAX - 1);
		return -E2BIG;
	}
	hop_log("cmdline: the image's .cmdline%s: \"%s\"", t->append ?
		" and hop.append" : "", out);
	return 0;
}

/* resolves the target's sources (devices mounted into m) and loads it;
 * 0 when an image is loaded */
static int load_target(const struct config *cfg, const struct target *t,
	struct mounts *m)
{
	char *kernel = NULL, *initrd[HOP_MAX_INITRD] = { NULL }, *dtb = NULL;
	char *modpath[HOP_MAX_MODULES] = { NULL };
	struct module_src mods[HOP_MAX_MODULES];
	/* pinned copies: kernel, initrds, dtb; files held open by
	 * source_resolve: the same, then the modules */
	int fds[HOP_MAX_INITRD + 2], src_fds[HOP_MAX_INITRD + 2 +
		HOP_MAX_MODULES], err;
	/* what the checks and measurements hold (one load at a time) */
	static struct trust_hold hold;
	/* a container kernel's parts, and the command line it brings */
	static struct unpacked up;
	static char own_line[CMDLINE_MAX];
	struct trust_srcs srcs;
	struct sibling sb = { cfg, m, t->what };
	int held = 0;
	struct load_req req;
	char hex[80], spec[128], w[300];
	/* what a URL's bytes hashed to as received: kernel, initrds, dtb */
	char sha[HOP_MAX_INITRD + 2][65];
	size_t i;

	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		fds[i] = -1;
		sha[i][0] = '\0';
	}
	for (i = 0; i < sizeof(src_fds) / sizeof(src_fds[0]); i++) {
		src_fds[i] = -1;
	}
	if (cfg->dryrun || cfg->debug) {
		print_plan(cfg, t);
	}
	err = source_resolve(what_of(t, "kernel", w, sizeof(w)), t->kernel,
		cfg->timeout, m, &kernel, &src_fds[0],
		cfg->kernel_sha ? sha[0] : NULL);
	for (i = 0; !err && i < t->ninitrd; i++) {
		err = source_resolve(what_of(t, "initrd", w, sizeof(w)),
			t->initrd[i], cfg->timeout, m, &initrd[i],
			&src_fds[1 + i], cfg->initrd_sha ? sha[1 + i] : NULL);
	}
	if (!err && t->dtb && arch_uses_dtb) {
		err = source_resolve(what_of(t, "dtb", w, sizeof(w)), t->dtb,
			cfg->timeout, m, &dtb, &src_fds[1 + HOP_MAX_INITRD],
			cfg->dtb_sha ? sha[1 + HOP_MAX_INITRD] : NULL);
	}
	if (!err) {
		err = resolve_modules(cfg, t, m, modpath,
			src_fds + 2 + HOP_MAX_INITRD, mods);
	}
	if (!err) {
		err = pin("hop.kernel.sha256", cfg->kernel_sha, t->kernel,
			sha[0], &kernel, &fds[0]);
	}
	if (!err && cfg->initrd_sha && nth_pin(cfg->initrd_sha, t->ninitrd,
		hex, sizeof(hex))) {
		hop_error("hop.initrd.sha256", "more digests than initrds (%zu)",
			t->ninitrd);
		err = -EINVAL;
	}
	for (i = 0; !err && cfg->initrd_sha && i < t->ninitrd; i++) {
		const char *want = nth_pin(cfg->initrd_sha, i, hex, sizeof(hex));

		if (!want) {
			hop_error("hop.initrd.sha256", "no digest for initrd %zu "
				"(%s): give one per initrd", i + 1, t->initrd[i]);
			err = -EINVAL;
			break;
		}
		err = pin("hop.initrd.sha256", want, t->initrd[i], sha[1 + i],
			&initrd[i], &fds[1 + i]);
	}
	if (!err && dtb) {
		err = pin("hop.dtb.sha256", cfg->dtb_sha, t->dtb,
			sha[1 + HOP_MAX_INITRD], &dtb, &fds[1 + HOP_MAX_INITRD]);
	} else if (!err && cfg->dtb_sha) {
		/* fail closed: a pin with nothing to check is not a pass */
		hop_error("hop.dtb.sha256", "no device tree file is loaded "
			"(%s): nothing matches the pin", arch_uses_dtb ?
			"the running tree would be passed on" :
			"this arch boots without one");
		err = -EBADMSG;
	}
	unpack_init(&up);
	if (!err) {
		memset(&req, 0, sizeof(req));
		req.kernel = kernel;
		/* a multiboot kernel is told the path, not the mount */
		req.kernel_name = t->kernel_name;
		if (!req.kernel_name && (url_is_url(t->kernel) ||
			source_split(t->kernel, spec, sizeof(spec),
			&req.kernel_name) < 0)) {
			req.kernel_name = t->kernel;
		}
		req.initrd = (const char *const *)initrd;
		req.ninitrd = t->ninitrd;
		req.cmdline = t->cmdline;
		req.dtb = dtb;
		req.modules = mods;
		req.nmodules = t->nmodule;
		req.syscall = cfg->syscall;
		req.rundir = boot_rundir;	/* for hop watch */
		/* hop.dryrun: the kexec_load segment table, nothing loaded */
		req.plan_only = cfg->dryrun;
		err = unpack_open(&up, t->kernel, &req, t->sub);
		if (err == 1) {
			err = uki_cmdline_for(t, &up, own_line, sizeof(own_line));
			req.cmdline = own_line[0] ? own_line : req.cmdline;
		}
	}
	if (!err) {
		err = pin_cmdline(cfg->cmdline_sha, req.cmdline);
	}
	if (!err) {
		srcs = (struct trust_srcs){ t->kernel, t->initrd, t->dtb,
			t->module_src ? t->module_src : t->module,
			!t->module_src };
		err = trust_request(&trust, &req, &srcs, read_sibling, &sb,
			&hold);
		held = 1;
		/* the whole image was checked and measured: now its parts */
		err = err ? err : unpack_apply(&up, t->kernel, &req);
		err = err ? err : load_image(&req);
		/* measured boot: extended once loaded, before the jump; an
		 * image whose measurements did not all go in is unloaded */
		if (!err && !req.plan_only && trust_commit(&trust,
			boot_rundir) < 0) {
			load_unload(&req);
			err = -EIO;
		}
	}
	trust_drop(&trust);
	if (held) {
		trust_release(&hold);
	}
	unpack_close(&up);
	free(kernel);
	for (i = 0; i < t->ninitrd; i++) {
		free(initrd[i]);
	}
	free(dtb);
	for (i = 0; i < HOP_MAX_MODULES; i++) {
		free(modpath[i]);
	}
	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
	for (i = 0; i < sizeof(src_fds) / sizeof(src_fds[0]); i++) {
		if (src_fds[i] >= 0) {
			close(src_fds[i]);
		}
	}
	return err;
}

/* loads what the keys name (hop.kernel, hop.initrd, hop.dtb); 0 when
 * an image is loaded */
static int boot_keys(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	static char next[CMDLINE_MAX];
	struct target t;

	if (config_next_cmdline(cfg, cur, next, sizeof(next)) < 0) {
		hop_error("command line", "longer than %d bytes", CMDLINE_MAX);
		return -E2BIG;
	}
	memset(&t, 0, sizeof(t));
	t.what = "hop.kernel";
	t.kernel = cfg->kernel;
	memcpy(t.initrd, cfg->initrd, sizeof(t.initrd));
	t.ninitrd = cfg->ninitrd;
	t.dtb = cfg->dtb;
	t.module = cfg->mbmodule;
	t.nmodule = cfg->nmbmodule;
	t.cmdline = next;
	t.cmdline_own = cfg->cmdline != NULL;
	t.append = cfg->append;
	t.sub = cfg->entry;	/* the config is not read: hop.entry is free */
	return load_target(cfg, &t, m);
}

#if HOP_FEAT_BOOTCFG
/* the running machine's most specific compatible string (the first of
 * the root's compatible), for extlinux fdtdir */
static int machine_compatible(char *buf, size_t sz)
{
	static const char *const where[] = { "/proc/device-tree/compatible",
		"/sys/firmware/devicetree/base/compatible" };
	size_t i;

	/* the list is NUL-separated: buf holds its first, the most specific */
	for (i = 0; i < 2; i++) {
		if (file_read_small(where[i], buf, sz) > 0) {
			return 0;
		}
	}
	return -ENOENT;
}

static const char *entry_name(const struct boot_entry *e)
{
	return e->label ? e->label : e->title ? e->title : e->kernel;
}

/* why bootsel_source gave nothing: a server's path that makes no URL
 * (said already), else memory */
#define NO_SOURCE(fc) ((fc)->url[0] ? -EINVAL : -ENOMEM)

/* the device tree of an entry: hop.dtb, the entry's fdt, or the .dtb of
 * its fdtdir made for this machine; malloc'd source in *out, NULL when
 * none (the running tree is passed on) */
static int entry_dtb(const struct config *cfg, const struct found_config *fc,
	const struct boot_entry *e, char **out)
{
	char compat[256] = "", *rel;
	int err;

	*out = NULL;
	if (!arch_uses_dtb || cfg->dtb) {
		return 0;
	}
	if (e->dtb) {
		*out = bootsel_source(fc, e, e->dtb);
		return *out ? 0 : NO_SOURCE(fc);
	}
	if (!e->fdtdir) {
		return 0;
	}
	if (fc->url[0]) {
		/* HTTP and TFTP list no folders to search */
		hop_warn(e->fdtdir, "fdtdir: not searched on a server: the "
			"running tree is passed on (fdt names a file)");
		return 0;
	}
	err = machine_compatible(compat, sizeof(compat));
	if (err == 0) {
		err = bootsel_fdtdir(fc->fsroot, e->fdtdir, compat, &rel);
	}
	if (err == -ENOMEM) {
		return err;
	}
	if (err < 0) {
		if (err == -E2BIG) {
			hop_warn(e->fdtdir, "fdtdir: more than hop reads (%u "
				"MiB of .dtb files, %d names a folder): the rest "
				"not searched", FDTDIR_READ_MAX >> 20,
				BOOTSEL_LIST_MAX);
		}
		hop_warn(e->fdtdir, "fdtdir: no .dtb here lists this machine's "
			"compatible \"%s\": the running tree is passed on",
			compat[0] ? compat : "?");
		return 0;
	}
	hop_log("config: fdtdir %s: %s is for %s", e->fdtdir, rel, compat);
	*out = bootsel_source(fc, e, rel);
	free(rel);
	return *out ? 0 : NO_SOURCE(fc);
}

/* loads entry e of configuration fc: its files from the file system it
 * was found on, its command line (hop.cmdline wins, hop.append is added;
 * none at all: hop.reuse), hop.initrd and hop.dtb in place of its own
 * when given; 0 when an image is loaded */
static int boot_entry(const struct config *cfg, const struct cmdline *cur,
	const struct found_config *fc, const struct boot_entry *e,
	struct mounts *m)
{
	static char next[CMDLINE_MAX];
	char *own[HOP_MAX_INITRD + 2] = { NULL };
	char *modsrc[HOP_MAX_MODULES] = { NULL };
	struct config c = *cfg;
	struct target t;
	size_t i;
	int err = 0;

	memset(&t, 0, sizeof(t));
	t.what = entry_name(e);
	t.entry = 1;
	t.kernel = own[0] = bootsel_source(fc, e, e->kernel);
	t.kernel_name = e->kernel;
	if (cfg->ninitrd) {
		memcpy(t.initrd, cfg->initrd, sizeof(t.initrd));
		t.ninitrd = cfg->ninitrd;
	} else {
		for (i = 0; i < e->ninitrd; i++) {
			t.initrd[i] = own[1 + i] = bootsel_source(fc, e,
				e->initrd[i]);
			err = t.initrd[i] ? err : NO_SOURCE(fc);
		}
		t.ninitrd = e->ninitrd;
	}
	if (!err && t.kernel) {
		err = entry_dtb(cfg, fc, e, &own[1 + HOP_MAX_INITRD]);
	}
	t.dtb = cfg->dtb ? cfg->dtb : own[1 + HOP_MAX_INITRD];
	/* multiboot: hop.module in place of the entry's module lines */
	if (cfg->nmbmodule) {
		t.module = cfg->mbmodule;
		t.nmodule = cfg->nmbmodule;
	} else if (e->nmodule) {
		for (i = 0; i < e->nmodule; i++) {
			modsrc[i] = bootsel_source(fc, e, e->module[i]);
			err = modsrc[i] ? err : NO_SOURCE(fc);
		}
		t.module = (const char *const *)e->module_cmdline;
		t.module_src = (const char *const *)modsrc;
		t.nmodule = e->nmodule;
	}
	if (!t.kernel) {
		err = NO_SOURCE(fc);
	}
	/* a server's path that is no URL was said by bootsel_source */
	if (err && err != -EINVAL) {
		hop_error(t.what, "%s", errname(err));
	}
	if (!cfg->cmdline && e->cmdline) {
		c.cmdline = e->cmdline;
	}
	if (!err && config_next_cmdline(&c, cur, next, sizeof(next)) < 0) {
		hop_error(t.what, "command line longer than %d bytes",
			CMDLINE_MAX);
		err = -E2BIG;
	}
	t.cmdline = next;
	t.cmdline_own = c.cmdline != NULL;
	t.append = cfg->append;
	t.sub = e->sub;
	if (!err) {
		err = load_target(&c, &t, m);
	}
	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		free(own[i]);
	}
	for (i = 0; i < HOP_MAX_MODULES; i++) {
		free(modsrc[i]);
	}
	return err;
}

/* boot.h says why these */
#define MAX_CONFIGS BOOT_MAX_CONFIGS
#define MAX_TRIES 8

/* hop.config=SRC: the one configuration it names; 1 or -errno */
static int config_named(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	const char *dir, *path;
	char spec[128];
	int dev, err;

	dev = source_split(cfg->conf, spec, sizeof(spec), &path);
	err = source_locate("hop.config", cfg->conf, cfg->timeout, m, &dir,
		&path);
	if (err < 0) {
		return err;
	}
	err = bootsel_read(dir, dev ? spec : NULL, path, budget, fc);
	if (err < 0) {
		hop_error(fc->shown, "%s", fc->c.why);
		bootcfg_free(&fc->c);
		return err;
	}
	return 1;
}

/* hop.config=auto: the configurations on the block devices' file systems
 * (bootsel.c lists the places), each device looked at once, in name
 * order; a file system without one is unmounted again. Waits up to
 * hop.timeout for the first; how many, or -ENOENT */
static int config_auto(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	long long end = mono_ms() + cfg->timeout * 1000LL;
	const char *dir, *dev;
	int n = 0, told = 0;

	for (;;) {
		while (n < MAX_CONFIGS && source_next_device(m, &dir, &dev)) {
			if (bootsel_find(dir, dev, budget, &fc[n]) == 0) {
				n++;
			} else {
				source_unmount(m, dir);
			}
		}
		if (n == MAX_CONFIGS && source_next_device(m, &dir, &dev)) {
			hop_warn("hop.config", "auto: %d configurations found "
				"(hop's limit): %s and the devices after it are "
				"not searched", MAX_CONFIGS, dev);
			source_unmount(m, dir);
		}
		if (n > 0) {
			return n;
		}
		if (mono_ms() >= end) {
			hop_error("hop.config", "auto: no boot configuration on "
				"%d block device(s) after %d s (hop.timeout; "
				"looked for %s)", m->nseen, cfg->timeout,
				bootsel_looked_for());
			return -ENOENT;
		}
		if (!told) {
			hop_log("config: waiting up to %d s for a boot "
				"configuration on a block device", cfg->timeout);
			told = 1;
		}
		usleep(250 * 1000);
	}
}

int boot_find_configs(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	if (cfg->conf && (!strcmp(cfg->conf, "pxe") ||
		url_is_url(cfg->conf))) {
#if HOP_FEAT_NET
		int err = strcmp(cfg->conf, "pxe") ?
			netboot_config(cfg->conf, budget, fc) :
			netboot_pxe(budget, fc);

		return err < 0 ? err : 1;
#else
		hop_error("hop.config", "%s: network boot is not built into "
			"this hop (make CONFIG=default builds it)", cfg->conf);
		return -ENOPKG;
#endif
	}
	return cfg->conf && strcmp(cfg->conf, "auto") ?
		config_named(cfg, m, budget, fc) :
		config_auto(cfg, m, budget, fc);
}

#if HOP_FEAT_MENU
/* hop.menu=1: every entry of every configuration on the console, the
 * countdown of the first configuration's timeout; *ci, *ei: the default
 * in, the pick out */
static void menu_pick(const struct found_config *fc, size_t n, size_t *ci,
	size_t *ei)
{
	const char **items;
	char **text;
	size_t i, j, total = 0, k = 0, def = 0;
	int pick;

	for (i = 0; i < n; i++) {
		total += fc[i].c.n;
	}
	items = calloc(total, sizeof(*items));
	text = calloc(total, sizeof(*text));
	for (i = 0; items && text && i < n; i++) {
		for (j = 0; j < fc[i].c.n; j++, k++) {
			const struct boot_entry *e = &fc[i].c.e[j];

			if (i == *ci && j == *ei) {
				def = k;
			}
			/* the configuration too when there are several */
			if (asprintf(&text[k], "%s%s%s", e->title ? e->title :
				entry_name(e), n > 1 ? "  " : "",
				n > 1 ? fc[i].shown : "") < 0) {
				text[k] = NULL;
			}
			items[k] = text[k] ? text[k] : entry_name(e);
		}
	}
	if (items && text && k == total) {
		pick = menu_run(0, 1, items, (int)total, (int)def,
			menu_seconds(fc[0].c.timeout_ds), 1000);
		for (i = 0, k = 0; i < n; i++) {
			if ((size_t)pick >= k && (size_t)pick < k + fc[i].c.n) {
				*ci = i;
				*ei = (size_t)pick - k;
			}
			k += fc[i].c.n;
		}
	} else {
		hop_warn("hop.menu", "out of memory: booting the default");
	}
	for (i = 0; text && i < total; i++) {
		free(text[i]);
	}
	free(text);
	free(items);
}
#endif

/* loads an entry of the boot configurations (hop.config, hop.entry),
 * trying the next one while one fails; 0 when an image is loaded */
static int boot_configs(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	struct found_config fc[MAX_CONFIGS];
	int n, i, count, tries = 0, err = -ENOENT, tried[MAX_CONFIGS] = { 0 };
	struct bootcfg_budget budget;
	struct candidate *order;
	const char *last = "";
	size_t ci, ei, k;

	/* what every configuration of this boot may cost together */
	bootcfg_budget_default(&budget);
	n = boot_find_configs(cfg, m, &budget, fc);
	if (n < 0) {
		return n;
	}
	for (i = 0; i < n; i++) {
		int d = bootcfg_choose(&fc[i].c, NULL);

		hop_log("config: %s (%s): %zu entries, default \"%s\"",
			fc[i].shown, bootcfg_kind_name(fc[i].kind), fc[i].c.n,
			entry_name(&fc[i].c.e[d < 0 ? 0 : d]));
		if (fc[i].c.nnotes) {
			hop_log("config: %s: %s%s", fc[i].shown, fc[i].c.note,
				fc[i].c.nnotes > 1 ? " (and more: hop.debug=1)" :
				"");
		}
	}
	if (bootsel_want(fc, (size_t)n, cfg->entry, &ci, &ei) < 0 &&
		cfg->entry) {
		hop_warn("hop.entry", "'%s': no entry has that label, title or "
			"number; booting the default", cfg->entry);
	}
#if HOP_FEAT_MENU
	if (cfg->menu) {
		menu_pick(fc, (size_t)n, &ci, &ei);
	}
#endif
	count = bootsel_candidates(fc, (size_t)n, ci, ei, &order);
	for (i = 0; i < count; i++) {
		const struct found_config *f = &fc[order[i].cfg];
		const struct boot_entry *e = &f->c.e[order[i].entry];

		/* a stick of failing entries cannot hide the disks after it,
		 * nor fill the console: each configuration gets MAX_TRIES */
		if (tried[order[i].cfg]++ >= MAX_TRIES) {
			if (tried[order[i].cfg] == MAX_TRIES + 1) {
				hop_warn(f->shown, "%zu more entries not tried "
					"(hop tries at most %d of one "
					"configuration)", f->c.n - MAX_TRIES,
					MAX_TRIES);
			}
			continue;
		}
		if (tries++ > 0) {
			hop_log("config: entry \"%s\" failed (%s); trying the "
				"next", last, errname(err));
		}
		hop_log("config: entry \"%s\" of %s", entry_name(e), f->shown);
		last = entry_name(e);
		err = boot_entry(cfg, cur, f, e, m);
		if (err == 0) {
			break;
		}
	}
	if (tries > 0 && err < 0) {
		hop_error("hop.config", "none of the %d entries tried could be "
			"loaded", tries);
	}
	if (count >= 0) {
		free(order);
	}
	for (k = 0; k < (size_t)n; k++) {
		bootcfg_free(&fc[k].c);
	}
	return count < 0 ? count : err;
}

#else
static int boot_configs(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	(void)cur;
	(void)m;
	hop_error(cfg->conf ? "hop.config" : "hop.kernel", "%s, and boot "
		"configurations are not built into this hop (make "
		"CONFIG=default builds them)", cfg->conf ? "given" : "not set");
	return -ENOPKG;
}
#endif

int boot_load(const struct config *cfg, const struct cmdline *cur)
{
	struct mounts m;
	int err;

	memset(&m, 0, sizeof(m));
#if HOP_FEAT_NET
	netboot_setup(cfg->net, cfg->ca, cfg->timeout);
#endif
	if (cfg->modules && modules_load(cfg->modules) < 0) {
		hop_log("some modules did not load; going on");
	}
	/* fail closed: keys that cannot be honoured boot nothing; after
	 * the modules, which may hold the TPM's driver */
	err = trust_setup(&trust, cfg->pubkey, cfg->sig, cfg->measure,
		boot_rundir, cfg->timeout);
	if (err < 0) {
		trust_free(&trust);
		return err;
	}
	check_config(cfg);
	err = cfg->kernel ? boot_keys(cfg, cur, &m) :
		boot_configs(cfg, cur, &m);
	/* the kernel holds copies now: nothing stays mounted for the jump */
	source_unmount_all(&m);
	trust_free(&trust);
	return err;
}
