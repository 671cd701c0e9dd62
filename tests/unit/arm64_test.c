/* the arm64 Image planner (arch/arm64/image.c) on a synthetic 8 KiB
 * Image, its gzip and a zboot wrapper made here, and a small tree */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <libfdt.h>

#include "plan.h"
#include "test.h"

#define IMG_LEN 8192
#define IMG_SIZE 0x20000	/* image_size: with bss */
#define INITRD_LEN 3000

static uint8_t img[IMG_LEN];
static uint8_t initrd[INITRD_LEN];
static uint8_t tree[1024];

static void mk_image(uint64_t text_offset, uint64_t image_size,
	uint64_t flags)
{
	size_t i;

	for (i = 0; i < IMG_LEN; i++) {
		img[i] = (uint8_t)(i * 13 % 7);
	}
	memset(img, 0, 64);
	memcpy(img, "MZ", 2);	/* EFI stub */
	put_le64(img + 0x08, text_offset);
	put_le64(img + 0x10, image_size);
	put_le64(img + 0x18, flags);
	memcpy(img + 0x38, "ARM\x64", 4);
	put_le32(img + 0x3c, 0x40);	/* PE header offset */
}

static void mk_tree(void)
{
	int err = 0;

	err |= fdt_create(tree, sizeof(tree));
	err |= fdt_finish_reservemap(tree);
	err |= fdt_begin_node(tree, "");
	err |= fdt_property_u32(tree, "#address-cells", 2);
	err |= fdt_property_u32(tree, "#size-cells", 2);
	err |= fdt_begin_node(tree, "chosen");
	err |= fdt_property_string(tree, "bootargs", "old");
	err |= fdt_end_node(tree);
	err |= fdt_end_node(tree);
	err |= fdt_finish(tree);
	CHECK_INT("mk_tree()", err, 0);
}

static uint8_t *gz(const uint8_t *in, size_t len, size_t *outlen)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t cap = libdeflate_gzip_compress_bound(c, len);
	uint8_t *out = malloc(cap);

	*outlen = libdeflate_gzip_compress(c, in, len, out, cap);
	libdeflate_free_compressor(c);
	return out;
}

static uint8_t *zboot(const uint8_t *payload, size_t len, const char *type,
	size_t *outlen)
{
	uint8_t *z = calloc(1, 0x40 + len);

	memcpy(z, "MZ\0\0zimg", 8);
	put_le32(z + 8, 0x40);
	put_le32(z + 12, (uint32_t)len);
	memcpy(z + 24, type, strlen(type));
	memcpy(z + 0x40, payload, len);
	*outlen = 0x40 + len;
	return z;
}

static void mm_set(struct memmap *mm, const uint64_t *r, size_t n)
{
	size_t i;

	memset(mm, 0, sizeof(*mm));
	for (i = 0; i < n; i++) {
		mm->ram[i].start = r[2 * i];
		mm->ram[i].end = r[2 * i + 1];
	}
	mm->nram = n;
}

static void req_init(struct boot_req *req)
{
	size_t i;

	memset(req, 0, sizeof(*req));
	req->kernel = img;
	req->kernel_len = IMG_LEN;
	req->initrd = initrd;
	req->initrd_len = INITRD_LEN;
	req->cmdline = "console=ttyAMA0 root=/dev/vda";
	req->dtb = tree;
	req->dtb_len = fdt_totalsize(tree);
	req->page_size = 4096;
	for (i = 0; i < sizeof(req->seed); i++) {
		req->seed[i] = (uint8_t)(i + 1);
	}
}

static const char *segs(const struct plan *p)
{
	static char out[512];
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < p->nseg; i++) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s %llx+%llx",
			i ? ", " : "", p->seg[i].what,
			(unsigned long long)p->seg[i].mem,
			(unsigned long long)p->seg[i].memsz);
	}
	return out;
}


static uint64_t chosen_u64(const void *t, const char *name)
{
	const uint8_t *v;
	int len;

	v = fdt_getprop(t, fdt_path_offset(t, "/chosen"), name, &len);
	return v && len == 8 ? (uint64_t)be32(v) << 32 | be32(v + 4) : 0;
}

/* the common result: kernel, initrd, dtb, trampoline, each right after
 * the previous one; checks the tree and the trampoline */
