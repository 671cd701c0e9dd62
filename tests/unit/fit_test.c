/* u-boot FIT images (lib/plan/fit.c) on real ones: tests/mkfit.sh made
 * fit_images.c with Debian's mkimage and dtc (inline data, mkimage -E's
 * data-offset, mkimage -E -p's data-position), three configurations,
 * sha256, sha1, crc32, sha384 and sha512 hashes. The hostile cases are
 * those files edited here with libfdt, or their headers cut. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "fit.h"
#include "test.h"

extern const uint8_t fit_itb[], fit_ext_itb[], fit_pos_itb[];
extern const size_t fit_itb_len, fit_ext_itb_len, fit_pos_itb_len;

static struct fit f;	/* 9 KB: not on the stack of every test */
static char why[512];

/* the images in the order of /images, as tests/mkfit.sh writes them */
enum { K_VIRT, K_ACME, F_VIRT, F_ACME, RD };
enum { C_VIRT, C_ACME, C_OWN };

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint8_t *copy8(const uint8_t *p, size_t n)
{
	void *b;

	if (posix_memalign(&b, 8, n ? n : 8)) {
		abort();
	}
	memcpy(b, p, n);
	return b;
}

/* the 64-byte payload tests/mkfit.sh writes: TAG00 TAG01 ... TAG15 */
static void payload(const char *tag, char out[65])
{
	int i;

	for (i = 0; i < 16; i++) {
		out[4 * i] = tag[0];
		out[4 * i + 1] = tag[1];
		out[4 * i + 2] = (char)('0' + i / 10);
		out[4 * i + 3] = (char)('0' + i % 10);
	}
	out[64] = '\0';
}

/* an edit of the tree: a property set (len >= 0), deleted (ED_DEL), a
 * node deleted (ED_DELNODE) or renamed to val (ED_RENAME) */
enum { ED_DEL = -1, ED_DELNODE = -2, ED_RENAME = -3 };
struct ed {
	const char *path, *prop;
	const void *val;
	int len;
};

/* src (an aligned FIT of len bytes) with its tree edited; what follows
 * the tree (mkimage -E's data) follows the new one, at its end rounded
 * up to 4, so data-offset stays right. A new aligned buffer. */
static uint8_t *edit(const uint8_t *src, size_t len, const struct ed *e,
	size_t n, size_t *outlen)
{
	size_t ext = (rd32(src + 4) + 3) & ~(size_t)3, room, nt, next, i;
	void *t;
	uint8_t *out;
	int node, err = 0;

	room = rd32(src + 4) + 65536;
	if (posix_memalign(&t, 8, room) || fdt_open_into(src, t, (int)room)) {
		abort();
	}
	for (i = 0; i < n && err >= 0; i++) {
		node = fdt_path_offset(t, e[i].path);
		if (node < 0) {
			printf("edit: no %s\n", e[i].path);
			abort();
		}
		if (e[i].len >= 0) {
			err = fdt_setprop(t, node, e[i].prop, e[i].val,
				e[i].len);
		} else if (e[i].len == ED_DEL) {
			err = fdt_delprop(t, node, e[i].prop);
		} else if (e[i].len == ED_DELNODE) {
			err = fdt_del_node(t, node);
		} else {
			err = fdt_set_name(t, node, e[i].val);
		}
	}
	if (err < 0 || fdt_pack(t) < 0) {
		printf("edit: %s\n", fdt_strerror(err));
		abort();
	}
	nt = fdt_totalsize(t);
	next = (nt + 3) & ~(size_t)3;
	*outlen = next + (len > ext ? len - ext : 0);
	if (posix_memalign((void **)&out, 8, *outlen)) {
		abort();
	}
	memset(out, 0, *outlen);
	memcpy(out, t, nt);
	if (len > ext) {
		memcpy(out + next, src + ext, len - ext);
	}
	free(t);
	return out;
}

/* the file f points into after parse_edit(), kept until the next */
static uint8_t *edited;

/* fit_parse of an edit of fit.itb (inline data) or fit-ext.itb into f:
 * its result, why set */
static int parse_edit(int ext, const struct ed *e, size_t n)
{
	size_t len;

	free(edited);
	edited = edit(ext ? fit_ext_itb : fit_itb, ext ? fit_ext_itb_len :
		fit_itb_len, e, n, &len);
	why[0] = '\0';
	return fit_parse(edited, len, &f, why, sizeof(why));
}

