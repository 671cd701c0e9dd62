/* the ELF core header of a kdump kernel (lib/plan/elfcore.c), the /proc/kcore
 * reader, and the dumped RAM (memmap_dump_ranges) from fixtures; the
 * headers are read back through <elf.h>'s structs, not the writer's
 * offsets */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcore.h"
#include "hop.h"
#include "plan.h"
#include "test.h"

/* two CPUs' notes, vmcoreinfo, the image's mapping, two RAM ranges: an
 * x86_64 with 2 GiB, KASLR'd text */
static const struct mem_range notes[] = {
	{ 0x7fa1c000, 0x7fa1c150 }, { 0x7fa5c000, 0x7fa5c150 },
};
static const struct mem_range ram[] = {
	{ 0x100000, 0x25000000 }, { 0x35000000, 0x7ffe0000 },
};

/* one expected program header: type, p_paddr (= p_offset), p_vaddr,
 * p_filesz (= p_memsz), flags */
struct want_ph {
	uint32_t type;
	uint64_t paddr, vaddr, size;
	uint32_t flags;
};

static void check_ph64(const char *call, const uint8_t *b, size_t i,
	const struct want_ph *w)
{
	Elf64_Phdr ph;

	memcpy(&ph, b + sizeof(Elf64_Ehdr) + i * sizeof(ph), sizeof(ph));
	CHECK(ph.p_type == w->type && ph.p_offset == w->paddr &&
		ph.p_paddr == w->paddr && ph.p_vaddr == w->vaddr &&
		ph.p_filesz == w->size && ph.p_memsz == w->size &&
		ph.p_flags == w->flags && ph.p_align == 0,
		"%s phdr[%zu] = {type %u, off 0x%llx, paddr 0x%llx, vaddr "
		"0x%llx, filesz 0x%llx, memsz 0x%llx, flags %u}; want {type "
		"%u, 0x%llx, vaddr 0x%llx, size 0x%llx, flags %u}", call, i,
		ph.p_type, (unsigned long long)ph.p_offset,
		(unsigned long long)ph.p_paddr, (unsigned long long)ph.p_vaddr,
		(unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz,
		ph.p_flags, w->type, (unsigned long long)w->paddr,
		(unsigned long long)w->vaddr, (unsigned long long)w->size,
		w->flags);
}

static void check_ph32(const char *call, const uint8_t *b, size_t i,
	const struct want_ph *w)
{
	Elf32_Phdr ph;

	memcpy(&ph, b + sizeof(Elf32_Ehdr) + i * sizeof(ph), sizeof(ph));
	CHECK(ph.p_type == w->type && ph.p_offset == w->paddr &&
		ph.p_paddr == w->paddr && ph.p_vaddr == w->vaddr &&
		ph.p_filesz == w->size && ph.p_memsz == w->size &&
		ph.p_flags == w->flags && ph.p_align == 0,
		"%s phdr[%zu] = {type %u, off 0x%x, paddr 0x%x, vaddr 0x%x, "
		"filesz 0x%x, memsz 0x%x, flags %u}; want {type %u, 0x%llx, "
		"vaddr 0x%llx, size 0x%llx, flags %u}", call, i, ph.p_type,
		ph.p_offset, ph.p_paddr, ph.p_vaddr, ph.p_filesz, ph.p_memsz,
		ph.p_flags, w->type, (unsigned long long)w->paddr,
		(unsigned long long)w->vaddr, (unsigned long long)w->size,
		w->flags);
}

#define RWX (PF_R | PF_W | PF_X)

static void test_x86_64(void)
{
	static const struct want_ph want[] = {
		{ PT_NOTE, 0x7fa1c000, 0, 0x150, 0 },
		{ PT_NOTE, 0x7fa5c000, 0, 0x150, 0 },
		{ PT_NOTE, 0x7f9bb000, 0, 0x1024, 0 },
		{ PT_LOAD, 0x1e000000, 0xffffffffa6000000, 0x2c00000, RWX },
		{ PT_LOAD, 0x100000, 0xffff9c8000100000, 0x24f00000, RWX },
		{ PT_LOAD, 0x35000000, 0xffff9c8035000000, 0x4afe0000, RWX },
	};
	struct elfcore c;
	Elf64_Ehdr eh;
	uint8_t *b = NULL;
	size_t len = 0, i;
	int err;

	memset(&c, 0, sizeof(c));
	c.machine = ELFCORE_EM_X86_64;
	c.elf64 = 1;
	c.notes = notes;
	c.nnotes = 2;
	c.vmcoreinfo.start = 0x7f9bb000;
	c.vmcoreinfo.end = 0x7f9bc024;
	c.text.start = 0x1e000000;
	c.text.end = 0x20c00000;
	c.text_vaddr = 0xffffffffa6000000;
	c.ram = ram;
	c.nram = 2;
	c.ram_voff = 0xffff9c8000000000;
	err = elfcore_build(&c, &b, &len);
	CHECK_INT("elfcore_build(x86_64)", err, 0);
	if (err) {
		return;
	}
	CHECK_INT("elfcore_build(x86_64) len", len, 4096);
	memcpy(&eh, b, sizeof(eh));
	CHECK(!memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
		eh.e_ident[EI_CLASS] == ELFCLASS64 &&
		eh.e_ident[EI_DATA] == ELFDATA2LSB &&
		eh.e_ident[EI_VERSION] == EV_CURRENT &&
		eh.e_ident[EI_OSABI] == ELFOSABI_NONE,
		"elfcore_build(x86_64) e_ident = %02x %02x %02x %02x class %u "
		"data %u version %u; want \\177ELF, 2, 1, 1", eh.e_ident[0],
		eh.e_ident[1], eh.e_ident[2], eh.e_ident[3],
		eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA],
		eh.e_ident[EI_VERSION]);
	CHECK_INT("elfcore_build(x86_64) e_type", eh.e_type, ET_CORE);
	CHECK_INT("elfcore_build(x86_64) e_machine", eh.e_machine, EM_X86_64);
	CHECK_INT("elfcore_build(x86_64) e_version", eh.e_version,
		EV_CURRENT);
	CHECK_INT("elfcore_build(x86_64) e_entry", eh.e_entry, 0);
	CHECK_INT("elfcore_build(x86_64) e_phoff", eh.e_phoff, 64);
	CHECK_INT("elfcore_build(x86_64) e_ehsize", eh.e_ehsize, 64);
	CHECK_INT("elfcore_build(x86_64) e_phentsize", eh.e_phentsize, 56);
	CHECK_INT("elfcore_build(x86_64) e_phnum", eh.e_phnum, 6);
	CHECK_INT("elfcore_build(x86_64) e_shnum", eh.e_shnum, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		check_ph64("elfcore_build(x86_64)", b, i, &want[i]);
	}
	for (i = 64 + 6 * 56; i < len && !b[i]; i++) {
	}
	CHECK_INT("elfcore_build(x86_64) zero padding ends at", i, len);
	free(b);

	/* no notes, no vmcoreinfo, no text, no linear map: RAM alone */
	c.nnotes = 0;
	c.vmcoreinfo.start = c.vmcoreinfo.end = 0;
	c.text.start = c.text.end = 0;
	c.ram_voff = 0;
	err = elfcore_build(&c, &b, &len);
	CHECK_INT("elfcore_build(RAM only)", err, 0);
	if (err == 0) {
		struct want_ph w = { PT_LOAD, 0x35000000, 0, 0x4afe0000, RWX };

		memcpy(&eh, b, sizeof(eh));
		CHECK_INT("elfcore_build(RAM only) e_phnum", eh.e_phnum, 2);
		check_ph64("elfcore_build(RAM only)", b, 1, &w);
		free(b);
	}
}

