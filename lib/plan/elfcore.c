/* The ELF core header for a kdump kernel loaded with kexec_load, laid out
 * as the kernel's own for kexec_file (kernel/crash_core.c
 * crash_prepare_elf64_headers): an ET_CORE header, a PT_NOTE per possible
 * CPU (its crash_notes buffer), a PT_NOTE for vmcoreinfo, a PT_LOAD for
 * the kernel image's mapping, then a PT_LOAD per RAM range with
 * p_offset = p_paddr = the physical address (what /proc/vmcore reads:
 * fs/proc/vmcore.c). Written field by field in little endian, the byte
 * order of every arch hop loads. Pure: no I/O. */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "elfcore.h"

/* the 32-bit fields of an ELF32 header that may not hold an address */
static int fits(int elf64, uint64_t v)
{
	return elf64 || v <= UINT32_MAX;
}

static void put_word(uint8_t *p, int elf64, uint64_t v)
{
	if (elf64) {
		put_le64(p, v);
	} else {
		put_le32(p, (uint32_t)v);
	}
}

static void put_ehdr(uint8_t *b, const struct elfcore *c, uint16_t phnum)
{
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = c->elf64 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	b[EI_OSABI] = ELFOSABI_NONE;
	if (c->elf64) {
		put_le16(b + offsetof(Elf64_Ehdr, e_type), ET_CORE);
		put_le16(b + offsetof(Elf64_Ehdr, e_machine), c->machine);
		put_le32(b + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
		put_le64(b + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
		put_le16(b + offsetof(Elf64_Ehdr, e_ehsize),
			sizeof(Elf64_Ehdr));
		put_le16(b + offsetof(Elf64_Ehdr, e_phentsize),
			sizeof(Elf64_Phdr));
		put_le16(b + offsetof(Elf64_Ehdr, e_phnum), phnum);
	} else {
		put_le16(b + offsetof(Elf32_Ehdr, e_type), ET_CORE);
		put_le16(b + offsetof(Elf32_Ehdr, e_machine), c->machine);
		put_le32(b + offsetof(Elf32_Ehdr, e_version), EV_CURRENT);
		put_le32(b + offsetof(Elf32_Ehdr, e_phoff), sizeof(Elf32_Ehdr));
		put_le16(b + offsetof(Elf32_Ehdr, e_ehsize),
			sizeof(Elf32_Ehdr));
		put_le16(b + offsetof(Elf32_Ehdr, e_phentsize),
			sizeof(Elf32_Phdr));
		put_le16(b + offsetof(Elf32_Ehdr, e_phnum), phnum);
	}
}

/* one program header: the data is at the physical address (p_offset =
 * p_paddr), as in the kernel's; -EOVERFLOW when ELF32 cannot hold it */
static int put_phdr(uint8_t *p, int elf64, uint32_t type, uint64_t paddr,
	uint64_t vaddr, uint64_t size)
{
	uint32_t flags = type == PT_LOAD ? PF_R | PF_W | PF_X : 0;

	if (!fits(elf64, paddr) || !fits(elf64, size) ||
		!fits(elf64, paddr + size - 1)) {
		return -EOVERFLOW;
	}
	if (!fits(elf64, vaddr)) {
		vaddr = 0;	/* highmem: not in the linear map */
	}
	if (elf64) {
		put_le32(p + offsetof(Elf64_Phdr, p_type), type);
		put_le32(p + offsetof(Elf64_Phdr, p_flags), flags);
	} else {
		put_le32(p + offsetof(Elf32_Phdr, p_type), type);
		put_le32(p + offsetof(Elf32_Phdr, p_flags), flags);
	}
	put_word(p + (elf64 ? offsetof(Elf64_Phdr, p_offset) :
		offsetof(Elf32_Phdr, p_offset)), elf64, paddr);
	put_word(p + (elf64 ? offsetof(Elf64_Phdr, p_vaddr) :
		offsetof(Elf32_Phdr, p_vaddr)), elf64, vaddr);
	put_word(p + (elf64 ? offsetof(Elf64_Phdr, p_paddr) :
		offsetof(Elf32_Phdr, p_paddr)), elf64, paddr);
	put_word(p + (elf64 ? offsetof(Elf64_Phdr, p_filesz) :
		offsetof(Elf32_Phdr, p_filesz)), elf64, size);
	put_word(p + (elf64 ? offsetof(Elf64_Phdr, p_memsz) :
		offsetof(Elf32_Phdr, p_memsz)), elf64, size);
	return 0;
}

int elfcore_build(const struct elfcore *c, uint8_t **out, size_t *len)
{
	size_t eh = c->elf64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t ph = c->elf64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t n = 0, i, total;
	int have_info = c->vmcoreinfo.end > c->vmcoreinfo.start;
	int have_text = c->text.end > c->text.start;
	uint8_t *b, *p;
	int err = 0;

	total = c->nnotes + (size_t)have_info + (size_t)have_text + c->nram;
	/* PN_XNUM (0xffff) would mean "the count is elsewhere" */
	if (total >= PN_XNUM) {
		return -E2BIG;
	}
	*len = align_up(eh + total * ph, ELFCORE_ALIGN);
	b = calloc(1, *len);
	if (!b) {
		return -ENOMEM;
	}
	put_ehdr(b, c, (uint16_t)total);
	p = b + eh;
	for (i = 0; i < c->nnotes && !err; i++, n++) {
		err = put_phdr(p + n * ph, c->elf64, PT_NOTE,
			c->notes[i].start, 0,
			c->notes[i].end - c->notes[i].start);
	}
	if (have_info && !err) {
		err = put_phdr(p + n++ * ph, c->elf64, PT_NOTE,
			c->vmcoreinfo.start, 0,
			c->vmcoreinfo.end - c->vmcoreinfo.start);
	}
	/* the same memory twice, once at the image's addresses: what gdb
	 * and crash want (crash_prepare_elf64_headers' comment) */
	if (have_text && !err) {
		err = put_phdr(p + n++ * ph, c->elf64, PT_LOAD, c->text.start,
			c->text_vaddr, c->text.end - c->text.start);
	}
	for (i = 0; i < c->nram && !err; i++, n++) {
		err = put_phdr(p + n * ph, c->elf64, PT_LOAD, c->ram[i].start,
			c->ram_voff ? c->ram[i].start + c->ram_voff : 0,
			c->ram[i].end - c->ram[i].start);
	}
	if (err) {
		free(b);
		return err;
	}
	*out = b;
	return 0;
}

static uint64_t get_word(const uint8_t *p, int elf64)
{
	return elf64 ? le64(p) : le32(p);
}

int elfcore_ehdr(const uint8_t *buf, size_t len, int *elf64,
	uint64_t *phoff, size_t *phent, size_t *phnum)
{
	if (len < sizeof(Elf32_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) ||
		(buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)) {
		return -EINVAL;
	}
	*elf64 = buf[EI_CLASS] == ELFCLASS64;
	if (*elf64 && len < sizeof(Elf64_Ehdr)) {
		return -EINVAL;
	}
	*phoff = *elf64 ? le64(buf + offsetof(Elf64_Ehdr, e_phoff)) :
		le32(buf + offsetof(Elf32_Ehdr, e_phoff));
	*phent = le16(buf + (*elf64 ? offsetof(Elf64_Ehdr, e_phentsize) :
		offsetof(Elf32_Ehdr, e_phentsize)));
	*phnum = le16(buf + (*elf64 ? offsetof(Elf64_Ehdr, e_phnum) :
		offsetof(Elf32_Ehdr, e_phnum)));
	return 0;
}

int elfcore_parse_kcore(const uint8_t *buf, size_t len, uint64_t *ram_voff,
	struct mem_range *text, uint64_t *text_vaddr)
{
	uint64_t phoff, lo_v = UINT64_MAX, hi_v = 0, lo_off = 0, hi_off = 0;
	uint64_t hi_p = 0, hi_sz = 0, none;
	size_t phent, phnum, i;
	int elf64;

	*ram_voff = 0;
	*text_vaddr = 0;
	text->start = text->end = 0;
	if (elfcore_ehdr(buf, len, &elf64, &phoff, &phent, &phnum) < 0) {
		return -EINVAL;
	}
	if (phent != (elf64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
		phoff > len || phnum > (len - phoff) / phent) {
		return -EINVAL;
	}
	none = elf64 ? UINT64_MAX : UINT32_MAX;
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = buf + phoff + i * phent;
		uint64_t v, pa, sz;

		if (le32(p) != PT_LOAD) {
			continue;
		}
		v = get_word(p + (elf64 ? offsetof(Elf64_Phdr, p_vaddr) :
			offsetof(Elf32_Phdr, p_vaddr)), elf64);
		pa = get_word(p + (elf64 ? offsetof(Elf64_Phdr, p_paddr) :
			offsetof(Elf32_Phdr, p_paddr)), elf64);
		sz = get_word(p + (elf64 ? offsetof(Elf64_Phdr, p_memsz) :
			offsetof(Elf32_Phdr, p_memsz)), elf64);
		if (pa == none || !sz) {
			continue;	/* vmalloc, modules, vmemmap */
		}
		if (v < lo_v) {
			lo_v = v;
			lo_off = v - pa;
		}
		if (v >= hi_v) {
			hi_v = v;
			hi_off = v - pa;
			hi_p = pa;
			hi_sz = sz;
		}
	}
	if (lo_v == UINT64_MAX) {
		return -EINVAL;
	}
	*ram_voff = lo_off;
	/* x86_64 maps the image at __START_KERNEL_map, arm64 in the vmalloc
	 * area: both above the linear map, at another offset */
	if (hi_off != lo_off) {
		text->start = hi_p;
		text->end = hi_p + hi_sz;
		*text_vaddr = hi_v;
	}
	return 0;
}

int elfcore_cpulist_next(const char **s, unsigned *first, unsigned *last)
{
	const char *p = *s;
	unsigned long a, b;
	char *end;

	if (*p == ',') {
		p++;	/* between two ranges */
	} else if (!*p || *p == '\n') {
		return 0;
	}
	/* strtoul takes a sign and blanks: a cpulist has neither */
	if (*p < '0' || *p > '9') {
		return -EINVAL;
	}
	a = b = strtoul(p, &end, 10);
	if (*end == '-') {
		p = end + 1;
		if (*p < '0' || *p > '9') {
			return -EINVAL;
		}
		b = strtoul(p, &end, 10);
	}
	if (b < a || b > 65535 || (*end && *end != ',' && *end != '\n') ||
		(*end == ',' && (end[1] < '0' || end[1] > '9'))) {
		return -EINVAL;
	}
	*first = (unsigned)a;
	*last = (unsigned)b;
	*s = end;
	return 1;
}

int elfcore_parse_vmcoreinfo(const char *text, struct mem_range *r)
{
	uint64_t addr, size;
	char *end, *e2;

	if (!isxdigit((unsigned char)text[0])) {
		return -EINVAL;
	}
	addr = strtoull(text, &end, 16);
	if (*end != ' ' || !isxdigit((unsigned char)end[1])) {
		return -EINVAL;
	}
	size = strtoull(end + 1, &e2, 16);
	if (!size || (*e2 && strcmp(e2, "\n")) || addr + size < addr) {
		return -EINVAL;
	}
	r->start = addr;
	r->end = addr + size;
	return 0;
}
