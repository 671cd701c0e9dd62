/* BLS Type #2 entries (lib/bootcfg/bootcfg_bls.c): Unified Kernel Images
 * in ROOT/EFI/Linux, made from tests/mkuki.sh's real image (its head,
 * uki_fixtures.h, with the .osrel mkuki.sh wrote at its offset) and from
 * synthetic ones (multi-profile, hostile), served by an in-memory file
 * system with read_at. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "plan.h"
#include "test.h"
#include "uki.h"
#include "uki_fixtures.h"

/* this machine's PE Machine, which the parser keeps (others hidden) */
#if defined(__x86_64__)
#define NATIVE 0x8664
#elif defined(__aarch64__)
#define NATIVE 0xaa64
#elif defined(__arm__)
#define NATIVE 0x1c2
#else
#define NATIVE 0x14c
#endif
#define FOREIGN 0x5064	/* RISC-V 64 */

/* mkuki.sh's os-release, byte for byte */
static const char mkuki_osrel[] =
	"# made by tests/mkuki.sh\n"
	"NAME=\"Debian GNU/Linux\"\n"
	"PRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\n"
	"ID=debian\n"
	"VERSION_ID=\"12\"\n";

struct bfile {
	const char *path;
	const uint8_t *data;	/* NULL: text */
	size_t len;
	const char *text;
};

struct bfs {
	const struct bfile *f;
	size_t n;
	unsigned warns, debugs, reads;
	char last[400];		/* the last warning */
};

static const struct bfile *bfind(const struct bfs *fs, const char *path)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (!strcmp(fs->f[i].path, path)) {
			return &fs->f[i];
		}
	}
	return NULL;
}

static int b_read(void *ctx, const char *path, char **text)
{
	const struct bfile *f = bfind(ctx, path);

	*text = NULL;
	if (!f) {
		return -ENOENT;
	}
	if (!f->text) {
		return -EILSEQ;	/* binary, as the agent's io_read says */
	}
	*text = strdup(f->text);
	return *text ? 0 : -ENOMEM;
}

static int b_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	const struct bfs *fs = ctx;
	size_t dl = strlen(dir), i;

	*names = NULL;
	*n = 0;
	for (i = 0; i < fs->n; i++) {
		const char *p = fs->f[i].path, *rest = p + dl + 1;

		if (strncmp(p, dir, dl) || p[dl] != '/' || strchr(rest, '/')) {
			continue;
		}
		*names = realloc(*names, (*n + 1) * sizeof(**names));
		if (!*names) {
			abort();
		}
		(*names)[(*n)++] = strdup(rest);
	}
	return *n ? 0 : -ENOENT;
}

static long b_read_at(void *ctx, const char *path, uint64_t off, void *buf,
	size_t len, uint64_t *size)
{
	struct bfs *fs = ctx;
	const struct bfile *f = bfind(fs, path);
	size_t flen;

	if (!f) {
		return -ENOENT;
	}
	fs->reads++;
	flen = f->data ? f->len : strlen(f->text);
	*size = flen;
	if (off >= flen) {
		return 0;
	}
	if (len > flen - off) {
		len = flen - (size_t)off;
	}
	memcpy(buf, (f->data ? f->data : (const uint8_t *)f->text) + off, len);
	return (long)len;
}

static void b_say(void *ctx, int warn, const char *what, const char *msg)
{
	struct bfs *fs = ctx;

	if (!warn) {
		fs->debugs++;
		return;
	}
	fs->warns++;
	snprintf(fs->last, sizeof(fs->last), "%s: %s", what, msg);
}

/* tests/mkuki.sh's x64.efi: its head, zeros, its .osrel at its offset;
 * the PE Machine made this machine's (machine 0: as it is) */
static uint8_t *mkuki_file(uint16_t machine)
{
	uint8_t *f = calloc(1, UKI_X64_LEN);
	size_t i;

	if (!f) {
		abort();
	}
	memcpy(f, uki_x64_head, sizeof(uki_x64_head));
	if (machine) {
		put_le16(f + le32(f + 0x3c) + 4, machine);
	}
	for (i = 0; i < sizeof(uki_x64_sects) / sizeof(uki_x64_sects[0]);
		i++) {
		if (uki_x64_sects[i].sect == UKI_OSREL) {
			CHECK_INT("mkuki .osrel length", uki_x64_sects[i].len,
				strlen(mkuki_osrel));
			memcpy(f + uki_x64_sects[i].off, mkuki_osrel,
				strlen(mkuki_osrel));
		}
	}
	return f;
}

