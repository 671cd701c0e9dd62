/* Multiboot v1 and multiboot2 kernels (Xen, test and hobby kernels) for
 * kexec_load: kexec_file_load takes only a bzImage on x86_64
 * (docs/kernel-abi.md §1.8, §2.6). The header is searched and checked, the
 * kernel loaded at the addresses its header (the a.out kludge / address
 * tag) or its ELF program headers give, the modules packed page aligned
 * into one segment after it (ESXi brings 30 to 130 of them, kexec_load
 * takes 16 segments), the information structure (memory map, command
 * line, modules with their strings, boot loader name) built below 4 GiB,
 * and the kernel entered in 32-bit protected mode with eax = the boot
 * magic and ebx = the structure's address (entry32.c). Field layouts: the Multiboot
 * Specification 0.6.96 (sections 3.1, 3.3) and Multiboot2 2.0 (3.1, 3.6).
 * Like kexec-tools and GRUB legacy, the kernel's command line starts with
 * its file name and a module's string is "FILE ARGS" (Xen skips the
 * first word unless the boot loader is GRUB 2). Pure: no syscalls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "x86.h"

enum {
	MB1_MAGIC = 0x1BADB002,
	MB1_BOOT_MAGIC = 0x2BADB002,
	MB1_SEARCH = 8192,	/* the header lies in the first 8 KiB */
	MB1_PAGE_ALIGN = 1 << 0,
	MB1_MEMORY_INFO = 1 << 1,
	MB1_VIDEO_MODE = 1 << 2,
	MB1_AOUT_KLUDGE = 1 << 16,
	/* the information structure's flags and offsets (spec 3.3) */
	MBI_MEMORY = 1 << 0,
	MBI_CMDLINE = 1 << 2,
	MBI_MODS = 1 << 3,
	MBI_MMAP = 1 << 6,
	MBI_LOADER_NAME = 1 << 9,
	MBI_SIZE = 120,		/* up to the framebuffer fields, zero */
	MB2_MAGIC = 0xE85250D6,
	MB2_BOOT_MAGIC = 0x36d76289,
	MB2_SEARCH = 32768,	/* the header lies in the first 32 KiB */
	/* multiboot2 header tags (spec 3.1.3-3.1.13) */
	MB2_HT_END = 0,
	MB2_HT_INFO_REQ = 1,
	MB2_HT_ADDRESS = 2,
	MB2_HT_ENTRY = 3,
	MB2_HT_RELOCATABLE = 10,
	MB2_HT_LAST_KNOWN = 10,
	MB2_HT_OPTIONAL = 1,
	/* information tags (spec 3.6) */
	MB2_T_END = 0,
	MB2_T_CMDLINE = 1,
	MB2_T_LOADER_NAME = 2,
	MB2_T_MODULE = 3,
	MB2_T_BASIC_MEMINFO = 4,
	MB2_T_MMAP = 6,
	MB2_T_EFI64 = 12,	/* the EFI system table's address */
	MB2_T_ACPI_OLD = 14,	/* a copy of an ACPI 1.0 RSDP */
	MB2_T_ACPI_NEW = 15,	/* a copy of an ACPI 2.0+ RSDP */
	MB2_T_EFI_MMAP = 17,	/* descriptor size, version, descriptors */
	MB2_T_LOAD_BASE = 21,
	MMAP_ENTRY = 24,	/* v1: u32 size + 20 bytes; v2: 24 bytes */
};

static const char loader_name[] = "hop";

/* what the header says */
struct mb {
	int v2;
	size_t off;		/* of the header in the file */
	uint32_t flags;		/* v1 */
	int addr;		/* load addresses given (a.out kludge/tag 2) */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	int has_entry;		/* v1 kludge or v2 tag 3 */
	uint32_t entry_addr;
	/* v2: the information tags the kernel requires (bit N: type N);
	 * the EFI and ACPI ones can be served only under UEFI */
	uint32_t required;
};

/* the first offset where the magic sits, aligned, or -1 */
static long find_magic(const uint8_t *img, size_t len, uint32_t magic,
	size_t search, size_t align, size_t from)
{
	size_t off, end = len < search ? len : search;

	for (off = from; off + 4 <= end; off += align) {
		if (le32(img + off) == magic) {
			return (long)off;
		}
	}
	return -1;
}

static int mb1_probe(const uint8_t *img, size_t len)
{
	return find_magic(img, len, MB1_MAGIC, MB1_SEARCH, 4, 0) < 0 ?
		-ENOEXEC : 0;
}

