/* x86 ELF kernels for kexec_load, which kexec_file_load does not take on
 * x86_64 (it wants a bzImage, docs/kernel-abi.md §1.8): PT_LOAD segments at
 * their physical addresses. An ELF64 kernel (a Linux vmlinux, e.g. the
 * payload of a bzImage) is entered in 64-bit mode with rsi = boot_params
 * like a bzImage's 64-bit entry; an ELF32 one in 32-bit protected mode with
 * esi = boot_params (boot.rst "32-bit Boot Protocol"), which is what
 * kexec-tools' elf-x86_64 and elf-x86 loaders do (docs/kernel-abi.md §2.6).
 * The decompressor is skipped: no KASLR, the kernel runs where it was
 * linked. The ELF parser and fixed placement serve multiboot.c too. Pure:
 * no syscalls, no file reads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "x86.h"

enum {
	PT_LOAD = 1,
	ET_EXEC = 2,
	/* a made-up setup header for a bare vmlinux (docs/kernel-abi.md
	 * §2.1) */
	HDR_BOOT_FLAG = 0x1FE,
	HDR_JUMP = 0x200,
	HDR_MAGIC = 0x202,
	HDR_VERSION = 0x206,
	HDR_INITRD_ADDR_MAX = 0x22C,
	HDR_KERNEL_ALIGNMENT = 0x230,
	HDR_XLOADFLAGS = 0x236,
	HDR_CMDLINE_SIZE = 0x238,
	HDR_PREF_ADDRESS = 0x258,
	HDR_INIT_SIZE = 0x260,
	HDR_END = 0x268,	/* the 2.12 fields end; 2.15 adds nothing
				 * a 64-bit entry reads */
	/* x86 COMMAND_LINE_SIZE is 2048, NUL included, since linux 2.6.23;
	 * a vmlinux has no header saying otherwise */
	ELF_CMDLINE_MAX = 2047,
};

int elf_is_elf(const uint8_t *img, size_t len)
{
	return len >= 16 && !memcmp(img, "\177ELF", 4) &&
		(img[4] == 1 || img[4] == 2);
}

static int elf_probe(const uint8_t *img, size_t len)
{
	return elf_is_elf(img, len) ? 0 : -ENOEXEC;
}

/* one program header ph into l and its p_vaddr; 1 if it is a PT_LOAD,
 * 0 if another type */
static int read_phdr(const uint8_t *ph, int elf64, struct elf_load *l,
	uint64_t *vaddr)
{
	if (le32(ph) != PT_LOAD) {
		return 0;
	}
	if (elf64) {
		l->off = le64(ph + 8);
		*vaddr = le64(ph + 16);
		l->paddr = le64(ph + 24);
		l->filesz = le64(ph + 32);
		l->memsz = le64(ph + 40);
	} else {
		l->off = le32(ph + 4);
		*vaddr = le32(ph + 8);
		l->paddr = le32(ph + 12);
		l->filesz = le32(ph + 16);
		l->memsz = le32(ph + 20);
	}
	return 1;
}

static int check_load(struct plan *p, const char *fmt, size_t len,
	const struct elf_load *l, unsigned i, int below4g)
{
	if (l->filesz > l->memsz) {
		return plan_fail(p, -ENOEXEC, "%s: PT_LOAD %u: p_filesz 0x%llx "
			"is larger than p_memsz 0x%llx", fmt, i,
			(unsigned long long)l->filesz,
			(unsigned long long)l->memsz);
	}
	if (l->off > len || l->filesz > len - l->off) {
		return plan_fail(p, -ENOEXEC, "%s: truncated: PT_LOAD %u wants "
			"file bytes 0x%llx-0x%llx, the file has %zu", fmt, i,
			(unsigned long long)l->off,
			(unsigned long long)(l->off + l->filesz), len);
	}
	if (l->paddr + l->memsz < l->paddr || (below4g &&
		l->paddr + l->memsz > X86_4G)) {
		return plan_fail(p, -ENOEXEC, "%s: PT_LOAD %u at p_paddr 0x%llx "
			"(0x%llx bytes) %s", fmt, i,
			(unsigned long long)l->paddr,
			(unsigned long long)l->memsz, below4g ?
			"is not below 4 GiB, where a 32-bit entry runs" :
			"wraps around");
	}
	return 0;
}

