/* The ELF core header of a panic kernel loaded with kexec_load: what the
 * crash kernel's /proc/vmcore reads (elfcorehdr=, linux,elfcorehdr).
 * kexec_file builds it in the kernel (kernel/crash_core.c
 * crash_prepare_elf64_headers); with kexec_load, hop builds the same
 * layout. Pure: the caller reads sysfs and /proc (lib/load/sysmem.c). */
#ifndef HOP_ELFCORE_H
#define HOP_ELFCORE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* e_machine values (uapi linux/elf-em.h) */
enum { ELFCORE_EM_ARM = 40, ELFCORE_EM_X86_64 = 62, ELFCORE_EM_AARCH64 = 183 };

/* the header is padded to this, as the kernel's ELF_CORE_HEADER_ALIGN */
#define ELFCORE_ALIGN 4096

struct elfcore {
	uint16_t machine;	/* e_machine of the crashed kernel */
	int elf64;		/* ELFCLASS64, else ELFCLASS32 (arm) */
	/* one PT_NOTE each: the possible CPUs' crash_notes buffers, then
	 * vmcoreinfo (empty range: none) */
	const struct mem_range *notes;
	size_t nnotes;
	struct mem_range vmcoreinfo;
	/* a PT_LOAD for the kernel image's own mapping (x86_64, arm64:
	 * _text.._end at text_vaddr); empty range: none */
	struct mem_range text;
	uint64_t text_vaddr;
	/* one PT_LOAD per range of the crashed kernel's RAM; p_vaddr is
	 * p_paddr + ram_voff (the linear map), 0 when ram_voff is 0 */
	const struct mem_range *ram;
	size_t nram;
	uint64_t ram_voff;
};

/* the header into a malloc'd buffer, a multiple of ELFCORE_ALIGN;
 * -EOVERFLOW when an ELF32 header cannot hold an address, -E2BIG beyond
 * 65535 program headers, -ENOMEM */
int elfcore_build(const struct elfcore *c, uint8_t **out, size_t *len);

/* an ELF header's class and program-header table (offset, entry size,
 * count), unchecked beyond the header itself: 0, or -EINVAL when buf is
 * no ELF32/ELF64 header (pure) */
int elfcore_ehdr(const uint8_t *buf, size_t len, int *elf64,
	uint64_t *phoff, size_t *phent, size_t *phnum);
/* the kernel's mappings as /proc/kcore describes them (fs/proc/kcore.c:
 * p_paddr is set for RAM and the kernel text, all ones otherwise):
 * ram_voff from the lowest mapped RAM, text from the highest segment when
 * its offset differs (the image mapped apart from the linear map).
 * buf holds the ELF header and the program headers. 0, or -EINVAL. */
int elfcore_parse_kcore(const uint8_t *buf, size_t len, uint64_t *ram_voff,
	struct mem_range *text, uint64_t *text_vaddr);

/* the next range of a cpulist (/sys/devices/system/cpu/possible:
 * "0-3,8,10-11\n"): *first..*last, *s moved past it. 1: a range; 0: the
 * end (NUL or newline); -EINVAL: malformed, or a CPU above 65535. */
int elfcore_cpulist_next(const char **s, unsigned *first, unsigned *last);

/* /sys/kernel/vmcoreinfo ("%pa %x\n": hex address, hex size, kernel/
 * ksysfs.c) as the range it names; -EINVAL when malformed or empty */
int elfcore_parse_vmcoreinfo(const char *text, struct mem_range *r);

#endif