/* a synthetic PE image: the headers (PE at lfanew, a PE32+ optional
 * header), the table, each section's bytes after it, 512-aligned */
struct sect {
	const char *name;
	const char *data;
	size_t len;	/* 0: strlen(data) */
};

static uint8_t *mkpe(uint16_t machine, uint32_t lfanew, uint16_t nsect,
	const struct sect *s, size_t n, size_t *total)
{
	size_t tab = lfanew + 24 + 0xf0, off, i, len;
	uint8_t *f;

	off = (tab + n * 40 + 511) & ~(size_t)511;
	*total = off;
	for (i = 0; i < n; i++) {
		len = s[i].len ? s[i].len : strlen(s[i].data);
		*total += (len + 511) & ~(size_t)511;
	}
	f = calloc(1, *total + 1);
	if (!f) {
		abort();
	}
	f[0] = 'M';
	f[1] = 'Z';
	put_le32(f + 0x3c, lfanew);
	memcpy(f + lfanew, "PE\0\0", 4);
	put_le16(f + lfanew + 4, machine);
	put_le16(f + lfanew + 6, nsect ? nsect : (uint16_t)n);
	put_le16(f + lfanew + 20, 0xf0);
	put_le16(f + lfanew + 24, 0x20b);
	for (i = 0; i < n; i++) {
		uint8_t *h = f + tab + i * 40;

		len = s[i].len ? s[i].len : strlen(s[i].data);
		memcpy(h, s[i].name, strlen(s[i].name));
		put_le32(h + 8, (uint32_t)len);
		put_le32(h + 16, (uint32_t)len);
		put_le32(h + 20, (uint32_t)off);
		memcpy(f + off, s[i].data, strlen(s[i].data) < len ?
			strlen(s[i].data) : len);
		off += (len + 511) & ~(size_t)511;
	}
	return f;
}

static int parse(struct bfs *fs, const char *root, int say,
	struct bootcfg_budget *b, struct boot_config *c)
{
	struct bootcfg_io io = { b_read, b_list, fs, b_read_at,
		say ? b_say : NULL };

	bootcfg_init(c);
	c->budget = b;
	return bootcfg_bls(root, &io, c);
}

#define E(i, f, want) check_entry_str(what, i, #f, c.e[i].f, want)

/* mkuki.sh's image three times, one with its tries used up, next to a
 * Type #1 entry with a sort-key: one menu, the spec's order */
