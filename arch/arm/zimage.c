/* arm zImage for kexec_load (docs/kernel-abi.md §4). The zImage
 * decompresses itself to (pc & 0xF8000000) + 0x8000, so it must sit in the
 * first 128 MiB of its RAM bank, and it may copy itself past the end of the
 * decompressed kernel first: everything from the bank base up to that point
 * is the decompressor's. kexec-tools 2.0.25 put the initrd and the tree
 * inside that zone and the new kernel hung (§7). hop reserves the whole
 * zone (decompressed size from the KLSZ tag, or a 5x bound) and puts the
 * initrd and the tree above it, in lowmem, below 4 GiB. No trampoline: the
 * arm kernel finds the tree by its magic at the start of a segment and
 * passes it in r2 (§4.3). */
#include <errno.h>
#include <string.h>

#include "plan.h"

#define ZIMAGE_MAGIC		0x016F2818u	/* at 0x24 */
#define ZIMAGE_MAGIC_BE		0x18286F01u
#define ZIMAGE_ENDIAN_FLAG	0x04030201u	/* at 0x30 */
#define ZIMAGE_TABLE_MAGIC	0x45454545u	/* at 0x34: tags at [0x38] */
#define ZIMAGE_TAG_KRNL_SIZE	0x5A534C4Bu	/* "KLSZ" */
#define TEXT_OFFSET		0x8000u
#define BANK_WINDOW		(128u << 20)	/* zImage in the first 128M */
#define FDT_MAGIC		0xD00DFEEDu
/* the decompressor's own needs past the relocated zImage: 64 KiB malloc
 * arena, 4 KiB stack, and the relocation slack kexec-tools also adds */
#define DECOMP_EXTRA		(0x11000u + 0x10000u + 0x1000u)
#define ZONE_MARGIN		(4u << 20)
#define LOWMEM_GUESS		(768u << 20)	/* 3G/1G split minus vmalloc */
#define SECTION_SIZE		(1u << 20)	/* arm's 1 MiB section */

static int zimage_probe(const uint8_t *img, size_t len)
{
	if (len < 0x40 || le32(img + 0x24) != ZIMAGE_MAGIC) {
		return -ENOEXEC;
	}
	return 0;
}

/* decompressed text+data+bss from the KLSZ tag; 0 when absent */
static uint64_t klsz_footprint(const uint8_t *img, size_t len)
{
	uint32_t off, words, tag, size_ptr;

	if (le32(img + 0x34) != ZIMAGE_TABLE_MAGIC) {
		return 0;
	}
	off = le32(img + 0x38);
	while (off <= len - 8 && off >= 0x3c) {
		words = le32(img + off);
		tag = le32(img + off + 4);
		if (words == 0 || words > (len - off) / 4) {
			break;
		}
		if (tag == ZIMAGE_TAG_KRNL_SIZE && words >= 4) {
			size_ptr = le32(img + off + 8);
			if (size_ptr > len - 4) {
				return 0;
			}
			return (uint64_t)le32(img + size_ptr) +
				le32(img + off + 12);
		}
		off += words * 4;
	}
	return 0;
}

/* a panic kernel's ELF core header: top-down in [lo, hi) (above the
 * decompressor's zone, in lowmem), 1 MiB aligned, and outside the crash
 * kernel's RAM: arm's copy_oldmem_page ioremaps it, and ioremap refuses
 * the kernel's own RAM (arch/arm/mm/ioremap.c; tests/vm/kdump.sh saw
 * "Kdump: vmcore not initialized"). So linux,usable-memory-range (in
 * usable[], 8 slots) is the reservation minus the header's MiB, which
 * keeps the RAM section aligned, as kexec-tools does. */
static int place_core(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, uint64_t lo, uint64_t hi, struct dtb_edit *e,
	struct mem_range *usable)
{
	uint64_t h0, h1;
	size_t i, n = 0;
	int err;

	err = plan_place(p, mm, &(struct place_req){ .buf = req->elfcorehdr,
		.bufsz = req->elfcorehdr_len, .align = SECTION_SIZE, .min = lo,
		.max = hi, .top_down = 1, .what = "elfcorehdr" }, &h0);
	if (err < 0) {
		return err;
	}
	h1 = align_up(h0 + req->elfcorehdr_len, SECTION_SIZE);
	for (i = 0; i < mm->nram && n < 8; i++) {
		const struct mem_range *r = &mm->ram[i];

		if (h0 >= r->end || h1 <= r->start) {
			usable[n++] = *r;
			continue;
		}
		if (h0 > r->start) {
			usable[n].start = r->start;
			usable[n++].end = h0;
		}
		if (h1 < r->end && n < 8) {
			usable[n].start = h1;
			usable[n++].end = r->end;
		}
	}
	e->usable = usable;
	e->nusable = n;
	e->elfcorehdr = h0;
	e->elfcorehdr_size = req->elfcorehdr_len;
	return 0;
}

