/* Boot configurations for the agent: the places they are looked for, the
 * file access the parsers get (rooted at the file system the
 * configuration came from: "Paths in an entry are relative to the file
 * system it was found on", issue 6), and an entry's files as sources. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "bootsel.h"
#include "hop.h"
#include "sysmem.h"

#define CONFIG_MAX BOOTSEL_TEXT_MAX
#define LIST_MAX BOOTSEL_LIST_MAX

/* Where the agent looks on each file system, in this order: u-boot's
 * distro boot (extlinux), syslinux's own names, isolinux on an ISO (its
 * folder, or /boot/isolinux as XenServer's ISOs have it), BLS (on an ESP
 * or XBOOTLDR partition at its root, or /boot of a root file system), grub
 * (Debian's /boot/grub, Fedora's /boot/grub2, a /boot partition's /grub;
 * then an ESP's: each vendor folder /EFI/NAME/grub.cfg in name order, as
 * Fedora, RHEL, Ubuntu and NixOS install it, then the removable-media
 * /efi/boot/grub.cfg and a /grub.cfg at the root; last an ISO's
 * loopback.cfg, the file grub reads when booting the ISO from a file),
 * then boot.cfg (kexecboot's, or ESXi's by its content: at the root or
 * in /boot, and /efi/boot/boot.cfg of an ESXi ISO). vfat and iso9660
 * (as Linux mounts it) match names in any case; "*" stands for each
 * folder of /EFI (or /efi), listed at most once per file system. BLS
 * Type #2's /EFI/Linux (Unified Kernel Images, the spec's "Type #2 EFI
 * Unified Kernel Images") is a place of its own for a partition that
 * has no loader/entries: where both are, the BLS read of loader/entries
 * has the images too, one menu (try_place). */
#define VENDORS "/EFI/*/grub.cfg"
static const char *const known[] = {
	"/extlinux/extlinux.conf",
	"/boot/extlinux/extlinux.conf",
	"/syslinux/syslinux.cfg",
	"/boot/syslinux/syslinux.cfg",
	"/syslinux.cfg",
	"/isolinux/isolinux.cfg",
	"/boot/isolinux/isolinux.cfg",
	"/loader/entries",
	"/EFI/Linux",
	"/boot/loader/entries",
	"/boot/EFI/Linux",
	"/boot/grub/grub.cfg",
	"/grub/grub.cfg",
	"/boot/grub2/grub.cfg",
	"/grub2/grub.cfg",
	VENDORS,
	"/efi/boot/grub.cfg",
	"/grub.cfg",
	"/boot/grub/loopback.cfg",
	"/boot.cfg",
	"/boot/boot.cfg",
	"/efi/boot/boot.cfg",
};

/* each format's parser, called one way: BLS gets its root folder as
 * path and no text, the others the file's text and path; a format not
 * built in (make CONFIG=) has none */
#if HOP_FEAT_EXTLINUX
static int parse_extlinux(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	return bootcfg_extlinux(text, path, io, c);
}
#else
#define parse_extlinux NULL
#endif

#if HOP_FEAT_BLS
static int parse_bls(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	(void)text;
	return bootcfg_bls(path, io, c);
}
#else
#define parse_bls NULL
#endif

#if HOP_FEAT_GRUB
static int parse_grub(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	return bootcfg_grub(text, path, io, c);
}
#else
#define parse_grub NULL
#endif

#if HOP_FEAT_ESXI
static int parse_esxi(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	(void)io;
	return bootcfg_esxi(text, path, c);
}
#else
#define parse_esxi NULL
#endif

#if HOP_FEAT_IPXE
static int parse_ipxe(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	(void)io;
	return bootcfg_ipxe(text, path, c);
}
#else
#define parse_ipxe NULL
#endif

#if HOP_FEAT_KEXECBOOT
static int parse_kexecboot(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *c)
{
	(void)io;
	return bootcfg_kexecboot(text, path, c);
}
#else
#define parse_kexecboot NULL
#endif

/* the formats, one line each: the name the log gives it, its parser */
static const struct {
	const char *name;
	int (*parse)(const char *text, const char *path,
		const struct bootcfg_io *io, struct boot_config *c);
} formats[] = {
	[BOOTCFG_EXTLINUX] = { "extlinux", parse_extlinux },
	[BOOTCFG_BLS] = { "BLS", parse_bls },
	[BOOTCFG_GRUB] = { "grub.cfg", parse_grub },
	[BOOTCFG_KEXECBOOT] = { "kexecboot", parse_kexecboot },
	[BOOTCFG_ESXI] = { "ESXi", parse_esxi },
	[BOOTCFG_IPXE] = { "iPXE", parse_ipxe },
};