static void test_real(void)
{
	const char *what = "bootcfg_bls(EFI/Linux, mkuki x64.efi)";
	uint8_t *img = mkuki_file(NATIVE), *arm = mkuki_file(FOREIGN);
	struct bfile files[] = {
		{ "/EFI/Linux/debian-6.1.0-9-amd64.efi", img, UKI_X64_LEN, 0 },
		{ "/EFI/Linux/debian-6.1.0-13-amd64.efi", img, UKI_X64_LEN, 0 },
		{ "/EFI/Linux/debian-6.1.0-10-amd64+0-3.efi", img, UKI_X64_LEN,
			0 },
		{ "/EFI/Linux/other.efi", arm, UKI_X64_LEN, 0 },
		{ "/EFI/Linux/README.txt", NULL, 0, "not an image" },
		{ "/loader/entries/zz.conf", NULL, 0,
			"title Zed\nsort-key zed\nlinux /vmlinuz-z\n" },
		{ "/loader/entries/aa.conf", NULL, 0,
			"title Old\nlinux /vmlinuz-a\n" },
	};
	struct bfs fs = { files, sizeof(files) / sizeof(files[0]), 0, 0, 0,
		"" };
	struct bootcfg_budget b;
	struct boot_config c;
	int r;

	bootcfg_budget_default(&b);
	r = parse(&fs, "/", 1, &b, &c);
	CHECK(r == 0 && c.n == 5, "%s = %d, n %zu; want 0, 5 (%s)", what, r,
		c.n, c.why);
	if (r == 0 && c.n == 5) {
		/* sort-key "debian" < "zed", then 13 before 9 (version, then
		 * the name, decreasing), no sort-key after, used up last */
		E(0, label, "debian-6.1.0-13-amd64");
		E(0, kernel, "/EFI/Linux/debian-6.1.0-13-amd64.efi");
		E(0, title, "Debian GNU/Linux 12 (bookworm) (12) "
			"(debian-6.1.0-13-amd64.efi)");
		E(0, title_raw, "Debian GNU/Linux 12 (bookworm)");
		E(0, cmdline, NULL);
		E(0, sub, NULL);
		CHECK_INT(what, c.e[0].ninitrd, 0);
		CHECK_INT(what, c.e[0].label_fold, 2);
		E(1, label, "debian-6.1.0-9-amd64");
		E(2, label, "zz");
		E(3, label, "aa");
		E(4, label, "debian-6.1.0-10-amd64");
		E(4, kernel, "/EFI/Linux/debian-6.1.0-10-amd64+0-3.efi");
		/* systemd-boot's id, in any case, and grub-style */
		CHECK_INT("choose(DEBIAN-6.1.0-9-AMD64.EFI)",
			bootcfg_choose(&c, "DEBIAN-6.1.0-9-AMD64.EFI"), 1);
		CHECK_INT("choose(debian-6.1.0-9-amd64)",
			bootcfg_choose(&c, "debian-6.1.0-9-amd64"), 1);
		CHECK_INT("choose(zz.efi)", bootcfg_choose(&c, "zz.efi"),
			-ENOENT);
		CHECK_INT("choose(debian-6.1.0-9-amd64.conf)",
			bootcfg_choose(&c, "debian-6.1.0-9-amd64.conf"),
			-ENOENT);
		/* another machine's image hidden, with the note */
		CHECK(strstr(c.note, "other.efi: PE machine 0x5064"),
			"%s: note '%s'", what, c.note);
		/* head and .osrel of each: two reads, the .osrel once */
		CHECK_INT("read_at calls", fs.reads, 2 * 4 - 1);
	}
	bootcfg_free(&c);

	/* only EFI/Linux, spelt as on a vfat that Linux shows in lower
	 * case, under /boot; loader.conf's default is systemd-boot's id */
	{
		struct bfile f2[] = {
			{ "/boot/efi/linux/A.EFI", img, UKI_X64_LEN, 0 },
			{ "/boot/efi/linux/b.efi", img, UKI_X64_LEN, 0 },
			{ "/boot/efi/linux/auto-x.efi", img, UKI_X64_LEN, 0 },
			{ "/boot/loader/loader.conf", NULL, 0,
				"default a.efi\n" },
		};
		struct bfs fs2 = { f2, 4, 0, 0, 0, "" };

		what = "bootcfg_bls(/boot/efi/linux)";
		r = parse(&fs2, "/boot", 1, NULL, &c);
		CHECK(r == 0 && c.n == 2, "%s = %d, n %zu (%s)", what, r, c.n,
			c.why);
		if (r == 0 && c.n == 2) {
			E(0, label, "b");
			E(1, label, "A");
			E(1, kernel, "/boot/efi/linux/A.EFI");
			CHECK_INT(what, c.def, 1);
		}
		bootcfg_free(&c);
	}
	/* neither folder: the refusal Type #1 always gave */
	{
		struct bfile f3[] = { { "/x", NULL, 0, "y" } };
		struct bfs fs3 = { f3, 1, 0, 0, 0, "" };

		r = parse(&fs3, "/", 1, NULL, &c);
		CHECK_INT("bootcfg_bls(nothing)", r, -ENOENT);
		CHECK_STR("bootcfg_bls(nothing) why", c.why,
			"/loader/entries: ENOENT");
		bootcfg_free(&c);
	}
	free(img);
	free(arm);
}

