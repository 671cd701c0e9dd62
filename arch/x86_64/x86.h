/* What the x86_64 planners share (arch/x86_64/): the Linux boot_params
 * and its 64-bit trampoline (bzimage.c), the ELF program headers
 * (elf.c) and the 64-to-32-bit trampoline (entry32.c). Internal to
 * arch/x86_64; lib/plan/plan.h is the planners' public side. */
#ifndef HOP_X86_H
#define HOP_X86_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

#define X86_MIB (1ull << 20)
#define X86_4G (1ull << 32)

/* ---- bzimage.c: a Linux kernel entered with rsi = &boot_params ---- */
struct x86_linux {
	/* the setup header to copy into boot_params: bytes [0x1F1, hdr_end)
	 * of hdr, which is the image (bzImage) or a header made up for a
	 * bare vmlinux */
	const uint8_t *hdr;
	size_t hdr_end;
	uint64_t initrd_max;	/* exclusive: initrd_addr_max + 1 */
	int above_4g;		/* XLF_CAN_BE_LOADED_ABOVE_4G */
	uint64_t entry;		/* physical */
	int entry32;		/* 32-bit protected mode, esi = &boot_params
				 * (boot.rst "32-bit Boot Protocol"); else
				 * 64-bit with rsi */
	const char *fmt;	/* "bzImage", "ELF" for messages */
};
/* a panic kernel's ELF core header in the reservation, "elfcorehdr=0x.. "
 * in front of r->cmdline; *addr 0 when req has none */
int x86_place_core(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, uint64_t lo, uint64_t hi, struct boot_req *r,
	uint64_t *addr);
/* after the kernel's segments: the initrd, boot_params + command line and
 * the trampoline; sets p->entry and p->flags. core: the ELF core header's
 * address from x86_place_core, or 0 */
int x86_linux_boot(struct plan *p, const struct boot_req *req,
	const struct memmap *mm, const struct x86_linux *x, uint64_t core);

/* ---- elf.c: ELF32/ELF64 x86 executables ---- */
#define ELF_MAX_LOAD 16
struct elf_load {
	uint64_t paddr, memsz;	/* where it runs, physical */
	uint64_t off, filesz;	/* its bytes in the file */
};
struct elf_info {
	int elf64;
	unsigned machine;	/* EM_386 3, EM_X86_64 62 */
	uint64_t entry;		/* physical (translated from e_entry) */
	struct elf_load seg[ELF_MAX_LOAD];	/* sorted by paddr */
	size_t nseg;
	uint64_t end;		/* the highest paddr + memsz */
};
#define ELF_EM_386 3
#define ELF_EM_X86_64 62
/* 1 if img starts with an ELF header of class 1 or 2 */
int elf_is_elf(const uint8_t *img, size_t len);
/* the PT_LOAD headers of an x86 ELF executable, every field checked
 * against the file; fmt names the format in p->why ("ELF",
 * "multiboot"). below4g: every segment and the entry must be 32-bit
 * addresses (a 32-bit entry) */
int elf_parse(struct plan *p, const uint8_t *img, size_t len,
	const char *fmt, int below4g, struct elf_info *e);
/* adds e's segments at their physical addresses, each inside usable RAM
 * (segments sharing a page are merged into one copied buffer) */
int elf_place(struct plan *p, const struct memmap *mm, const uint8_t *img,
	const struct elf_info *e, const char *fmt);
/* adds [mem, mem + memsz) holding buf at that fixed address, which must
 * lie in usable RAM; mem need not be page aligned (a copy is made) */
int x86_place_fixed(struct plan *p, const struct memmap *mm,
	const uint8_t *buf, size_t bufsz, uint64_t mem, uint64_t memsz,
	const char *what, const char *fmt);

/* ---- entry32.c: from kexec's 64-bit entry to 32-bit protected mode ---- */
#define ENTRY32_SIZE PLAN_PAGE
/* fills the one-page trampoline t that runs at addr (< 4 GiB): flat
 * 32-bit segments (CS 0x10, DS 0x18), paging and long mode off, then
 * jumps to entry with eax, ebx and esi as given */
void entry32_fill(uint8_t *t, uint64_t addr, uint32_t entry, uint32_t eax,
	uint32_t ebx, uint32_t esi);

#endif