const char *bootcfg_kind_name(enum bootcfg_kind k)
{
	return formats[k].name;
}

/* ".../EFI/Linux", a folder of BLS Type #2 entries, in any case (vfat) */
static int is_uki_place(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/') {
		n--;	/* "/EFI/Linux/" is "/EFI/Linux" */
	}
	return n >= 10 && !strncasecmp(path + n - 10, "/EFI/Linux", 10);
}

/* 1 when the known place path (a folder: dir) has its parser in this
 * build: Type #2 needs the UKI parser too */
static int place_built(const char *path, int dir)
{
	char root[PATH_MAX];

	if (is_uki_place(path) && !HOP_FEAT_UKI) {
		return 0;
	}
	return formats[bootsel_kind(path, dir, root, sizeof(root))].parse !=
		NULL;
}

const char *bootsel_looked_for(void)
{
	static char list[256];
	char name[64];
	size_t i;

	if (list[0]) {
		return list;
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const char *b = strrchr(known[i], '/') + 1;
		int dir = !strcmp(b, "entries") || is_uki_place(known[i]);

		if (!place_built(known[i], dir)) {
			continue;	/* not built in */
		}
		/* a folder of entries is named with its parent:
		 * "loader/entries", "EFI/Linux" */
		for (b--; dir && b > known[i] && b[-1] != '/'; b--) {
		}
		b += !dir;
		snprintf(name, sizeof(name), "%s%s", list[0] ? ", " : "", b);
		if (!strstr(list, b) && strlen(list) + strlen(name) <
			sizeof(list)) {
			strcat(list, name);
		}
	}
	return list;
}

enum bootcfg_kind bootsel_kind(const char *path, int is_dir,
	char *bls_root, size_t rootsz)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(path);

	base = base ? base + 1 : path;
	while (n > 1 && path[n - 1] == '/') {
		n--;	/* "/boot/" is "/boot" */
	}
	if (is_dir) {
		/* ROOT/loader/entries, ROOT/EFI/Linux (Type #2) or ROOT
		 * itself */
		if (n >= 15 && !strncmp(path + n - 15, "/loader/entries", 15)) {
			n -= 15;
		} else if (is_uki_place(path)) {
			n -= 10;
		}
		snprintf(bls_root, rootsz, "%.*s", (int)n, n ? path : "/");
		if (!bls_root[0]) {
			snprintf(bls_root, rootsz, "/");
		}
		return BOOTCFG_BLS;
	}
	if (!strcmp(base, "loader.conf")) {
		/* ROOT/loader/loader.conf: the entries next to it */
		n = (size_t)(base - path);
		n = n >= 8 ? n - 8 : 0;		/* drop "/loader/" */
		snprintf(bls_root, rootsz, "%.*s", (int)n, path);
		if (!bls_root[0]) {
			snprintf(bls_root, rootsz, "/");
		}
		return BOOTCFG_BLS;
	}
	/* loopback.cfg: what grub reads to boot an ISO from a file, a
	 * grub.cfg in all but name */
	if (!strcmp(base, "grub.cfg") || !strcmp(base, "loopback.cfg")) {
		return BOOTCFG_GRUB;
	}
	if (!strcmp(base, "boot.cfg")) {
		return BOOTCFG_KEXECBOOT;
	}
	if (n > 5 && !strcasecmp(path + n - 5, ".ipxe")) {
		return BOOTCFG_IPXE;
	}
	return BOOTCFG_EXTLINUX;
}

/* the parser's own test: a build without it knows no iPXE script */
int bootsel_is_ipxe(const char *text)
{
#if HOP_FEAT_IPXE
	return bootcfg_ipxe_is_script(text);
#else
	(void)text;
	return 0;
#endif
}