/* systemd 257's profiles: ids and titles as systemd-boot makes them */
static void test_profiles(void)
{
	const char *what = "bootcfg_bls(multi-profile UKI)";
	static const char osrel[] = "NAME=Fedora\nPRETTY_NAME=\"Fedora "
		"Linux 41\"\nID=fedora\nVERSION_ID=41\n"
		"IMAGE_VERSION=41.20250101\n";
	const struct sect s[] = {
		{ ".osrel", osrel, 0 }, { ".linux", "MZkernel", 0 },
		{ ".cmdline", "quiet", 0 },
		{ ".profile", "ID=default\nTITLE=Default\n", 0 },
		{ ".profile", "ID=rescue\nTITLE='Rescue mode'\n", 0 },
		{ ".cmdline", "rescue", 0 },
		{ ".profile", "ID=debug\n", 0 },
		{ ".profile", "# nothing\n", 0 },
		{ ".osrel", "NAME=Other\n", 0 },
	};
	struct bfile files[] = {
		{ "/EFI/Linux/fedora.efi", NULL, 0, NULL },
		{ "/loader/loader.conf", NULL, 0, "default FEDORA.efi@rescue" },
	};
	struct bfs fs = { files, 2, 0, 0, 0, "" };
	struct boot_config c;
	size_t len;
	uint8_t *img = mkpe(NATIVE, 0x80, 0, s, sizeof(s) / sizeof(s[0]),
		&len);
	int r;

	files[0].data = img;
	files[0].len = len;
	r = parse(&fs, "", 1, NULL, &c);
	CHECK(r == 0 && c.n == 4, "%s = %d, n %zu (%s)", what, r, c.n,
		c.why);
	if (r == 0 && c.n == 4) {
		E(0, label, "fedora");
		E(0, title, "Fedora Linux 41 (Default)");
		E(0, sub, NULL);
		E(1, label, "fedora@rescue");
		E(1, title, "Fedora Linux 41 (Rescue mode)");
		E(1, sub, "1");
		E(2, label, "fedora@debug");
		E(2, title, "Fedora Linux 41 (debug)");
		E(2, sub, "2");
		E(3, label, "fedora@3");
		E(3, title, "Other (Profile #4)");
		E(3, sub, "3");
		CHECK_INT(what, c.def, 1);
		CHECK_INT("choose(Fedora.EFI@Debug)",
			bootcfg_choose(&c, "Fedora.EFI@Debug"), 2);
		CHECK_INT("choose(fedora@3)", bootcfg_choose(&c, "fedora@3"),
			3);
		CHECK_INT("choose(fedora.efi)", bootcfg_choose(&c,
			"fedora.efi"), 0);
	}
	bootcfg_free(&c);
	free(img);
}

/* what a hostile disk may hold */
static void test_hostile(void)
{
	const struct sect plain[] = { { ".text", "code", 0 } };
	const struct sect ok[] = {
		{ ".osrel", "PRETTY_NAME=\"unterminated\nNAME=\"\x1b[2J\"\n"
			"ID=x\x01y\n", 0 },
		{ ".linux", "MZ", 0 },
	};
	const struct sect big[] = {
		{ ".osrel", "PRETTY_NAME=Big\n", 100000 },
		{ ".linux", "MZ", 0 },
	};
	size_t lp, lb, lo, lt, lg;
	uint8_t *pe = mkpe(NATIVE, 0x80, 0, plain, 1, &lp);
	/* NumberOfSections 65535: no PE a firmware takes, so no UKI */
	uint8_t *many = mkpe(NATIVE, 0x80, 65535, ok, 2, &lb);
	uint8_t *odd = mkpe(NATIVE, 0x80, 0, ok, 2, &lo);
	/* the table past the first 4 KiB read */
	uint8_t *late = mkpe(NATIVE, 0x1100, 0, ok, 2, &lt);
	uint8_t *huge = mkpe(NATIVE, 0x80, 0, big, 2, &lg);
	struct bfile files[] = {
		{ "/EFI/Linux/plain.efi", pe, lp, NULL },
		{ "/EFI/Linux/many.efi", many, lb, NULL },
		/* cut: its .linux past the end, a broken UKI */
		{ "/EFI/Linux/bad.efi", odd, lo - 511, NULL },
		{ "/EFI/Linux/a\x1b[2J\\.efi", odd, lo, NULL },
		{ "/EFI/Linux/late.efi", late, lt, NULL },
		{ "/EFI/Linux/huge.efi", huge, lg, NULL },
		{ "/EFI/Linux/short.efi", NULL, 0, "MZ" },
	};
	struct bfs fs = { files, 7, 0, 0, 0, "" };
	struct boot_config c;
	const char *what = "bootcfg_bls(hostile)";
	int r;

	r = parse(&fs, "/", 1, NULL, &c);
	CHECK(r == 0 && c.n == 3, "%s = %d, n %zu (%s)", what, r, c.n,
		c.why);
	/* plain.efi, many.efi and short.efi are no UKI (debug), bad.efi
	 * is broken (a warning naming it, with uki_parse's why) */
	CHECK_INT("debug lines", fs.debugs, 3);
	CHECK_INT("warnings", fs.warns, 1);
	CHECK(strstr(fs.last, "/EFI/Linux/bad.efi: section 1 (.linux)") &&
		strstr(fs.last, "past the file's end"), "warning '%s'",
		fs.last);
	if (r == 0 && c.n == 3) {
		/* names as versions, decreasing: late, huge, a\x1b... */
		E(0, label, "late");
		E(0, title, "late.efi");	/* no printable name */
		E(1, label, "huge");
		E(1, title, "Big");
		E(2, label, "a\x1b[2J\\");
		E(2, title, "a\x1b[2J\\.efi");
	}
	CHECK(c.nnotes >= 2, "%s: %u notes", what, c.nnotes);
	bootcfg_free(&c);
	/* without a say callback the warning is a note */
	fs.debugs = fs.warns = 0;
	files[0] = files[2];
	fs.n = 1;
	r = parse(&fs, "/", 0, NULL, &c);
	CHECK_INT("bootcfg_bls(bad.efi alone)", r, -ENOENT);
	bootcfg_free(&c);
	free(pe);
	free(many);
	free(odd);
	free(late);
	free(huge);
}

