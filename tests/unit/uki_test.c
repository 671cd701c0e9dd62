/* Unified Kernel Images (lib/plan/uki.c): real images made by
 * tests/mkuki.sh from Debian's systemd-stub (their headers and section
 * tables in uki_fixtures.h), and synthetic ones built here: multi-profile
 * images (systemd 257; bookworm's 252 cannot make them), hostile tables */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"
#include "plan.h"
#include "uki.h"
#include "test.h"
#include "uki_fixtures.h"

/* the .osrel tests/mkuki.sh puts in the real images */
static const char mkuki_osrel[] =
	"# made by tests/mkuki.sh\n"
	"NAME=\"Debian GNU/Linux\"\n"
	"PRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\n"
	"ID=debian\n"
	"VERSION_ID=\"12\"\n";

/* a why is one printable sentence */
static int why_ok(const char *why)
{
	const char *p;

	if (!*why) {
		return 0;
	}
	for (p = why; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			return 0;
		}
	}
	return 1;
}

static void test_real(const char *name, const uint8_t *head, size_t hlen,
	uint64_t flen, uint16_t machine, const struct uki_fixture_sect *fs,
	size_t nfs)
{
	struct uki u;
	struct uki_view v;
	char why[256] = "", call[128];
	uint64_t end = 0;
	size_t i, l;
	int err, bad = 0, badprobe = 0;

	snprintf(call, sizeof(call), "uki_parse(%s)", name);
	CHECK_INT("uki_probe(real)", uki_probe(head, hlen), 1);
	err = uki_parse(head, hlen, flen, &u, why, sizeof(why));
	CHECK(err == 0, "%s = %d (%s); want 0", call, err, why);
	CHECK_INT(call, u.machine, machine);
	CHECK_INT(call, u.nprofiles, 0);
	for (i = 0; i < nfs; i++) {
		CHECK(u.base.s[fs[i].sect].off == fs[i].off &&
			u.base.s[fs[i].sect].len == fs[i].len,
			"%s: section %d at 0x%llx+%llu; want 0x%llx+%llu", call,
			fs[i].sect, (unsigned long long)u.base.s[fs[i].sect].off,
			(unsigned long long)u.base.s[fs[i].sect].len,
			(unsigned long long)fs[i].off,
			(unsigned long long)fs[i].len);
		if (fs[i].off + fs[i].len > end) {
			end = fs[i].off + fs[i].len;
		}
	}
	CHECK_INT("a real UKI has no .profile", u.base.s[UKI_PROFILE].len, 0);
	CHECK_INT("uki_view(real, 0)", uki_view(&u, 0, &v), 0);
	CHECK(!memcmp(&v, &u.base, sizeof(v)), "%s: view 0 is not the base",
		call);
	CHECK_INT("uki_view(real, 1)", uki_view(&u, 1, &v), -ENOENT);

	/* objcopy pads each section to FileAlignment (0x200): the bytes
	 * are VirtualSize, the file's length, not SizeOfRawData */
	CHECK(u.base.s[UKI_LINUX].len == 5003, "%s: .linux %llu bytes; want "
		"5003, the file's size", call,
		(unsigned long long)u.base.s[UKI_LINUX].len);

	/* the file cut one byte before its last section's end, and at it */
	err = uki_parse(head, hlen, end - 1, &u, why, sizeof(why));
	CHECK(err == -EINVAL && why_ok(why), "%s, file of %llu bytes = %d "
		"(%s); want -EINVAL", call, (unsigned long long)(end - 1), err,
		why);
	CHECK(strstr(why, ".initrd") != NULL, "%s: why \"%s\" names no "
		".initrd", call, why);
	CHECK_INT("uki_parse(real, the last section's end)",
		uki_parse(head, hlen, end, &u, why, sizeof(why)), 0);

	/* the headers cut at every length: truncated, never a UKI */
	for (l = 0; l < hlen; l++) {
		why[0] = '\0';
		err = uki_parse(head, l, flen, &u, why, sizeof(why));
		if (err != -EINVAL || !why_ok(why)) {
			bad++;
			printf("  %s cut at %zu: %d (%s)\n", name, l, err, why);
		}
		badprobe += uki_probe(head, l) != 0;
	}
	CHECK(bad == 0, "%s: %d lengths below %zu not -EINVAL", call, bad,
		hlen);
	CHECK(badprobe == 0, "uki_probe(%s): %d cut lengths probed as UKI",
		name, badprobe);
}

