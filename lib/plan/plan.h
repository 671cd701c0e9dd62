/* Segment planning for kexec_load: the pure part. A planner takes the
 * bytes of an image and a request plus a memory map and fills a plan (the
 * segments and the entry point). No syscalls, no /proc or /sys reads:
 * the caller gathers those (lib/plan/memmap.c, lib/load/load.c), so planners are
 * unit-tested on any host from small synthetic fixtures.
 * Facts: docs/kernel-abi.md §1-§4. */
#ifndef HOP_PLAN_H
#define HOP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "hop.h"

#define PLAN_MAX_SEGMENTS 16	/* KEXEC_SEGMENT_MAX */
#define PLAN_MAX_OWNED 16
#define PLAN_MAX_KEPT 4
#define MEMMAP_MAX 512	/* large servers' firmware maps exceed 128 */
/* a flattened device tree: at most 2 MiB (the kernel's
 * Documentation/arch/arm64/booting.rst); one read, an fdtdir's .dtb
 * files and the planners all hold to it */
#define DTB_MAX (2u << 20)

/* KEXEC_ARCH_* for kexec_load's flags (docs/kernel-abi.md §1.3) */
#define KEXEC_ARCH_X86_64_FLAG	(62u << 16)
#define KEXEC_ARCH_ARM_FLAG	(40u << 16)
#define KEXEC_ARCH_AARCH64_FLAG	(183u << 16)

/* e820 types (docs/kernel-abi.md §2.2) */
enum { E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3, E820_NVS = 4,
	E820_UNUSABLE = 5, E820_PMEM = 7, E820_PRAM = 12 };

struct mem_range {
	uint64_t start, end;	/* [start, end): end exclusive */
};

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
};

/* Memory in use for the whole load: the physical pages that hold the
 * bytes hop hands to kexec_load (its file mappings, read from
 * /proc/self/pagemap). The kernel's allocator cannot hand such a page out
 * while it copies, so a destination over them never lands on the slow
 * path of kexec_load (docs/placement.md). Each run holds the bytes of
 * source src from offset off. */
#define MEMMAP_BUSY_MAX 64	/* the longest runs; the rest are dropped */
#define MEMMAP_SRC_MAX 4	/* kernel, initrd, module pack */
struct busy_run {
	uint64_t start, end;	/* physical [start, end) */
	uint64_t off;		/* offset in its source of the byte at start */
	unsigned src;		/* index into memmap.src */
};
struct busy_src {
	const uint8_t *buf;	/* the mapping's first byte */
	uint64_t len;
};

struct memmap {
	/* RAM a segment may be placed in, sorted, non-overlapping */
	struct mem_range ram[MEMMAP_MAX];
	size_t nram;
	/* the firmware's map with types, for x86 boot_params e820 */
	struct e820_entry e820[MEMMAP_MAX];
	size_t ne820;
	/* the crashkernel= reservation ("Crash kernel" in /proc/iomem) */
	struct mem_range crash[8];
	size_t ncrash;
	/* every top-level "System RAM" of /proc/iomem, children and the
	 * reservation included: the memory a kdump kernel dumps */
	struct mem_range sysram[MEMMAP_MAX];
	size_t nsysram;
	/* RAM that may be unplugged: movable blocks, hot-added memory; kept
	 * out of ram[] by memmap_avoid_removable() (docs/kernel-abi.md
	 * §5.4) */
	struct mem_range removable[MEMMAP_MAX];
	const char *removable_why[MEMMAP_MAX];
	size_t nremovable;
	/* where the sources' bytes are (above); none: every planner's
	 * default placement */
	struct busy_run busy[MEMMAP_BUSY_MAX];
	size_t nbusy;
	struct busy_src src[MEMMAP_SRC_MAX];
	size_t nsrc;
};

struct segment {
	const void *buf;	/* data to copy, or NULL (zero filled) */
	size_t bufsz;
	uint64_t mem;		/* physical destination, page aligned */
	uint64_t memsz;		/* page multiple, >= bufsz */
	const char *what;	/* "kernel", "initrd", "dtb", "boot_params",
				 * "trampoline", ... for --plan */
};

