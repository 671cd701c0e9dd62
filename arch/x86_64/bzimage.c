/* x86_64 bzImage planner for kexec_load: the kernel's protected-mode part,
 * an initrd, a fresh boot_params (zero page) with the command line after
 * it, and a trampoline that enters the 64-bit entry point with rsi =
 * &boot_params (docs/kernel-abi.md §2; linux
 * Documentation/arch/x86/boot.rst "64-bit Boot Protocol"). Pure: no
 * syscalls, no file reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "x86.h"

/* setup_header offsets: from the start of the file, which are also the
 * offsets in boot_params (docs/kernel-abi.md §2.1, uapi asm/bootparam.h) */
enum {
	HDR_SETUP_SECTS = 0x1F1,	/* first byte of the header copy */
	HDR_SYSSIZE = 0x1F4,
	HDR_BOOT_FLAG = 0x1FE,
	HDR_JUMP = 0x200,	/* 0xEB rel8: the header ends at 0x202+rel8 */
	HDR_MAGIC = 0x202,
	HDR_VERSION = 0x206,
	HDR_TYPE_OF_LOADER = 0x210,
	HDR_LOADFLAGS = 0x211,
	HDR_RAMDISK_IMAGE = 0x218,
	HDR_RAMDISK_SIZE = 0x21C,
	HDR_CMD_LINE_PTR = 0x228,
	HDR_INITRD_ADDR_MAX = 0x22C,
	HDR_KERNEL_ALIGNMENT = 0x230,
	HDR_RELOCATABLE = 0x234,
	HDR_XLOADFLAGS = 0x236,
	HDR_CMDLINE_SIZE = 0x238,
	HDR_HARDWARE_SUBARCH = 0x23C,
	HDR_SETUP_DATA = 0x250,
	HDR_PREF_ADDRESS = 0x258,
	HDR_INIT_SIZE = 0x260,
	HDR_END_2_12 = 0x268,	/* handover_offset, the last 2.12 field, ends */
	HDR_END_MAX = 0x290,	/* edd_mbr_sig_buffer follows the header */
};

/* the rest of boot_params we fill (docs/kernel-abi.md §2.1, bootparam.h) */
enum {
	BP_SIZE = 0x1000,
	BP_ACPI_RSDP_ADDR = 0x070,
	BP_EXT_RAMDISK_IMAGE = 0x0C0,
	BP_EXT_RAMDISK_SIZE = 0x0C4,
	BP_EXT_CMD_LINE_PTR = 0x0C8,
	BP_E820_ENTRIES = 0x1E8,
	BP_SENTINEL = 0x1EF,
	BP_E820_TABLE = 0x2D0,	/* packed {u64 addr, u64 size, u32 type} */
	BP_E820_MAX = 128,
	BP_E820_ENTRY = 20,
	BP_CMDLINE = BP_SIZE,	/* the command line follows in the segment */
};

/* e820 entries past the zero page's 128 go in a setup_data of type
 * SETUP_E820_EXT after the command line, as the EFI stub and kexec_file
 * put them (arch/x86/kernel/e820.c e820__memory_setup_extended); under
 * UEFI a SETUP_EFI follows (arch/x86/kernel/kexec-bzimage64.c
 * prepare_add_efi_setup_data): struct efi_setup_data, fw_vendor, a
 * field once the runtime services' address, tables, smbios, 8 reserved */
enum { SETUP_E820_EXT = 1, SETUP_EFI = 4, SETUP_HDR = 16,	/* u64 next,
	u32 type, u32 len */
	EFI_SETUP_LEN = 96 };

/* boot_params' efi_info (uapi asm/bootparam.h struct efi_info) and
 * secure_boot */
enum {
	EFI_LOADER_SIGNATURE = 0x1c0,
	EFI_SYSTAB = 0x1c4,
	EFI_MEMDESC_SIZE_OFF = 0x1c8,
	EFI_MEMDESC_VERSION = 0x1cc,
	EFI_MEMMAP = 0x1d0,
	EFI_MEMMAP_SIZE = 0x1d4,
	EFI_SYSTAB_HI = 0x1d8,
	EFI_MEMMAP_HI = 0x1dc,
	BP_SECURE_BOOT = 0x1ec,
};