static void test_arm(void)
{
	static const struct mem_range arm_ram[] = {
		{ 0x40000000, 0x5c000000 }, { 0x6c000000, 0x80000000 },
		{ 0x80000000, 0xfffff000 },
	};
	static const struct want_ph want[] = {
		{ PT_NOTE, 0x5f7e4000, 0, 0x98, 0 },
		{ PT_NOTE, 0x5e6e1000, 0, 0x1024, 0 },
		{ PT_LOAD, 0x40000000, 0xc0000000, 0x1c000000, RWX },
		{ PT_LOAD, 0x6c000000, 0xec000000, 0x14000000, RWX },
		/* highmem: no linear address */
		{ PT_LOAD, 0x80000000, 0, 0x7ffff000, RWX },
	};
	struct mem_range note = { 0x5f7e4000, 0x5f7e4098 }, big;
	struct elfcore c;
	Elf32_Ehdr eh;
	uint8_t *b = NULL;
	size_t len = 0, i;
	int err;

	memset(&c, 0, sizeof(c));
	c.machine = ELFCORE_EM_ARM;
	c.notes = &note;
	c.nnotes = 1;
	c.vmcoreinfo.start = 0x5e6e1000;
	c.vmcoreinfo.end = 0x5e6e2024;
	c.ram = arm_ram;
	c.nram = 3;
	c.ram_voff = 0x80000000;
	err = elfcore_build(&c, &b, &len);
	CHECK_INT("elfcore_build(arm)", err, 0);
	if (err) {
		return;
	}
	CHECK_INT("elfcore_build(arm) len", len, 4096);
	memcpy(&eh, b, sizeof(eh));
	CHECK_INT("elfcore_build(arm) class", eh.e_ident[EI_CLASS],
		ELFCLASS32);
	CHECK_INT("elfcore_build(arm) e_type", eh.e_type, ET_CORE);
	CHECK_INT("elfcore_build(arm) e_machine", eh.e_machine, EM_ARM);
	CHECK_INT("elfcore_build(arm) e_flags", eh.e_flags, 0);
	CHECK_INT("elfcore_build(arm) e_phoff", eh.e_phoff, 52);
	CHECK_INT("elfcore_build(arm) e_ehsize", eh.e_ehsize, 52);
	CHECK_INT("elfcore_build(arm) e_phentsize", eh.e_phentsize, 32);
	CHECK_INT("elfcore_build(arm) e_phnum", eh.e_phnum, 5);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		check_ph32("elfcore_build(arm)", b, i, &want[i]);
	}
	free(b);

	/* LPAE RAM above 4 GiB does not fit ELF32 (the caller picks ELF64) */
	big.start = 0x100000000ull;
	big.end = 0x140000000ull;
	c.ram = &big;
	c.nram = 1;
	CHECK_INT("elfcore_build(ELF32, RAM above 4 GiB)",
		elfcore_build(&c, &b, &len), -EOVERFLOW);
	c.elf64 = 1;
	CHECK_INT("elfcore_build(ELF64, RAM above 4 GiB)",
		elfcore_build(&c, &b, &len), 0);
	free(b);
}