/* a multiboot module (x86_64 multiboot.c) */
struct boot_module {
	const uint8_t *data;	/* in the pack (boot_req.modpack), never
				 * empty */
	size_t len;
	const char *cmdline;	/* its string: "FILE ARGS" as given */
};
/* modules of one multiboot kernel: the one limit, lib/base/hop.h's */
#define PLAN_MAX_MODULES HOP_MAX_MODULES

/* x86_64 under UEFI: what the EFI stub gave the running kernel, handed
 * on as the kernel's own kexec hands it (arch/x86/kernel/
 * kexec-bzimage64.c setup_efi_state): efi_info, the runtime map, a
 * SETUP_EFI setup_data, and the ACPI RSDP. lib/load/sysmem.c sysmem_efi
 * reads it */
#define EFI_MEMDESC_SIZE 40	/* efi_memory_desc_t: type, pad, phys,
				 * virt, pages, attribute */
#define EFI_RUNTIME_MAX 256	/* runtime regions (OVMF has about 20) */
struct x86_efi {
	uint32_t loader_signature;	/* efi_info's: "EL64" */
	uint32_t memdesc_version;
	uint64_t systab;
	/* struct efi_setup_data (arch/x86/include/asm/efi.h) */
	uint64_t fw_vendor, runtime, tables, smbios;
	uint64_t acpi_rsdp;	/* systab's ACPI20=, else ACPI=; 0: none */
	uint8_t secure_boot;	/* boot_params.secure_boot */
	/* the runtime map (/sys/firmware/efi/runtime-map/N), nmap
	 * descriptors of EFI_MEMDESC_SIZE bytes */
	uint8_t map[EFI_RUNTIME_MAX * EFI_MEMDESC_SIZE];
	size_t nmap;
	/* a copy of the ACPI RSDP at acpi_rsdp (20 bytes for revision 0,
	 * its length field's from 2 on), for multiboot2's ACPI tags; 0
	 * bytes when /dev/mem could not give it (lockdown) */
	uint8_t rsdp[36];
	size_t rsdp_len;
};

struct boot_req {
	const uint8_t *kernel;	/* the image as given (mmap'd) */
	size_t kernel_len;
	/* the kernel's file name: a multiboot command line starts with it,
	 * as GRUB legacy and kexec-tools write it; NULL: not given */
	const char *kernel_name;
	const struct boot_module *modules;	/* multiboot only */
	size_t nmodules;
	/* multiboot: the one buffer every module's data lies in, module i
	 * at plan_pack_layout's offset (lib/load/load.c reads the files
	 * into it); the planner makes it one segment. NULL: the modules lie
	 * anywhere and the planner copies them into a pack of its own */
	const uint8_t *modpack;
	size_t modpack_len;
	const uint8_t *initrd;	/* NULL: no initrd */
	size_t initrd_len;
	const char *cmdline;	/* never NULL; "" for none */
	/* arm, arm64: the tree to edit (hop.dtb, or /sys/firmware/fdt) */
	const uint8_t *dtb;
	size_t dtb_len;
	/* x86_64: the running kernel's /sys/kernel/boot_params/data, for
	 * acpi_rsdp_addr and hardware_subarch; NULL when unavailable */
	const uint8_t *boot_params;
	size_t boot_params_len;
	/* x86_64: the running kernel's EFI, NULL when it was not booted by
	 * UEFI (or has no runtime services) */
	const struct x86_efi *efi;
	/* placement limits [mem_min, mem_max), 0: none; mm is already
	 * clipped to them by the caller */
	uint64_t mem_min, mem_max;
	uint64_t page_size;		/* of the running kernel */
	int crash;	/* a panic kernel: mm holds only the reservation */
	/* a panic kernel's ELF core header (lib/plan/elfcore.c), NULL: none.
	 * The planner places it in the reservation as the segment
	 * "elfcorehdr" before it writes the command line or the tree, and
	 * tells the kernel: x86 elfcorehdr=, arm and arm64
	 * /chosen/linux,elfcorehdr */
	const uint8_t *elfcorehdr;
	size_t elfcorehdr_len;
	uint8_t seed[64];		/* random bytes: kaslr-seed, rng-seed */
};