enum {
	PROTO_MIN = 0x020C,	/* 2.12: xloadflags, ext_* fields */
	LOADED_HIGH = 1 << 0,
	XLF_KERNEL_64 = 1 << 0,	/* 64-bit entry at load address + 0x200 */
	XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1,
	LOADER_KEXEC = 0xD0,	/* type_of_loader: kexec is 0x0D << 4 */
	ENTRY_64 = 0x200,
};

#define MIB X86_MIB
#define GIB4 X86_4G

/* The trampoline, at the start of its own page. relocate_kernel jumps here
 * in long mode with every GPR zero and, before linux 6.15, a null GDTR
 * (docs/kernel-abi.md §2.4); startup_64 wants rsi = &boot_params and, by
 * boot.rst, flat __BOOT_CS 0x10 / __BOOT_DS 0x18. So, like kexec-tools'
 * purgatory entry64.S: load our own GDT, reload the data segments, take
 * a stack at the top of this page (the segment is identity mapped), far
 * return into selector 0x10, then rsi, rbx = 0 and jump.
 * Assembled with gas (tests/unit/bzimage_test.c checks the patch points):
 *   00 fc                      cld
 *   01 0f 01 15 48 00 00 00    lgdt   0x50(%rip)       # gdtr
 *   08 b8 18 00 00 00          mov    $0x18,%eax
 *   0d 8e d8 / 8e c0 / 8e d0 / 8e e0 / 8e e8   mov %eax,%ds/es/ss/fs/gs
 *   17 48 8d 25 e2 0f 00 00    lea    0x1000(%rip),%rsp  # page top
 *   1e 6a 10                   push   $0x10
 *   20 48 8d 05 03 00 00 00    lea    0x2a(%rip),%rax
 *   27 50                      push   %rax
 *   28 48 cb                   lretq
 *   2a 48 be <imm64>           movabs $boot_params,%rsi   TR_BOOT_PARAMS
 *   34 48 b8 <imm64>           movabs $kernel+0x200,%rax  TR_ENTRY
 *   3e 31 db                   xor    %ebx,%ebx
 *   40 ff e0                   jmp    *%rax
 *   50 gdtr: u16 limit 0x1f, u64 base                     TR_GDTR_BASE
 *   60 gdt: null, null, 0x00af9a000000ffff (0x10 code64), 0x00cf92000000ffff
 *      (0x18 data) */
enum {
	TR_BOOT_PARAMS = 0x2C,
	TR_ENTRY = 0x36,
	TR_GDTR_BASE = 0x52,
	TR_GDT = 0x60,
};

static const uint8_t tramp_code[] = {
	0xfc, 0x0f, 0x01, 0x15, 0x48, 0x00, 0x00, 0x00,
	0xb8, 0x18, 0x00, 0x00, 0x00, 0x8e, 0xd8, 0x8e,
	0xc0, 0x8e, 0xd0, 0x8e, 0xe0, 0x8e, 0xe8, 0x48,
	0x8d, 0x25, 0xe2, 0x0f, 0x00, 0x00, 0x6a, 0x10,
	0x48, 0x8d, 0x05, 0x03, 0x00, 0x00, 0x00, 0x50,
	0x48, 0xcb, 0x48, 0xbe, 0, 0, 0, 0,
	0, 0, 0, 0, 0x48, 0xb8, 0, 0,
	0, 0, 0, 0, 0, 0, 0x31, 0xdb,
	0xff, 0xe0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0x1f, 0x00, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xaf, 0x00,
	0xff, 0xff, 0x00, 0x00, 0x00, 0x92, 0xcf, 0x00,
};

/* what plan() learns from the header */
struct bz {
	size_t hdr_end;		/* end of the header copy */
	size_t setup;		/* file offset of the protected-mode part */
	uint64_t room;		/* the kernel's window from its address */
	uint64_t align;
	uint64_t pref;
	uint64_t initrd_max;	/* exclusive */
	int above_4g;
};