static int mb2_probe(const uint8_t *img, size_t len)
{
	return find_magic(img, len, MB2_MAGIC, MB2_SEARCH, 8, 0) < 0 ?
		-ENOEXEC : 0;
}

/* the first header whose checksum holds; else why the first fails */
static int mb1_header(struct plan *p, const uint8_t *img, size_t len,
	struct mb *h)
{
	long off = find_magic(img, len, MB1_MAGIC, MB1_SEARCH, 4, 0);
	long first = off;
	const uint8_t *q;

	for (; off >= 0; off = find_magic(img, len, MB1_MAGIC, MB1_SEARCH, 4,
		(size_t)off + 4)) {
		if ((size_t)off + 12 <= len && (uint32_t)(le32(img + off) +
			le32(img + off + 4) + le32(img + off + 8)) == 0) {
			break;
		}
	}
	if (off < 0) {
		if (first < 0) {
			return plan_fail(p, -ENOEXEC, "multiboot: no header "
				"(magic 0x1badb002) in the first 8 KiB");
		}
		return plan_fail(p, -ENOEXEC, "multiboot: header at 0x%lx: "
			"%s", first, (size_t)first + 12 > len ? "truncated" :
			"bad checksum (magic + flags + checksum is not 0)");
	}
	q = img + off;
	h->off = (size_t)off;
	h->flags = le32(q + 4);
	/* bits 0-15 are requirements: one hop does not know is a refusal
	 * (spec 3.1.2); video mode (bit 2) is accepted with no framebuffer
	 * in the information structure, the console left as it is */
	if (h->flags & 0xfff8) {
		return plan_fail(p, -ENOEXEC, "multiboot: header flags 0x%08x "
			"at 0x%zx require features 0x%04x hop does not know",
			h->flags, h->off, h->flags & 0xfff8);
	}
	if (h->flags & MB1_AOUT_KLUDGE) {
		if (h->off + 32 > len) {
			return plan_fail(p, -ENOEXEC, "multiboot: truncated: "
				"the address fields of the header at 0x%zx", h->off);
		}
		h->addr = 1;
		h->header_addr = le32(q + 12);
		h->load_addr = le32(q + 16);
		h->load_end_addr = le32(q + 20);
		h->bss_end_addr = le32(q + 24);
		h->has_entry = 1;
		h->entry_addr = le32(q + 28);
	}
	return 0;
}

/* the information request tag: the types it requires, for mb2_served;
 * a type hop never gives is refused here */
static int mb2_info_req(struct plan *p, const uint8_t *t, uint32_t size,
	unsigned flags, struct mb *h)
{
	uint32_t i, type;

	for (i = 8; i + 4 <= size; i += 4) {
		type = le32(t + i);
		if (flags & MB2_HT_OPTIONAL) {
			continue;
		}
		if (type != MB2_T_END && type != MB2_T_CMDLINE &&
			type != MB2_T_LOADER_NAME && type != MB2_T_MODULE &&
			type != MB2_T_BASIC_MEMINFO && type != MB2_T_MMAP &&
			type != MB2_T_LOAD_BASE && type != MB2_T_EFI64 &&
			type != MB2_T_ACPI_OLD && type != MB2_T_ACPI_NEW &&
			type != MB2_T_EFI_MMAP) {
			return plan_fail(p, -ENOEXEC, "multiboot2: the kernel "
				"requires information tag %u, which hop does not "
				"give (it gives 1-4, 6 and 21, and under UEFI 12, "
				"14 or 15, and 17)", type);
		}
		h->required |= 1u << type;
	}
	return 0;
}

/* the ACPI RSDP tag hop gives: 15 for ACPI 2.0+ (revision >= 2), 14 for
 * 1.0, 0 for none (no RSDP copy could be read) */
static unsigned rsdp_tag(const struct x86_efi *efi)
{
	if (!efi || !efi->rsdp_len) {
		return 0;
	}
	return efi->rsdp[15] >= 2 ? MB2_T_ACPI_NEW : MB2_T_ACPI_OLD;
}

/* the EFI and ACPI tags the kernel requires are there to give */
static int mb2_served(struct plan *p, const struct mb *h,
	const struct x86_efi *efi)
{
	static const unsigned types[] = { MB2_T_EFI64, MB2_T_EFI_MMAP,
		MB2_T_ACPI_OLD, MB2_T_ACPI_NEW };
	unsigned i, t;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		t = types[i];
		if (!(h->required & (1u << t)) || (efi && (t == MB2_T_EFI64 ||
			t == MB2_T_EFI_MMAP)) || t == rsdp_tag(efi)) {
			continue;
		}
		return plan_fail(p, -ENOEXEC, "multiboot2: the kernel requires "
			"information tag %u, which hop gives only %s", t,
			t == MB2_T_EFI64 || t == MB2_T_EFI_MMAP ? "when UEFI "
			"started the running kernel" : "with a copy of the "
			"matching ACPI RSDP (/dev/mem under UEFI)");
	}
	return 0;
}