/* what every layout of the one .its must give */
static void check_parsed(const char *what, const uint8_t *buf)
{
	static const char *const names[] = { "kernel-virt", "kernel-acme",
		"fdt-virt", "fdt-acme", "ramdisk-1" };
	static const enum fit_type types[] = { FIT_KERNEL, FIT_KERNEL,
		FIT_FDT, FIT_FDT, FIT_RAMDISK };
	char want[65];
	size_t i;

	CHECK_INT(what, f.nimages, 5);
	CHECK_INT(what, f.nconfs, 3);
	CHECK_INT(what, f.def, C_ACME);
	for (i = 0; i < 5 && i < f.nimages; i++) {
		CHECK_STR(what, f.img[i].name, names[i]);
		CHECK_INT(what, f.img[i].type, types[i]);
		CHECK(f.img[i].data_off + f.img[i].data_len <= f.len,
			"%s: image %zu's span %llu+%llu past %zu", what, i,
			(unsigned long long)f.img[i].data_off,
			(unsigned long long)f.img[i].data_len, f.len);
	}
	CHECK_STR(what, f.img[K_VIRT].comp, "none");
	CHECK_STR(what, f.img[K_VIRT].arch, "arm64");
	CHECK_STR(what, f.img[K_VIRT].os, "linux");
	CHECK(f.img[K_VIRT].has_load && f.img[K_VIRT].load == 0x40080000 &&
		f.img[K_VIRT].has_entry && f.img[K_VIRT].entry == 0x40080000,
		"%s: kernel-virt load %llx entry %llx", what,
		(unsigned long long)f.img[K_VIRT].load,
		(unsigned long long)f.img[K_VIRT].entry);
	CHECK_STR(what, f.img[K_ACME].comp, "gzip");
	CHECK_STR(what, f.img[K_ACME].arch, "arm");
	CHECK(!f.img[F_VIRT].os && !f.img[F_VIRT].has_load &&
		!f.img[F_VIRT].has_entry, "%s: fdt-virt has os or load", what);
	payload("KV", want);
	CHECK(f.img[K_VIRT].data_len == 64 && !memcmp(buf +
		f.img[K_VIRT].data_off, want, 64), "%s: kernel-virt's bytes",
		what);
	payload("KA", want);
	CHECK(f.img[K_ACME].data_len == 64 && !memcmp(buf +
		f.img[K_ACME].data_off, want, 64), "%s: kernel-acme's bytes",
		what);
	payload("RD", want);
	CHECK(f.img[RD].data_len == 64 && !memcmp(buf + f.img[RD].data_off,
		want, 64), "%s: ramdisk's bytes", what);
	CHECK(rd32(buf + f.img[F_VIRT].data_off) == 0xd00dfeed &&
		rd32(buf + f.img[F_ACME].data_off) == 0xd00dfeed,
		"%s: the trees' magic", what);
	CHECK_STR(what, f.conf[C_VIRT].name, "conf-virt");
	CHECK_STR(what, f.conf[C_VIRT].desc, "virt");
	CHECK(f.conf[C_VIRT].kernel == K_VIRT && f.conf[C_VIRT].fdt ==
		F_VIRT && f.conf[C_VIRT].ramdisk == RD &&
		!f.conf[C_VIRT].compatible && !f.conf[C_VIRT].signed_,
		"%s: conf-virt %d %d %d", what, f.conf[C_VIRT].kernel,
		f.conf[C_VIRT].fdt, f.conf[C_VIRT].ramdisk);
	CHECK(f.conf[C_ACME].kernel == K_ACME && f.conf[C_ACME].fdt ==
		F_ACME && f.conf[C_ACME].ramdisk == RD, "%s: conf-acme", what);
	CHECK(f.conf[C_OWN].kernel == K_ACME && f.conf[C_OWN].fdt == F_ACME &&
		f.conf[C_OWN].ramdisk == -1 && f.conf[C_OWN].signed_,
		"%s: conf-own %d %d %d signed %d", what, f.conf[C_OWN].kernel,
		f.conf[C_OWN].fdt, f.conf[C_OWN].ramdisk,
		f.conf[C_OWN].signed_);
	CHECK_STR(what, f.conf[C_OWN].compatible, "acme,rev2");
}