/* more program headers than one page: the next page boundary */
static void test_sizes(void)
{
	struct mem_range *many = calloc(100, sizeof(*many));
	struct elfcore c;
	uint8_t *b = NULL;
	size_t len = 0, i;

	for (i = 0; i < 100; i++) {
		many[i].start = (i + 1) << 28;
		many[i].end = many[i].start + 0x1000000;
	}
	memset(&c, 0, sizeof(c));
	c.machine = ELFCORE_EM_AARCH64;
	c.elf64 = 1;
	c.ram = many;
	c.nram = 100;
	CHECK_INT("elfcore_build(100 ranges)", elfcore_build(&c, &b, &len), 0);
	CHECK_INT("elfcore_build(100 ranges) len (64 + 100 * 56)", len, 8192);
	free(b);
	c.nram = 0xffff;	/* PN_XNUM: out of reach */
	CHECK_INT("elfcore_build(65535 headers)", elfcore_build(&c, &b, &len),
		-E2BIG);
	free(many);
}

/* a /proc/kcore header: ELF64 or ELF32, PT_LOADs {vaddr, paddr, size};
 * paddr all ones is vmalloc, modules, vmemmap (fs/proc/kcore.c) */
static size_t mk_kcore(uint8_t *buf, int elf64, const uint64_t (*ph)[3],
	size_t n)
{
	size_t i, eh = elf64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t pe = elf64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	memset(buf, 0, eh + (n + 1) * pe);
	if (elf64) {
		Elf64_Ehdr h = { .e_type = ET_CORE, .e_phoff = sizeof(h),
			.e_phentsize = sizeof(Elf64_Phdr),
			.e_phnum = (uint16_t)(n + 1) };
		Elf64_Phdr p = { .p_type = PT_NOTE };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS64;
		memcpy(buf, &h, sizeof(h));
		memcpy(buf + eh, &p, sizeof(p));
		for (i = 0; i < n; i++) {
			p.p_type = PT_LOAD;
			p.p_vaddr = ph[i][0];
			p.p_paddr = ph[i][1];
			p.p_memsz = p.p_filesz = ph[i][2];
			memcpy(buf + eh + (i + 1) * pe, &p, sizeof(p));
		}
	} else {
		Elf32_Ehdr h = { .e_type = ET_CORE, .e_phoff = sizeof(h),
			.e_phentsize = sizeof(Elf32_Phdr),
			.e_phnum = (uint16_t)(n + 1) };
		Elf32_Phdr p = { .p_type = PT_NOTE };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS32;
		memcpy(buf, &h, sizeof(h));
		memcpy(buf + eh, &p, sizeof(p));
		for (i = 0; i < n; i++) {
			p.p_type = PT_LOAD;
			p.p_vaddr = (uint32_t)ph[i][0];
			p.p_paddr = (uint32_t)ph[i][1];
			p.p_memsz = p.p_filesz = (uint32_t)ph[i][2];
			memcpy(buf + eh + (i + 1) * pe, &p, sizeof(p));
		}
	}
	return eh + (n + 1) * pe;
}