static int mb2_tag(struct plan *p, const uint8_t *t, uint32_t size,
	struct mb *h)
{
	unsigned type = le16(t), flags = le16(t + 2);

	switch (type) {
	case MB2_HT_INFO_REQ:
		return mb2_info_req(p, t, size, flags, h);
	case MB2_HT_ADDRESS:
		if (size < 24) {
			break;
		}
		h->addr = 1;
		h->header_addr = le32(t + 8);
		h->load_addr = le32(t + 12);
		h->load_end_addr = le32(t + 16);
		h->bss_end_addr = le32(t + 20);
		return 0;
	case MB2_HT_ENTRY:
		if (size < 12) {
			break;
		}
		h->has_entry = 1;
		h->entry_addr = le32(t + 8);
		return 0;
	default:
		/* console flags, framebuffer (none is set: the console is
		 * left as it is), module alignment (always page aligned),
		 * EFI tags (hop enters by the i386 entry, boot services
		 * long gone) and relocatable (loading at the link address
		 * is allowed) need nothing */
		if (type <= MB2_HT_LAST_KNOWN || (flags & MB2_HT_OPTIONAL)) {
			return 0;
		}
		return plan_fail(p, -ENOEXEC, "multiboot2: header tag type %u "
			"is required and unknown to hop", type);
	}
	return plan_fail(p, -ENOEXEC, "multiboot2: header tag type %u is %u "
		"bytes, too short", type, size);
}

static int mb2_header(struct plan *p, const uint8_t *img, size_t len,
	struct mb *h)
{
	long off = find_magic(img, len, MB2_MAGIC, MB2_SEARCH, 8, 0);
	long first = off;
	uint32_t hlen = 0, i, size;
	const uint8_t *q;
	int err;

	for (; off >= 0; off = find_magic(img, len, MB2_MAGIC, MB2_SEARCH, 8,
		(size_t)off + 8)) {
		if ((size_t)off + 16 <= len && (uint32_t)(le32(img + off) +
			le32(img + off + 4) + le32(img + off + 8) +
			le32(img + off + 12)) == 0) {
			break;
		}
	}
	if (off < 0) {
		if (first < 0) {
			return plan_fail(p, -ENOEXEC, "multiboot2: no header "
				"(magic 0xe85250d6) in the first 32 KiB");
		}
		return plan_fail(p, -ENOEXEC, "multiboot2: header at 0x%lx: "
			"%s", first, (size_t)first + 16 > len ? "truncated" :
			"bad checksum (magic + architecture + header_length + "
			"checksum is not 0)");
	}
	q = img + off;
	h->v2 = 1;
	h->off = (size_t)off;
	if (le32(q + 4) != 0) {
		return plan_fail(p, -ENOEXEC, "multiboot2: architecture %u at "
			"0x%lx is not i386 protected mode (0)", le32(q + 4),
			off + 4);
	}
	hlen = le32(q + 8);
	if (hlen < 24 || hlen > len - h->off) {
		return plan_fail(p, -ENOEXEC, "multiboot2: header_length %u at "
			"0x%lx: %s", hlen, off + 8, hlen < 24 ? "shorter than "
			"the header and an end tag" : "beyond the file");
	}
	for (i = 16; i + 8 <= hlen; i += (size + 7) & ~7u) {
		size = le32(q + i + 4);
		if (size < 8 || size > hlen - i) {
			return plan_fail(p, -ENOEXEC, "multiboot2: header tag at "
				"0x%lx has size %u, outside header_length %u",
				off + (long)i, size, hlen);
		}
		if (le16(q + i) == MB2_HT_END) {
			return 0;
		}
		err = mb2_tag(p, q + i, size, h);
		if (err < 0) {
			return err;
		}
	}
	return plan_fail(p, -ENOEXEC, "multiboot2: no end tag within "
		"header_length %u", hlen);
}