static void test_fit_probe(void)
{
	uint8_t *b = malloc(fit_itb_len + 1);

	CHECK_INT("fit_probe(fit.itb)", fit_probe(fit_itb, fit_itb_len), 1);
	CHECK_INT("fit_probe(fit-ext.itb)", fit_probe(fit_ext_itb,
		fit_ext_itb_len), 1);
	CHECK_INT("fit_probe(fit-pos.itb)", fit_probe(fit_pos_itb,
		fit_pos_itb_len), 1);
	/* an odd address: the tree is copied first */
	memcpy(b + 1, fit_itb, fit_itb_len);
	CHECK_INT("fit_probe(fit.itb at an odd address)", fit_probe(b + 1,
		fit_itb_len), 1);
	CHECK_INT("fit_probe(fit.itb cut)", fit_probe(fit_itb, 1000), 0);
	CHECK_INT("fit_probe(39 bytes)", fit_probe(fit_itb, 39), 0);
	CHECK_INT("fit_probe(0 bytes)", fit_probe(fit_itb, 0), 0);
	memcpy(b, "\x1f\x8b\x08\x00", 4);
	CHECK_INT("fit_probe(gzip)", fit_probe(b, fit_itb_len), 0);
	free(b);
	/* a board's tree: an FDT without /images */
	CHECK_INT("fit_parse(fit.itb)", fit_parse(fit_itb, fit_itb_len, &f,
		why, sizeof(why)), 0);
	b = copy8(fit_itb + f.img[F_VIRT].data_off, f.img[F_VIRT].data_len);
	CHECK_INT("fit_probe(virt.dtb)", fit_probe(b, f.img[F_VIRT].data_len),
		0);
	CHECK_INT("fit_parse(virt.dtb)", fit_parse(b, 0xae, &f, why,
		sizeof(why)), -ENOEXEC);
	free(b);
}

static void test_fit_parse(void)
{
	uint8_t *b;
	int err;

	err = fit_parse(fit_itb, fit_itb_len, &f, why, sizeof(why));
	CHECK(err == 0, "fit_parse(fit.itb) = %d (%s)", err, why);
	check_parsed("fit.itb", fit_itb);
	/* inline: inside the tree */
	CHECK(f.img[RD].data_off < rd32(fit_itb + 4), "fit.itb: ramdisk at "
		"%llu, outside the tree",
		(unsigned long long)f.img[RD].data_off);

	err = fit_parse(fit_ext_itb, fit_ext_itb_len, &f, why, sizeof(why));
	CHECK(err == 0, "fit_parse(fit-ext.itb) = %d (%s)", err, why);
	check_parsed("fit-ext.itb", fit_ext_itb);
	/* data-offset 0: right after the tree, rounded up to 4 */
	CHECK_INT("fit-ext.itb: kernel-virt's data_off", f.img[K_VIRT].data_off,
		(rd32(fit_ext_itb + 4) + 3) & ~3u);

	err = fit_parse(fit_pos_itb, fit_pos_itb_len, &f, why, sizeof(why));
	CHECK(err == 0, "fit_parse(fit-pos.itb) = %d (%s)", err, why);
	check_parsed("fit-pos.itb", fit_pos_itb);
	CHECK_INT("fit-pos.itb: kernel-virt's data_off", f.img[K_VIRT].data_off,
		0x1000);

	/* the caller aligns: libfdt would SIGBUS on arm */
	b = malloc(fit_itb_len + 8);
	memcpy(b + 4, fit_itb, fit_itb_len);
	CHECK_INT("fit_parse(fit.itb at +4)", fit_parse(b + 4, fit_itb_len, &f,
		why, sizeof(why)), -EINVAL);
	free(b);
	CHECK_INT("fit_parse(\"hello\")", fit_parse((const uint8_t *)
		"hello\0\0", 6, &f, why, sizeof(why)), -ENOEXEC);
}

/* every length of a file short of its end: never 0, and -EINVAL (a FIT
 * cut short), not "not a FIT", once the magic is there */
static void test_fit_truncated(const char *what, const uint8_t *src,
	size_t len)
{
	size_t n, bad = 0, first = 0;
	uint8_t *b;
	int err, want;

	for (n = 0; n < len; n++) {
		b = copy8(src, n);	/* exactly n bytes: ASan sees past it */
		err = fit_parse(b, n, &f, why, sizeof(why));
		want = n < 4 ? -ENOEXEC : -EINVAL;
		if (err != want && !bad++) {
			first = n;
		}
		free(b);
	}
	CHECK(!bad, "%s cut at %zu lengths wrong (first %zu)", what, bad,
		first);
}