/* ---- a small PE builder: e_lfanew 0x80, a 0xf0-byte PE32+ optional
 * header, the table at 0x188 ---- */
#define T_PE 0x80
#define T_TAB (T_PE + 24 + 0xf0)
#define T_CAP 8192

struct tsect {
	const char *name;	/* up to 8 bytes, copied as they are */
	uint32_t vsize, raw, ptr;
};

static uint8_t img[T_CAP];

/* the image's headers in img; returns the table's end */
static size_t build(uint16_t machine, const struct tsect *s, size_t n)
{
	size_t i, l;
	uint8_t *e;

	memset(img, 0, sizeof(img));
	memcpy(img, "MZ", 2);
	put_le32(img + 0x3c, T_PE);
	memcpy(img + T_PE, "PE\0\0", 4);
	put_le16(img + T_PE + 4, machine);
	put_le16(img + T_PE + 6, (uint16_t)n);
	put_le16(img + T_PE + 20, 0xf0);
	put_le16(img + T_PE + 24, 0x20b);
	for (i = 0; i < n; i++) {
		e = img + T_TAB + 40 * i;
		l = strlen(s[i].name);
		memcpy(e, s[i].name, l > 8 ? 8 : l);
		put_le32(e + 8, s[i].vsize);
		put_le32(e + 16, s[i].raw);
		put_le32(e + 20, s[i].ptr);
	}
	return T_TAB + 40 * n;
}

/* parse img[0, hlen) as a file of flen bytes: the result, why checked */
static int parse(size_t hlen, uint64_t flen, struct uki *u, char *why,
	size_t whysz)
{
	int err;

	why[0] = '\0';
	err = uki_parse(img, hlen, flen, u, why, whysz);
	if (err && !why_ok(why)) {
		printf("FAIL uki_parse: error %d with why \"%s\"\n", err, why);
		t_fail++;
	}
	return err;
}

#define SPAN(v, i, o, l) CHECK((v).s[i].off == (o) && (v).s[i].len == (l), \
	"%s: section %d at 0x%llx+%llu; want 0x%llx+%llu", #v, i, \
	(unsigned long long)(v).s[i].off, (unsigned long long)(v).s[i].len, \
	(unsigned long long)(o), (unsigned long long)(l))

static void test_sizes(void)
{
	static const struct tsect s[] = {
		{ ".text", 0x1000, 0x1000, 0x400 },
		/* VirtualSize below SizeOfRawData: the padding is not the
		 * section's */
		{ ".linux", 100, 0x200, 0x2000 },
		/* above: zeros in memory, not in the file */
		{ ".initrd", 0x10000, 0x200, 0x2200 },
		/* VirtualSize 0: absent (systemd-stub: not set) */
		{ ".cmdline", 0, 0x200, 0x2400 },
		/* nothing in the file (.bss): where it points is no matter */
		{ ".bss", 0x5000, 0, 0xfffffff0 },
	};
	struct uki u;
	char why[256];
	size_t h = build(0x8664, s, 5);

	CHECK_INT("uki_parse(sizes)", parse(h, 0x2600, &u, why, sizeof(why)),
		0);
	SPAN(u.base, UKI_LINUX, 0x2000, 100);
	SPAN(u.base, UKI_INITRD, 0x2200, 0x200);
	SPAN(u.base, UKI_CMDLINE, 0, 0);
	SPAN(u.base, UKI_DTB, 0, 0);
	CHECK_INT("uki_parse(sizes, file ends inside .initrd)",
		parse(h, 0x23ff, &u, why, sizeof(why)), -EINVAL);
	/* VirtualSize beyond the file is fine: only the raw bytes count */
	CHECK_INT("uki_parse(sizes, file ends at .initrd's raw end)",
		parse(h, 0x2400, &u, why, sizeof(why)), 0);
}