struct plan {
	struct segment seg[PLAN_MAX_SEGMENTS];
	size_t nseg;
	uint64_t entry;
	unsigned long flags;	/* KEXEC_ARCH_* */
	/* room a segment needs past the bytes it copies (a kernel's
	 * init_size or bss, place_req.room): no other segment goes there,
	 * and the kernel allocates and zeroes nothing for it */
	struct mem_range kept[PLAN_MAX_KEPT];
	const char *kept_what[PLAN_MAX_KEPT];
	size_t nkept;
	/* buffers the plan built (boot_params, trampoline, tree, an
	 * inflated kernel); plan_free() releases them */
	void *owned[PLAN_MAX_OWNED];
	size_t nowned;
	/* a precise reason when planning fails, e.g.
	 * "bzImage: boot protocol 2.05 is older than 2.12" */
	char why[256];
};

struct image_format {
	const char *name;	/* "bzImage", "Image", "zImage", ... */
	/* 0 if this format is the image's, -ENOEXEC if not; no side
	 * effects, cheap (headers only) */
	int (*probe)(const uint8_t *img, size_t len);
	/* 0, or -errno with p->why set; p was plan_init()'d by the caller,
	 * who plan_free()s it either way */
	int (*plan)(const struct boot_req *req, const struct memmap *mm,
		struct plan *p);
	/* optional: the header checks alone, run before kexec_file_load
	 * too, so a damaged image the kernel would take is refused */
	int (*check)(const uint8_t *img, size_t len, char *why, size_t whysz);
	int takes_modules;	/* multiboot: boot_req.modules are passed */
	/* its planner places large segments over busy pages when
	 * memmap.busy says where they are (docs/placement.md): the loader
	 * reads them only then. arm's zImage: its initrd must sit in lowmem,
	 * where a machine with highmem rarely has the file's pages, and
	 * mapping them all first cost 100 ms per 64 MiB under QEMU */
	int over_busy;
};