static void test_fit_choose(const char *what, const uint8_t *src, size_t len)
{
	static const char *const virt_first[] = { "linux,dummy-virt",
		"acme,board" };
	static const char *const acme_first[] = { "acme,board",
		"linux,dummy-virt" };
	static const char *const rev2[] = { "acme,rev2", "acme,board" };
	static const char *const board[] = { "acme,board" };
	static const char *const soc[] = { "vendor,x", "acme,soc" };
	static const char *const none[] = { "vendor,x", "vendor,y" };
	char call[128];
	int err;

	err = fit_parse(src, len, &f, why, sizeof(why));
	CHECK(err == 0, "%s: fit_parse = %d (%s)", what, err, why);
#define CHOOSE(want, list, n, expect) do { \
	snprintf(call, sizeof(call), "%s: fit_choose(%s, %s)", what, \
		want ? want : "NULL", #list); \
	CHECK_INT(call, fit_choose(&f, want, list, n, why, sizeof(why)), \
		expect); \
} while (0)
	CHOOSE(NULL, virt_first, 2, C_VIRT);
	CHOOSE(NULL, acme_first, 2, C_ACME);
	/* conf-own's own "compatible" matches the most specific string */
	CHOOSE(NULL, rev2, 2, C_OWN);
	/* a tie (conf-acme's tree and conf-own's property): the earlier */
	CHOOSE(NULL, board, 1, C_ACME);
	/* the tree's second string matches too */
	CHOOSE(NULL, soc, 2, C_ACME);
	/* no match, no compatible at all: the default */
	CHOOSE(NULL, none, 2, C_ACME);
	CHOOSE(NULL, none, 0, C_ACME);
	/* by name, ahead of any match */
	CHOOSE("conf-own", virt_first, 2, C_OWN);
	CHOOSE("conf-virt", NULL, 0, C_VIRT);
	CHOOSE("", virt_first, 2, C_VIRT);
	CHOOSE("conf-nope", virt_first, 2, -ENOENT);
	CHECK(strstr(why, "conf-nope") != NULL, "%s: why \"%s\"", what, why);
#undef CHOOSE
}

static void test_fit_choose_edits(void)
{
	static const char *const none[] = { "vendor,x" };
	static const char *const virt[] = { "linux,dummy-virt" };
	const struct ed nodef[] = { { "/configurations", "default", NULL,
		ED_DEL } };
	const struct ed gz[] = { { "/images/fdt-virt", "compression", "gzip",
		5 } };
	int err;

	err = parse_edit(1, nodef, 1);
	CHECK(err == 0 && f.def == -1, "fit_parse(no default) = %d (%s), def "
		"%d", err, why, f.def);
	CHECK_INT("fit_choose(no match, no default)", fit_choose(&f, NULL,
		none, 1, why, sizeof(why)), -ENOENT);
	CHECK_INT("fit_choose(virt, no default)", fit_choose(&f, NULL, virt,
		1, why, sizeof(why)), C_VIRT);
	/* a compressed tree's compatible is not read: conf-virt matches
	 * nothing, the default is chosen */
	err = parse_edit(0, gz, 1);
	CHECK(err == 0, "fit_parse(gzip'd fdt-virt) = %d (%s)", err, why);
	CHECK_INT("fit_choose(virt, gzip'd fdt-virt)", fit_choose(&f, NULL,
		virt, 1, why, sizeof(why)), C_ACME);
}

static void test_fit_verify_good(const char *what, const uint8_t *src,
	size_t len)
{
	/* kernel 3 + tree 3 + ramdisk 4; 3 + 4 + 4; 3 + 4 */
	static const unsigned want[] = { 10, 11, 7 };
	unsigned n;
	int c, err;

	err = fit_parse(src, len, &f, why, sizeof(why));
	CHECK(err == 0, "%s: fit_parse = %d (%s)", what, err, why);
	for (c = 0; c < 3; c++) {
		n = 99;
		err = fit_verify(&f, c, &n, why, sizeof(why));
		CHECK(err == 0 && n == want[c], "%s: fit_verify(%s) = %d (%s), "
			"%u hashes; want 0, %u", what, f.conf[c].name, err, why,
			n, want[c]);
	}
	CHECK_INT("fit_verify(conf 3)", fit_verify(&f, 3, &n, why,
		sizeof(why)), -EINVAL);
	CHECK_INT("fit_verify(conf -1)", fit_verify(&f, -1, NULL, why,
		sizeof(why)), -EINVAL);
}

