/* arm64 Image (raw, gzip'd, or in an EFI zboot wrapper) for kexec_load:
 * kernel, initrd, device tree and a trampoline that passes the tree in
 * x0 (docs/kernel-abi.md §3; linux Documentation/arch/arm64/booting.rst).
 * Pure: no I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"
#include "plan.h"

/* the 64-byte header (linux arch/arm64/include/asm/image.h) */
#define HDR_SIZE 64
#define HDR_TEXT_OFFSET 0x08
#define HDR_IMAGE_SIZE 0x10
#define HDR_FLAGS 0x18
#define HDR_MAGIC 0x38
#define ARM64_MAGIC 0x644d5241u	/* "ARM\x64" little-endian */
/* flags: bit 0 endianness, bits 1-2 page size, bit 3 the base may be
 * anywhere in RAM rather than near its start (booting.rst) */
#define FLAG_BE 1u
#define FLAG_ANYWHERE 8u
#define FLAG_PAGE_SHIFT 1
#define FLAG_PAGE_MASK 3u

#define SZ_2M (2ull << 20)
#define SZ_1G (1ull << 30)
/* booting.rst: the initrd within a 1 GiB aligned 32 GiB window that
 * also covers the kernel */
#define INITRD_WINDOW (32ull << 30)
#define TRAMPOLINE_SIZE 40

struct image_hdr {
	uint64_t text_offset, image_size, flags;
};

static int probe(const uint8_t *img, size_t len)
{
	if (len >= HDR_SIZE && le32(img + HDR_MAGIC) == ARM64_MAGIC) {
		return 0;
	}
	if (inflate_is_zboot(img, len) || inflate_is_gzip(img, len)) {
		return 0;
	}
	return -ENOEXEC;
}

/* the raw Image of req->kernel: as given, or inflated into a buffer the
 * plan owns */
static int unwrap(const struct boot_req *req, struct plan *p,
	const uint8_t **img, size_t *len)
{
	char why[sizeof(p->why) - 16];
	uint8_t *out;
	size_t outlen;
	int err;

	*img = req->kernel;
	*len = req->kernel_len;
	if (inflate_is_zboot(*img, *len)) {
		err = inflate_zboot(*img, *len, 0, &out, &outlen, why,
			sizeof(why));
	} else if (inflate_is_gzip(*img, *len)) {
		err = inflate_gzip(*img, *len, 0, &out, &outlen, why,
			sizeof(why));
	} else {
		return 0;
	}
	if (err < 0) {
		return plan_fail(p, err, "Image: %s", why);
	}
	if ((err = plan_own(p, out)) < 0) {
		return err;
	}
	*img = out;
	*len = outlen;
	return 0;
}

static int check_header(const struct boot_req *req, struct plan *p,
	const uint8_t *img, size_t len, struct image_hdr *h)
{
	uint64_t kpage;
	unsigned pgflag;

	if (len < HDR_SIZE) {
		return plan_fail(p, -EINVAL, "Image: truncated: %zu bytes, "
			"the header is %d", len, HDR_SIZE);
	}
	if (le32(img + HDR_MAGIC) != ARM64_MAGIC) {
		return plan_fail(p, -EINVAL, "Image: bad magic 0x%08x at 0x38 "
			"(want 0x%08x, \"ARM\\x64\")", le32(img + HDR_MAGIC),
			ARM64_MAGIC);
	}
	h->text_offset = le64(img + HDR_TEXT_OFFSET);
	h->image_size = le64(img + HDR_IMAGE_SIZE);
	h->flags = le64(img + HDR_FLAGS);
	/* before 3.17 the header had no size: the kernel's extent is
	 * unknown (kexec_file refuses these too) */
	if (h->image_size == 0) {
		return plan_fail(p, -EINVAL, "Image: image_size is 0 (kernel "
			"older than 3.17)");
	}
	if (h->flags & FLAG_BE) {
		return plan_fail(p, -EINVAL, "Image: big-endian kernel (header "
			"flags 0x%llx); only little-endian is supported",
			(unsigned long long)h->flags);
	}
	pgflag = (unsigned)(h->flags >> FLAG_PAGE_SHIFT) & FLAG_PAGE_MASK;
	kpage = pgflag ? 4096ull << (2 * (pgflag - 1)) : 0;
	if (kpage && req->page_size && kpage != req->page_size) {
		return plan_fail(p, -EINVAL, "Image: built for %llu KiB pages, "
			"the running kernel uses %llu KiB (header flags 0x%llx)",
			(unsigned long long)kpage >> 10,
			(unsigned long long)req->page_size >> 10,
			(unsigned long long)h->flags);
	}
	/* 0, or below 2 MiB on the kernels that randomized it (< 5.8) */
	if (h->text_offset >= SZ_2M) {
		return plan_fail(p, -EINVAL, "Image: text_offset 0x%llx is not "
			"inside the 2 MiB block",
			(unsigned long long)h->text_offset);
	}
	if (h->image_size > UINT64_MAX / 2) {
		return plan_fail(p, -EINVAL, "Image: image_size 0x%llx is "
			"absurd", (unsigned long long)h->image_size);
	}
	return 0;
}