static int zimage_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	const uint8_t *img = req->kernel, *tree = req->dtb;
	size_t len = req->kernel_len, tree_len = req->dtb_len;
	uint64_t start, end, zlen, foot, bank, zaddr, above, initrd = 0;
	uint64_t lowmem;
	struct mem_range usable[8];
	struct dtb_edit e;
	uint8_t *dtb;
	size_t dtb_len;
	int err;

	if (len < 0x40) {
		return plan_fail(p, -ENOEXEC, "zImage: truncated: %zu bytes, "
			"the header needs 64", len);
	}
	if (le32(img + 0x24) == ZIMAGE_MAGIC_BE) {
		return plan_fail(p, -ENOEXEC, "zImage: big-endian (BE8) "
			"kernels are not supported");
	}
	if (le32(img + 0x24) != ZIMAGE_MAGIC) {
		return plan_fail(p, -ENOEXEC, "zImage: bad magic 0x%08x at "
			"0x24, want 0x%08x", le32(img + 0x24), ZIMAGE_MAGIC);
	}
	start = le32(img + 0x28);
	end = le32(img + 0x2c);
	if (end <= start || end - start < 0x40) {
		return plan_fail(p, -ENOEXEC, "zImage: bad size: start 0x%llx, "
			"end 0x%llx", (unsigned long long)start,
			(unsigned long long)end);
	}
	zlen = end - start;
	if (zlen > len) {
		return plan_fail(p, -ENOEXEC, "zImage: truncated: the header "
			"says %llu bytes, the file has %zu",
			(unsigned long long)zlen, len);
	}
	/* an appended tree (CONFIG_ARM_APPENDED_DTB) is not loaded with the
	 * kernel, but serves as the tree when nothing else is given */
	if (!tree && len - zlen >= 40 && be32(img + zlen) == FDT_MAGIC) {
		tree = img + zlen;
		tree_len = len - zlen;
	}
	if (!tree) {
		return plan_fail(p, -EINVAL, "zImage: no device tree: "
			"/sys/firmware/fdt is missing and no hop.dtb was given "
			"(ATAG boards are not supported)");
	}
	foot = klsz_footprint(img, len);
	if (!foot) {
		foot = 5 * (zlen + 0x11000);	/* at most 4:1, as KT bounds */
	}
	if (!mm->nram) {
		return plan_fail(p, -EADDRNOTAVAIL, "zImage: no usable RAM");
	}
	/* the bank the decompressor will use: the lowest RAM, 128M aligned
	 * as (pc & 0xF8000000) computes */
	bank = align_down(mm->ram[0].start, BANK_WINDOW);
	if (req->mem_min > bank) {
		bank = align_down(req->mem_min, BANK_WINDOW);
	}
	/* the zone: text offset + decompressed kernel + the zImage copied
	 * past it + the decompressor's arena, rounded to 1 MiB, plus a
	 * margin: on Debian's armmp 6.1 kernel (KLSZ present) an initrd
	 * 0.65 MiB above that estimate was overwritten before the kernel
	 * reserved it, while 1 to 32 MiB above all booted (tests/vm/arm.sh);
	 * hop keeps 4 MiB, cheap next to lowmem */
	above = align_up(bank + TEXT_OFFSET + foot + zlen + DECOMP_EXTRA,
		1u << 20) + ZONE_MARGIN;
	lowmem = bank + LOWMEM_GUESS;
	if (lowmem > 0x100000000ull) {
		lowmem = 0x100000000ull;
	}
	/* zImage + 4 zero bytes: a kernel with APPENDED_DTB must not find
	 * a stale tree after _edata (§4.2). Lowest fit from bank + 0x8000,
	 * as kexec-tools; the zImage is position independent anyway. */
	err = plan_find(p, mm, zlen + 4, PLAN_PAGE, bank + TEXT_OFFSET,
		bank + BANK_WINDOW, 0, "zImage", &zaddr);
	if (err < 0) {
		return err;
	}
	err = plan_add(p, img, zlen, zaddr, zlen + 4, "kernel");
	if (err < 0) {
		return err;
	}
	if (req->initrd) {
		err = plan_place(p, mm, &(struct place_req){
			.buf = req->initrd, .bufsz = req->initrd_len,
			.memsz = req->initrd_len, .align = PLAN_PAGE,
			.min = above, .max = lowmem, .what = "initrd"
			}, &initrd);
		if (err < 0) {
			return err;
		}
	}
	memset(&e, 0, sizeof(e));
	e.cmdline = req->cmdline;
	e.initrd_start = initrd;
	e.initrd_end = req->initrd ? initrd + req->initrd_len : 0;
	e.seed = req->seed;
	if (req->crash) {
		e.usable = mm->ram;	/* the reservation (memmap_crash_only) */
		e.nusable = mm->nram;
	}
	if (req->elfcorehdr) {
		err = place_core(p, req, mm, above, lowmem, &e, usable);
		if (err < 0) {
			return err;
		}
	}
	err = dtb_build(p, tree, tree_len, &e, &dtb, &dtb_len);
	if (err < 0) {
		return err;
	}
	/* the tree's segment starts with its magic: the kernel passes that
	 * segment's address in r2 (machine_kexec_prepare) */
	err = plan_place(p, mm, &(struct place_req){ .buf = dtb,
		.bufsz = dtb_len, .memsz = dtb_len, .align = PLAN_PAGE,
		.min = above, .max = lowmem, .what = "dtb" }, NULL);
	if (err < 0) {
		return err;
	}
	p->entry = zaddr;
	p->flags = KEXEC_ARCH_ARM_FLAG;
	return 0;
}

const struct image_format fmt_zimage = {
	"zImage", zimage_probe, zimage_plan, NULL, 0, 0,
};