/* many files: a generator, every name the same small UKI */
static size_t many_n;
static uint8_t *many_img;
static size_t many_len;

static int many_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	size_t i;

	(void)ctx;
	if (strcmp(dir, "/EFI/Linux")) {
		return -ENOENT;
	}
	*names = calloc(many_n, sizeof(**names));
	for (i = 0; i < many_n; i++) {
		if (asprintf(&(*names)[i], "k%05zu.efi", i) < 0) {
			abort();
		}
	}
	*n = many_n;
	return 0;
}

static long many_read_at(void *ctx, const char *path, uint64_t off,
	void *buf, size_t len, uint64_t *size)
{
	(void)ctx;
	(void)path;
	*size = many_len;
	if (off >= many_len) {
		return 0;
	}
	len = len < many_len - off ? len : many_len - (size_t)off;
	memcpy(buf, many_img + off, len);
	return (long)len;
}

static int none_read(void *ctx, const char *path, char **text)
{
	(void)ctx;
	(void)path;
	*text = NULL;
	return -ENOENT;
}

static void test_many(void)
{
	const struct sect s[] = {
		{ ".osrel", "ID=k\n", 0 }, { ".linux", "MZ", 0 },
	};
	struct bootcfg_io io = { none_read, many_list, NULL, many_read_at,
		NULL };
	struct bootcfg_budget b;
	struct boot_config c;
	int r;

	many_img = mkpe(NATIVE, 0x80, 0, s, 2, &many_len);
	/* 200: the first BLS_UKI_MAX, with a note */
	many_n = 200;
	bootcfg_init(&c);
	r = bootcfg_bls("/", &io, &c);
	CHECK(r == 0 && c.n == BLS_UKI_MAX, "bootcfg_bls(200 UKIs) = %d, n "
		"%zu (%s)", r, c.n, c.why);
	CHECK(strstr(c.note, "more than 64 .efi files"), "note '%s'", c.note);
	bootcfg_free(&c);
	/* 10000: more names than the boot's budget lists */
	many_n = 10000;
	bootcfg_init(&c);
	r = bootcfg_bls("/", &io, &c);
	CHECK_INT("bootcfg_bls(10000 UKIs)", r, -E2BIG);
	bootcfg_free(&c);
	/* a small budget: the files it may read */
	many_n = 10;
	bootcfg_budget_default(&b);
	b.files = 3;
	bootcfg_init(&c);
	c.budget = &b;
	r = bootcfg_bls("/", &io, &c);
	CHECK_INT("bootcfg_bls(10 UKIs, 3 files)", r, -E2BIG);
	CHECK(strstr(c.why, "more than"), "why '%s'", c.why);
	bootcfg_free(&c);
	free(many_img);
}

void test_bls2(void)
{
	test_real();
	test_profiles();
	test_hostile();
	test_many();
}