static int bz_probe(const uint8_t *img, size_t len)
{
	if (len < 2 * 512 || le16(img + HDR_BOOT_FLAG) != 0xAA55 ||
		memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		return -ENOEXEC;
	}
	return 0;
}

static int truncated(struct plan *p, size_t len, const char *field,
	unsigned off)
{
	return plan_fail(p, -ENOEXEC, "bzImage: truncated: the image is %zu "
		"bytes, %s at 0x%x is cut off", len, field, off);
}

/* boot_flag, magic, version and the header's extent */
static int check_magic(struct plan *p, const uint8_t *img, size_t len,
	struct bz *bz)
{
	unsigned v;

	if (len < HDR_BOOT_FLAG + 2) {
		return truncated(p, len, "boot_flag", HDR_BOOT_FLAG);
	}
	if (le16(img + HDR_BOOT_FLAG) != 0xAA55) {
		return plan_fail(p, -ENOEXEC, "bzImage: boot_flag at 0x1fe is "
			"0x%04x, not 0xaa55", le16(img + HDR_BOOT_FLAG));
	}
	if (len < HDR_MAGIC + 4) {
		return truncated(p, len, "the \"HdrS\" magic", HDR_MAGIC);
	}
	if (memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		return plan_fail(p, -ENOEXEC, "bzImage: no \"HdrS\" magic at "
			"0x202 (found %02x %02x %02x %02x)", img[HDR_MAGIC],
			img[HDR_MAGIC + 1], img[HDR_MAGIC + 2],
			img[HDR_MAGIC + 3]);
	}
	if (len < HDR_VERSION + 2) {
		return truncated(p, len, "version", HDR_VERSION);
	}
	v = le16(img + HDR_VERSION);
	if (v < PROTO_MIN) {
		return plan_fail(p, -ENOEXEC, "bzImage: boot protocol %u.%02u "
			"is older than 2.12, the first with 64-bit loading "
			"(xloadflags)", v >> 8, v & 0xff);
	}
	/* the header's own length, from its jump (boot.rst "64-bit Boot
	 * Protocol": copy 0x202 + byte 0x201 - 0x1f1 bytes) */
	bz->hdr_end = HDR_MAGIC + (size_t)img[HDR_JUMP + 1];
	if (bz->hdr_end < HDR_END_2_12) {
		return plan_fail(p, -ENOEXEC, "bzImage: the setup header ends "
			"at 0x%zx (jump at 0x200), before the end of the 2.12 "
			"fields at 0x%x", bz->hdr_end, HDR_END_2_12);
	}
	if (bz->hdr_end > HDR_END_MAX) {
		/* never into edd_mbr_sig_buffer */
		bz->hdr_end = HDR_END_MAX;
	}
	if (len < bz->hdr_end) {
		return truncated(p, len, "the setup header end",
			(unsigned)bz->hdr_end);
	}
	return 0;
}

/* where and how big the kernel segment is, where the initrd may go;
 * after check_header() validated the fields */
static void read_layout(const uint8_t *img, size_t len, struct bz *bz)
{
	uint32_t align = le32(img + HDR_KERNEL_ALIGNMENT);

	bz->align = align < PLAN_PAGE ? PLAN_PAGE : align;
	/* the kernel decompresses in place: init_size from the load
	 * address is its own (docs/kernel-abi.md §2.3); only the file's
	 * bytes are copied, the rest is kept clear (docs/placement.md) */
	bz->room = le32(img + HDR_INIT_SIZE);
	if (bz->room < len - bz->setup) {
		bz->room = len - bz->setup;
	}
	bz->room = align_up(bz->room, PLAN_PAGE);
	bz->pref = le64(img + HDR_PREF_ADDRESS);
	bz->initrd_max = (uint64_t)le32(img + HDR_INITRD_ADDR_MAX) + 1;
	bz->above_4g = !!(le16(img + HDR_XLOADFLAGS) &
		XLF_CAN_BE_LOADED_ABOVE_4G);
}

/* the fields a 64-bit relocatable load needs */
static int check_header(struct plan *p, const struct boot_req *req,
	struct bz *bz)
{
	const uint8_t *img = req->kernel;
	size_t len = req->kernel_len, n = strlen(req->cmdline);
	unsigned sects, xlf;
	uint32_t align;
	int err;