static void check_plan(const char *name, const struct boot_req *req,
	const struct memmap *mm, const char *want_segs, uint64_t kentry)
{
	const struct segment *k, *d, *t;
	const uint8_t *w;
	struct plan p;
	int err;

	plan_init(&p);
	err = fmt_arm64_image.plan(req, mm, &p);
	CHECK(err == 0, "%s: plan() = %d (%s); want 0", name, err, p.why);
	CHECK_STR(name, segs(&p), want_segs);
	k = plan_seg(&p, "kernel", 0);
	d = plan_seg(&p, "dtb", 0);
	t = plan_seg(&p, "trampoline", 0);
	if (err || !k || !d || !t) {
		plan_free(&p);
		return;
	}
	CHECK(k->bufsz == IMG_LEN && !memcmp(k->buf, img, IMG_LEN),
		"%s: kernel segment: %zu bytes, want the %d of the Image", name,
		k->bufsz, IMG_LEN);
	CHECK(p.entry == t->mem, "%s: entry = 0x%llx; want the trampoline "
		"0x%llx", name, (unsigned long long)p.entry,
		(unsigned long long)t->mem);
	CHECK_INT("plan() flags", p.flags, KEXEC_ARCH_AARCH64_FLAG);
	CHECK_INT("trampoline bufsz", t->bufsz, 40);
	w = t->buf;
	CHECK(le32(w) == 0x580000c4 && le32(w + 4) == 0x580000e0 &&
		le32(w + 8) == 0xaa1f03e1 && le32(w + 12) == 0xaa1f03e2 &&
		le32(w + 16) == 0xaa1f03e3 && le32(w + 20) == 0xd61f0080,
		"%s: trampoline code %08x %08x ...", name, le32(w), le32(w + 4));
	CHECK(le64(w + 24) == kentry, "%s: trampoline entry = 0x%llx; want "
		"0x%llx", name, (unsigned long long)le64(w + 24),
		(unsigned long long)kentry);
	CHECK(le64(w + 32) == d->mem, "%s: trampoline dtb = 0x%llx; want "
		"0x%llx", name, (unsigned long long)le64(w + 32),
		(unsigned long long)d->mem);
	CHECK_INT("dtb: fdt_check_full", fdt_check_full(d->buf, d->bufsz), 0);
	CHECK_STR("dtb: bootargs", (const char *)fdt_getprop(d->buf,
		fdt_path_offset(d->buf, "/chosen"), "bootargs", NULL),
		req->cmdline);
	if (req->initrd) {
		const struct segment *i = plan_seg(&p, "initrd", 0);

		CHECK(i && i->bufsz == INITRD_LEN && i->buf == initrd,
			"%s: initrd segment", name);
		CHECK(i && chosen_u64(d->buf, "linux,initrd-start") == i->mem &&
			chosen_u64(d->buf, "linux,initrd-end") == i->mem +
			INITRD_LEN, "%s: linux,initrd-start/end = 0x%llx-0x%llx",
			name, (unsigned long long)chosen_u64(d->buf,
			"linux,initrd-start"), (unsigned long long)chosen_u64(
			d->buf, "linux,initrd-end"));
	}
	CHECK(chosen_u64(d->buf, "kaslr-seed") == 0x0102030405060708ull,
		"%s: kaslr-seed = 0x%llx", name, (unsigned long long)chosen_u64(
		d->buf, "kaslr-seed"));
	plan_free(&p);
}

/* a refusal: err, and why starting with the given text */
static void check_fail(const char *name, const struct boot_req *req,
	const struct memmap *mm, int want, const char *why)
{
	struct plan p;
	int err;

	plan_init(&p);
	err = fmt_arm64_image.plan(req, mm, &p);
	CHECK(err == want, "%s: plan() = %d; want %d (%s)", name, err, want,
		p.why);
	CHECK(!strncmp(p.why, why, strlen(why)), "%s: why = \"%s\"; want "
		"\"%s\"", name, p.why, why);
	plan_free(&p);
}