/* bottom-up from after (past the kernel, as kexec-tools does), else
 * anywhere in [lo, hi) */
static int place_after(struct plan *p, const struct memmap *mm,
	const void *buf, size_t bufsz, uint64_t memsz, uint64_t align,
	uint64_t after, uint64_t lo, uint64_t hi, const char *what,
	uint64_t *addr)
{
	uint64_t a;
	/* right after the kernel, unless hop knows where busy pages are:
	 * then plan_place weighs the whole window */
	int over = mm->nbusy && bufsz >= PLAN_OVER_MIN;

	if (!over && after > lo && (!hi || after < hi) && plan_find(p, mm,
		memsz, align, after, hi, 0, what, &a) == 0) {
		*addr = a;
		return plan_add(p, buf, bufsz, a, memsz, what);
	}
	return plan_place(p, mm, &(struct place_req){ .buf = buf,
		.bufsz = bufsz, .memsz = memsz, .align = align, .min = lo,
		.max = hi, .what = what }, addr);
}

/* x0 = the tree, x1-x3 = 0, jump to the kernel: what booting.rst asks
 * and what kexec_load cannot do itself (arch.dtb_mem is 0 there). The
 * u-root trampoline, checked with aarch64-linux-gnu-as/objdump. It runs
 * with the MMU off, where data loads must be aligned: the literals sit
 * at 8-byte offsets of a page-aligned segment. */
static void trampoline(uint8_t *t, uint64_t entry, uint64_t dtb)
{
	static const uint32_t code[6] = {
		0x580000c4,	/* ldr x4, .+0x18 (imm19 = 6): entry */
		0x580000e0,	/* ldr x0, .+0x1c (imm19 = 7): dtb */
		0xaa1f03e1,	/* mov x1, xzr (orr x1, xzr, xzr) */
		0xaa1f03e2,	/* mov x2, xzr */
		0xaa1f03e3,	/* mov x3, xzr */
		0xd61f0080,	/* br x4 */
	};
	size_t i;

	for (i = 0; i < 6; i++) {
		put_le32(t + 4 * i, code[i]);
	}
	put_le64(t + 24, entry);	/* .quad at 0x18 */
	put_le64(t + 32, dtb);		/* .quad at 0x20 */
}

/* a panic kernel's ELF core header, top-down in the reservation (the
 * kernel takes its bottom), noted in the tree's edit */
static int place_core(const struct boot_req *req, const struct memmap *mm,
	struct plan *p, uint64_t pg, struct dtb_edit *e)
{
	int err;

	if (!req->elfcorehdr) {
		return 0;
	}
	err = plan_place(p, mm, &(struct place_req){ .buf = req->elfcorehdr,
		.bufsz = req->elfcorehdr_len,
		.memsz = align_up(req->elfcorehdr_len, pg), .align = pg,
		.min = req->mem_min, .max = req->mem_max, .top_down = 1,
		.what = "elfcorehdr" }, &e->elfcorehdr);
	e->elfcorehdr_size = req->elfcorehdr_len;
	return err;
}