/* "KEY=" at the start of a line (blanks before and around '=' allowed) */
static int has_key(const char *text, const char *key)
{
	const char *p = text, *q;
	size_t n = strlen(key);

	while (p && *p) {
		p += strspn(p, " \t\r");
		if (!strncmp(p, key, n)) {
			q = p + n;
			q += strspn(q, " \t");
			if (*q == '=') {
				return 1;
			}
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

int bootsel_is_esxi(const char *text)
{
	return has_key(text, "modules") && has_key(text, "kernel");
}

/* ---- the parsers' file access, rooted at the file system ---- */

/* the root directory of the file system seen at fsroot ("" is the
 * initramfs): every path of a configuration is opened inside it
 * (file_open_at), never outside */
static int root_open(const char *fsroot)
{
	int fd = open(fsroot[0] ? fsroot : "/", O_PATH | O_DIRECTORY |
		O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* path (relative to fsroot), a regular file, opened read-only inside its
 * file system: the fd, or -errno */
static int open_in(const char *fsroot, const char *path)
{
	int root = root_open(fsroot), fd;

	if (root < 0) {
		return root;
	}
	fd = file_open_in(root, path);
	close(root);
	return fd;
}

/* path (relative to fsroot) into a malloc'd buffer, at most max bytes */
static int read_in(const char *fsroot, const char *path, uint8_t **buf,
	size_t *len, size_t max)
{
	int fd = open_in(fsroot, path), err;

	if (fd < 0) {
		return fd;
	}
	err = read_whole_fd(fd, buf, len, max);
	close(fd);
	return err;
}

/* the parsers' callbacks: the file system, and the boot's budget, so
 * that one read or listing never holds much more than what is left
 * (-E2BIG when a file is longer: bootcfg.h) */
struct io_ctx {
	const char *fsroot;
	const struct bootcfg_budget *budget;
	const char *dev;	/* for the log: "" for the initramfs */
};

static size_t at_most(size_t limit, size_t left)
{
	return left < limit ? left + 1 : limit;	/* + 1: over, refused */
}

static int io_read(void *ctx, const char *path, char **text)
{
	const struct io_ctx *x = ctx;
	uint8_t *buf;
	size_t len;
	int err;

	err = read_in(x->fsroot, path, &buf, &len, at_most(CONFIG_MAX,
		x->budget->read));
	if (err < 0) {
		/* over what the budget has left: the parser says so */
		return err == -EFBIG && x->budget->read < CONFIG_MAX ? -E2BIG :
			err;
	}
	if (memchr(buf, '\0', len)) {
		/* a binary file where text belongs: the parsers stop at the
		 * first NUL, which would hide the rest of it */
		free(buf);
		return -EILSEQ;
	}
	*text = (char *)buf;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the names in dir (relative to fsroot), sorted, dot files left out; at
 * most max + 1 of them, so that the caller sees a folder with more than
 * it allows without hop holding a million names */
static int list_in(const char *fsroot, const char *dir, char ***names,
	size_t *n, size_t max)
{
	char **v = NULL, **nv;
	struct dirent *d;
	size_t cnt = 0;
	int root, fd;
	DIR *dp;

	root = root_open(fsroot);
	if (root < 0) {
		return root;
	}
	fd = file_open_at(root, dir, O_RDONLY | O_DIRECTORY);
	close(root);
	dp = fd < 0 ? NULL : fdopendir(fd);
	if (!dp) {
		if (fd >= 0) {
			close(fd);
		}
		return fd < 0 ? fd : -errno;
	}
	while (cnt <= max && (d = readdir(dp))) {
		if (d->d_name[0] == '.') {
			continue;
		}
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv || !(nv[cnt] = strdup(d->d_name))) {
			v = nv ? nv : v;
			while (cnt) {
				free(v[--cnt]);
			}
			free(v);
			closedir(dp);
			return -ENOMEM;
		}
		v = nv;
		cnt++;
	}
	closedir(dp);
	if (cnt) {
		qsort(v, cnt, sizeof(*v), by_name);
	}
	*names = v;
	*n = cnt;
	return 0;
}

static void free_list(char **v, size_t n)
{
	while (n) {
		free(v[--n]);
	}
	free(v);
}

static int io_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	const struct io_ctx *x = ctx;

	return list_in(x->fsroot, dir, names, n, at_most(LIST_MAX,
		x->budget->listed));
}

#if HOP_FEAT_UKI
/* BLS Type #2's parts of a UKI: pread on the file opened inside the file
 * system (a regular file only: file_open_in), len bytes at most, which
 * the parser bounds (bootcfg.h's BLS_UKI_* limits) */
static long io_read_at(void *ctx, const char *path, uint64_t off, void *buf,
	size_t len, uint64_t *size)
{
	const struct io_ctx *x = ctx;
	int fd = open_in(x->fsroot, path);
	struct stat st;
	size_t got = 0;
	ssize_t n = 0;

	if (fd < 0) {
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		n = -errno;
		close(fd);
		return (long)n;
	}
	*size = (uint64_t)st.st_size;
	while (got < len && off + got < *size) {
		n = pread(fd, (uint8_t *)buf + got, len - got,
			(off_t)(off + got));
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	n = n < 0 && !got ? -errno : 0;
	close(fd);
	return n < 0 ? (long)n : (long)got;
}

/* what the parser says as it reads: escaped by the log, as every string
 * from a disk is */
static void io_say(void *ctx, int warn, const char *what, const char *msg)
{
	const struct io_ctx *x = ctx;
	char shown[PATH_MAX + 64];

	/* named as the configuration is: "/dev/vda1:/EFI/Linux/x.efi" */
	snprintf(shown, sizeof(shown), "%s%s%s", x->dev, x->dev[0] ? ":" : "",
		what);
	if (warn) {
		hop_warn(shown, "%s", msg);
	} else {
		hop_debug("%s: %s", shown, msg);
	}
}
#endif

/* what is at path (relative to fsroot): 0 with *st, or -errno */
static int stat_in(const char *fsroot, const char *path, struct stat *st)
{
	int root = root_open(fsroot), fd, err = 0;

	if (root < 0) {
		return root;
	}
	fd = file_open_at(root, path, O_PATH);
	close(root);
	if (fd < 0) {
		return fd;
	}
	if (fstat(fd, st) < 0) {
		err = -errno;
	}
	close(fd);
	return err;
}

/* 1 when fc's kind has its parser in this build; else 0 with why said */
static int built_in(struct found_config *fc)
{
	if (formats[fc->kind].parse) {
		return 1;
	}
	snprintf(fc->c.why, sizeof(fc->c.why), "%s configurations are not "
		"built into this hop (make CONFIG=full builds them)",
		formats[fc->kind].name);
	return 0;
}

static int read_config(const char *fsroot, const char *dev, const char *path,
	struct bootcfg_budget *budget, struct found_config *fc)
{
#if HOP_FEAT_UKI
	struct bootcfg_io io = { io_read, io_list, NULL, io_read_at, io_say };
#else
	struct bootcfg_io io = { io_read, io_list, NULL, NULL, NULL };
#endif
	char bls_root[PATH_MAX], *text;
	struct io_ctx x;
	struct stat st;
	int err;

	memset(fc, 0, sizeof(*fc));
	bootcfg_init(&fc->c);
	fc->c.budget = budget;
	x.fsroot = fc->fsroot;
	x.budget = budget;
	x.dev = fc->dev;
	snprintf(fc->fsroot, sizeof(fc->fsroot), "%s", fsroot);
	snprintf(fc->dev, sizeof(fc->dev), "%s", dev ? dev : "");
	snprintf(fc->shown, sizeof(fc->shown), "%s%s%s", dev ? dev : "",
		dev ? ":" : "", path);
	io.ctx = &x;
	err = stat_in(fsroot, path, &st);
	if (err < 0) {
		snprintf(fc->c.why, sizeof(fc->c.why), "%s (%s)",
			file_strerror(err), errname(err));
		return err;
	}
	fc->kind = bootsel_kind(path, S_ISDIR(st.st_mode), bls_root,
		sizeof(bls_root));
	if (!built_in(fc)) {
		return -ENOPKG;
	}
	if (fc->kind == BOOTCFG_BLS) {
		return formats[BOOTCFG_BLS].parse(NULL, bls_root, &io, &fc->c);
	}
	err = io_read(&x, path, &text);
	if (err == -E2BIG) {
		snprintf(fc->c.why, sizeof(fc->c.why), "larger than the %zu "
			"bytes of configuration text left in this boot (hop's "
			"budget)", budget->read);
		return err;
	}
	if (err < 0) {
		snprintf(fc->c.why, sizeof(fc->c.why), "%s (%s)",
			err == -EILSEQ ? "not a text file: it holds NUL bytes" :
			err == -EFBIG ? "larger than 1 MiB" : file_strerror(err),
			errname(err));
		return err;
	}
	/* boot.cfg: kexecboot's or ESXi's, which only the text tells */
	if (fc->kind == BOOTCFG_KEXECBOOT && bootsel_is_esxi(text)) {
		fc->kind = BOOTCFG_ESXI;
	}
	err = built_in(fc) ? formats[fc->kind].parse(text, path, &io, &fc->c) :
		-ENOPKG;
	free(text);
	return err;
}

int bootsel_parse_url(const char *text, const char *url, const char *base,
	const char *const *vars, struct bootcfg_budget *budget,
	struct found_config *fc)
{
	char path[2 * URL_TARGET_MAX + 2], bls_root[8];
	struct url u, b;
	const char *name;
	size_t n;

	memset(fc, 0, sizeof(*fc));
	bootcfg_init(&fc->c);
	fc->c.budget = budget;
	snprintf(fc->shown, sizeof(fc->shown), "%s", url);
	snprintf(fc->url, sizeof(fc->url), "%s", base ? base : url);
	if (url_parse(url, &u, fc->c.why, sizeof(fc->c.why)) < 0 ||
		(base && url_parse(base, &b, fc->c.why,
		sizeof(fc->c.why)) < 0)) {
		return -EINVAL;
	}
	/* the path the parser sees: its own, or its name in base's folder
	 * (pxelinux reads "vmlinuz" in pxelinux.cfg/default as the prefix's
	 * vmlinuz); the query is not part of it */
	u.target[strcspn(u.target, "?")] = '\0';
	name = strrchr(u.target, '/') + 1;
	if (base) {
		b.target[strcspn(b.target, "?")] = '\0';
		n = (size_t)(strrchr(b.target, '/') - b.target) + 1;
		snprintf(path, sizeof(path), "%.*s%s", (int)n, b.target, name);
	} else {
		snprintf(path, sizeof(path), "%s", u.target);
	}
	fc->kind = bootsel_kind(path, 0, bls_root, sizeof(bls_root));
	if (fc->kind == BOOTCFG_KEXECBOOT && bootsel_is_esxi(text)) {
		fc->kind = BOOTCFG_ESXI;
	}
	/* a server names its scripts as it likes: the first line tells */
	if (bootsel_is_ipxe(text)) {
		fc->kind = BOOTCFG_IPXE;
	}
	if (!built_in(fc)) {
		return -ENOPKG;
	}
#if HOP_FEAT_IPXE
	if (fc->kind == BOOTCFG_IPXE) {
		return bootcfg_ipxe_vars(text, path, vars, &fc->c);
	}
#else
	(void)vars;
#endif
	return formats[fc->kind].parse(text, path, NULL, &fc->c);
}

int bootsel_read(const char *fsroot, const char *dev, const char *path,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	struct bootcfg_budget own;
	int err;

	if (budget) {
		return read_config(fsroot, dev, path, budget, fc);
	}
	bootcfg_budget_default(&own);
	err = read_config(fsroot, dev, path, &own, fc);
	fc->c.budget = NULL;	/* own ends here */
	return err;
}

/* one known place: 0 when it parses, 1 when it is not there (or not
 * built in), else -errno having warned */
static int try_place(const char *fsroot, const char *dev, const char *path,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	char root[PATH_MAX];
	struct stat st;
	int err = stat_in(fsroot, path, &st);

	if (err == -ENOENT || err == -ENOTDIR || (err == 0 &&
		!place_built(path, S_ISDIR(st.st_mode)))) {
		return 1;	/* not there, or not built in */
	}
	/* ROOT/EFI/Linux next to a ROOT/loader/entries: read with it, one
	 * menu, by the place before */
	if (is_uki_place(path)) {
		bootsel_kind(path, 1, root, sizeof(root));
		snprintf(root + strlen(root), sizeof(root) - strlen(root),
			"%s", strcmp(root, "/") ? "/loader/entries" :
			"loader/entries");
		if (stat_in(fsroot, root, &st) == 0 && S_ISDIR(st.st_mode)) {
			return 1;
		}
	}
	err = bootsel_read(fsroot, dev, path, budget, fc);
	if (err == 0) {
		return 0;
	}
	hop_warn(fc->shown, "skipped: %s", fc->c.why);
	bootcfg_free(&fc->c);
	return err;
}

/* /EFI/NAME/grub.cfg for each NAME but BOOT (its own place), in name
 * order: the listing is paid for from the boot's listed names */
static int try_vendors(const char *fsroot, const char *dev,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	static const char *const efi[] = { "/EFI", "/efi" };
	struct bootcfg_budget own;
	char path[PATH_MAX], **names = NULL;
	struct stat st;
	size_t i, j, n = 0;
	int found = 1;

	if (!budget) {
		bootcfg_budget_default(&own);
		budget = &own;
	}
	/* vfat and iso9660 find either; ext4 the one that is there */
	for (i = 0; i < 2; i++) {
		if (stat_in(fsroot, efi[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			break;
		}
	}
	if (i == 2 || list_in(fsroot, efi[i], &names, &n, at_most(LIST_MAX,
		budget->listed)) < 0) {
		return 1;
	}
	if (n > budget->listed) {
		hop_warn(efi[i], "more than the %zu names left to list in this "
			"boot (hop's budget): its folders not searched",
			budget->listed);
		free_list(names, n);
		return 1;
	}
	budget->listed -= n;
	for (j = 0; j < n && found; j++) {
		if (!strcasecmp(names[j], "boot") ||
			snprintf(path, sizeof(path), "%s/%s/grub.cfg", efi[i],
			names[j]) >= (int)sizeof(path) ||
			stat_in(fsroot, path, &st) < 0 ||
			!S_ISREG(st.st_mode)) {
			continue;
		}
		found = try_place(fsroot, dev, path, budget, fc) == 0 ? 0 : 1;
	}
	free_list(names, n);
	return found;
}

int bootsel_find(const char *fsroot, const char *dev,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	return bootsel_find_after(fsroot, dev, 0, budget, fc);
}

int bootsel_find_after(const char *fsroot, const char *dev, size_t place,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	size_t i;

	for (i = place; i < sizeof(known) / sizeof(known[0]); i++) {
		int r = !strcmp(known[i], VENDORS) ?
			(formats[BOOTCFG_GRUB].parse ? try_vendors(fsroot, dev,
			budget, fc) : 1) :
			try_place(fsroot, dev, known[i], budget, fc);

		if (r == 0) {
			fc->place = i + 1;
			return 0;
		}
	}
	return -ENOENT;
}

char *bootsel_source(const struct found_config *fc,
	const struct boot_entry *e, const char *path)
{
	const char *slash = path[0] == '/' ? "" : "/";
	char *s, url[URL_MAX + 1], why[200];
	int n;

	if (fc->url[0]) {
		/* a server's configuration: its paths are on that server, or
		 * URLs of their own */
		if (url_resolve(fc->url, path, url, sizeof(url), why,
			sizeof(why)) < 0) {
			/* never the path as it is: a server's configuration
			 * names nothing of this machine's */
			hop_error(fc->shown, "'%s': %s", path, why);
			return NULL;
		}
		return strdup(url);
	}
	if (e->search_label) {
		n = asprintf(&s, "LABEL=%s:%s%s", e->search_label, slash, path);
	} else if (e->search_uuid) {
		n = asprintf(&s, "UUID=%s:%s%s", e->search_uuid, slash, path);
	} else if (fc->dev[0]) {
		/* opened inside that device's file system (source_resolve) */
		n = asprintf(&s, "%s:%s%s", fc->dev, slash, path);
	} else {
		n = asprintf(&s, "%s%s", slash, path);	/* the initramfs */
	}
	return n < 0 ? NULL : s;
}

int bootsel_fdt_compatible(const void *fdt, size_t len, const char *compat)
{
	const char *p;
	int plen;

	if (len < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
		fdt_totalsize(fdt) > len) {
		return 0;
	}
	p = fdt_getprop(fdt, 0, "compatible", &plen);
	return p && plen > 0 && fdt_stringlist_contains(p, plen, compat);
}

/* what one fdtdir search may still read: .dtb bytes, names listed */
struct fdt_budget {
	size_t bytes, names;
};

/* dir (fsroot-relative) and, depth 1, its folders: the first .dtb in name
 * order whose compatible lists compat; every file opened inside the file
 * system, a folder of more than LIST_MAX names searched no further */
static int fdt_search(const char *fsroot, const char *dir, const char *compat,
	int depth, struct fdt_budget *left, char **out)
{
	char rel[PATH_MAX], **names;
	struct stat st;
	size_t i, n, total;
	int found = -ENOENT;

	if (list_in(fsroot, dir, &names, &total, left->names) < 0) {
		return -ENOENT;
	}
	n = total;
	if (n > left->names) {
		found = -E2BIG;	/* searched no further, and said so */
		n = left->names;
	}
	/* every name of the whole search counts: 4096 folders of 4096
	 * names each would be 16 million opens */
	left->names -= n;
	for (i = 0; i < n; i++) {
		const char *name = names[i];
		size_t l = strlen(name);
		uint8_t *buf;
		size_t len;

		if ((found != -ENOENT && found != -E2BIG) ||
			snprintf(rel, sizeof(rel), "%s/%s",
			dir, name) >= (int)sizeof(rel) ||
			stat_in(fsroot, rel, &st) < 0) {
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth > 0) {
				int r = fdt_search(fsroot, rel, compat,
					depth - 1, left, out);

				found = r == -ENOENT ? found : r;
			}
			continue;
		}
		if (l < 5 || strcmp(name + l - 4, ".dtb")) {
			continue;
		}
		if (left->bytes < (size_t)st.st_size) {
			found = -E2BIG;	/* the time a folder may cost */
			continue;
		}
		if (read_in(fsroot, rel, &buf, &len, DTB_MAX) < 0) {
			continue;
		}
		left->bytes -= len;
		if (bootsel_fdt_compatible(buf, len, compat)) {
			*out = strdup(rel);
			found = *out ? 0 : -ENOMEM;
		}
		free(buf);
	}
	free_list(names, total);
	return found;
}

int bootsel_fdtdir(const char *fsroot, const char *dir, const char *compat,
	char **out)
{
	char d[PATH_MAX];
	size_t n;

	snprintf(d, sizeof(d), "%s%s", dir[0] == '/' ? "" : "/", dir);
	n = strlen(d);
	while (n > 1 && d[n - 1] == '/') {
		d[--n] = '\0';
	}
	struct fdt_budget left = { FDTDIR_READ_MAX, LIST_MAX };

	return fdt_search(fsroot, d, compat, 1, &left, out);
}

int bootsel_want(const struct found_config *fc, size_t n, const char *want,
	size_t *cfg, size_t *entry)
{
	long num = want && *want ? bootcfg_number(want) : -1;
	size_t i;
	int k;

	/* a number counts every entry of every configuration, in the order
	 * found, as hop.menu numbers them */
	for (i = 0; num >= 0 && i < n; i++) {
		if ((size_t)num < fc[i].c.n) {
			*cfg = i;
			*entry = (size_t)num;
			return 0;
		}
		num -= (long)fc[i].c.n;
	}
	for (i = 0; want && *want && num < 0 && i < n; i++) {
		k = bootcfg_choose(&fc[i].c, want);
		if (k >= 0) {
			*cfg = i;
			*entry = (size_t)k;
			return 0;
		}
	}
	*cfg = 0;
	k = n ? bootcfg_choose(&fc[0].c, NULL) : -ENOENT;
	*entry = k >= 0 ? (size_t)k : 0;
	return want && *want ? -ENOENT : k < 0 ? k : 0;
}

/* c's entries from first: first, those after it, those before it */
static size_t order_from(const struct boot_config *c, size_t first,
	size_t cfg, struct candidate *out)
{
	size_t i, k = 0;

	if (first >= c->n) {
		first = 0;
	}
	for (i = first; i < c->n; i++) {
		out[k].cfg = cfg;
		out[k++].entry = i;
	}
	for (i = 0; i < first; i++) {
		out[k].cfg = cfg;
		out[k++].entry = i;
	}
	return k;
}

int bootsel_candidates(const struct found_config *fc, size_t n, size_t cfg,
	size_t entry, struct candidate **out)
{
	size_t i, total = 0, k;
	int def;

	for (i = 0; i < n; i++) {
		total += fc[i].c.n;
	}
	*out = malloc((total ? total : 1) * sizeof(**out));
	if (!*out) {
		return -ENOMEM;
	}
	k = cfg < n ? order_from(&fc[cfg].c, entry, cfg, *out) : 0;
	for (i = 0; i < n; i++) {
		if (i == cfg) {
			continue;
		}
		def = bootcfg_choose(&fc[i].c, NULL);
		k += order_from(&fc[i].c, def < 0 ? 0 : (size_t)def, i,
			*out + k);
	}
	return (int)k;
}