static void test_bounds(void)
{
	struct tsect s[] = {
		{ ".linux", 0x100, 0x100, 0x1000 },
		{ ".sbat", 0x100, 0x100, 0x1100 },
	};
	struct uki u;
	char why[256];
	size_t h;

	/* a section not ours past the end: a cut file all the same */
	h = build(0x8664, s, 2);
	CHECK_INT("uki_parse(.sbat past the end)",
		parse(h, 0x11ff, &u, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, ".sbat") != NULL, "why \"%s\" names no .sbat", why);
	CHECK_INT("uki_parse(.sbat at the end)",
		parse(h, 0x1200, &u, why, sizeof(why)), 0);
	/* PointerToRawData alone past the end */
	s[1].ptr = 0x2000;
	h = build(0x8664, s, 2);
	CHECK_INT("uki_parse(.sbat starting past the end)",
		parse(h, 0x1fff, &u, why, sizeof(why)), -EINVAL);
	/* offset + size past 32 bits: no wrap */
	s[1].ptr = 0xffffffff;
	s[1].vsize = s[1].raw = 0xffffffff;
	h = build(0x8664, s, 2);
	CHECK_INT("uki_parse(0xffffffff+0xffffffff, 1 MiB file)",
		parse(h, 1 << 20, &u, why, sizeof(why)), -EINVAL);
	CHECK_INT("uki_parse(0xffffffff+0xffffffff, 0x1fffffffe bytes)",
		parse(h, 0x1fffffffeull, &u, why, sizeof(why)), 0);
	CHECK_INT("uki_parse(0xffffffff+0xffffffff, 0x1fffffffd bytes)",
		parse(h, 0x1fffffffdull, &u, why, sizeof(why)), -EINVAL);
	/* and a file near 2^64 */
	s[0].ptr = 0xffffffff;
	s[0].vsize = s[0].raw = 0xffffffff;
	h = build(0x8664, s, 2);
	CHECK_INT("uki_parse(file of 2^64 - 1 bytes)",
		parse(h, UINT64_MAX, &u, why, sizeof(why)), 0);
	SPAN(u.base, UKI_LINUX, 0xffffffffull, 0xffffffffull);
	/* a head longer than the file: the bytes past its end are not
	 * its own */
	CHECK_INT("uki_parse(head longer than the file)",
		uki_parse(img, h + 100, h - 1, &u, why, sizeof(why)), -EINVAL);
}

static void test_not_uki(void)
{
	static const struct tsect stub[] = {
		/* an EFI-stub kernel: a PE, but no .linux */
		{ ".setup", 0x3000, 0x3000, 0x200 },
		{ ".reloc", 0x20, 0x200, 0x3200 },
		{ ".compat", 0x20, 0x200, 0x3400 },
		{ ".text", 0x100000, 0x100000, 0x3600 },
	};
	static const struct tsect names[] = {
		{ ".linuxXY", 0x10, 0x10, 0x400 },	/* 8 bytes, not ours */
		{ "/4", 0x10, 0x10, 0x400 },		/* a long name */
		{ "linux", 0x10, 0x10, 0x400 },
		{ ".LINUX", 0x10, 0x10, 0x400 },
	};
	struct uki u;
	char why[256];
	size_t h;

	h = build(0x8664, stub, 4);
	CHECK_INT("uki_probe(EFI-stub kernel)", uki_probe(img, h), 0);
	CHECK_INT("uki_parse(EFI-stub kernel)",
		parse(h, 0x200000, &u, why, sizeof(why)), -ENOEXEC);
	h = build(0x8664, names, 4);
	CHECK_INT("uki_probe(names like .linux)", uki_probe(img, h), 0);
	CHECK_INT("uki_parse(names like .linux)",
		parse(h, 0x1000, &u, why, sizeof(why)), -ENOEXEC);
	/* ".linux\0X": the name ends at its NUL, as systemd compares */
	memcpy(img + T_TAB, ".linux\0X", 8);
	CHECK_INT("uki_probe(\".linux\\0X\")", uki_probe(img, h), 1);
	CHECK_INT("uki_parse(\".linux\\0X\")",
		parse(h, 0x1000, &u, why, sizeof(why)), 0);

	/* not PE at all */
	memset(img, 0, 4096);
	memcpy(img, "\177ELF", 4);
	CHECK_INT("uki_parse(ELF)", parse(4096, 4096, &u, why, sizeof(why)),
		-ENOEXEC);
	CHECK_INT("uki_probe(ELF)", uki_probe(img, 4096), 0);
	memset(img, 0, 4096);
	CHECK_INT("uki_parse(zeros)", parse(4096, 4096, &u, why,
		sizeof(why)), -ENOEXEC);
	CHECK_INT("uki_parse(\"M\", 1 byte)", uki_parse((const uint8_t *)"M",
		1, 1, &u, why, sizeof(why)), -EINVAL);
	/* MZ without PE: a DOS program, or e_lfanew inside the DOS header */
	h = build(0x8664, names, 1);
	memcpy(img + T_PE, "NE\0\0", 4);
	CHECK_INT("uki_parse(NE)", parse(h, 4096, &u, why, sizeof(why)),
		-ENOEXEC);
	h = build(0x8664, names, 1);
	put_le32(img + 0x3c, 0x3c);
	CHECK_INT("uki_parse(e_lfanew 0x3c)", parse(h, 4096, &u, why,
		sizeof(why)), -ENOEXEC);
	/* an object file: no optional header */
	h = build(0x8664, stub, 1);
	put_le16(img + T_PE + 20, 0);
	CHECK_INT("uki_parse(COFF object)", parse(h, 4096, &u, why,
		sizeof(why)), -ENOEXEC);
	/* no sections */
	h = build(0x8664, stub, 0);
	CHECK_INT("uki_parse(no sections)", parse(h, 4096, &u, why,
		sizeof(why)), -ENOEXEC);
}