static void test_probe(void)
{
	uint8_t *g, *z;
	size_t glen, zlen;

	mk_image(0, IMG_SIZE, 2);
	g = gz(img, IMG_LEN, &glen);
	z = zboot(g, glen, "gzip", &zlen);
	CHECK_INT("probe(Image)", fmt_arm64_image.probe(img, IMG_LEN), 0);
	CHECK_INT("probe(Image.gz)", fmt_arm64_image.probe(g, glen), 0);
	CHECK_INT("probe(zboot)", fmt_arm64_image.probe(z, zlen), 0);
	CHECK_INT("probe(63 bytes)", fmt_arm64_image.probe(img, 63), -ENOEXEC);
	CHECK_INT("probe(tree)", fmt_arm64_image.probe(tree, sizeof(tree)),
		-ENOEXEC);
	CHECK_STR("fmt_arm64_image.name", fmt_arm64_image.name, "Image");
	free(g);
	free(z);
}

static void test_plans(void)
{
	static const uint64_t ram[] = { 0x40001000, 0x80000000 };
	/* the second bank starts outside the initrd's 32 GiB window */
	static const uint64_t split[] = { 0x40200000, 0x40220000,
		0x840000000, 0x850000000 };
	struct boot_req req;
	struct memmap mm;
	uint8_t *g, *z;
	size_t glen, zlen;

	mk_image(0, IMG_SIZE, 2);	/* 4K pages */
	req_init(&req);
	mm_set(&mm, ram, 1);
	/* 2 MiB aligned above 0x40001000 */
	check_plan("Image", &req, &mm, "kernel 40200000+2000, initrd "
		"40220000+1000, dtb 40221000+1000, trampoline 40222000+1000",
		0x40200000);

	g = gz(img, IMG_LEN, &glen);
	req.kernel = g;
	req.kernel_len = glen;
	check_plan("Image.gz", &req, &mm, "kernel 40200000+2000, initrd "
		"40220000+1000, dtb 40221000+1000, trampoline 40222000+1000",
		0x40200000);
	z = zboot(g, glen, "gzip", &zlen);
	req.kernel = z;
	req.kernel_len = zlen;
	check_plan("zboot", &req, &mm, "kernel 40200000+2000, initrd "
		"40220000+1000, dtb 40221000+1000, trampoline 40222000+1000",
		0x40200000);
	free(z);
	free(g);

	/* old kernel: text_offset 0x80000; no initrd */
	mk_image(0x80000, IMG_SIZE, 0);
	req_init(&req);
	req.initrd = NULL;
	req.initrd_len = 0;
	check_plan("Image text_offset 0x80000", &req, &mm, "kernel "
		"40280000+2000, dtb 402a0000+1000, trampoline 402a1000+1000",
		0x40280000);

	/* a 64K-page running kernel: every segment 64K aligned */
	mk_image(0, IMG_SIZE, 0);
	req_init(&req);
	req.page_size = 65536;
	check_plan("Image on 64K pages", &req, &mm, "kernel 40200000+10000, "
		"initrd 40220000+10000, dtb 40230000+10000, trampoline "
		"40240000+10000", 0x40200000);

	/* --mem-min */
	req_init(&req);
	req.mem_min = 0x60000000;
	check_plan("Image mem_min", &req, &mm, "kernel 60000000+2000, initrd "
		"60020000+1000, dtb 60021000+1000, trampoline 60022000+1000",
		0x60000000);

	/* no room after the kernel: below it, still in the window */
	{
		static const uint64_t tight[] = { 0x40000000, 0x40004000,
			0x40200000, 0x40220000 };

		mm_set(&mm, tight, 2);
		req_init(&req);
		check_plan("Image, full after the kernel", &req, &mm, "kernel "
			"40200000+2000, initrd 40000000+1000, dtb 40001000+1000, "
			"trampoline 40002000+1000", 0x40200000);
	}

	/* the initrd must stay in [1 GiB base, +32 GiB) */
	mm_set(&mm, split, 2);
	req_init(&req);
	check_fail("initrd window", &req, &mm, -EADDRNOTAVAIL, "no room for "
		"the initrd: 4096 bytes aligned to 0x1000 between 0x40000000 and "
		"0x83fffffff in usable RAM");
	req.initrd = NULL;
	check_plan("Image, dtb in the high bank", &req, &mm, "kernel "
		"40200000+2000, dtb 840000000+1000, trampoline 840001000+1000",
		0x40200000);
}