/* e_entry as a physical address: as it is when a segment holds it at
 * its p_paddr, else translated from the segment holding it at p_vaddr
 * (kernels linked high with p_paddr low, as GRUB's multiboot loader
 * translates too) */
static int find_entry(struct plan *p, const char *fmt, struct elf_info *e,
	const uint64_t *vaddr, uint64_t entry)
{
	size_t i;

	for (i = 0; i < e->nseg; i++) {
		if (entry >= e->seg[i].paddr &&
			entry - e->seg[i].paddr < e->seg[i].memsz) {
			e->entry = entry;
			return 0;
		}
	}
	for (i = 0; i < e->nseg; i++) {
		if (entry >= vaddr[i] && entry - vaddr[i] < e->seg[i].memsz) {
			e->entry = entry - vaddr[i] + e->seg[i].paddr;
			return 0;
		}
	}
	return plan_fail(p, -ENOEXEC, "%s: e_entry 0x%llx is in no PT_LOAD "
		"segment", fmt, (unsigned long long)entry);
}

/* sorts by p_paddr (insertion: a handful of entries) and refuses
 * overlaps */
static int sort_loads(struct plan *p, const char *fmt, struct elf_info *e,
	uint64_t *vaddr)
{
	size_t i, j;

	for (i = 1; i < e->nseg; i++) {
		for (j = i; j > 0 && e->seg[j].paddr < e->seg[j - 1].paddr;
			j--) {
			struct elf_load t = e->seg[j];
			uint64_t v = vaddr[j];

			e->seg[j] = e->seg[j - 1];
			e->seg[j - 1] = t;
			vaddr[j] = vaddr[j - 1];
			vaddr[j - 1] = v;
		}
	}
	for (i = 1; i < e->nseg; i++) {
		if (e->seg[i - 1].paddr + e->seg[i - 1].memsz >
			e->seg[i].paddr) {
			return plan_fail(p, -ENOEXEC, "%s: PT_LOAD segments "
				"overlap at p_paddr 0x%llx", fmt,
				(unsigned long long)e->seg[i].paddr);
		}
	}
	return 0;
}

int elf_parse(struct plan *p, const uint8_t *img, size_t len,
	const char *fmt, int below4g, struct elf_info *e)
{
	uint64_t phoff, entry, vaddr[ELF_MAX_LOAD];
	unsigned phentsize, phnum, i;
	size_t ehsize;
	int err;

	memset(e, 0, sizeof(*e));
	if (!elf_is_elf(img, len)) {
		return plan_fail(p, -ENOEXEC, "%s: no ELF header (\\177ELF and "
			"class 1 or 2)", fmt);
	}
	e->elf64 = img[4] == 2;
	ehsize = e->elf64 ? 64 : 52;
	if (len < ehsize) {
		return plan_fail(p, -ENOEXEC, "%s: truncated: the file is %zu "
			"bytes, the ELF header %zu", fmt, len, ehsize);
	}
	if (img[5] != 1 || img[6] != 1 || le32(img + 20) != 1) {
		return plan_fail(p, -ENOEXEC, "%s: not a little-endian ELF "
			"version 1 (EI_DATA %u, e_version %u)", fmt, img[5],
			le32(img + 20));
	}
	e->machine = le16(img + 18);
	if (e->machine != (e->elf64 ? ELF_EM_X86_64 : ELF_EM_386)) {
		return plan_fail(p, -ENOEXEC, "%s: e_machine %u is not %s "
			"(ELF%d)", fmt, e->machine, e->elf64 ? "x86_64 (62)" :
			"i386 (3)", e->elf64 ? 64 : 32);
	}
	if (le16(img + 16) != ET_EXEC) {
		return plan_fail(p, -ENOEXEC, "%s: e_type %u is not ET_EXEC "
			"(2): not an executable kernel", fmt, le16(img + 16));
	}
	entry = e->elf64 ? le64(img + 24) : le32(img + 24);
	phoff = e->elf64 ? le64(img + 32) : le32(img + 28);
	phentsize = le16(img + (e->elf64 ? 54 : 42));
	phnum = le16(img + (e->elf64 ? 56 : 44));
	if (phentsize < (e->elf64 ? 56u : 32u)) {
		return plan_fail(p, -ENOEXEC, "%s: e_phentsize %u is too small "
			"for an ELF%d program header", fmt, phentsize,
			e->elf64 ? 64 : 32);
	}
	if (phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
		return plan_fail(p, -ENOEXEC, "%s: truncated: %u program "
			"headers at e_phoff 0x%llx, the file has %zu bytes", fmt,
			phnum, (unsigned long long)phoff, len);
	}
	for (i = 0; i < phnum; i++) {
		struct elf_load l;
		uint64_t v;

		if (!read_phdr(img + phoff + (size_t)i * phentsize, e->elf64,
			&l, &v) || !l.memsz) {
			continue;
		}
		err = check_load(p, fmt, len, &l, i, below4g);
		if (err < 0) {
			return err;
		}
		if (e->nseg == ELF_MAX_LOAD) {
			return plan_fail(p, -ENOEXEC, "%s: more than %d PT_LOAD "
				"segments", fmt, ELF_MAX_LOAD);
		}
		vaddr[e->nseg] = v;
		e->seg[e->nseg++] = l;
	}
	if (!e->nseg) {
		return plan_fail(p, -ENOEXEC, "%s: no PT_LOAD segment", fmt);
	}
	err = sort_loads(p, fmt, e, vaddr);
	if (err == 0) {
		err = find_entry(p, fmt, e, vaddr, entry);
	}
	if (err == 0 && below4g && e->entry >= X86_4G) {
		return plan_fail(p, -ENOEXEC, "%s: entry 0x%llx is not below "
			"4 GiB", fmt, (unsigned long long)e->entry);
	}
	e->end = e->seg[e->nseg - 1].paddr + e->seg[e->nseg - 1].memsz;
	return err;
}