/* one byte of each payload flipped: the image named */
static void test_fit_verify_data(const char *what, const uint8_t *src,
	size_t len)
{
	static const int img[] = { K_VIRT, F_VIRT, RD, K_ACME, F_ACME };
	static const int conf[] = { C_VIRT, C_VIRT, C_VIRT, C_ACME, C_ACME };
	static const char *const name[] = { "kernel-virt", "fdt-virt",
		"ramdisk-1", "kernel-acme", "fdt-acme" };
	uint8_t *b = copy8(src, len);
	unsigned n;
	size_t i, at;
	int err;

	for (i = 0; i < 5; i++) {
		memcpy(b, src, len);
		err = fit_parse(b, len, &f, why, sizeof(why));
		/* a byte in the middle: inside the tree it is a value, not
		 * structure, so the parse is the same */
		at = (size_t)(f.img[img[i]].data_off + f.img[img[i]].data_len /
			2);
		b[at] ^= 0x40;
		err = fit_verify(&f, conf[i], &n, why, sizeof(why));
		CHECK(err == -EBADMSG && strstr(why, name[i]) &&
			strstr(why, "hash-1") && strstr(why, "sha256"),
			"%s: fit_verify(%s flipped) = %d (%s)", what, name[i],
			err, why);
	}
	/* the ramdisk is not in conf-own: untouched by a flip there */
	memcpy(b, src, len);
	fit_parse(b, len, &f, why, sizeof(why));
	b[f.img[RD].data_off] ^= 1;
	CHECK_INT("fit_verify(conf-own, ramdisk flipped)", fit_verify(&f,
		C_OWN, &n, why, sizeof(why)), 0);
	free(b);
}

/* each algorithm's value changed in turn: its node and algo named, with
 * the expected and computed digests in hex */
static void test_fit_verify_values(void)
{
	static const struct {
		const char *node, *algo;
		int conf;
		unsigned hexlen;
	} v[] = {
		{ "/images/kernel-virt/hash-1", "sha256", C_VIRT, 64 },
		{ "/images/kernel-virt/hash-2", "sha1", C_VIRT, 40 },
		{ "/images/kernel-virt/hash-3", "crc32", C_VIRT, 8 },
		{ "/images/fdt-acme/hash-4", "sha384", C_ACME, 96 },
		{ "/images/ramdisk-1/hash-4", "sha512", C_ACME, 128 },
	};
	uint8_t *b = copy8(fit_itb, fit_itb_len);
	char good[2 * 64 + 1], *p;
	uint8_t *val;
	size_t i, k;
	unsigned n;
	int node, len, err;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(b, fit_itb, fit_itb_len);
		node = fdt_path_offset(b, v[i].node);
		val = fdt_getprop_w(b, node, "value", &len);
		if (!val || len * 2 != (int)v[i].hexlen) {
			CHECK(0, "%s: value of %d bytes", v[i].node, len);
			continue;
		}
		for (k = 0; k < (size_t)len; k++) {
			snprintf(good + 2 * k, 3, "%02x", val[k]);
		}
		val[len - 1] ^= 0xff;
		err = fit_parse(b, fit_itb_len, &f, why, sizeof(why));
		err = err ? err : fit_verify(&f, v[i].conf, &n, why,
			sizeof(why));
		p = strstr(why, "got ");
		CHECK(err == -EBADMSG && strstr(why, v[i].algo) &&
			strstr(why, strrchr(v[i].node, '/') + 1) && p &&
			!strncmp(p + 4, good, v[i].hexlen),
			"fit_verify(%s changed) = %d (%s)", v[i].node, err,
			why);
	}
	free(b);
}

static void test_fit_verify_algos(void)
{
	static const uint8_t eight[8];
	const struct ed md5[] = { { "/images/kernel-virt/hash-1", "algo",
		"md5", 4 } };
	const struct ed blake[] = { { "/images/ramdisk-1/hash-2", "algo",
		"blake3", 7 } };
	const struct ed noval[] = { { "/images/fdt-virt/hash-3", "value",
		NULL, ED_DEL } };
	const struct ed noalgo[] = { { "/images/fdt-virt/hash-3", "algo",
		NULL, ED_DEL } };
	const struct ed shortval[] = { { "/images/kernel-virt/hash-3",
		"value", eight, 8 } };
	const struct ed nohash[] = {
		{ "/images/ramdisk-1/hash-1", NULL, NULL, ED_DELNODE },
		{ "/images/ramdisk-1/hash-2", NULL, NULL, ED_DELNODE },
		{ "/images/ramdisk-1/hash-3", NULL, NULL, ED_DELNODE },
		{ "/images/ramdisk-1/hash-4", NULL, NULL, ED_DELNODE },
	};
	unsigned n;
	int err;

	err = parse_edit(0, md5, 1);
	err = err ? err : fit_verify(&f, C_VIRT, &n, why, sizeof(why));
	CHECK(err == -ENOTSUP && strstr(why, "md5") && strstr(why,
		"kernel-virt"), "fit_verify(md5) = %d (%s)", err, why);
	err = parse_edit(1, blake, 1);
	err = err ? err : fit_verify(&f, C_ACME, &n, why, sizeof(why));
	CHECK(err == -ENOTSUP && strstr(why, "blake3") && strstr(why,
		"ramdisk-1"), "fit_verify(blake3) = %d (%s)", err, why);
	err = parse_edit(0, noval, 1);
	err = err ? err : fit_verify(&f, C_VIRT, &n, why, sizeof(why));
	CHECK(err == -EINVAL && strstr(why, "value"), "fit_verify(no value) "
		"= %d (%s)", err, why);
	err = parse_edit(0, noalgo, 1);
	err = err ? err : fit_verify(&f, C_VIRT, &n, why, sizeof(why));
	CHECK(err == -EINVAL && strstr(why, "algo"), "fit_verify(no algo) = "
		"%d (%s)", err, why);
	err = parse_edit(0, shortval, 1);
	err = err ? err : fit_verify(&f, C_VIRT, &n, why, sizeof(why));
	CHECK(err == -EBADMSG && strstr(why, "crc32"), "fit_verify(crc32 of "
		"8 bytes) = %d (%s)", err, why);
	/* an image without hash nodes is allowed: the count says so */
	err = parse_edit(1, nohash, 4);
	n = 99;
	err = err ? err : fit_verify(&f, C_VIRT, &n, why, sizeof(why));
	CHECK(err == 0 && n == 6, "fit_verify(ramdisk without hashes) = %d "
		"(%s), %u; want 0, 6", err, why, n);
}