static void test_refusals(void)
{
	static const uint64_t ram[] = { 0x40000000, 0x80000000 };
	static const uint64_t small[] = { 0x40000000, 0x40010000 };
	struct boot_req req;
	struct memmap mm;
	uint8_t *g, *z, *big;
	size_t glen, zlen;

	mm_set(&mm, ram, 1);
	mk_image(0, IMG_SIZE, 2);
	req_init(&req);
	req.kernel_len = 63;
	check_fail("truncated", &req, &mm, -EINVAL,
		"Image: truncated: 63 bytes, the header is 64");

	req_init(&req);
	img[0x38] = 'X';
	check_fail("bad magic", &req, &mm, -EINVAL, "Image: bad magic "
		"0x644d5258 at 0x38 (want 0x644d5241, \"ARM\\x64\")");

	mk_image(0, 0, 2);
	check_fail("image_size 0", &req, &mm, -EINVAL,
		"Image: image_size is 0 (kernel older than 3.17)");

	mk_image(0, IMG_SIZE, 3);
	check_fail("big endian", &req, &mm, -EINVAL, "Image: big-endian kernel "
		"(header flags 0x3); only little-endian is supported");

	mk_image(0, IMG_SIZE, 3 << 1);
	check_fail("page size", &req, &mm, -EINVAL, "Image: built for 64 KiB "
		"pages, the running kernel uses 4 KiB (header flags 0x6)");
	mk_image(0, IMG_SIZE, 2 << 1);
	req.page_size = 65536;
	check_fail("page size 16K", &req, &mm, -EINVAL, "Image: built for 16 "
		"KiB pages, the running kernel uses 64 KiB (header flags 0x4)");

	mk_image(0x1000, IMG_SIZE, 0);
	check_fail("text_offset vs 64K pages", &req, &mm, -EINVAL, "Image: "
		"text_offset 0x1000 is not aligned to the running kernel's "
		"65536-byte pages");

	/* a corrupt gzip: wrong CRC32 */
	mk_image(0, IMG_SIZE, 2);
	req_init(&req);
	g = gz(img, IMG_LEN, &glen);
	g[glen - 8] ^= 1;
	req.kernel = g;
	req.kernel_len = glen;
	check_fail("corrupt gzip", &req, &mm, -EINVAL,
		"Image: gzip: CRC or length in the trailer does not match the "
		"data (corrupt)");
	g[glen - 8] ^= 1;
	z = zboot(g, glen, "lzma", &zlen);
	req.kernel = z;
	req.kernel_len = zlen;
	check_fail("zboot lzma", &req, &mm, -ENOTSUP, "Image: zboot: payload "
		"compressed with \"lzma\"; only gzip is supported");
	free(z);
	/* gzip of something else */
	free(g);
	g = gz(tree, sizeof(tree), &glen);
	req.kernel = g;
	req.kernel_len = glen;
	check_fail("gzip of a tree", &req, &mm, -EINVAL, "Image: bad magic");
	free(g);

	req_init(&req);
	req.dtb = NULL;
	check_fail("no dtb", &req, &mm, -EINVAL, "no device tree: "
		"/sys/firmware/fdt missing and no hop.dtb given");
	req.dtb = (const uint8_t *)"not a tree, but 40 bytes long, or more.";
	req.dtb_len = 40;
	check_fail("bad dtb", &req, &mm, -EINVAL, "dtb: bad magic 0x6e6f7420 "
		"(not a flattened device tree)");

	/* a tree that grows past 2 MiB */
	big = calloc(1, 3u << 20);
	{
		void *v;
		int err = 0;

		err |= fdt_create(big, 3 << 20);
		err |= fdt_finish_reservemap(big);
		err |= fdt_begin_node(big, "");
		err |= fdt_property_placeholder(big, "blob", (2 << 20) - 100,
			&v);
		err |= fdt_end_node(big);
		err |= fdt_finish(big);
		CHECK_INT("big tree", err, 0);
	}
	req.dtb = big;
	req.dtb_len = fdt_totalsize(big);
	check_fail("dtb too big", &req, &mm, -E2BIG, "dtb: 20");
	{
		struct plan p;

		plan_init(&p);
		fmt_arm64_image.plan(&req, &mm, &p);
		CHECK(strstr(p.why, "bytes after editing, more than the 2 MiB "
			"an arm64 kernel takes (booting.rst)") != NULL,
			"dtb too big: why = \"%s\"", p.why);
		plan_free(&p);
	}
	free(big);

	req_init(&req);
	mm_set(&mm, small, 1);
	check_fail("no room", &req, &mm, -EADDRNOTAVAIL, "no room for the "
		"kernel: 131072 bytes aligned to 0x200000 in usable RAM");
}