static void test_limits(void)
{
	static struct tsect many[97];
	struct uki u;
	char why[256];
	size_t h, i;

	for (i = 0; i < 97; i++) {
		many[i] = (struct tsect){ ".text", 0x10, 0x10, 0x1000 };
	}
	many[96].name = ".linux";
	h = build(0xaa64, many, 97);
	CHECK_INT("uki_parse(97 sections)", parse(h, 0x2000, &u, why,
		sizeof(why)), -EINVAL);
	CHECK(strstr(why, "97") != NULL, "why \"%s\" gives no count", why);
	many[95].name = ".linux";
	h = build(0xaa64, many, 96);
	CHECK_INT("uki_parse(96 sections)", parse(h, 0x2000, &u, why,
		sizeof(why)), 0);
	CHECK_INT("uki_parse(96 sections): machine", u.machine, 0xaa64);
	/* the headers past UKI_HEAD_MAX: refused, however much is given */
	h = build(0x1c2, many + 95, 1);
	put_le32(img + 0x3c, UKI_HEAD_MAX);
	CHECK_INT("uki_parse(e_lfanew 64 KiB)", parse(T_CAP, 1 << 20, &u,
		why, sizeof(why)), -EINVAL);
	h = build(0x1c2, many + 95, 1);
	put_le16(img + T_PE + 20, 0xffff);
	CHECK_INT("uki_parse(optional header 0xffff bytes)", parse(T_CAP,
		1 << 20, &u, why, sizeof(why)), -EINVAL);
	/* arm's machine as it is */
	h = build(0x1c2, many + 95, 1);
	CHECK_INT("uki_parse(arm)", parse(h, 0x2000, &u, why, sizeof(why)),
		0);
	CHECK_INT("uki_parse(arm): machine", u.machine, 0x1c2);
}