#define NONE64 0xffffffffffffffffull
#define NONE32 0xffffffffull

static const struct {
	const char *name;
	int elf64;
	uint64_t ph[5][3];
	size_t n;
	int err;
	uint64_t voff, text_start, text_end, text_vaddr;
} kcores[] = {
	/* x86_64 (order of fs/proc/kcore.c: text, vmalloc, modules, RAM,
	 * vmemmap, the vsyscall page) */
	{ "x86_64", 1, {
		{ 0xffffffffa6000000, 0x1e000000, 0x2c00000 },
		{ 0xffffb80000000000, NONE64, 0x1000000000 },
		{ 0xffff9c8000100000, 0x100000, 0x3fee0000 },
		{ 0xffffe7a000000000, NONE64, 0x1000000 },
		{ 0xffffffffff600000, NONE64, 0x1000 } }, 5, 0,
		0xffff9c8000000000, 0x1e000000, 0x20c00000,
		0xffffffffa6000000 },
	/* arm64: the image in the vmalloc area, above the linear map */
	{ "arm64", 1, {
		{ 0xffff800008000000, NONE64, 0x7bdfff0000 },
		{ 0xffffa9d2c6c00000, 0x40210000, 0x2100000 },
		{ 0xffff2f0040000000, 0x40000000, 0x40000000 } }, 3, 0,
		0xffff2f0000000000, 0x40210000, 0x42310000,
		0xffffa9d2c6c00000 },
	/* arm: the image inside the linear map, no mapping of its own */
	{ "arm", 0, {
		{ 0xc0008000, 0x40008000, 0x1400000 },
		{ 0xc0000000, 0x40000000, 0x2f800000 },
		{ 0xf0000000, NONE32, 0x0f000000 } }, 3, 0,
		0x80000000, 0, 0, 0 },
	/* nothing with a physical address */
	{ "vmalloc only", 1, { { 0xffffb80000000000, NONE64, 0x1000 } }, 1,
		-EINVAL, 0, 0, 0, 0 },
};