/* the kernel by the header's load addresses (no ELF needed) */
static int load_by_address(struct plan *p, const struct memmap *mm,
	const uint8_t *img, size_t len, const struct mb *h, uint64_t *end,
	uint32_t *entry)
{
	const char *fmt = h->v2 ? "multiboot2" : "multiboot";
	uint64_t load = h->load_addr, foff, fsize, msize;

	if (h->v2 && h->load_addr == 0xffffffffu) {
		/* -1: the file loads from its start (multiboot2 3.1.5) */
		load = (uint64_t)h->header_addr - h->off;
	}
	if (load > h->header_addr || h->header_addr - load > h->off) {
		return plan_fail(p, -ENOEXEC, "%s: header_addr 0x%x and "
			"load_addr 0x%llx put the image's start before the file's",
			fmt, h->header_addr, (unsigned long long)load);
	}
	foff = h->off - (h->header_addr - load);
	fsize = len - foff;
	if (h->load_end_addr) {
		if (h->load_end_addr < load) {
			return plan_fail(p, -ENOEXEC, "%s: load_end_addr 0x%x is "
				"below load_addr 0x%llx", fmt, h->load_end_addr,
				(unsigned long long)load);
		}
		if (h->load_end_addr - load > fsize) {
			return plan_fail(p, -ENOEXEC, "%s: truncated: "
				"load_end_addr 0x%x wants %llu bytes from file "
				"offset 0x%llx, the file has %zu", fmt,
				h->load_end_addr,
				(unsigned long long)(h->load_end_addr - load),
				(unsigned long long)foff, len);
		}
		fsize = h->load_end_addr - load;
	}
	msize = fsize;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < load + fsize) {
			return plan_fail(p, -ENOEXEC, "%s: bss_end_addr 0x%x is "
				"below the end of the loaded bytes 0x%llx", fmt,
				h->bss_end_addr,
				(unsigned long long)(load + fsize));
		}
		msize = h->bss_end_addr - load;
	}
	if (!msize || load + msize > X86_4G) {
		return plan_fail(p, -ENOEXEC, "%s: the image at 0x%llx (%llu "
			"bytes) is %s", fmt, (unsigned long long)load,
			(unsigned long long)msize, msize ? "not below 4 GiB" :
			"empty");
	}
	if (!h->has_entry) {
		return plan_fail(p, -ENOEXEC, "multiboot2: an address tag "
			"without an entry address tag, and no ELF header");
	}
	if (h->entry_addr < load || h->entry_addr - load >= msize) {
		return plan_fail(p, -ENOEXEC, "%s: entry_addr 0x%x is outside "
			"the image at 0x%llx-0x%llx", fmt, h->entry_addr,
			(unsigned long long)load,
			(unsigned long long)(load + msize - 1));
	}
	*end = load + msize;
	*entry = h->entry_addr;
	return x86_place_fixed(p, mm, img + foff, (size_t)fsize, load, msize,
		"kernel", fmt);
}

static int load_kernel(struct plan *p, const struct memmap *mm,
	const uint8_t *img, size_t len, const struct mb *h, uint64_t *start,
	uint64_t *end, uint32_t *entry)
{
	const char *fmt = h->v2 ? "multiboot2" : "multiboot";
	struct elf_info e;
	int err;

	if (h->addr) {
		err = load_by_address(p, mm, img, len, h, end, entry);
		*start = h->load_addr == 0xffffffffu ?
			(uint64_t)h->header_addr - h->off : h->load_addr;
		return err;
	}
	if (!elf_is_elf(img, len)) {
		return plan_fail(p, -ENOEXEC, "%s: no load addresses in the "
			"header (%s) and not an ELF file", fmt, h->v2 ?
			"address tag" : "flag 16, the a.out kludge");
	}
	err = elf_parse(p, img, len, fmt, 1, &e);
	if (err == 0) {
		err = elf_place(p, mm, img, &e, fmt);
	}
	*start = e.seg[0].paddr;
	*end = e.end;
	*entry = h->has_entry ? h->entry_addr : (uint32_t)e.entry;
	return err;
}

/* the memory map the kernel is told: the firmware's (docs/kernel-abi.md
 * §2.2, e820 types are multiboot's: 1 RAM, 3 ACPI, 4 NVS, 5 bad), else the
 * usable RAM */
static size_t mmap_count(const struct memmap *mm)
{
	return mm->ne820 ? mm->ne820 : mm->nram;
}

static void mmap_entry(const struct memmap *mm, size_t i, uint64_t *addr,
	uint64_t *size, uint32_t *type)
{
	if (mm->ne820) {
		*addr = mm->e820[i].addr;
		*size = mm->e820[i].size;
		*type = mm->e820[i].type;
	} else {
		*addr = mm->ram[i].start;
		*size = mm->ram[i].end - mm->ram[i].start;
		*type = E820_RAM;
	}
}