	/* check_magic makes every field up to 0x268 readable */
	err = check_magic(p, img, len, bz);
	if (err < 0) {
		return err;
	}
	sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
	xlf = le16(img + HDR_XLOADFLAGS);
	align = le32(img + HDR_KERNEL_ALIGNMENT);
	if (!(img[HDR_LOADFLAGS] & LOADED_HIGH)) {
		return plan_fail(p, -ENOEXEC, "bzImage: LOADED_HIGH is clear "
			"in loadflags 0x%02x at 0x211 (a zImage, loaded at "
			"0x10000)", img[HDR_LOADFLAGS]);
	}
	if (!img[HDR_RELOCATABLE]) {
		return plan_fail(p, -ENOEXEC, "bzImage: not relocatable "
			"(relocatable_kernel at 0x234 is 0)");
	}
	if (!(xlf & XLF_KERNEL_64)) {
		return plan_fail(p, -ENOEXEC, "bzImage: no 64-bit entry point "
			"(XLF_KERNEL_64 is clear in xloadflags 0x%04x at "
			"0x236)", xlf);
	}
	/* the protected-mode part starts after the boot sector and
	 * setup_sects sectors of real-mode setup (boot.rst; 0 means 4) */
	bz->setup = ((size_t)sects + 1) * 512;
	if (bz->setup >= len) {
		return plan_fail(p, -ENOEXEC, "bzImage: setup_sects %u puts "
			"the kernel at 0x%zx, beyond the %zu-byte image",
			img[HDR_SETUP_SECTS], bz->setup, len);
	}
	/* syssize (0x1f4) counts the protected-mode part in 16-byte units:
	 * a shorter file is a truncated kernel, which kexec_file_load
	 * accepts and which dies at the jump (tests/vm/badinput.sh) */
	if ((uint64_t)le32(img + HDR_SYSSIZE) * 16 > len - bz->setup) {
		return plan_fail(p, -ENOEXEC, "bzImage: truncated: syssize at "
			"0x1f4 says the kernel is %llu bytes after the %zu-byte "
			"setup, the file has %zu",
			(unsigned long long)le32(img + HDR_SYSSIZE) * 16,
			bz->setup, len - bz->setup);
	}
	/* the startup code rounds its load address up to kernel_alignment,
	 * so the segment must already be aligned to it */
	if (!align || (align & (align - 1))) {
		return plan_fail(p, -ENOEXEC, "bzImage: kernel_alignment 0x%x "
			"at 0x230 is not a power of two", align);
	}
	if (n > le32(img + HDR_CMDLINE_SIZE)) {
		return plan_fail(p, -E2BIG, "bzImage: the command line is %zu "
			"bytes, the kernel takes at most %u (cmdline_size at "
			"0x238)", n, le32(img + HDR_CMDLINE_SIZE));
	}
	read_layout(img, len, bz);
	return 0;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* an exclusive upper bound, also under --mem-max */
static uint64_t below(const struct boot_req *req, uint64_t max)
{
	if (req->mem_max && (!max || req->mem_max < max)) {
		return req->mem_max;
	}
	return max;
}

/* top-down, under initrd_addr_max; a kernel that takes it above 4 GiB
 * still gets it below 4 GiB when there is room (boot.rst: initrd_addr_max
 * holds unless XLF_CAN_BE_LOADED_ABOVE_4G) */
static int place_initrd(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, const struct x86_linux *bz, uint64_t *addr)
{
	uint64_t lo = max64(MIB, req->mem_min);
	int err;

	err = plan_place(p, mm, &(struct place_req){ .buf = req->initrd,
		.bufsz = req->initrd_len, .align = PLAN_PAGE, .min = lo,
		.max = below(req, bz->above_4g ? GIB4 : bz->initrd_max),
		.top_down = 1, .what = "initrd" }, addr);
	if (err == -EADDRNOTAVAIL && bz->above_4g) {
		err = plan_place(p, mm, &(struct place_req){
			.buf = req->initrd, .bufsz = req->initrd_len,
			.align = PLAN_PAGE, .min = lo, .max = below(req, 0),
			.top_down = 1, .what = "initrd" }, addr);
	}
	return err;
}

/* where the entries go: the first BP_E820_MAX into the zero page, the
 * rest into ext; with bp NULL they are only counted */
struct e820_out {
	uint8_t *bp, *ext;
	size_t n;
};

static void put_e820(struct e820_out *o, uint64_t addr, uint64_t size,
	uint32_t type)
{
	uint8_t *e;

	if (!size) {
		return;
	}
	if (o->n < BP_E820_MAX) {
		e = o->bp ? o->bp + BP_E820_TABLE + o->n * BP_E820_ENTRY : NULL;
	} else {
		e = o->ext ? o->ext + (o->n - BP_E820_MAX) * BP_E820_ENTRY :
			NULL;
	}
	if (e) {
		put_le64(e, addr);
		put_le64(e + 8, size);
		put_le32(e + 16, type);
	}
	o->n++;
}

/* [addr, addr + size) of type, RAM without the hole [h0, h1): a panic
 * kernel must not allocate over its ELF core header (arch/x86/kernel/
 * crash.c memmap_exclude_ranges) */
static void put_e820_hole(struct e820_out *o, uint64_t addr, uint64_t size,
	uint32_t type, uint64_t h0, uint64_t h1)
{
	uint64_t end = addr + size;

	if (type != E820_RAM || h0 >= end || h1 <= addr) {
		put_e820(o, addr, size, type);
		return;
	}
	if (h0 > addr) {
		put_e820(o, addr, h0 - addr, type);
	}
	if (h1 < end) {
		put_e820(o, h1, end - h1, type);
	}
}

/* the firmware's map when the caller has it (/sys/firmware/memmap, as
 * kexec-tools does, docs/kernel-abi.md §2.2), else the usable RAM. A panic
 * kernel gets the System RAM below 1 MiB too, as kexec_file gives it
 * (arch/x86/kernel/crash.c crash_setup_memmap_entries "Add the low 1M"):
 * the crashed kernel kept it reserved (linux >= 5.13 reserves all of
 * it), and without RAM there the real-mode trampoline cannot be
 * allocated; and its ELF core header, at core (0: none), is left out.
 * Returns the number of entries, also when o only counts. */
static size_t fill_e820(struct e820_out *o, const struct boot_req *req,
	const struct memmap *mm, uint64_t core)
{
	uint64_t h0 = core, h1 = core ? core + align_up(req->elfcorehdr_len,
		PLAN_PAGE) : 0;
	size_t i;

	o->n = 0;
	for (i = 0; req->crash && i < mm->nsysram; i++) {
		const struct mem_range *r = &mm->sysram[i];

		if (r->start < MIB) {
			put_e820(o, r->start, (r->end < MIB ? r->end : MIB) -
				r->start, E820_RAM);
		}
	}
	if (mm->ne820) {
		for (i = 0; i < mm->ne820; i++) {
			put_e820_hole(o, mm->e820[i].addr, mm->e820[i].size,
				mm->e820[i].type, h0, h1);
		}
	} else {
		for (i = 0; i < mm->nram; i++) {
			put_e820_hole(o, mm->ram[i].start, mm->ram[i].end -
				mm->ram[i].start, E820_RAM, h0, h1);
		}
	}
	if (o->bp) {
		o->bp[BP_E820_ENTRIES] = (uint8_t)(o->n < BP_E820_MAX ? o->n :
			BP_E820_MAX);
	}
	return o->n;
}

/* the boot_params segment: zero page, command line, then, each 8-byte
 * aligned, the SETUP_E820_EXT setup_data when the map has more than 128
 * entries, and the SETUP_EFI one under UEFI */
struct bp_layout {
	size_t len;
	size_t ext_off;		/* 0: none */
	size_t efi_off;		/* 0: none */
};

static void bp_layout(const struct boot_req *req, const struct memmap *mm,
	uint64_t core, struct bp_layout *l)
{
	struct e820_out count = { NULL, NULL, 0 };
	size_t n = fill_e820(&count, req, mm, core);

	l->len = BP_CMDLINE + strlen(req->cmdline) + 1;
	l->ext_off = 0;
	l->efi_off = 0;
	if (n > BP_E820_MAX) {
		l->ext_off = align_up(l->len, 8);
		l->len = l->ext_off + SETUP_HDR + (n - BP_E820_MAX) *
			BP_E820_ENTRY;
	}
	if (req->efi) {
		l->efi_off = align_up(l->len, 8);
		l->len = l->efi_off + SETUP_HDR + EFI_SETUP_LEN;
	}
}

/* a setup_data at off in the segment at bp_addr, pushed on the list */
static void push_setup_data(uint8_t *bp, uint64_t bp_addr, size_t off,
	uint32_t type, uint32_t len)
{
	memcpy(bp + off, bp + HDR_SETUP_DATA, 8);	/* next: the old head */
	put_le32(bp + off + 8, type);
	put_le32(bp + off + 12, len);
	put_le64(bp + HDR_SETUP_DATA, bp_addr + off);
}

/* under UEFI, what kexec_file writes (setup_efi_state): efi_info with
 * the runtime map at map_addr, secure_boot, a SETUP_EFI setup_data; and
 * the ACPI RSDP from the EFI system table when the running kernel's
 * boot_params had none (the EFI stub leaves it 0) */
static void fill_efi(uint8_t *bp, const struct x86_efi *efi, uint64_t bp_addr,
	size_t efi_off, uint64_t map_addr)
{
	uint8_t *esd = bp + efi_off + SETUP_HDR;
	uint64_t size = efi->nmap * EFI_MEMDESC_SIZE;

	put_le32(bp + EFI_LOADER_SIGNATURE, efi->loader_signature);
	put_le32(bp + EFI_SYSTAB, (uint32_t)efi->systab);
	put_le32(bp + EFI_SYSTAB_HI, (uint32_t)(efi->systab >> 32));
	put_le32(bp + EFI_MEMDESC_SIZE_OFF, EFI_MEMDESC_SIZE);
	put_le32(bp + EFI_MEMDESC_VERSION, efi->memdesc_version);
	put_le32(bp + EFI_MEMMAP, (uint32_t)map_addr);
	put_le32(bp + EFI_MEMMAP_HI, (uint32_t)(map_addr >> 32));
	put_le32(bp + EFI_MEMMAP_SIZE, (uint32_t)size);
	bp[BP_SECURE_BOOT] = efi->secure_boot;
	put_le64(esd, efi->fw_vendor);
	put_le64(esd + 8, efi->runtime);
	put_le64(esd + 16, efi->tables);
	put_le64(esd + 24, efi->smbios);
	push_setup_data(bp, bp_addr, efi_off, SETUP_EFI, EFI_SETUP_LEN);
	if (!le64(bp + BP_ACPI_RSDP_ADDR)) {
		put_le64(bp + BP_ACPI_RSDP_ADDR, efi->acpi_rsdp);
	}
}

/* a zero page from scratch, never the image's first 4 KiB
 * (docs/kernel-abi.md §2.1, §2.2): the header copy, then what a loader
 * fills */
static void fill_boot_params(uint8_t *bp, const struct boot_req *req,
	const struct memmap *mm, const struct x86_linux *x, uint64_t bp_addr,
	uint64_t rd_addr, uint64_t core, const struct bp_layout *l,
	uint64_t map_addr)
{
	struct e820_out o = { bp, l->ext_off ? bp + l->ext_off + SETUP_HDR :
		NULL, 0 };
	uint64_t cmd = bp_addr + BP_CMDLINE;
	size_t n;
	uint64_t rd_size = req->initrd ? req->initrd_len : 0;
	const uint8_t *old = req->boot_params;

	memcpy(bp + HDR_SETUP_SECTS, x->hdr + HDR_SETUP_SECTS,
		x->hdr_end - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = LOADER_KEXEC;
	/* kexec-tools and the kernel's kexec_file leave loadflags 0: its
	 * bits are for the 16/32-bit entries (docs/kernel-abi.md §2.1) */
	bp[HDR_LOADFLAGS] = 0;
	put_le32(bp + HDR_CMD_LINE_PTR, (uint32_t)cmd);
	put_le32(bp + BP_EXT_CMD_LINE_PTR, (uint32_t)(cmd >> 32));
	if (!rd_size) {
		rd_addr = 0;
	}
	put_le32(bp + HDR_RAMDISK_IMAGE, (uint32_t)rd_addr);
	put_le32(bp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(rd_addr >> 32));
	put_le32(bp + HDR_RAMDISK_SIZE, (uint32_t)rd_size);
	put_le32(bp + BP_EXT_RAMDISK_SIZE, (uint32_t)(rd_size >> 32));
	/* from the running kernel's boot_params: ACPI is not found without
	 * acpi_rsdp_addr on EFI machines booted without EFI info */
	if (old && req->boot_params_len >= BP_SIZE) {
		memcpy(bp + BP_ACPI_RSDP_ADDR, old + BP_ACPI_RSDP_ADDR, 8);
		memcpy(bp + HDR_HARDWARE_SUBARCH, old + HDR_HARDWARE_SUBARCH,
			4);
	}
	/* non-zero means a loader that copied garbage (bootparam.h) */
	bp[BP_SENTINEL] = 0;
	n = fill_e820(&o, req, mm, core);
	put_le64(bp + HDR_SETUP_DATA, 0);
	if (l->ext_off) {
		push_setup_data(bp, bp_addr, l->ext_off, SETUP_E820_EXT,
			(uint32_t)((n - BP_E820_MAX) * BP_E820_ENTRY));
	}
	if (l->efi_off) {
		fill_efi(bp, req->efi, bp_addr, l->efi_off, map_addr);
	}
	memcpy(bp + BP_CMDLINE, req->cmdline, strlen(req->cmdline) + 1);
}

static void fill_trampoline(uint8_t *t, uint64_t addr, uint64_t bp_addr,
	uint64_t entry)
{
	memcpy(t, tramp_code, sizeof(tramp_code));
	put_le64(t + TR_BOOT_PARAMS, bp_addr);
	put_le64(t + TR_ENTRY, entry);
	put_le64(t + TR_GDTR_BASE, addr + TR_GDT);
}

/* a panic kernel's ELF core header, top-down in the reservation, and
 * "elfcorehdr=0xADDR " before the command line in r, as kexec_file
 * writes it (arch/x86/kernel/kexec-bzimage64.c setup_cmdline): in front,
 * where words after a "--" cannot take it to init */
int x86_place_core(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, uint64_t lo, uint64_t hi,
	struct boot_req *r, uint64_t *addr)
{
	size_t n = strlen(req->cmdline) + sizeof("elfcorehdr=0x ") + 16;
	char *cmd;
	int err;

	*addr = 0;
	if (!req->elfcorehdr) {
		return 0;
	}
	err = plan_place(p, mm, &(struct place_req){ .buf = req->elfcorehdr,
		.bufsz = req->elfcorehdr_len, .align = PLAN_PAGE, .min = lo,
		.max = hi, .top_down = 1, .what = "elfcorehdr" }, addr);
	if (err < 0) {
		return err;
	}
	cmd = malloc(n);
	if ((err = plan_own(p, cmd)) < 0) {
		return err;
	}
	snprintf(cmd, n, "elfcorehdr=0x%llx %s", (unsigned long long)*addr,
		req->cmdline);
	r->cmdline = cmd;
	return 0;
}

int x86_linux_boot(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, const struct x86_linux *x, uint64_t core)
{
	uint64_t lo = max64(MIB, req->mem_min), hi = below(req, GIB4);
	uint64_t rd_addr = 0, bp_addr, t_addr, map_addr = 0;
	struct bp_layout l;
	uint8_t *bp, *t;
	int err = 0;

	bp_layout(req, mm, core, &l);
	if (req->initrd && req->initrd_len) {
		err = place_initrd(p, req, mm, x, &rd_addr);
	}
	if (err == 0 && req->efi && req->efi->nmap) {
		/* a segment of its own, as kexec-tools places it: the
		 * next kernel maps these regions where this one has them */
		err = plan_place(p, mm, &(struct place_req){
			.buf = req->efi->map,
			.bufsz = req->efi->nmap * EFI_MEMDESC_SIZE,
			.align = PLAN_PAGE, .min = lo, .max = hi,
			.what = "efi_runtime_map" }, &map_addr);
	}
	if (err < 0) {
		return err;
	}
	bp = calloc(1, align_up(l.len, PLAN_PAGE));
	err = plan_own(p, bp);
	if (err == 0) {
		err = plan_place(p, mm, &(struct place_req){ .buf = bp,
			.bufsz = l.len, .align = PLAN_PAGE, .min = lo,
			.max = hi, .what = "boot_params+cmdline" }, &bp_addr);
	}
	if (err < 0) {
		return err;
	}
	t = calloc(1, PLAN_PAGE);
	err = plan_own(p, t);
	if (err == 0) {
		err = plan_place(p, mm, &(struct place_req){ .buf = t,
			.bufsz = PLAN_PAGE, .align = PLAN_PAGE, .min = lo,
			.max = hi, .what = "trampoline" }, &t_addr);
	}
	if (err < 0) {
		return err;
	}
	fill_boot_params(bp, req, mm, x, bp_addr, rd_addr, core, &l, map_addr);
	if (x->entry32) {
		/* boot.rst "32-bit Boot Protocol": esi = boot_params, ebp,
		 * edi and ebx zero */
		entry32_fill(t, t_addr, (uint32_t)x->entry, 0, 0,
			(uint32_t)bp_addr);
	} else {
		fill_trampoline(t, t_addr, bp_addr, x->entry);
	}
	p->entry = t_addr;
	p->flags = KEXEC_ARCH_X86_64_FLAG;
	return 0;
}

/* kernel first, where its pref_address and alignment want it; everything
 * below 4 GiB except an initrd the kernel takes above (boot.rst) */
static int bz_plan(const struct boot_req *in, const struct memmap *mm,
	struct plan *p)
{
	uint64_t lo = max64(MIB, in->mem_min), hi = below(in, GIB4);
	uint64_t k_addr, core;
	struct boot_req r = *in, *req = &r;
	size_t need = (in->initrd && in->initrd_len ? 4 : 3) +
		(in->efi && in->efi->nmap);
	struct bz bz = { 0 };	/* gcc -Os cannot see plan_fail() < 0 */
	struct x86_linux x;
	int err;

	err = x86_place_core(p, in, mm, lo, hi, &r, &core);
	if (err == 0) {
		err = check_header(p, req, &bz);
	}
	if (err < 0) {
		return err;
	}
	if (p->nseg + need > PLAN_MAX_SEGMENTS) {
		return plan_fail(p, -EINVAL, "bzImage: too many segments: %zu "
			"more on %zu, the kernel takes %d", need, p->nseg,
			PLAN_MAX_SEGMENTS);
	}
	err = plan_place(p, mm, &(struct place_req){
		.buf = req->kernel + bz.setup,
		.bufsz = req->kernel_len - bz.setup, .room = bz.room,
		.align = bz.align, .min = max64(bz.pref, lo), .max = hi,
		.what = "kernel" }, &k_addr);
	if (err < 0) {
		return err;
	}
	memset(&x, 0, sizeof(x));
	x.hdr = req->kernel;
	x.hdr_end = bz.hdr_end;
	x.initrd_max = bz.initrd_max;
	x.above_4g = bz.above_4g;
	x.entry = k_addr + ENTRY_64;
	x.fmt = "bzImage";
	return x86_linux_boot(p, req, mm, &x, core);
}

/* the header checks alone, before any syscall (lib/load/load.c preflight) */
static int bz_check(const uint8_t *img, size_t len, char *why, size_t whysz)
{
	struct boot_req req;
	struct plan p;
	struct bz bz;
	int err;

	memset(&req, 0, sizeof(req));
	req.kernel = img;
	req.kernel_len = len;
	req.cmdline = "";
	plan_init(&p);
	err = check_header(&p, &req, &bz);
	snprintf(why, whysz, "%s", p.why);
	return err;
}

const struct image_format fmt_bzimage = { "bzImage", bz_probe, bz_plan,
	bz_check, 0, 1 };