static void test_profiles(void)
{
	static const struct tsect s[] = {
		{ ".text", 0x1000, 0x1000, 0x400 },
		{ ".osrel", 0x40, 0x200, 0x1400 },
		{ ".cmdline", 0x10, 0x200, 0x1600 },
		{ ".initrd", 0x100, 0x200, 0x1800 },
		{ ".linux", 0x1000, 0x1000, 0x2000 },
		/* profile 0: its own command line */
		{ ".profile", 0x20, 0x200, 0x3000 },
		{ ".cmdline", 0x11, 0x200, 0x3200 },
		/* profile 1: its own kernel and initrd */
		{ ".profile", 0x21, 0x200, 0x3400 },
		{ ".linux", 0x800, 0x800, 0x3600 },
		{ ".initrd", 0x101, 0x200, 0x3e00 },
		{ ".sbat", 0x10, 0x200, 0x4000 },
		/* profile 2: the base's all */
		{ ".profile", 0x22, 0x200, 0x4200 },
	};
	static struct tsect p17[2 + 17];
	struct tsect dup[3];
	struct uki u;
	struct uki_view v;
	char why[256];
	size_t h, i;
	int bad;

	h = build(0x8664, s, 12);
	CHECK_INT("uki_probe(3 profiles)", uki_probe(img, h), 1);
	CHECK_INT("uki_parse(3 profiles)", parse(h, 0x4400, &u, why,
		sizeof(why)), 0);
	CHECK_INT("uki_parse(3 profiles): nprofiles", u.nprofiles, 3);
	SPAN(u.base, UKI_LINUX, 0x2000, 0x1000);
	SPAN(u.base, UKI_PROFILE, 0, 0);
	SPAN(u.prof[1], UKI_LINUX, 0x3600, 0x800);
	CHECK_INT("uki_view(0)", uki_view(&u, 0, &v), 0);
	SPAN(v, UKI_LINUX, 0x2000, 0x1000);
	SPAN(v, UKI_CMDLINE, 0x3200, 0x11);
	SPAN(v, UKI_INITRD, 0x1800, 0x100);
	SPAN(v, UKI_OSREL, 0x1400, 0x40);
	SPAN(v, UKI_PROFILE, 0x3000, 0x20);
	CHECK_INT("uki_view(1)", uki_view(&u, 1, &v), 0);
	SPAN(v, UKI_LINUX, 0x3600, 0x800);
	SPAN(v, UKI_CMDLINE, 0x1600, 0x10);
	SPAN(v, UKI_INITRD, 0x3e00, 0x101);
	SPAN(v, UKI_PROFILE, 0x3400, 0x21);
	CHECK_INT("uki_view(2)", uki_view(&u, 2, &v), 0);
	SPAN(v, UKI_LINUX, 0x2000, 0x1000);
	SPAN(v, UKI_CMDLINE, 0x1600, 0x10);
	SPAN(v, UKI_PROFILE, 0x4200, 0x22);
	CHECK_INT("uki_view(3)", uki_view(&u, 3, &v), -ENOENT);
	/* cut anywhere in its headers: truncated */
	bad = 0;
	for (i = 0; i < h; i++) {
		bad += parse(i, 0x4400, &u, why, sizeof(why)) != -EINVAL;
	}
	CHECK(bad == 0, "3 profiles: %d cut lengths not -EINVAL", bad);

	/* no kernel in the base: each profile needs its own */
	h = build(0x8664, s + 5, 7);
	CHECK_INT("uki_parse(profile 0 without .linux, base without)",
		parse(h, 0x4400, &u, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "profile 0") != NULL, "why \"%s\" names no "
		"profile", why);
	h = build(0x8664, s + 7, 3);
	CHECK_INT("uki_parse(one profile with .linux, base without)",
		parse(h, 0x4400, &u, why, sizeof(why)), 0);
	CHECK_INT("uki_view(0) of it", uki_view(&u, 0, &v), 0);
	SPAN(v, UKI_LINUX, 0x3600, 0x800);

	/* two of one kind in one profile: refused; in two, fine */
	dup[0] = s[4];
	dup[1] = s[4];
	dup[1].ptr = 0x3000;
	h = build(0x8664, dup, 2);
	CHECK_INT("uki_parse(two .linux)", parse(h, 0x4400, &u, why,
		sizeof(why)), -EINVAL);
	CHECK(strstr(why, "two .linux") != NULL, "why \"%s\"", why);
	h = build(0x8664, s, 12);
	memcpy(img + T_TAB + 40 * 10, ".initrd\0", 8);	/* .sbat: .initrd */
	CHECK_INT("uki_parse(two .initrd in profile 1)", parse(h, 0x4400, &u,
		why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "profile 1") != NULL, "why \"%s\"", why);
	dup[1] = s[5];
	dup[2] = s[8];
	h = build(0x8664, dup, 3);
	CHECK_INT("uki_parse(.linux in the base and in a profile)",
		parse(h, 0x4400, &u, why, sizeof(why)), 0);
	/* an empty .linux is none */
	dup[0].vsize = 0;
	h = build(0x8664, dup, 1);
	CHECK_INT("uki_parse(empty .linux)", parse(h, 0x4400, &u, why,
		sizeof(why)), -EINVAL);

	/* 16 profiles, then 17 */
	p17[0] = s[4];
	for (i = 0; i < 17; i++) {
		p17[1 + i] = (struct tsect){ ".profile", 8, 0x200,
			(uint32_t)(0x4000 + 0x200 * i) };
	}
	h = build(0x8664, p17, 17);
	CHECK_INT("uki_parse(16 profiles)", parse(h, 0x8000, &u, why,
		sizeof(why)), 0);
	CHECK_INT("uki_parse(16 profiles): nprofiles", u.nprofiles, 16);
	CHECK_INT("uki_view(15)", uki_view(&u, 15, &v), 0);
	SPAN(v, UKI_PROFILE, 0x4000 + 0x200 * 15, 8);
	SPAN(v, UKI_LINUX, 0x2000, 0x1000);
	CHECK_INT("uki_view(16)", uki_view(&u, 16, &v), -ENOENT);
	h = build(0x8664, p17, 18);
	CHECK_INT("uki_parse(17 profiles)", parse(h, 0x8000, &u, why,
		sizeof(why)), -EINVAL);
	CHECK_INT("uki_parse(17 profiles): nothing left", u.nprofiles, 0);
}