int x86_place_fixed(struct plan *p, const struct memmap *mm,
	const uint8_t *buf, size_t bufsz, uint64_t mem, uint64_t memsz,
	const char *what, const char *fmt)
{
	uint64_t start = align_down(mem, PLAN_PAGE);
	uint64_t end = align_up(mem + memsz, PLAN_PAGE);
	uint8_t *copy;
	size_t i;
	int err;

	for (i = 0; i < mm->nram; i++) {
		if (start >= mm->ram[i].start && end <= mm->ram[i].end) {
			break;
		}
	}
	if (i == mm->nram) {
		/* a kernel linked at a fixed address cannot move */
		return plan_fail(p, -EADDRNOTAVAIL, "%s: the %s at 0x%llx-0x%llx "
			"(where it is linked) is not in usable RAM", fmt, what,
			(unsigned long long)mem,
			(unsigned long long)(mem + memsz - 1));
	}
	if (start == mem) {
		return plan_add(p, buf, bufsz, mem, end - start, what);
	}
	/* a segment starts on a page: copy the bytes to their offset */
	copy = calloc(1, (size_t)(mem - start) + bufsz);
	err = plan_own(p, copy);
	if (err < 0) {
		return err;
	}
	memcpy(copy + (mem - start), buf, bufsz);
	return plan_add(p, copy, (size_t)(mem - start) + bufsz, start,
		end - start, what);
}

/* PT_LOADs [first, last] sharing pages: one copied buffer */
static int place_merged(struct plan *p, const struct memmap *mm,
	const uint8_t *img, const struct elf_info *e, size_t first,
	size_t last, const char *fmt)
{
	uint64_t base = align_down(e->seg[first].paddr, PLAN_PAGE);
	uint64_t filend = base, end;
	uint8_t *copy;
	size_t i;
	int err;

	for (i = first; i <= last; i++) {
		const struct elf_load *l = &e->seg[i];

		if (l->filesz && l->paddr + l->filesz > filend) {
			filend = l->paddr + l->filesz;
		}
	}
	end = e->seg[last].paddr + e->seg[last].memsz;
	copy = calloc(1, (size_t)(filend - base) + 1);
	err = plan_own(p, copy);
	if (err < 0) {
		return err;
	}
	for (i = first; i <= last; i++) {
		const struct elf_load *l = &e->seg[i];

		memcpy(copy + (l->paddr - base), img + l->off,
			(size_t)l->filesz);
	}
	return x86_place_fixed(p, mm, copy, (size_t)(filend - base), base,
		end - base, "kernel", fmt);
}