/* ---- plan.c: placement helpers shared by the planners ---- */
void plan_init(struct plan *p);
void plan_free(struct plan *p);
/* -errno with p->why set from fmt */
int plan_fail(struct plan *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* registers a malloc'd buffer for plan_free(); frees it and fails with
 * -ENOMEM when buf is NULL or the table is full */
int plan_own(struct plan *p, void *buf);
/* finds [addr, addr+size) inside one RAM range of mm, in [min, max),
 * aligned to align (a power of two, at least a page), overlapping no
 * segment of p; lowest address first, or highest when top_down.
 * size is rounded up to a page. -EADDRNOTAVAIL with p->why set when no
 * such hole exists (names what and the bounds). */
int plan_find(struct plan *p, const struct memmap *mm, uint64_t size,
	uint64_t align, uint64_t min, uint64_t max, int top_down,
	const char *what, uint64_t *addr);
/* below this, where the kernel's allocator hands out pages costs a
 * segment little either way: plan_find_over keeps plan_find's answer */
#define PLAN_OVER_MIN (1u << 20)
/* plan_find for a segment copying bufsz bytes from buf within a window of
 * size bytes: when mm knows where sources sit (mm->busy) and the segment
 * is large, the window with the most copied bytes over busy pages and
 * none over the place another source's segment would take
 * (docs/placement.md); plan_find's answer when that gains nothing */
int plan_find_over(struct plan *p, const struct memmap *mm,
	const void *buf, uint64_t bufsz, uint64_t size, uint64_t align,
	uint64_t min, uint64_t max, int top_down, const char *what,
	uint64_t *addr);
/* registers a source whose pages will be described: its index, or -1
 * when the table is full */
int memmap_add_src(struct memmap *mm, const uint8_t *buf, uint64_t len);
/* notes that source src's bytes from off sit at physical [start, end);
 * when the table is full only the longest runs are kept */
void memmap_add_busy(struct memmap *mm, unsigned src, uint64_t off,
	uint64_t start, uint64_t end);
/* keeps [mem, mem+size) clear of later segments (plan.kept) */
int plan_keep(struct plan *p, uint64_t mem, uint64_t size, const char *what);
/* appends a segment; memsz is rounded up to a page; fails (-EINVAL,
 * p->why) when mem is not page aligned, memsz < bufsz, it overlaps
 * another segment or there are already 16 */
int plan_add(struct plan *p, const void *buf, size_t bufsz, uint64_t mem,
	uint64_t memsz, const char *what);
/* what plan_place needs to place one segment, in the spirit of the
 * kernel's struct kexec_buf (kernel/kexec_file.c): the bytes, the room
 * they take, and where they may go; fields left out are 0 */
struct place_req {
	const void *buf;
	size_t bufsz;
	uint64_t memsz;		/* less than bufsz (0): bufsz */
	/* the window it needs from its address, past memsz kept clear
	 * (plan_keep) rather than copied; less than memsz (0): memsz */
	uint64_t room;
	uint64_t align;		/* as plan_find */
	uint64_t min, max;	/* as plan_find */
	int top_down;
	const char *what;	/* "kernel", "initrd", ... for --plan */
};
/* plan_find_over + plan_add (+ plan_keep for room); *addr (may be NULL)
 * gets the address */
int plan_place(struct plan *p, const struct memmap *mm,
	const struct place_req *r, uint64_t *addr);

/* the multiboot modules packed in one buffer, so that all of them take
 * one kexec_load segment: module i at off[i], page aligned (multiboot
 * 3.1.2 bit 0; GRUB and mboot.c32 align them so), each padded to a page;
 * *total the buffer's size. -E2BIG, before anything is allocated, when
 * n > PLAN_MAX_MODULES, a module is empty or the total passes limit */
int plan_pack_layout(const struct boot_module *m, size_t n, uint64_t limit,
	uint64_t *off, uint64_t *total);

#define PLAN_PAGE 4096ull
static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}
static inline uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* little/big endian readers for headers (never unaligned loads) */
static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}
static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}
static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}
static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* ---- memmap.c: pure parsers of the kernel's memory maps ---- */
/* /proc/iomem text -> usable RAM: top-level "System RAM" minus its
 * children other than "Kernel code/rodata/data/bss", minus "Crash
 * kernel"; driver-managed "System RAM (...)" is never usable.
 * -EINVAL on a malformed line; -EPERM when every range reads 0-0 (not
 * root). */
int memmap_parse_iomem(const char *text, struct memmap *mm);
/* one /sys/firmware/memmap/N entry (start, end inclusive, type text) */
int memmap_add_firmware(struct memmap *mm, uint64_t start, uint64_t end,
	const char *type);
/* the same from the texts of /sys/firmware/memmap/N/{start,end,type}
 * ("0x100000\n", "0x7ffdffff\n", "System RAM\n"); -EINVAL on anything
 * else, -E2BIG when the table is full */
int memmap_parse_firmware(const char *start, const char *end,
	const char *type, struct memmap *mm);
/* keeps only [min, max) of the usable RAM (max 0: no upper limit) */
void memmap_clip(struct memmap *mm, uint64_t min, uint64_t max);
/* removes [start, end) from the usable RAM */
int memmap_exclude(struct memmap *mm, uint64_t start, uint64_t end);
/* notes [start, end) as removable, for the reason why (a static
 * string); merges with a touching range of the same reason */
int memmap_note_removable(struct memmap *mm, uint64_t start, uint64_t end,
	const char *why);
/* notes every part of ram[] outside the boot-time map boot[] as
 * hot-added */
int memmap_note_hotadded(struct memmap *mm, const struct mem_range *boot,
	size_t nboot);
/* takes the removable ranges out of ram[] */
int memmap_avoid_removable(struct memmap *mm);
/* the RAM (type 1) entries of the e820 table in an x86 boot_params page
 * (/sys/kernel/boot_params/data: count at 0x1E8, table at 0x2D0): the
 * map the machine booted with; returns the count or -EINVAL */
int boot_params_ram(const uint8_t *bp, size_t len, struct mem_range *out,
	size_t max);