/* uki_osrel of a C string */
static int osrel(const char *text, const char *key, char *out, size_t n)
{
	return uki_osrel((const uint8_t *)text, strlen(text), key, out, n);
}

#define OSREL(text, key, want) do { \
	char o_[128]; \
	int e_ = osrel(text, key, o_, sizeof(o_)); \
	CHECK(e_ == 0 && !strcmp(o_, want), "uki_osrel(%s, %s) = %d \"%s\"; " \
		"want \"%s\"", #text, key, e_, o_, want); \
} while (0)
#define OSREL_ERR(text, key, n, want) do { \
	char o_[128]; \
	CHECK_INT("uki_osrel(" #text ", " key ")", \
		osrel(text, key, o_, n), want); \
} while (0)

static void test_osrel(void)
{
	/* os-release(5)'s own examples and rules */
	OSREL(mkuki_osrel, "NAME", "Debian GNU/Linux");
	OSREL(mkuki_osrel, "PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)");
	OSREL(mkuki_osrel, "ID", "debian");
	OSREL(mkuki_osrel, "VERSION_ID", "12");
	OSREL_ERR(mkuki_osrel, "VERSION", 128, -ENOENT);
	OSREL_ERR(mkuki_osrel, "made", 128, -ENOENT);
	OSREL("NAME=Fedora\nVERSION=\"32 (Workstation Edition)\"\n",
		"VERSION", "32 (Workstation Edition)");
	OSREL("NAME=Fedora\nVERSION=\"32 (Workstation Edition)\"\n",
		"NAME", "Fedora");
	/* double quotes: \" \\ \$ \` are the character, another backslash
	 * stays */
	OSREL("X=\"a \\\"b\\\" \\\\ \\$HOME \\`id\\` \\n\"", "X",
		"a \"b\" \\ $HOME `id` \\n");
	/* single quotes: no escapes */
	OSREL("X='a \\\"b\\\\'", "X", "a \\\"b\\\\");
	OSREL("X='it''s'", "X", "its");
	/* unquoted: a backslash takes the next byte, trailing blanks go */
	OSREL("X=a\\ b\\$  \t\n", "X", "a b$");
	OSREL("X=\"\"\n", "X", "");
	OSREL("X=\n", "X", "");
	/* comments, blank lines, indentation, CRLF, no final newline */
	OSREL("# X=no\n\n  \n\tX=yes\r\nY=1", "X", "yes");
	OSREL("#X=no\nX=1\n# X=2\n", "X", "1");
	/* the last assignment wins; keys whole */
	OSREL("ID=a\nID=b\n", "ID", "b");
	OSREL_ERR("IDX=a\nVERSION_ID=b\n", "ID", 128, -ENOENT);
	OSREL_ERR("ID\nID =x\n=x\n", "ID", 128, -ENOENT);
	/* a quoted value holding what looks like another line */
	OSREL("A=\"x\nID=no\"\nID=yes\n", "ID", "yes");
	/* backslash-newline joins lines */
	OSREL("X=\"a\\\nb\"\n", "X", "ab");
	/* systemd 257's .profile */
	OSREL("ID=rescue\nTITLE=Rescue shell\n", "TITLE", "Rescue shell");
	/* UTF-8 is printable; control bytes and invalid UTF-8 are not */
	OSREL("PRETTY_NAME=\"D\xc3\xa9""bian\"", "PRETTY_NAME",
		"D\xc3\xa9""bian");
	OSREL_ERR("X=\"a\tb\"", "X", 128, -EINVAL);
	OSREL_ERR("X=\"a\nb\"", "X", 128, -EINVAL);
	OSREL_ERR("X=\"a\xff\"", "X", 128, -EINVAL);
	OSREL_ERR("X=\"\xc2\x85\"", "X", 128, -EINVAL);
	/* unterminated quotes */
	OSREL_ERR("X=\"abc\nY=1\n", "X", 128, -EINVAL);
	OSREL_ERR("X='abc", "X", 128, -EINVAL);
	OSREL_ERR("X=\"abc\\\"", "X", 128, -EINVAL);
	/* the size: 9 bytes and a NUL fit in 10 */
	OSREL_ERR("X=123456789\n", "X", 10, 0);
	OSREL_ERR("X=\"1234567890\"\n", "X", 10, -E2BIG);
	OSREL_ERR("X=1\n", "X", 0, -E2BIG);
	OSREL_ERR("X=123456789   \n", "X", 10, 0);
	/* a bad earlier assignment is overridden by a good later one */
	OSREL("X=\"\x01\"\nX=ok\n", "X", "ok");
	OSREL_ERR("X=", "", 128, -EINVAL);
	OSREL_ERR("", "X", 128, -ENOENT);
}

