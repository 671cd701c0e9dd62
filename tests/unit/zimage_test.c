/* arm zImage and uImage planners (arch/arm/) from synthetic images */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <libfdt.h>

#include "plan.h"
#include "test.h"

#define ZLEN 0x8000u

/* property values are only 4-byte aligned */
static uint64_t be64p(const void *v)
{
	const uint8_t *b = v;

	return (uint64_t)be32(b) << 32 | be32(b + 4);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* a small tree: / { chosen { bootargs = "old"; }; memory {...}; } */
static size_t make_tree(uint8_t *buf, size_t size)
{
	fdt_create(buf, (int)size);
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property_u32(buf, "#address-cells", 2);
	fdt_property_u32(buf, "#size-cells", 2);
	fdt_begin_node(buf, "chosen");
	fdt_property_string(buf, "bootargs", "old");
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	return fdt_totalsize(buf);
}

/* zImage of ZLEN bytes; with klsz, a KLSZ tag: 1 MiB data + 64K bss */
static uint8_t *make_zimage(int klsz, size_t extra)
{
	uint8_t *z = calloc(1, ZLEN + extra);

	put_le32(z + 0x24, 0x016F2818);
	put_le32(z + 0x28, 0);
	put_le32(z + 0x2c, ZLEN);
	put_le32(z + 0x30, 0x04030201);
	if (klsz) {
		put_le32(z + 0x34, 0x45454545);
		put_le32(z + 0x38, 0x40);
		put_le32(z + 0x40, 4);
		put_le32(z + 0x44, 0x5A534C4B);
		put_le32(z + 0x48, ZLEN - 4);
		put_le32(z + 0x4c, 0x10000);
		put_le32(z + ZLEN - 4, 0x100000);
	}
	return z;
}


static int plan_z(const uint8_t *img, size_t len, const uint8_t *tree,
	size_t tree_len, size_t initrd_len, const char *iomem, struct plan *p)
{
	static uint8_t initrd[64 << 20];
	struct boot_req req;
	struct memmap mm;

	memset(&req, 0, sizeof(req));
	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(iomem, &mm);
	req.kernel = img;
	req.kernel_len = len;
	req.initrd = initrd_len ? initrd : NULL;
	req.initrd_len = initrd_len;
	req.cmdline = "console=ttyAMA0 marker";
	req.dtb = tree;
	req.dtb_len = tree_len;
	req.page_size = 4096;
	plan_init(p);
	return fmt_uimage.probe(img, len) == 0 ? fmt_uimage.plan(&req, &mm, p) :
		fmt_zimage.plan(&req, &mm, p);
}

static const char ram1g[] = "40000000-7fffffff : System RAM\n";

static void test_placement(void)
{
	uint8_t tree[4096], *z;
	const struct segment *k, *i, *d;
	const void *prop;
	struct plan p;
	size_t tl = make_tree(tree, sizeof(tree));
	int len;

	z = make_zimage(1, 0);
	CHECK_INT("fmt_zimage.probe()", fmt_zimage.probe(z, ZLEN), 0);
	CHECK_INT("zimage_plan(KLSZ)", plan_z(z, ZLEN, tree, tl, 100 << 10,
		ram1g, &p), 0);
	k = plan_seg(&p, "kernel", 0);
	i = plan_seg(&p, "initrd", 0);
	d = plan_seg(&p, "dtb", 0);
	CHECK(k && i && d, "zimage_plan: segments kernel/initrd/dtb missing");
	if (k && i && d) {
		CHECK_INT("kernel mem (bank + 0x8000)", k->mem, 0x40008000);
		CHECK_INT("kernel bufsz (end - start)", k->bufsz, ZLEN);
		CHECK_INT("kernel memsz (+4 zero bytes, page)", k->memsz,
			0x9000);
		/* 0x8000 + 1M + 64K + zImage + 0x22000 -> next MiB */
		CHECK_INT("initrd mem (above the footprint + 4M)", i->mem,
			0x40600000);
		CHECK_INT("dtb mem (after the initrd)", d->mem, 0x40619000);
		CHECK_INT("dtb starts with its magic", be32(d->buf),
			0xD00DFEED);
		prop = fdt_getprop(d->buf, fdt_path_offset(d->buf, "/chosen"),
			"bootargs", &len);
		CHECK_STR("dtb bootargs", prop ? (const char *)prop : NULL,
			"console=ttyAMA0 marker");
		prop = fdt_getprop(d->buf, fdt_path_offset(d->buf, "/chosen"),
			"linux,initrd-start", &len);
		CHECK(prop && len == 8 && be64p(prop)
			== 0x40600000, "dtb linux,initrd-start wrong (len %d)",
			len);
	}
	CHECK_INT("entry", p.entry, 0x40008000);
	CHECK_INT("flags", p.flags, KEXEC_ARCH_ARM_FLAG);
	plan_free(&p);
	free(z);

	/* no KLSZ: a 5x bound of the zImage */
	z = make_zimage(0, 0);
	CHECK_INT("zimage_plan(no KLSZ)", plan_z(z, ZLEN, tree, tl, 4096,
		ram1g, &p), 0);
	i = plan_seg(&p, "initrd", 0);
	CHECK_INT("initrd mem (5x bound)", i ? i->mem : 0, 0x40500000);
	plan_free(&p);
	free(z);

	/* a 16 MiB initrd with a bank starting at 0x60000000 */
	z = make_zimage(1, 0);
	CHECK_INT("zimage_plan(16M initrd)", plan_z(z, ZLEN, tree, tl,
		16 << 20, "60000000-7fffffff : System RAM\n", &p), 0);
	k = plan_seg(&p, "kernel", 0);
	i = plan_seg(&p, "initrd", 0);
	d = plan_seg(&p, "dtb", 0);
	CHECK_INT("kernel mem (bank 0x60000000)", k ? k->mem : 0, 0x60008000);
	CHECK_INT("initrd mem", i ? i->mem : 0, 0x60600000);
	CHECK_INT("dtb mem (after 16M initrd)", d ? d->mem : 0, 0x61600000);
	plan_free(&p);
	free(z);

	/* a panic kernel: everything inside the reservation, and the tree
	 * says so in linux,usable-memory-range */
	z = make_zimage(1, 0);
	{
		struct boot_req req;
		struct memmap mm;

		memset(&req, 0, sizeof(req));
		memset(&mm, 0, sizeof(mm));
		memmap_parse_iomem("40000000-7fffffff : System RAM\n"
			"  60000000-67ffffff : Crash kernel\n", &mm);
		memmap_crash_only(&mm);
		req.kernel = z;
		req.kernel_len = ZLEN;
		req.cmdline = "x";
		req.dtb = tree;
		req.dtb_len = tl;
		req.crash = 1;
		plan_init(&p);
		CHECK_INT("zimage_plan(crash)", fmt_zimage.plan(&req, &mm, &p),
			0);
		k = plan_seg(&p, "kernel", 0);
		d = plan_seg(&p, "dtb", 0);
		CHECK_INT("crash kernel mem", k ? k->mem : 0, 0x60008000);
		prop = d ? fdt_getprop(d->buf, fdt_path_offset(d->buf,
			"/chosen"), "linux,usable-memory-range", &len) : NULL;
		CHECK(prop && len == 16 && be64p(prop) == 0x60000000 && be64p((const uint8_t *)prop + 8) == 0x8000000,
			"dtb linux,usable-memory-range wrong (len %d)", len);
		plan_free(&p);
	}
	free(z);

	/* with its ELF core header: on top of the reservation, 1 MiB
	 * aligned, and out of linux,usable-memory-range (arm's vmcore
	 * ioremaps it, which refuses the kernel's own RAM) */
	z = make_zimage(1, 0);
	{
		static uint8_t hdr[4096] = { 0x7f, 'E', 'L', 'F' };
		const struct segment *h;
		struct boot_req req;
		struct memmap mm;
		uint64_t ra = 0, rs = 0;
		int r;

		memset(&req, 0, sizeof(req));
		memset(&mm, 0, sizeof(mm));
		memmap_parse_iomem("40000000-7fffffff : System RAM\n"
			"  60000000-67ffffff : Crash kernel\n", &mm);
		memmap_crash_only(&mm);
		req.kernel = z;
		req.kernel_len = ZLEN;
		req.cmdline = "x";
		req.dtb = tree;
		req.dtb_len = tl;
		req.crash = 1;
		req.elfcorehdr = hdr;
		req.elfcorehdr_len = sizeof(hdr);
		plan_init(&p);
		CHECK_INT("zimage_plan(crash, elfcorehdr)", fmt_zimage.plan(&req,
			&mm, &p), 0);
		h = plan_seg(&p, "elfcorehdr", 0);
		d = plan_seg(&p, "dtb", 0);
		CHECK(h && h->mem == 0x67f00000 && h->buf == hdr &&
			h->memsz == 0x1000, "zimage_plan(crash) elfcorehdr "
			"segment at 0x%llx+0x%llx; want 0x67f00000+0x1000",
			h ? (unsigned long long)h->mem : 0ull,
			h ? (unsigned long long)h->memsz : 0ull);
		prop = d ? fdt_getprop(d->buf, fdt_path_offset(d->buf,
			"/chosen"), "linux,elfcorehdr", &len) : NULL;
		CHECK(prop && len == 16 && be64p(prop) == 0x67f00000 &&
			be64p((const uint8_t *)prop + 8) == 0x1000,
			"zimage_plan(crash) linux,elfcorehdr wrong (len %d)",
			prop ? len : -1);
		prop = d ? fdt_getprop(d->buf, fdt_path_offset(d->buf,
			"/chosen"), "linux,usable-memory-range", &len) : NULL;
		CHECK(prop && len == 16 && be64p(prop) == 0x60000000 &&
			be64p((const uint8_t *)prop + 8) == 0x7f00000,
			"zimage_plan(crash) linux,usable-memory-range = <0x%llx "
			"0x%llx>; want <0x60000000 0x7f00000>", prop ?
			(unsigned long long)be64p(prop) : 0ull, prop ?
			(unsigned long long)be64p((const uint8_t *)prop + 8) :
			0ull);
		for (r = 0; d && r < fdt_num_mem_rsv(d->buf); r++) {
			fdt_get_mem_rsv(d->buf, r, &ra, &rs);
			if (ra == 0x67f00000) {
				break;
			}
		}
		CHECK(ra == 0x67f00000 && rs == 0x1000, "zimage_plan(crash) "
			"/memreserve/ = 0x%llx+0x%llx; want 0x67f00000+0x1000",
			(unsigned long long)ra, (unsigned long long)rs);
		plan_free(&p);
	}
	free(z);

	/* an appended tree serves when no tree is given */
	z = make_zimage(1, 4096);
	make_tree(z + ZLEN, 4096);
	CHECK_INT("zimage_plan(appended tree)", plan_z(z, ZLEN + tl, NULL, 0,
		0, ram1g, &p), 0);
	k = plan_seg(&p, "kernel", 0);
	CHECK_INT("kernel bufsz without the appended tree", k ? k->bufsz : 0,
		ZLEN);
	CHECK(plan_seg(&p, "initrd", 0) == NULL, "zimage_plan: initrd segment "
		"without an initrd");
	d = plan_seg(&p, "dtb", 0);
	CHECK(d && fdt_path_offset(d->buf, "/chosen") >= 0 &&
		!fdt_getprop(d->buf, fdt_path_offset(d->buf, "/chosen"),
		"linux,initrd-start", NULL), "dtb keeps an initrd property "
		"without an initrd");
	plan_free(&p);
	free(z);
}

static const struct {
	const char *name;
	uint32_t off, val;
	size_t len;
	const char *tree;
	const char *iomem;
	size_t initrd;
	int err;
	const char *why;
} refusals[] = {
	{ "truncated", 0, 0, 32, "t", ram1g, 0, -ENOEXEC,
		"zImage: truncated: 32 bytes, the header needs 64" },
	{ "big endian", 0x24, 0x18286F01, ZLEN, "t", ram1g, 0, -ENOEXEC,
		"zImage: big-endian (BE8) kernels are not supported" },
	{ "end before start", 0x28, 0x9000, ZLEN, "t", ram1g, 0, -ENOEXEC,
		"zImage: bad size: start 0x9000, end 0x8000" },
	{ "end past file", 0x2c, 0x10000, ZLEN, "t", ram1g, 0, -ENOEXEC,
		"zImage: truncated: the header says 65536 bytes, the file has "
		"32768" },
	{ "no tree", 0, 0, ZLEN, NULL, ram1g, 0, -EINVAL,
		"zImage: no device tree: /sys/firmware/fdt is missing and no "
		"hop.dtb was given (ATAG boards are not supported)" },
	{ "no room", 0, 0, ZLEN, "t", "40000000-40ffffff : System RAM\n",
		32 << 20, -EADDRNOTAVAIL, "no room for the initrd: 33554432 "
		"bytes aligned to 0x1000 between 0x40600000 and 0x6fffffff in "
		"usable RAM" },
};

void test_zimage(void)
{
	uint8_t tree[4096], *z, *u;
	size_t tl = make_tree(tree, sizeof(tree)), n;
	struct plan p;
	int err;

	test_placement();
	for (n = 0; n < sizeof(refusals) / sizeof(refusals[0]); n++) {
		z = make_zimage(1, 0);
		if (refusals[n].off) {
			put_le32(z + refusals[n].off, refusals[n].val);
		}
		plan_init(&p);
		err = plan_z(z, refusals[n].len, refusals[n].tree ? tree : NULL,
			refusals[n].tree ? tl : 0, refusals[n].initrd,
			refusals[n].iomem, &p);
		CHECK(err == refusals[n].err && !strcmp(p.why,
			refusals[n].why), "zimage_plan(%s) = %d \"%s\"; want "
			"%d \"%s\"", refusals[n].name, err, p.why,
			refusals[n].err, refusals[n].why);
		plan_free(&p);
		free(z);
	}
	CHECK_INT("fmt_zimage.probe(bzImage-like)", fmt_zimage.probe(tree,
		tl), -ENOEXEC);

	/* uImage around the zImage */
	z = make_zimage(1, 0);
	u = calloc(1, 64 + ZLEN);
	put_be32(u, 0x27051956);
	put_be32(u + 0x0c, ZLEN);
	u[0x1e] = 2;
	memcpy(u + 64, z, ZLEN);
	put_be32(u + 0x18, (uint32_t)libdeflate_crc32(0, z, ZLEN));
	CHECK_INT("fmt_uimage.probe()", fmt_uimage.probe(u, 64 + ZLEN), 0);
	CHECK_INT("fmt_zimage.probe(uImage)", fmt_zimage.probe(u, 64 + ZLEN),
		-ENOEXEC);
	err = plan_z(u, 64 + ZLEN, tree, tl, 0, ram1g, &p);
	CHECK_INT("uimage_plan()", err, 0);
	CHECK_INT("uimage_plan() entry", p.entry, 0x40008000);
	CHECK(p.nseg && p.seg[0].buf == u + 64, "uimage_plan: the kernel "
		"segment is not the payload");
	plan_free(&p);
	u[100] ^= 1;
	err = plan_z(u, 64 + ZLEN, tree, tl, 0, ram1g, &p);
	CHECK(err == -EBADMSG && !strcmp(p.why, "uImage: payload CRC "
		"mismatch (damaged image)"), "uimage_plan(bad crc) = %d \"%s\"",
		err, p.why);
	plan_free(&p);
	u[0x1f] = 1;
	err = plan_z(u, 64 + ZLEN, tree, tl, 0, ram1g, &p);
	CHECK(err == -ENOEXEC && !strcmp(p.why, "uImage: compression 1: only "
		"uncompressed payloads (a zImage) are supported"),
		"uimage_plan(gzip) = %d \"%s\"", err, p.why);
	plan_free(&p);
	free(u);
	free(z);
}
