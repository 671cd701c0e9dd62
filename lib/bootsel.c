/* Boot configurations for the agent: the places they are looked for, the
 * file access the parsers get (rooted at the file system the
 * configuration came from: "Paths in an entry are relative to the file
 * system it was found on", issue 6), and an entry's files as sources. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "bootsel.h"
#include "hop.h"
#include "sysmem.h"

/* a configuration file is text a person wrote: 1 MiB is plenty, and
 * bounds what a hostile disk can make the agent allocate */
#define CONFIG_MAX (1u << 20)
/* a device tree file (kernel packages' are under 256 KiB) */
#define DTB_MAX (4u << 20)

/* Where the agent looks on each file system, in this order: u-boot's
 * distro boot (extlinux), syslinux's own names, BLS (on an ESP or XBOOTLDR
 * partition at its root, or /boot of a root file system), grub (Debian's
 * /boot/grub, Fedora's /boot/grub2, a /boot partition's /grub), then
 * kexecboot (boot.cfg at the root or in /boot). */
static const char *const known[] = {
	"/extlinux/extlinux.conf",
	"/boot/extlinux/extlinux.conf",
	"/syslinux/syslinux.cfg",
	"/boot/syslinux/syslinux.cfg",
	"/syslinux.cfg",
	"/loader/entries",
	"/boot/loader/entries",
	"/boot/grub/grub.cfg",
	"/grub/grub.cfg",
	"/boot/grub2/grub.cfg",
	"/grub2/grub.cfg",
	"/boot.cfg",
	"/boot/boot.cfg",
};