int elf_place(struct plan *p, const struct memmap *mm, const uint8_t *img,
	const struct elf_info *e, const char *fmt)
{
	size_t i, first;
	int err;

	for (first = 0; first < e->nseg; first = i + 1) {
		uint64_t end = e->seg[first].paddr + e->seg[first].memsz;

		/* segments share a page: kexec_load wants disjoint pages */
		for (i = first; i + 1 < e->nseg &&
			align_down(e->seg[i + 1].paddr, PLAN_PAGE) <
			align_up(end, PLAN_PAGE); i++) {
			end = e->seg[i + 1].paddr + e->seg[i + 1].memsz;
		}
		if (i == first) {
			err = x86_place_fixed(p, mm, img + e->seg[i].off,
				(size_t)e->seg[i].filesz, e->seg[i].paddr,
				e->seg[i].memsz, "kernel", fmt);
		} else {
			err = place_merged(p, mm, img, e, first, i, fmt);
		}
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

/* a setup header for a kernel that has none (boot.rst field meanings);
 * only what a 64-bit or 32-bit entry reads matters */
static void make_header(uint8_t *h, const struct elf_info *e)
{
	uint64_t first = e->seg[0].paddr;

	put_le16(h + HDR_BOOT_FLAG, 0xAA55);
	h[HDR_JUMP] = 0xEB;
	h[HDR_JUMP + 1] = HDR_END - HDR_MAGIC;
	memcpy(h + HDR_MAGIC, "HdrS", 4);
	put_le16(h + HDR_VERSION, 0x020F);
	/* boot.rst: kernels before 2.03 take an initrd up to 0x37ffffff */
	put_le32(h + HDR_INITRD_ADDR_MAX, e->elf64 ? 0xffffffff : 0x37ffffff);
	put_le32(h + HDR_KERNEL_ALIGNMENT, 0x200000);
	/* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
	put_le16(h + HDR_XLOADFLAGS, e->elf64 ? 0x3 : 0);
	put_le32(h + HDR_CMDLINE_SIZE, ELF_CMDLINE_MAX);
	put_le64(h + HDR_PREF_ADDRESS, first);
	put_le32(h + HDR_INIT_SIZE, (uint32_t)(e->end - first));
}

static int elf_plan(const struct boot_req *in, const struct memmap *mm,
	struct plan *p)
{
	uint64_t lo = in->mem_min > X86_MIB ? in->mem_min : X86_MIB;
	uint64_t hi = in->mem_max && in->mem_max < X86_4G ? in->mem_max :
		X86_4G, core;
	struct boot_req r = *in;
	struct elf_info e;
	struct x86_linux x;
	uint8_t *hdr;
	size_t n = strlen(in->cmdline);
	int err;

	/* an ELF32 kernel runs with paging off: below 4 GiB */
	err = elf_parse(p, in->kernel, in->kernel_len, "ELF",
		in->kernel_len > 4 && in->kernel[4] == 1, &e);
	if (err < 0) {
		return err;
	}
	if (n > ELF_CMDLINE_MAX) {
		return plan_fail(p, -E2BIG, "ELF: the command line is %zu bytes, "
			"x86 Linux takes at most %d (COMMAND_LINE_SIZE)", n,
			ELF_CMDLINE_MAX);
	}
	err = x86_place_core(p, in, mm, lo, hi, &r, &core);
	if (err == 0) {
		err = elf_place(p, mm, in->kernel, &e, "ELF");
	}
	if (err < 0) {
		return err;
	}
	hdr = calloc(1, PLAN_PAGE);
	err = plan_own(p, hdr);
	if (err < 0) {
		return err;
	}
	make_header(hdr, &e);
	memset(&x, 0, sizeof(x));
	x.hdr = hdr;
	x.hdr_end = HDR_END;
	x.initrd_max = (uint64_t)le32(hdr + HDR_INITRD_ADDR_MAX) + 1;
	x.above_4g = e.elf64;
	x.entry = e.entry;
	x.entry32 = !e.elf64;
	x.fmt = "ELF";
	return x86_linux_boot(p, &r, mm, &x, core);
}

const struct image_format fmt_elf = { "ELF", elf_probe, elf_plan, NULL,
	0, 1 };