/* external spans: past the end, a data-size or offset near 2^32, which
 * wraps a 32-bit size_t (arm) unless checked in 64 bits */
static void test_fit_spans(void)
{
	static const uint8_t big[4] = { 0xff, 0xff, 0xff, 0xff };
	static const uint8_t s65[4] = { 0, 0, 0, 0x41 };
	static const uint8_t eight[8] = { 0, 0, 0, 0, 0, 0, 0, 0x40 };
	const struct ed past[] = { { "/images/ramdisk-1", "data-size", s65,
		4 } };
	const struct ed huge_size[] = { { "/images/kernel-virt", "data-size",
		big, 4 } };
	const struct ed huge_off[] = { { "/images/kernel-virt", "data-offset",
		big, 4 } };
	const struct ed both[] = {
		{ "/images/kernel-virt", "data-offset", big, 4 },
		{ "/images/kernel-virt", "data-size", big, 4 },
	};
	const struct ed two_cells[] = { { "/images/kernel-virt", "data-size",
		eight, 8 } };
	const struct ed nosize[] = { { "/images/kernel-virt", "data-size",
		NULL, ED_DEL } };
	const struct ed nodata[] = { { "/images/kernel-virt", "data", NULL,
		ED_DEL } };
	uint8_t *b;
	size_t node;
	int err;

	CHECK_INT("fit_parse(ramdisk 1 byte past the end)", parse_edit(1, past,
		1), -EINVAL);
	CHECK(strstr(why, "ramdisk-1") != NULL, "why \"%s\"", why);
	CHECK_INT("fit_parse(data-size 0xffffffff)", parse_edit(1, huge_size,
		1), -EINVAL);
	CHECK_INT("fit_parse(data-offset 0xffffffff)", parse_edit(1, huge_off,
		1), -EINVAL);
	CHECK_INT("fit_parse(both 0xffffffff)", parse_edit(1, both, 2),
		-EINVAL);
	CHECK_INT("fit_parse(data-size of 2 cells)", parse_edit(1, two_cells,
		1), -EINVAL);
	CHECK_INT("fit_parse(data-offset without data-size)", parse_edit(1,
		nosize, 1), -EINVAL);
	CHECK_INT("fit_parse(no data)", parse_edit(0, nodata, 1), -EINVAL);
	/* data-position: changed in place (the file's layout stays) */
	b = copy8(fit_pos_itb, fit_pos_itb_len);
	node = (size_t)fdt_path_offset(b, "/images/ramdisk-1");
	fdt_setprop_inplace_u32(b, (int)node, "data-position", 0xfffffff0u);
	fdt_setprop_inplace_u32(b, (int)node, "data-size", 0x100);
	CHECK_INT("fit_parse(data-position 0xfffffff0)", fit_parse(b,
		fit_pos_itb_len, &f, why, sizeof(why)), -EINVAL);
	fdt_setprop_inplace_u32(b, (int)node, "data-position",
		(uint32_t)fit_pos_itb_len);
	fdt_setprop_inplace_u32(b, (int)node, "data-size", 0);
	err = fit_parse(b, fit_pos_itb_len, &f, why, sizeof(why));
	CHECK(err == 0 && f.img[RD].data_len == 0, "fit_parse(0 bytes at the "
		"end) = %d (%s)", err, why);
	fdt_setprop_inplace_u32(b, (int)node, "data-size", 1);
	CHECK_INT("fit_parse(1 byte at the end)", fit_parse(b,
		fit_pos_itb_len, &f, why, sizeof(why)), -EINVAL);
	free(b);
}