/* KiB of RAM from 0 (at most 640) and from 1 MiB up to the first hole
 * (mem_lower, mem_upper) */
static void basic_mem(const struct memmap *mm, uint32_t *lower,
	uint32_t *upper)
{
	uint64_t a, s, top = X86_MIB;
	uint32_t t;
	size_t i, n = mmap_count(mm);
	int grew = 1;

	*lower = 0;
	for (i = 0; i < n; i++) {
		mmap_entry(mm, i, &a, &s, &t);
		if (t == E820_RAM && a == 0) {
			*lower = (uint32_t)((s < 0xA0000 ? s : 0xA0000) >> 10);
		}
	}
	while (grew) {
		grew = 0;
		for (i = 0; i < n; i++) {
			mmap_entry(mm, i, &a, &s, &t);
			if (t == E820_RAM && a <= top && a + s > top) {
				top = a + s;
				grew = 1;
			}
		}
	}
	if (top > X86_4G) {
		top = X86_4G;
	}
	*upper = (uint32_t)((top - X86_MIB) >> 10);
}

/* where the information structure's parts go, then its bytes */
struct info {
	uint8_t *buf;
	size_t len;
	uint64_t addr;
	const char *cmdline;	/* "NAME CMDLINE" */
	uint64_t mod_addr[PLAN_MAX_MODULES];
	uint64_t load_base;
};

static size_t put_str(uint8_t *b, size_t at, const char *s)
{
	memcpy(b + at, s, strlen(s) + 1);
	return at + strlen(s) + 1;
}

static size_t mb1_size(const struct boot_req *req, const struct info *in,
	const struct memmap *mm)
{
	size_t n = MBI_SIZE + 16 * req->nmodules + MMAP_ENTRY *
		mmap_count(mm) + strlen(in->cmdline) + 1 + sizeof(loader_name);
	size_t i;

	for (i = 0; i < req->nmodules; i++) {
		n += strlen(req->modules[i].cmdline) + 1;
	}
	return n;
}

/* spec 3.3: the fixed part, then the module table, the memory map and
 * the strings, all in this one buffer at in->addr */
static void mb1_fill(const struct boot_req *req, const struct memmap *mm,
	struct info *in)
{
	uint8_t *b = in->buf;
	uint32_t lower, upper, type, base = (uint32_t)in->addr;
	size_t at = MBI_SIZE, mods = at, map, i;
	uint64_t a, s;

	basic_mem(mm, &lower, &upper);
	put_le32(b + 0, MBI_MEMORY | MBI_CMDLINE | MBI_MODS | MBI_MMAP |
		MBI_LOADER_NAME);
	put_le32(b + 4, lower);
	put_le32(b + 8, upper);
	put_le32(b + 20, (uint32_t)req->nmodules);
	put_le32(b + 24, base + (uint32_t)mods);
	at += 16 * req->nmodules;
	map = at;
	for (i = 0; i < mmap_count(mm); i++, at += MMAP_ENTRY) {
		mmap_entry(mm, i, &a, &s, &type);
		put_le32(b + at, MMAP_ENTRY - 4);	/* size excludes itself */
		put_le64(b + at + 4, a);
		put_le64(b + at + 12, s);
		put_le32(b + at + 20, type);
	}
	put_le32(b + 44, (uint32_t)(at - map));
	put_le32(b + 48, base + (uint32_t)map);
	put_le32(b + 16, base + (uint32_t)at);
	at = put_str(b, at, in->cmdline);
	put_le32(b + 64, base + (uint32_t)at);
	at = put_str(b, at, loader_name);
	for (i = 0; i < req->nmodules; i++) {
		uint8_t *m = b + mods + 16 * i;

		put_le32(m, (uint32_t)in->mod_addr[i]);
		/* mod_end is exclusive, as GRUB writes it */
		put_le32(m + 4, (uint32_t)(in->mod_addr[i] +
			req->modules[i].len));
		put_le32(m + 8, base + (uint32_t)at);
		at = put_str(b, at, req->modules[i].cmdline);
	}
}