static int plan_tree(const struct boot_req *req, const struct memmap *mm,
	struct plan *p, uint64_t pg, uint64_t after, uint64_t initrd,
	uint64_t initrd_end, uint64_t *dtb)
{
	struct dtb_edit e;
	uint8_t *tree;
	size_t len;
	int err;

	if (!req->dtb) {
		return plan_fail(p, -EINVAL, "no device tree: /sys/firmware/fdt "
			"missing and no hop.dtb given");
	}
	memset(&e, 0, sizeof(e));
	e.cmdline = req->cmdline;
	e.initrd_start = initrd;
	e.initrd_end = initrd_end;
	e.seed = req->seed;
	if (req->crash) {
		e.usable = mm->ram;	/* the reservation (memmap_crash_only) */
		e.nusable = mm->nram;
	}
	if ((err = place_core(req, mm, p, pg, &e)) < 0) {
		return err;
	}
	err = dtb_build(p, req->dtb, req->dtb_len, &e, &tree, &len);
	if (err < 0) {
		return err;
	}
	if (len > DTB_MAX) {
		return plan_fail(p, -E2BIG, "dtb: %zu bytes after editing, more "
			"than the 2 MiB an arm64 kernel takes (booting.rst)", len);
	}
	return place_after(p, mm, tree, len, align_up(len, pg), pg, after,
		req->mem_min, req->mem_max, "dtb", dtb);
}

static int plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	struct image_hdr h = { 0, 0, 0 };
	const uint8_t *img;
	uint8_t *t;
	size_t len;
	uint64_t pg = PLAN_PAGE, memsz, copied, base, kend, lo, hi, initrd = 0,
		initrd_end = 0, dtb, tramp;
	int err;

	if ((err = unwrap(req, p, &img, &len)) < 0 ||
		(err = check_header(req, p, img, len, &h)) < 0) {
		return err;
	}
	/* kexec_load wants segments aligned to the running kernel's pages
	 * (sanity_check_segment_list), which may be 16K or 64K */
	if (req->page_size > pg && !(req->page_size & (req->page_size - 1))) {
		pg = req->page_size;
	}
	if (h.text_offset & (pg - 1)) {
		return plan_fail(p, -EINVAL, "Image: text_offset 0x%llx is not "
			"aligned to the running kernel's %llu-byte pages",
			(unsigned long long)h.text_offset,
			(unsigned long long)pg);
	}
	/* image_size covers bss, which the kernel clears itself: only the
	 * file's bytes are copied, the rest is kept clear
	 * (docs/placement.md); a signed image may carry a few bytes more in
	 * the file, harmless to load */
	copied = align_up(len, pg);
	memsz = align_up(h.image_size > len ? h.image_size : len, pg);
	/* booting.rst: at text_offset from a 2 MiB aligned base, as low as
	 * possible unless flags bit 3 says anywhere: then over busy pages
	 * when hop knows where they are */
	if (h.flags & FLAG_ANYWHERE) {
		err = plan_find_over(p, mm, img, len, h.text_offset + memsz,
			SZ_2M, req->mem_min, req->mem_max, 0, "kernel", &base);
	} else {
		err = plan_find(p, mm, h.text_offset + memsz, SZ_2M,
			req->mem_min, req->mem_max, 0, "kernel", &base);
	}
	if (err < 0 || (err = plan_add(p, img, len, base + h.text_offset,
		copied, "kernel")) < 0 || (err = plan_keep(p, base +
		h.text_offset + copied, memsz - copied, "kernel")) < 0) {
		return err;
	}
	kend = base + h.text_offset + memsz;
	if (req->initrd && req->initrd_len) {
		lo = align_down(base, SZ_1G);
		hi = lo + INITRD_WINDOW;
		if (req->mem_max && req->mem_max < hi) {
			hi = req->mem_max;
		}
		if (req->mem_min > lo) {
			lo = req->mem_min;
		}
		err = place_after(p, mm, req->initrd, req->initrd_len,
			align_up(req->initrd_len, pg), pg, kend, lo, hi,
			"initrd", &initrd);
		if (err < 0) {
			return err;
		}
		initrd_end = initrd + req->initrd_len;
	}
	err = plan_tree(req, mm, p, pg, kend, initrd, initrd_end, &dtb);
	if (err < 0) {
		return err;
	}
	t = calloc(1, TRAMPOLINE_SIZE);
	if ((err = plan_own(p, t)) < 0) {
		return err;
	}
	trampoline(t, base + h.text_offset, dtb);
	err = place_after(p, mm, t, TRAMPOLINE_SIZE, pg, pg, kend,
		req->mem_min, req->mem_max, "trampoline", &tramp);
	if (err < 0) {
		return err;
	}
	p->entry = tramp;
	p->flags = KEXEC_ARCH_AARCH64_FLAG;
	return 0;
}

const struct image_format fmt_arm64_image = { "Image", probe, plan, NULL,
	0, 1 };