static void test_kcore(void)
{
	uint8_t buf[1024];
	struct mem_range text;
	uint64_t voff, tv;
	size_t i, len;
	int err;

	for (i = 0; i < sizeof(kcores) / sizeof(kcores[0]); i++) {
		len = mk_kcore(buf, kcores[i].elf64, kcores[i].ph, kcores[i].n);
		err = elfcore_parse_kcore(buf, len, &voff, &text, &tv);
		CHECK(err == kcores[i].err && voff == kcores[i].voff &&
			text.start == kcores[i].text_start &&
			text.end == kcores[i].text_end &&
			tv == kcores[i].text_vaddr, "elfcore_parse_kcore(%s) = "
			"%d, voff 0x%llx, text 0x%llx-0x%llx at 0x%llx; want "
			"%d, 0x%llx, 0x%llx-0x%llx at 0x%llx", kcores[i].name,
			err,
			(unsigned long long)voff,
			(unsigned long long)text.start,
			(unsigned long long)text.end, (unsigned long long)tv,
			kcores[i].err, (unsigned long long)kcores[i].voff,
			(unsigned long long)kcores[i].text_start,
			(unsigned long long)kcores[i].text_end,
			(unsigned long long)kcores[i].text_vaddr);
	}
	len = mk_kcore(buf, 1, kcores[0].ph, kcores[0].n);
	CHECK_INT("elfcore_parse_kcore(program headers cut off)",
		elfcore_parse_kcore(buf, len - 1, &voff, &text, &tv), -EINVAL);
	buf[1] = 'X';
	CHECK_INT("elfcore_parse_kcore(bad magic)",
		elfcore_parse_kcore(buf, len, &voff, &text, &tv), -EINVAL);
	CHECK_INT("elfcore_parse_kcore(10 bytes)",
		elfcore_parse_kcore(buf, 10, &voff, &text, &tv), -EINVAL);
}

static const char *dump(const struct mem_range *r, int n)
{
	static char out[512];
	size_t k = 0;
	int i;

	if (n < 0) {
		snprintf(out, sizeof(out), "error %d", n);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%llx-%llx",
			i ? " " : "", (unsigned long long)r[i].start,
			(unsigned long long)r[i].end);
	}
	return out;
}

static const struct {
	const char *name, *iomem;
	uint64_t skip;
	const char *want;
} dumps[] = {
	/* children (Kernel code, reserved) stay in; the reservation and the
	 * low 1 MiB go; RAM (kmem) is not System RAM */
	{ "x86", "00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"000f0000-000fffff : System ROM\n"
		"00100000-3ffdffff : System RAM\n"
		"  1e000000-1e000fff : Kernel code\n"
		"  25000000-34ffffff : Crash kernel\n"
		"  3f000000-3f0fffff : reserved\n"
		"3ffe0000-3fffffff : Reserved\n"
		"100000000-13fffffff : System RAM\n"
		"140000000-17fffffff : System RAM (kmem)\n", 1 << 20,
		"100000-25000000 35000000-3ffe0000 100000000-140000000" },
	{ "x86, nothing skipped", "00001000-0009fbff : System RAM\n"
		"00100000-3ffdffff : System RAM\n"
		"  25000000-34ffffff : Crash kernel\n", 0,
		"1000-9fc00 100000-25000000 35000000-3ffe0000" },
	/* arm64: reserved top-level (nomap) is not dumped; a crash kernel
	 * at the end of RAM */
	{ "arm64", "40000000-4fffffff : System RAM\n"
		"  40210000-4158ffff : Kernel code\n"
		"50000000-5000ffff : reserved\n"
		"50010000-7fffffff : System RAM\n"
		"  70000000-7fffffff : Crash kernel\n", 0,
		"40000000-50000000 50010000-70000000" },
};