static size_t tag_len(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t mb2_size(const struct boot_req *req, const struct info *in,
	const struct memmap *mm)
{
	size_t n = 8, i;

	n += tag_len(8 + strlen(in->cmdline) + 1);
	n += tag_len(8 + sizeof(loader_name));
	for (i = 0; i < req->nmodules; i++) {
		n += tag_len(16 + strlen(req->modules[i].cmdline) + 1);
	}
	n += tag_len(16);				/* basic meminfo */
	n += tag_len(16 + MMAP_ENTRY * mmap_count(mm));	/* memory map */
	n += tag_len(12);				/* load base */
	if (req->efi) {
		n += tag_len(16);			/* EFI system table */
		n += tag_len(16 + req->efi->nmap * EFI_MEMDESC_SIZE);
		if (rsdp_tag(req->efi)) {
			n += tag_len(8 + req->efi->rsdp_len);
		}
	}
	return n + 8;					/* end */
}

static size_t mb2_tag_start(uint8_t *b, size_t at, uint32_t type,
	size_t size)
{
	put_le32(b + at, type);
	put_le32(b + at + 4, (uint32_t)size);
	return at + 8;
}

static size_t mb2_str(uint8_t *b, size_t at, uint32_t type, const char *s)
{
	size_t n = 8 + strlen(s) + 1;

	put_str(b, mb2_tag_start(b, at, type, n), s);
	return at + tag_len(n);
}

/* under UEFI (boot services long exited, so no tag 18): the system
 * table, the runtime map as the EFI memory map, and a copy of the ACPI
 * RSDP, with which Xen and others find ACPI without a BIOS area to
 * search (multiboot2 3.6.11-3.6.13, 3.6.15) */
static size_t mb2_efi(uint8_t *b, size_t at, const struct x86_efi *efi)
{
	size_t n = 16 + efi->nmap * EFI_MEMDESC_SIZE;
	unsigned acpi = rsdp_tag(efi);

	mb2_tag_start(b, at, MB2_T_EFI64, 16);
	put_le64(b + at + 8, efi->systab);
	at += tag_len(16);
	mb2_tag_start(b, at, MB2_T_EFI_MMAP, n);
	put_le32(b + at + 8, EFI_MEMDESC_SIZE);
	put_le32(b + at + 12, efi->memdesc_version);
	memcpy(b + at + 16, efi->map, efi->nmap * EFI_MEMDESC_SIZE);
	at += tag_len(n);
	if (acpi) {
		mb2_tag_start(b, at, acpi, 8 + efi->rsdp_len);
		memcpy(b + at + 8, efi->rsdp, efi->rsdp_len);
		at += tag_len(8 + efi->rsdp_len);
	}
	return at;
}

/* multiboot2 3.6: total_size, reserved, then 8-aligned tags, end tag */
static void mb2_fill(const struct boot_req *req, const struct memmap *mm,
	struct info *in)
{
	uint8_t *b = in->buf;
	uint32_t lower, upper, type;
	size_t at = 8, i, n;
	uint64_t a, s;

	at = mb2_str(b, at, MB2_T_CMDLINE, in->cmdline);
	at = mb2_str(b, at, MB2_T_LOADER_NAME, loader_name);
	for (i = 0; i < req->nmodules; i++) {
		n = 16 + strlen(req->modules[i].cmdline) + 1;
		mb2_tag_start(b, at, MB2_T_MODULE, n);
		put_le32(b + at + 8, (uint32_t)in->mod_addr[i]);
		put_le32(b + at + 12, (uint32_t)(in->mod_addr[i] +
			req->modules[i].len));
		put_str(b, at + 16, req->modules[i].cmdline);
		at += tag_len(n);
	}
	basic_mem(mm, &lower, &upper);
	mb2_tag_start(b, at, MB2_T_BASIC_MEMINFO, 16);
	put_le32(b + at + 8, lower);
	put_le32(b + at + 12, upper);
	at += 16;
	n = 16 + MMAP_ENTRY * mmap_count(mm);
	mb2_tag_start(b, at, MB2_T_MMAP, n);
	put_le32(b + at + 8, MMAP_ENTRY);	/* entry_size */
	put_le32(b + at + 12, 0);		/* entry_version */
	for (i = 0; i < mmap_count(mm); i++) {
		uint8_t *e = b + at + 16 + MMAP_ENTRY * i;

		mmap_entry(mm, i, &a, &s, &type);
		put_le64(e, a);
		put_le64(e + 8, s);
		put_le32(e + 16, type);
	}
	at += tag_len(n);
	mb2_tag_start(b, at, MB2_T_LOAD_BASE, 12);
	put_le32(b + at + 8, (uint32_t)in->load_base);
	at += tag_len(12);
	if (req->efi) {
		at = mb2_efi(b, at, req->efi);
	}
	mb2_tag_start(b, at, MB2_T_END, 8);
	at += 8;
	put_le32(b, (uint32_t)at);
}

/* the pack of modules the caller built (lib/load/load.c): every module
 * where plan_pack_layout puts it, so its address in the segment is known */
static int pack_given(struct plan *p, const struct boot_req *req,
	const uint64_t *off, uint64_t total)
{
	size_t i;

	if (req->modpack_len != total) {
		return plan_fail(p, -EINVAL, "multiboot: the module pack is %zu "
			"bytes, its layout %llu", req->modpack_len,
			(unsigned long long)total);
	}
	for (i = 0; i < req->nmodules; i++) {
		if (req->modules[i].data != req->modpack + off[i]) {
			return plan_fail(p, -EINVAL, "multiboot: module %zu is "
				"not at its place in the pack", i + 1);
		}
	}
	return 0;
}

/* all modules in one segment, each page aligned inside it (multiboot
 * 3.1.2: GRUB aligns every module to a page), after the kernel where GRUB
 * puts them, else anywhere above 1 MiB; below 4 GiB (mod_start is 32
 * bits). Without the caller's pack the planner copies the modules into
 * one of its own: the load path always gives one, read straight from the
 * files (no second copy) */
static int place_modules(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, uint64_t lo, uint64_t after, uint64_t hi,
	struct info *in)
{
	const uint8_t *pack = req->modpack;
	uint64_t off[PLAN_MAX_MODULES], total, base;
	uint8_t *own;
	size_t i, used;
	int err;

	if (!req->nmodules) {
		return 0;
	}
	if (plan_pack_layout(req->modules, req->nmodules, hi > lo ? hi - lo :
		0, off, &total) < 0) {
		return plan_fail(p, -E2BIG, "multiboot: %zu modules do not fit "
			"in one segment in 0x%llx-0x%llx (each page aligned)",
			req->nmodules, (unsigned long long)lo,
			(unsigned long long)hi);
	}
	if (pack) {
		err = pack_given(p, req, off, total);
		if (err < 0) {
			return err;
		}
	} else {
		own = calloc(1, (size_t)total);
		err = plan_own(p, own);
		if (err < 0) {
			return err;
		}
		for (i = 0; i < req->nmodules; i++) {
			memcpy(own + off[i], req->modules[i].data,
				req->modules[i].len);
		}
		pack = own;
	}
	/* the last module's padding is zero filled by the kernel */
	used = off[req->nmodules - 1] + req->modules[req->nmodules - 1].len;
	err = plan_place(p, mm, &(struct place_req){ .buf = pack,
		.bufsz = used, .memsz = total, .align = PLAN_PAGE,
		.min = after, .max = hi, .what = "modules" }, &base);
	if (err == -EADDRNOTAVAIL) {
		err = plan_place(p, mm, &(struct place_req){ .buf = pack,
			.bufsz = used, .memsz = total, .align = PLAN_PAGE,
			.min = lo, .max = hi, .what = "modules" }, &base);
	}
	if (err < 0) {
		return err;
	}
	for (i = 0; i < req->nmodules; i++) {
		in->mod_addr[i] = base + off[i];
	}
	return 0;
}

static int place_info(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, const struct mb *h, uint64_t lo,
	uint64_t after, uint64_t hi, struct info *in)
{
	size_t n = strlen(req->cmdline) + 2 +
		(req->kernel_name ? strlen(req->kernel_name) : 0);
	char *cmd = malloc(n);
	int err;

	err = plan_own(p, cmd);
	if (err < 0) {
		return err;
	}
	if (req->kernel_name) {
		snprintf(cmd, n, "%s%s%s", req->kernel_name, *req->cmdline ?
			" " : "", req->cmdline);
	} else {
		snprintf(cmd, n, "%s", req->cmdline);
	}
	in->cmdline = cmd;
	in->len = h->v2 ? mb2_size(req, in, mm) : mb1_size(req, in, mm);
	in->buf = calloc(1, in->len);
	err = plan_own(p, in->buf);
	if (err < 0) {
		return err;
	}
	err = plan_place(p, mm, &(struct place_req){ .buf = in->buf,
		.bufsz = in->len, .align = PLAN_PAGE, .min = after, .max = hi,
		.what = "multiboot info" }, &in->addr);
	if (err == -EADDRNOTAVAIL) {
		err = plan_place(p, mm, &(struct place_req){ .buf = in->buf,
			.bufsz = in->len, .align = PLAN_PAGE, .min = lo,
			.max = hi, .what = "multiboot info" }, &in->addr);
	}
	return err;
}

static int mb_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p, int v2)
{
	const char *fmt = v2 ? "multiboot2" : "multiboot";
	uint64_t lo = req->mem_min > X86_MIB ? req->mem_min : X86_MIB;
	uint64_t hi = req->mem_max && req->mem_max < X86_4G ? req->mem_max :
		X86_4G, start = 0, end = 0, t_addr;
	struct info in;
	struct mb h;
	uint32_t entry = 0;	/* gcc -Os cannot see plan_fail() < 0 */
	uint8_t *t;
	int err;

	memset(&h, 0, sizeof(h));
	memset(&in, 0, sizeof(in));
	if (req->crash) {
		return plan_fail(p, -EINVAL, "%s: a panic kernel (kexec -p) "
			"must be a Linux kernel, not multiboot", fmt);
	}
	if (req->initrd && req->initrd_len) {
		return plan_fail(p, -EINVAL, "%s: a multiboot kernel takes no "
			"initrd: give it as a module (--module, hop.module)",
			fmt);
	}
	if (req->nmodules > PLAN_MAX_MODULES) {
		return plan_fail(p, -E2BIG, "%s: %zu modules, more than %d",
			fmt, req->nmodules, PLAN_MAX_MODULES);
	}
	err = v2 ? mb2_header(p, req->kernel, req->kernel_len, &h) :
		mb1_header(p, req->kernel, req->kernel_len, &h);
	if (err == 0 && v2) {
		err = mb2_served(p, &h, req->efi);
	}
	if (err == 0) {
		err = load_kernel(p, mm, req->kernel, req->kernel_len, &h,
			&start, &end, &entry);
	}
	if (err < 0) {
		return err;
	}
	/* the segments still to come: the modules (one), the info, the
	 * trampoline */
	if (p->nseg + (req->nmodules ? 1 : 0) + 2 > PLAN_MAX_SEGMENTS) {
		return plan_fail(p, -E2BIG, "%s: too many segments: %zu for the "
			"kernel, the modules, the information structure and the "
			"trampoline; kexec_load takes %d", fmt, p->nseg,
			PLAN_MAX_SEGMENTS);
	}
	in.load_base = start;
	end = align_up(end, PLAN_PAGE);
	if (end < lo) {
		end = lo;
	}
	err = place_modules(p, req, mm, lo, end, hi, &in);
	if (err == 0) {
		err = place_info(p, req, mm, &h, lo, end, hi, &in);
	}
	if (err < 0) {
		return err;
	}
	t = calloc(1, ENTRY32_SIZE);
	err = plan_own(p, t);
	if (err == 0) {
		err = plan_place(p, mm, &(struct place_req){ .buf = t,
			.bufsz = ENTRY32_SIZE, .align = PLAN_PAGE, .min = lo,
			.max = hi, .what = "trampoline" }, &t_addr);
	}
	if (err < 0) {
		return err;
	}
	if (v2) {
		mb2_fill(req, mm, &in);
	} else {
		mb1_fill(req, mm, &in);
	}
	entry32_fill(t, t_addr, entry, v2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC,
		(uint32_t)in.addr, 0);
	p->entry = t_addr;
	p->flags = KEXEC_ARCH_X86_64_FLAG;
	return 0;
}

static int mb1_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	return mb_plan(req, mm, p, 0);
}

static int mb2_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	return mb_plan(req, mm, p, 1);
}

/* the header checks alone, before kexec_file_load (which refuses a
 * multiboot kernel with ENOEXEC anyway): a bad header is named before the
 * fallback */
static int mb_check(const uint8_t *img, size_t len, char *why, size_t whysz,
	int v2)
{
	struct plan p;
	struct mb h;
	int err;

	memset(&h, 0, sizeof(h));
	plan_init(&p);
	err = v2 ? mb2_header(&p, img, len, &h) : mb1_header(&p, img, len, &h);
	snprintf(why, whysz, "%s", p.why);
	return err;
}

static int mb1_check(const uint8_t *img, size_t len, char *why, size_t whysz)
{
	return mb_check(img, len, why, whysz, 0);
}

static int mb2_check(const uint8_t *img, size_t len, char *why, size_t whysz)
{
	return mb_check(img, len, why, whysz, 1);
}

const struct image_format fmt_multiboot = { "multiboot", mb1_probe,
	mb1_plan, mb1_check, 1, 0 };
const struct image_format fmt_multiboot2 = { "multiboot2", mb2_probe,
	mb2_plan, mb2_check, 1, 0 };