#define CMDLINE(text, len, want) do { \
	char o_[128]; \
	int e_ = uki_cmdline((const uint8_t *)(text), len, o_, sizeof(o_)); \
	CHECK(e_ == 0 && !strcmp(o_, want), "uki_cmdline(%s) = %d \"%s\"; " \
		"want \"%s\"", #text, e_, o_, want); \
} while (0)
#define CMDLINE_ERR(text, n, want) do { \
	char o_[128]; \
	CHECK_INT("uki_cmdline(" #text ")", uki_cmdline( \
		(const uint8_t *)(text), strlen(text), o_, n), want); \
} while (0)

static void test_cmdline_text(void)
{
	CMDLINE("console=ttyS0 quiet hop.test=1\n", 31,
		"console=ttyS0 quiet hop.test=1");
	CMDLINE("root=/dev/sda1\nro\n\n\t \n", 22, "root=/dev/sda1 ro");
	CMDLINE("  a\tb", 5, "  a b");
	CMDLINE("quiet\0garbage\x01", 14, "quiet");
	CMDLINE("", 0, "");
	CMDLINE("\n\n", 2, "");
	CMDLINE("x=\xc3\xa9", 4, "x=\xc3\xa9");
	CMDLINE_ERR("a\rb", 128, -EINVAL);
	CMDLINE_ERR("a\x7f", 128, -EINVAL);
	CMDLINE_ERR("a\x1b[0m", 128, -EINVAL);
	CMDLINE_ERR("a\xff", 128, -EINVAL);
	CMDLINE_ERR("abc", 3, -E2BIG);
	CMDLINE_ERR("abc", 4, 0);
	CMDLINE_ERR("abc   \n\n", 4, 0);
	CMDLINE_ERR("", 0, -E2BIG);
}

void test_uki(void)
{
	test_real("x64.efi", uki_x64_head, sizeof(uki_x64_head),
		UKI_X64_LEN, 0x8664, uki_x64_sects,
		sizeof(uki_x64_sects) / sizeof(uki_x64_sects[0]));
	test_real("aa64.efi", uki_aa64_head, sizeof(uki_aa64_head),
		UKI_AA64_LEN, 0xaa64, uki_aa64_sects,
		sizeof(uki_aa64_sects) / sizeof(uki_aa64_sects[0]));
	test_sizes();
	test_bounds();
	test_not_uki();
	test_limits();
	test_profiles();
	test_osrel();
	test_cmdline_text();
}