static void test_dump_ranges(void)
{
	struct mem_range out[MEMMAP_MAX];
	struct memmap *mm = calloc(1, sizeof(*mm));
	char call[96];
	size_t i;
	int n;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		memset(mm, 0, sizeof(*mm));
		snprintf(call, sizeof(call), "memmap_dump_ranges(%s)",
			dumps[i].name);
		if (memmap_parse_iomem(dumps[i].iomem, mm) < 0) {
			CHECK(0, "%s: fixture does not parse", call);
			continue;
		}
		n = memmap_dump_ranges(mm, dumps[i].skip, out, MEMMAP_MAX);
		CHECK_STR(call, dump(out, n), dumps[i].want);
	}
	/* the reservation splits a range: one slot more than there is */
	memset(mm, 0, sizeof(*mm));
	memmap_parse_iomem(dumps[2].iomem, mm);
	CHECK_INT("memmap_dump_ranges(max 2, needs 2)",
		memmap_dump_ranges(mm, 0, out, 2), 2);
	memmap_parse_iomem("40000000-7fffffff : System RAM\n"
		"  60000000-60ffffff : Crash kernel\n", mm);
	CHECK_INT("memmap_dump_ranges(max 1, split)",
		memmap_dump_ranges(mm, 0, out, 1), -E2BIG);
	free(mm);
}

/* /sys/devices/system/cpu/possible and /sys/kernel/vmcoreinfo texts */
static void test_sysfs_texts(void)
{
	static const struct {
		const char *in, *want;	/* want: "a-b " per range, or "EINVAL" */
	} cl[] = {
		{ "0\n", "0-0 " },
		{ "0-3\n", "0-3 " },
		{ "0-3,8,10-11\n", "0-3 8-8 10-11 " },
		{ "", "" },
		{ "\n", "" },
		{ "3-1\n", "EINVAL" },
		{ "0-65536\n", "EINVAL" },
		{ "0,\n", "EINVAL" },
		{ "0-\n", "EINVAL" },
		{ "-1\n", "EINVAL" },
		{ " 1\n", "EINVAL" },
		{ "1,-2\n", "EINVAL" },
		{ "1x\n", "EINVAL" },
		{ "99999999999999999999999\n", "EINVAL" },
	};
	static const struct {
		const char *in;
		int err;
		uint64_t start, end;
	} vi[] = {
		{ "0x000000013fd1e000 1000\n", 0, 0x13fd1e000, 0x13fd1f000 },
		{ "0x4fe0000 1000", 0, 0x4fe0000, 0x4fe1000 },
		{ "0x4fe0000 0\n", -EINVAL, 0, 0 },
		{ "0x4fe0000\n", -EINVAL, 0, 0 },
		{ "0x4fe0000 1000 x\n", -EINVAL, 0, 0 },
		{ "0xffffffffffffffff 1000\n", -EINVAL, 0, 0 },
		{ " 0x1000 1000\n", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
	};
	char got[128], call[96];
	struct mem_range r;
	unsigned a, b;
	size_t i, n;
	int err;

	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		const char *s = cl[i].in;

		got[0] = '\0';
		n = 0;
		while ((err = elfcore_cpulist_next(&s, &a, &b)) > 0 &&
			n < sizeof(got) - 24) {
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%u-%u ",
				a, b);
		}
		if (err < 0) {
			snprintf(got, sizeof(got), "%s", errname(-err));
		}
		snprintf(call, sizeof(call), "elfcore_cpulist_next(\"%s\")",
			cl[i].in);
		CHECK_STR(call, got, cl[i].want);
	}
	for (i = 0; i < sizeof(vi) / sizeof(vi[0]); i++) {
		memset(&r, 0, sizeof(r));
		snprintf(call, sizeof(call), "elfcore_parse_vmcoreinfo(\"%s\")",
			vi[i].in);
		err = elfcore_parse_vmcoreinfo(vi[i].in, &r);
		CHECK_INT(call, err, vi[i].err);
		CHECK(r.start == vi[i].start && r.end == vi[i].end,
			"%s = %llx-%llx; want %llx-%llx", call,
			(unsigned long long)r.start, (unsigned long long)r.end,
			(unsigned long long)vi[i].start,
			(unsigned long long)vi[i].end);
	}
}

void test_elfcore(void)
{
	test_sysfs_texts();
	test_x86_64();
	test_arm();
	test_sizes();
	test_kcore();
	test_dump_ranges();
}