/* names and strings that do not end where they must */
static void test_fit_strings(void)
{
	const struct ed type[] = { { "/images/kernel-virt", "type", "kernel",
		6 } };
	const struct ed kern[] = { { "/configurations/conf-virt", "kernel",
		"kernel-virt", 11 } };
	const struct ed def[] = { { "/configurations", "default", "conf-acme",
		9 } };
	const struct ed comp[] = { { "/images/ramdisk-1", "compression", "",
		0 } };
	uint8_t *b;
	uint32_t off, size;
	const uint8_t *p;

	CHECK_INT("fit_parse(type without NUL)", parse_edit(0, type, 1),
		-EINVAL);
	CHECK(strstr(why, "type") != NULL, "why \"%s\"", why);
	CHECK_INT("fit_parse(kernel = without NUL)", parse_edit(0, kern, 1),
		-EINVAL);
	CHECK_INT("fit_parse(default without NUL)", parse_edit(0, def, 1),
		-EINVAL);
	CHECK_INT("fit_parse(empty compression)", parse_edit(0, comp, 1),
		-EINVAL);

	/* the structure block cut inside the last node's name: libfdt's
	 * fdt_check_full() refuses it before any name is read */
	b = copy8(fit_itb, fit_itb_len);
	off = rd32(b + 8);
	p = memmem(b + off, rd32(b + 36), "conf-own", 8);
	CHECK(p != NULL, "conf-own in the structure");
	if (p) {
		size = (uint32_t)(p + 4 - (b + off));
		b[36] = (uint8_t)(size >> 24);
		b[37] = (uint8_t)(size >> 16);
		b[38] = (uint8_t)(size >> 8);
		b[39] = (uint8_t)size;
		CHECK_INT("fit_parse(node name cut)", fit_parse(b, fit_itb_len,
			&f, why, sizeof(why)), -EINVAL);
		CHECK(strstr(why, "corrupt") != NULL, "why \"%s\"", why);
	}
	/* the strings block cut by its last byte: the last property name
	 * has no NUL inside it */
	memcpy(b, fit_itb, fit_itb_len);
	size = rd32(b + 32) - 1;
	b[32] = (uint8_t)(size >> 24);
	b[33] = (uint8_t)(size >> 16);
	b[34] = (uint8_t)(size >> 8);
	b[35] = (uint8_t)size;
	CHECK_INT("fit_parse(property name cut)", fit_parse(b, fit_itb_len, &f,
		why, sizeof(why)), -EINVAL);
	/* version 16 is the oldest libfdt checks safely */
	memcpy(b, fit_itb, fit_itb_len);
	b[23] = 3;
	CHECK_INT("fit_parse(version 3)", fit_parse(b, fit_itb_len, &f, why,
		sizeof(why)), -EINVAL);
	CHECK_INT("fit_probe(version 3)", fit_probe(b, fit_itb_len), 0);
	free(b);
}