const char *bootcfg_kind_name(enum bootcfg_kind k)
{
	static const char *const n[] = { "extlinux", "BLS", "grub.cfg",
		"kexecboot" };

	return n[k];
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
		/* ROOT/loader/entries or ROOT itself */
		if (n >= 15 && !strncmp(path + n - 15, "/loader/entries", 15)) {
			n -= 15;
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
	if (!strcmp(base, "grub.cfg")) {
		return BOOTCFG_GRUB;
	}
	if (!strcmp(base, "boot.cfg")) {
		return BOOTCFG_KEXECBOOT;
	}
	return BOOTCFG_EXTLINUX;
}

/* ---- the parsers' file access, rooted at the file system ---- */

static int io_read(void *ctx, const char *path, char **text)
{
	char full[PATH_MAX];
	uint8_t *buf;
	size_t len;
	int err;

	if (snprintf(full, sizeof(full), "%s%s%s", (const char *)ctx,
		path[0] == '/' ? "" : "/", path) >= (int)sizeof(full)) {
		return -ENAMETOOLONG;
	}
	err = read_whole(full, &buf, &len, CONFIG_MAX);
	if (err < 0) {
		return err;
	}
	if (memchr(buf, '\0', len)) {
		/* a binary file where text belongs: the parsers stop at the
		 * first NUL, which would hide the rest of it */
		free(buf);
		return -EINVAL;
	}
	*text = (char *)buf;
	return 0;
}

static int io_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	char full[PATH_MAX], **v = NULL, **nv;
	struct dirent *d;
	size_t cnt = 0;
	DIR *dp;

	if (snprintf(full, sizeof(full), "%s%s%s", (const char *)ctx,
		dir[0] == '/' ? "" : "/", dir) >= (int)sizeof(full)) {
		return -ENAMETOOLONG;
	}
	dp = opendir(full);
	if (!dp) {
		return -errno;
	}
	while ((d = readdir(dp))) {
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
	*names = v;
	*n = cnt;
	return 0;
}

int bootsel_read(const char *fsroot, const char *dev, const char *path,
	struct found_config *fc)
{
	struct bootcfg_io io = { io_read, io_list, NULL };
	char full[PATH_MAX], bls_root[PATH_MAX], *text;
	struct stat st;
	int err;

	memset(fc, 0, sizeof(*fc));
	bootcfg_init(&fc->c);
	snprintf(fc->fsroot, sizeof(fc->fsroot), "%s", fsroot);
	snprintf(fc->shown, sizeof(fc->shown), "%s%s%s", dev ? dev : "",
		dev ? ":" : "", path);
	io.ctx = fc->fsroot;
	snprintf(full, sizeof(full), "%s%s", fsroot, path);
	if (stat(full, &st) < 0) {
		err = -errno;
		snprintf(fc->c.why, sizeof(fc->c.why), "%s (%s)", errname(err),
			strerror(-err));
		return err;
	}
	fc->kind = bootsel_kind(path, S_ISDIR(st.st_mode), bls_root,
		sizeof(bls_root));
	if (fc->kind == BOOTCFG_BLS) {
		return bootcfg_bls(bls_root, &io, &fc->c);
	}
	err = io_read(fc->fsroot, path, &text);
	if (err < 0) {
		snprintf(fc->c.why, sizeof(fc->c.why), "%s",
			err == -EINVAL ? "not a text file (holds NUL bytes)" :
			err == -EFBIG ? "larger than 1 MiB" : errname(err));
		return err;
	}
	switch (fc->kind) {
	case BOOTCFG_GRUB:
		err = bootcfg_grub(text, path, &fc->c);
		break;
	case BOOTCFG_KEXECBOOT:
		err = bootcfg_kexecboot(text, path, &fc->c);
		break;
	default:
		err = bootcfg_extlinux(text, path, &io, &fc->c);
		break;
	}
	free(text);
	return err;
}

int bootsel_find(const char *fsroot, const char *dev, struct found_config *fc)
{
	char full[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		snprintf(full, sizeof(full), "%s%s", fsroot, known[i]);
		if (stat(full, &st) < 0) {
			continue;
		}
		if (bootsel_read(fsroot, dev, known[i], fc) == 0) {
			return 0;
		}
		hop_warn(fc->shown, "skipped: %s", fc->c.why);
		bootcfg_free(&fc->c);
	}
	return -ENOENT;
}

char *bootsel_source(const struct found_config *fc,
	const struct boot_entry *e, const char *path)
{
	const char *slash = path[0] == '/' ? "" : "/";
	char *s;
	int n;

	if (e->search_label) {
		n = asprintf(&s, "LABEL=%s:%s%s", e->search_label, slash, path);
	} else if (e->search_uuid) {
		n = asprintf(&s, "UUID=%s:%s%s", e->search_uuid, slash, path);
	} else {
		n = asprintf(&s, "%s%s%s", fc->fsroot, slash, path);
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

/* dir (fsroot-relative) and, depth 1, its folders: the first .dtb in name
 * order whose compatible lists compat */
static int fdt_search(const char *fsroot, const char *dir, const char *compat,
	int depth, char **out)
{
	char full[PATH_MAX], rel[PATH_MAX];
	struct dirent **names;
	struct stat st;
	int i, n, found = -ENOENT;

	snprintf(full, sizeof(full), "%s%s", fsroot, dir);
	n = scandir(full, &names, NULL, alphasort);
	if (n < 0) {
		return -ENOENT;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t l = strlen(name);
		uint8_t *buf;
		size_t len;

		if (found != -ENOENT || name[0] == '.' ||
			snprintf(rel, sizeof(rel), "%s/%s", dir, name) >=
			(int)sizeof(rel)) {
			continue;
		}
		snprintf(full, sizeof(full), "%s%s", fsroot, rel);
		if (stat(full, &st) < 0) {
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth > 0) {
				found = fdt_search(fsroot, rel, compat,
					depth - 1, out);
			}
			continue;
		}
		if (l < 5 || strcmp(name + l - 4, ".dtb") ||
			read_whole(full, &buf, &len, DTB_MAX) < 0) {
			continue;
		}
		if (bootsel_fdt_compatible(buf, len, compat)) {
			*out = strdup(rel);
			found = *out ? 0 : -ENOMEM;
		}
		free(buf);
	}
	for (i = 0; i < n; i++) {
		free(names[i]);
	}
	free(names);
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
	return fdt_search(fsroot, d, compat, 1, out);
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