/* a /chosen <addr size> pair in 2 cells each, or 0, 0 */
static void chosen_reg(const void *t, const char *name, uint64_t *a,
	uint64_t *sz)
{
	const uint8_t *v;
	int len;

	*a = *sz = 0;
	v = fdt_getprop(t, fdt_path_offset(t, "/chosen"), name, &len);
	if (v && len == 16) {
		*a = (uint64_t)be32(v) << 32 | be32(v + 4);
		*sz = (uint64_t)be32(v + 8) << 32 | be32(v + 12);
	}
}

/* a panic kernel: the ELF core header on top of the reservation (the
 * kernel takes its bottom), named in linux,elfcorehdr and kept by a
 * /memreserve/; linux,usable-memory-range is the reservation */
static void test_crash(void)
{
	static const uint64_t res[] = { 0x6ac00000, 0x7ac00000 };
	static const struct {
		uint64_t page;
		const char *segs;
		uint64_t hdr;
	} cases[] = {
		{ 4096, "kernel 6ac00000+2000, initrd 6ac20000+1000, "
			"elfcorehdr 7abff000+1000, dtb 6ac21000+1000, "
			"trampoline 6ac22000+1000", 0x7abff000 },
		{ 65536, "kernel 6ac00000+10000, initrd 6ac20000+10000, "
			"elfcorehdr 7abf0000+10000, dtb 6ac30000+10000, "
			"trampoline 6ac40000+10000", 0x7abf0000 },
	};
	static uint8_t hdr[4096] = { 0x7f, 'E', 'L', 'F' };
	const struct segment *d, *h;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	uint64_t a, sz, ra, rs;
	size_t i;
	int err, k;

	mk_image(0, IMG_SIZE, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_init(&req);
		mm_set(&mm, res, 1);
		req.page_size = cases[i].page;
		req.crash = 1;
		req.elfcorehdr = hdr;
		req.elfcorehdr_len = sizeof(hdr);
		plan_init(&p);
		err = fmt_arm64_image.plan(&req, &mm, &p);
		CHECK(err == 0, "plan(crash, %llu) = %d (%s); want 0",
			(unsigned long long)cases[i].page, err, p.why);
		CHECK_STR("plan(crash) segments", segs(&p), cases[i].segs);
		d = plan_seg(&p, "dtb", 0);
		h = plan_seg(&p, "elfcorehdr", 0);
		if (err || !d || !h) {
			plan_free(&p);
			continue;
		}
		CHECK(h->buf == hdr && h->bufsz == sizeof(hdr), "plan(crash) "
			"elfcorehdr segment: buf %p, %zu bytes; want the "
			"header, 4096", h->buf, h->bufsz);
		chosen_reg(d->buf, "linux,elfcorehdr", &a, &sz);
		CHECK(a == cases[i].hdr && sz == sizeof(hdr), "plan(crash) "
			"linux,elfcorehdr = <0x%llx 0x%llx>; want <0x%llx "
			"0x1000>", (unsigned long long)a,
			(unsigned long long)sz,
			(unsigned long long)cases[i].hdr);
		chosen_reg(d->buf, "linux,usable-memory-range", &a, &sz);
		CHECK(a == 0x6ac00000 && sz == 0x10000000, "plan(crash) "
			"linux,usable-memory-range = <0x%llx 0x%llx>; want the "
			"reservation", (unsigned long long)a,
			(unsigned long long)sz);
		for (k = 0; k < fdt_num_mem_rsv(d->buf); k++) {
			fdt_get_mem_rsv(d->buf, k, &ra, &rs);
			if (ra == cases[i].hdr) {
				break;
			}
		}
		CHECK(k < fdt_num_mem_rsv(d->buf) && rs == sizeof(hdr),
			"plan(crash) /memreserve/ of the header: %s",
			k < fdt_num_mem_rsv(d->buf) ? "wrong size" : "missing");
		plan_free(&p);
	}
}

void test_arm64(void)
{
	mk_tree();
	memset(initrd, 0x5a, sizeof(initrd));
	test_probe();
	test_plans();
	test_refusals();
	test_crash();
}