/* what a configuration names, and how many */
static void test_fit_refs(void)
{
	static const uint8_t two[8] = { 0, 0, 0, 1, 0x80, 0, 0, 0 };
	static const uint8_t three[12];
	const struct ed missing[] = { { "/configurations/conf-virt", "kernel",
		"kernel-nope", 12 } };
	const struct ed wrong[] = { { "/configurations/conf-virt", "ramdisk",
		"fdt-virt", 9 } };
	const struct ed baddef[] = { { "/configurations", "default",
		"conf-nope", 10 } };
	const struct ed notype[] = { { "/images/fdt-acme", "type", NULL,
		ED_DEL } };
	const struct ed dup[] = { { "/images/kernel-acme", NULL,
		"kernel-virt", ED_RENAME } };
	const struct ed dupconf[] = { { "/configurations/conf-own", NULL,
		"conf-virt", ED_RENAME } };
	const struct ed load64[] = { { "/images/kernel-virt", "load", two,
		8 } };
	const struct ed load96[] = { { "/images/kernel-virt", "entry", three,
		12 } };
	const struct ed noconf[] = {
		{ "/configurations/conf-virt", NULL, NULL, ED_DELNODE },
		{ "/configurations/conf-acme", NULL, NULL, ED_DELNODE },
		{ "/configurations/conf-own", NULL, NULL, ED_DELNODE },
		{ "/configurations", "default", NULL, ED_DEL },
	};
	const struct ed nokernel[] = { { "/configurations/conf-acme",
		"kernel", NULL, ED_DEL } };
	const struct ed fdtlist[] = { { "/configurations/conf-virt", "fdt",
		"fdt-virt\0fdt-acme", 18 } };
	size_t room = fit_itb_len + 65536;
	int err, n, k, images, node;
	char name[32];
	void *t;

	CHECK_INT("fit_parse(kernel-nope)", parse_edit(0, missing, 1), -EINVAL);
	CHECK(strstr(why, "kernel-nope") != NULL, "why \"%s\"", why);
	CHECK_INT("fit_parse(ramdisk = a tree)", parse_edit(0, wrong, 1),
		-EINVAL);
	CHECK_INT("fit_parse(default conf-nope)", parse_edit(0, baddef, 1),
		-EINVAL);
	CHECK_INT("fit_parse(no type)", parse_edit(0, notype, 1), -EINVAL);
	CHECK_INT("fit_parse(two kernel-virt)", parse_edit(0, dup, 1), -EINVAL);
	CHECK_INT("fit_parse(two conf-virt)", parse_edit(0, dupconf, 1),
		-EINVAL);
	err = parse_edit(0, load64, 1);
	CHECK(err == 0 && f.img[K_VIRT].load == 0x180000000ull, "fit_parse("
		"2-cell load) = %d (%s), %llx", err, why,
		(unsigned long long)f.img[K_VIRT].load);
	CHECK_INT("fit_parse(3-cell entry)", parse_edit(0, load96, 1), -EINVAL);
	CHECK_INT("fit_parse(no configuration)", parse_edit(0, noconf, 4),
		-EINVAL);
	err = parse_edit(0, nokernel, 1);
	CHECK(err == 0 && f.conf[C_ACME].kernel == -1, "fit_parse(conf-acme "
		"without kernel) = %d (%s)", err, why);
	/* an fdt list (a base tree and overlays): the first */
	err = parse_edit(0, fdtlist, 1);
	CHECK(err == 0 && f.conf[C_VIRT].fdt == F_VIRT, "fit_parse(fdt list) "
		"= %d (%s)", err, why);

	/* FIT_MAX_IMAGES: 5 + 59 is the most, one more is refused (libfdt
	 * adds a node before its siblings) */
	for (n = 59; n <= 60; n++) {
		if (posix_memalign(&t, 8, room) || fdt_open_into(fit_itb, t,
			(int)room)) {
			abort();
		}
		images = fdt_path_offset(t, "/images");
		for (k = 0; k < n; k++) {
			snprintf(name, sizeof(name), "extra-%d", k);
			node = fdt_add_subnode(t, images, name);
			fdt_setprop_string(t, node, "type", "firmware");
			fdt_setprop(t, node, "data", "", 0);
		}
		fdt_pack(t);
		err = fit_parse(t, fdt_totalsize(t), &f, why, sizeof(why));
		CHECK(n == 59 ? err == 0 && f.nimages == 64 &&
			f.img[0].type == FIT_OTHER : err == -EINVAL,
			"fit_parse(%d images) = %d (%s)", n + 5, err, why);
		free(t);
	}
}

void test_fit(void)
{
	test_fit_probe();
	test_fit_parse();
	test_fit_truncated("fit.itb", fit_itb, fit_itb_len);
	test_fit_truncated("fit-ext.itb", fit_ext_itb, fit_ext_itb_len);
	test_fit_truncated("fit-pos.itb", fit_pos_itb, fit_pos_itb_len);
	test_fit_choose("fit.itb", fit_itb, fit_itb_len);
	test_fit_choose("fit-ext.itb", fit_ext_itb, fit_ext_itb_len);
	test_fit_choose("fit-pos.itb", fit_pos_itb, fit_pos_itb_len);
	test_fit_choose_edits();
	test_fit_verify_good("fit.itb", fit_itb, fit_itb_len);
	test_fit_verify_good("fit-ext.itb", fit_ext_itb, fit_ext_itb_len);
	test_fit_verify_good("fit-pos.itb", fit_pos_itb, fit_pos_itb_len);
	test_fit_verify_data("fit.itb", fit_itb, fit_itb_len);
	test_fit_verify_data("fit-ext.itb", fit_ext_itb, fit_ext_itb_len);
	test_fit_verify_data("fit-pos.itb", fit_pos_itb, fit_pos_itb_len);
	test_fit_verify_values();
	test_fit_verify_algos();
	test_fit_spans();
	test_fit_strings();
	test_fit_refs();
	free(edited);
	edited = NULL;
}