/* the same of a SETUP_E820_EXT setup_data's payload (the entries past
 * the zero page's 128: /sys/kernel/boot_params/setup_data/N/data);
 * returns the count */
int e820_ext_ram(const uint8_t *data, size_t len, struct mem_range *out,
	size_t max);
/* the memory nodes of a device tree (device_type = "memory", reg in the
 * root's cells): the map the machine booted with; count or -EINVAL */
int dtb_memory_ranges(const uint8_t *tree, size_t len,
	struct mem_range *out, size_t max);

/* for a panic kernel: the usable RAM becomes the crash reservation and
 * the e820 map keeps only the reservation as RAM (kexec-tools does the
 * same for kdump); -ENOENT when there is no reservation */
int memmap_crash_only(struct memmap *mm);
/* what a kdump kernel dumps: sysram[] minus the reservation, minus
 * [0, skip_below) (x86 skips the low 1 MiB, always reserved); the
 * count written to out, or -E2BIG */
int memmap_dump_ranges(const struct memmap *mm, uint64_t skip_below,
	struct mem_range *out, size_t max);

/* ---- the formats (arch/<arch>/<format>.c) ---- */
extern const struct image_format fmt_bzimage;	/* arch/x86_64/bzimage.c */
extern const struct image_format fmt_elf;	/* arch/x86_64/elf.c */
extern const struct image_format fmt_multiboot;	/* arch/x86_64/multiboot.c */
extern const struct image_format fmt_multiboot2;	/* the same, v2 */
extern const struct image_format fmt_arm64_image; /* arch/arm64/image.c */
extern const struct image_format fmt_zimage;	/* arch/arm/zimage.c */
extern const struct image_format fmt_uimage;	/* arch/arm/uimage.c */
/* the formats of the arch hop is built for, in probe order, NULL ended
 * (arch/<arch>/formats.c; not linked into the host unit tests) */
extern const struct image_format *const arch_formats[];
extern const char arch_format_names[];	/* "bzImage", for messages */
extern const int arch_file_takes_dtb;	/* kexec_file_load passes hop.dtb */
extern const int arch_uses_dtb;		/* the next kernel takes a tree */
/* e_machine of this arch's kernels, for a panic kernel's ELF core header */
extern const int arch_elf_machine;
/* what a Unified Kernel Image's PE Machine and a FIT kernel's "arch" say
 * for this arch (lib/plan/container.c) */
extern const int arch_pe_machine;
extern const char arch_fit_arch[];

/* ---- dtb.c: the next kernel's device tree (arm, arm64) ---- */
struct dtb_edit {
	const char *cmdline;		/* /chosen/bootargs */
	uint64_t initrd_start, initrd_end;	/* end exclusive; 0,0: none */
	const uint8_t *seed;		/* 8 bytes kaslr-seed + 32 rng-seed */
	/* a panic kernel's linux,usable-memory-range (the reservation) */
	const struct mem_range *usable;
	size_t nusable;
	/* a panic kernel's ELF core header: linux,elfcorehdr and a
	 * /memreserve/ for it; size 0: none */
	uint64_t elfcorehdr, elfcorehdr_size;
};
/* the bytes a tree's blocks use from its start, read from its 40-byte
 * header: its totalsize unless the layout is the standard one (pure) */
uint32_t dtb_used_size(const uint8_t *hdr);
/* copies tree into a new malloc'd buffer (8-byte aligned) with room to
 * grow, applies e (bootargs; linux,initrd-start/end or their removal;
 * fresh kaslr-seed and rng-seed; drops linux,elfcorehdr,
 * linux,usable-memory-range, linux,ima-kexec-buffer, linux,kho-*,
 * linux,booted-from-kexec is set; keeps linux,uefi-*; removes the
 * memreserves of the old initrd and old tree; sets linux,elfcorehdr and
 * linux,usable-memory-range for a panic kernel), packs it. 0 or -errno with
 * p->why set; *out is registered with plan_own(). */
int dtb_build(struct plan *p, const uint8_t *tree, size_t len,
	const struct dtb_edit *e, uint8_t **out, size_t *outlen);

#endif
