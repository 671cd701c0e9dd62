/* the x86_64 ELF planner (arch/x86_64/elf.c) and the 64-to-32-bit
 * trampoline (entry32.c) on synthetic ELF64 and ELF32 kernels */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "test.h"

#define ELF_LEN 0x6000
#define CMDLINE "console=ttyS0 root=/dev/vda"

static uint8_t elf[ELF_LEN];
static uint8_t initrd[0x3000];

static const char iomem[] =
	"00001000-0009fbff : System RAM\n"
	"00100000-3fffffff : System RAM\n"
	"100000000-13fffffff : System RAM\n";

void x86_test_mm(struct memmap *mm)
{
	memset(mm, 0, sizeof(*mm));
	memmap_parse_iomem(iomem, mm);
	memmap_add_firmware(mm, 0, 0x9fbff, "System RAM");
	memmap_add_firmware(mm, 0x9fc00, 0x9ffff, "Reserved");
	memmap_add_firmware(mm, 0x100000, 0x3fffffff, "System RAM");
	memmap_add_firmware(mm, 0xfffc0000, 0xffffffff, "Reserved");
	memmap_add_firmware(mm, 0x100000000, 0x13fffffff, "System RAM");
}

/* an ELF header; phnum program headers follow at 64 (ELF64) or 52 */
static void ehdr(uint8_t *b, int elf64, unsigned machine, uint64_t entry,
	unsigned phnum)
{
	memcpy(b, "\177ELF", 4);
	b[4] = elf64 ? 2 : 1;
	b[5] = 1;
	b[6] = 1;
	put_le16(b + 16, 2);
	put_le16(b + 18, (uint16_t)machine);
	put_le32(b + 20, 1);
	if (elf64) {
		put_le64(b + 24, entry);
		put_le64(b + 32, 64);
		put_le16(b + 52, 64);
		put_le16(b + 54, 56);
		put_le16(b + 56, (uint16_t)phnum);
	} else {
		put_le32(b + 24, (uint32_t)entry);
		put_le32(b + 28, 52);
		put_le16(b + 40, 52);
		put_le16(b + 42, 32);
		put_le16(b + 44, (uint16_t)phnum);
	}
}

void x86_test_phdr(uint8_t *b, int elf64, unsigned i, uint32_t type,
	uint64_t off, uint64_t vaddr, uint64_t paddr, uint64_t filesz,
	uint64_t memsz)
{
	uint8_t *ph = b + (elf64 ? 64 + 56 * i : 52 + 32 * i);

	put_le32(ph, type);
	if (elf64) {
		put_le64(ph + 8, off);
		put_le64(ph + 16, vaddr);
		put_le64(ph + 24, paddr);
		put_le64(ph + 32, filesz);
		put_le64(ph + 40, memsz);
	} else {
		put_le32(ph + 4, (uint32_t)off);
		put_le32(ph + 8, (uint32_t)vaddr);
		put_le32(ph + 12, (uint32_t)paddr);
		put_le32(ph + 16, (uint32_t)filesz);
		put_le32(ph + 20, (uint32_t)memsz);
	}
}

void x86_test_ehdr(uint8_t *b, int elf64, unsigned machine, uint64_t entry,
	unsigned phnum)
{
	ehdr(b, elf64, machine, entry, phnum);
}

/* a vmlinux-like ELF64: text at 0x1000000 (linked 0xffffffff81000000),
 * data at 0x1002000, then two segments sharing a page (percpu-like at
 * vaddr 0, and init + bss), a PT_NOTE to skip */
static void make_elf64(void)
{
	size_t i;

	memset(elf, 0, sizeof(elf));
	for (i = 0x1000; i < ELF_LEN; i++) {
		elf[i] = (uint8_t)(i * 13 + 5);
	}
	ehdr(elf, 1, 62, 0x1000000, 5);
	x86_test_phdr(elf, 1, 0, 1, 0x1000, 0xffffffff81000000ull, 0x1000000,
		0x2000, 0x2000);
	x86_test_phdr(elf, 1, 1, 1, 0x3000, 0xffffffff81002000ull, 0x1002000,
		0x1000, 0x1000);
	x86_test_phdr(elf, 1, 2, 4, 0x4000, 0, 0, 0x10, 0x10);
	x86_test_phdr(elf, 1, 3, 1, 0x4000, 0, 0x1003000, 0x800, 0x800);
	x86_test_phdr(elf, 1, 4, 1, 0x4800, 0xffffffff81003800ull, 0x1003800,
		0x1000, 0x5000);
}

static void make_req(struct boot_req *req, size_t len)
{
	memset(req, 0, sizeof(*req));
	req->kernel = elf;
	req->kernel_len = len;
	req->initrd = initrd;
	req->initrd_len = sizeof(initrd);
	req->cmdline = CMDLINE;
	req->page_size = 4096;
}

static const struct segment *nth(const struct plan *p, const char *what,
	int n)
{
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		if (!strcmp(p->seg[i].what, what) && n-- == 0) {
			return &p->seg[i];
		}
	}
	return NULL;
}

static void test_elf64(void)
{
	const struct segment *k0, *k1, *k2, *bp, *t, *rd;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	int err;

	make_elf64();
	x86_test_mm(&mm);
	make_req(&req, ELF_LEN);
	CHECK_INT("fmt_elf.probe(ELF64)", fmt_elf.probe(elf, ELF_LEN), 0);
	CHECK_INT("fmt_elf.probe(bzImage bytes)", fmt_elf.probe(initrd,
		sizeof(initrd)), -ENOEXEC);
	plan_init(&p);
	err = fmt_elf.plan(&req, &mm, &p);
	CHECK(err == 0, "elf plan = %d (%s); want 0", err, p.why);
	k0 = nth(&p, "kernel", 0);
	k1 = nth(&p, "kernel", 1);
	k2 = nth(&p, "kernel", 2);
	bp = nth(&p, "boot_params+cmdline", 0);
	t = nth(&p, "trampoline", 0);
	rd = nth(&p, "initrd", 0);
	if (!k0 || !k1 || !k2 || !bp || !t || !rd) {
		CHECK(0, "ELF64 plan: want 3 kernel segments, boot_params, "
			"trampoline, initrd; got %zu segments", p.nseg);
		plan_free(&p);
		return;
	}
	CHECK_INT("nseg", p.nseg, 6);
	/* page aligned PT_LOADs are the file's own bytes, no copy */
	CHECK(k0->mem == 0x1000000 && k0->buf == elf + 0x1000 &&
		k0->bufsz == 0x2000 && k0->memsz == 0x2000,
		"text: mem 0x%llx bufsz 0x%zx; want 0x1000000, the file's bytes",
		(unsigned long long)k0->mem, k0->bufsz);
	CHECK(k1->mem == 0x1002000 && k1->buf == elf + 0x3000,
		"data: mem 0x%llx", (unsigned long long)k1->mem);
	/* two PT_LOADs sharing the page at 0x1003000: one copied buffer
	 * holding both, the bss of the second zero filled */
	CHECK(k2->mem == 0x1003000 && k2->memsz == 0x6000 &&
		k2->bufsz == 0x1800 && k2->buf != elf + 0x4000 &&
		!memcmp(k2->buf, elf + 0x4000, 0x800) &&
		!memcmp((const uint8_t *)k2->buf + 0x800, elf + 0x4800, 0x1000),
		"merged: mem 0x%llx memsz 0x%llx bufsz 0x%zx; want 0x1003000, "
		"0x6000, 0x1800 with both segments' bytes",
		(unsigned long long)k2->mem, (unsigned long long)k2->memsz,
		k2->bufsz);
	/* the made-up setup header: a 64-bit entry reads only these */
	{
		const uint8_t *b = bp->buf;
		uint32_t cmd = le32(b + 0x228);

		CHECK(!memcmp(b + 0x202, "HdrS", 4), "boot_params: no HdrS");
		CHECK_INT("boot_params version", le16(b + 0x206), 0x020f);
		CHECK_INT("boot_params boot_flag", le16(b + 0x1fe), 0xaa55);
		CHECK_INT("boot_params type_of_loader", b[0x210], 0xd0);
		CHECK_INT("boot_params cmdline_size", le32(b + 0x238), 2047);
		CHECK_INT("boot_params xloadflags", le16(b + 0x236), 3);
		CHECK_INT("boot_params init_size", le32(b + 0x260), 0x8800);
		CHECK_INT("boot_params ramdisk_image", le32(b + 0x218),
			rd->mem);
		CHECK_INT("boot_params ramdisk_size", le32(b + 0x21c),
			sizeof(initrd));
		CHECK_INT("boot_params e820_entries", b[0x1e8], 5);
		CHECK_STR("command line", (const char *)b + (cmd - bp->mem),
			CMDLINE);
	}
	/* bzImage's 64-bit trampoline: rsi = boot_params, jump to e_entry */
	CHECK_INT("entry", p.entry, t->mem);
	CHECK_INT("trampoline boot_params", le64((const uint8_t *)t->buf +
		0x2c), bp->mem);
	CHECK_INT("trampoline entry", le64((const uint8_t *)t->buf + 0x36),
		0x1000000);
	CHECK_INT("flags", p.flags, 0x3e0000);
	plan_free(&p);

	/* e_entry as a virtual address: translated by its segment */
	put_le64(elf + 24, 0xffffffff81000040ull);
	plan_init(&p);
	err = fmt_elf.plan(&req, &mm, &p);
	t = nth(&p, "trampoline", 0);
	CHECK(err == 0 && t && le64((const uint8_t *)t->buf + 0x36) ==
		0x1000040, "virtual e_entry: err %d (%s); want entry 0x1000040",
		err, p.why);
	plan_free(&p);
}

/* an ELF32 kernel: 32-bit entry with esi = boot_params (entry32.c) */
static void test_elf32(void)
{
	const struct segment *t, *bp;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	const uint8_t *c;
	int err;

	memset(elf, 0, sizeof(elf));
	ehdr(elf, 0, 3, 0x100100, 1);
	x86_test_phdr(elf, 0, 0, 1, 0x1000, 0xc0100000, 0x100000, 0x2000,
		0x3000);
	x86_test_mm(&mm);
	make_req(&req, ELF_LEN);
	plan_init(&p);
	err = fmt_elf.plan(&req, &mm, &p);
	CHECK(err == 0, "elf32 plan = %d (%s); want 0", err, p.why);
	t = nth(&p, "trampoline", 0);
	bp = nth(&p, "boot_params+cmdline", 0);
	if (t && bp) {
		c = t->buf;
		CHECK(c[0] == 0xfc && c[1] == 0x0f && c[0x62] == 0xff &&
			c[0x63] == 0xe1, "entry32: want the listing's bytes");
		CHECK_INT("entry32 entry", le32(c + 0x53), 0x100100);
		CHECK_INT("entry32 esi", le32(c + 0x49), bp->mem);
		CHECK_INT("entry32 eax", le32(c + 0x58), 0);
		CHECK_INT("entry32 ebx", le32(c + 0x4e), 0);
		CHECK_INT("entry32 gdtr base", le64(c + 0x72), t->mem + 0x80);
		CHECK_INT("entry32 gdt code32", le64(c + 0x90),
			0x00cf9a000000ffffull);
		CHECK_INT("entry32 gdt data32", le64(c + 0x98),
			0x00cf92000000ffffull);
		CHECK(t->mem + t->memsz <= 0x100000000ull && bp->mem <
			0x100000000ull, "entry32: want below 4 GiB");
		CHECK_INT("boot_params xloadflags", le16((const uint8_t *)
			bp->buf + 0x236), 0);
	} else {
		CHECK(0, "elf32: no trampoline or boot_params");
	}
	plan_free(&p);
}

/* a PT_LOAD that does not start on a page: copied to its offset in the
 * page, the bytes before it zero */
static void test_unaligned(void)
{
	const struct segment *k;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	int err;

	memset(elf, 0, sizeof(elf));
	memset(elf + 0x1000, 0x5a, 0x300);
	x86_test_ehdr(elf, 0, 3, 0x100180, 1);
	x86_test_phdr(elf, 0, 0, 1, 0x1000, 0x100100, 0x100100, 0x300,
		0x1000);
	x86_test_mm(&mm);
	make_req(&req, ELF_LEN);
	req.initrd = NULL;
	plan_init(&p);
	err = fmt_elf.plan(&req, &mm, &p);
	k = nth(&p, "kernel", 0);
	CHECK(err == 0 && k && k->mem == 0x100000 && k->bufsz == 0x400 &&
		k->memsz == 0x2000 && k->buf != elf + 0x1000 &&
		((const uint8_t *)k->buf)[0xff] == 0 &&
		((const uint8_t *)k->buf)[0x100] == 0x5a &&
		((const uint8_t *)k->buf)[0x3ff] == 0x5a,
		"unaligned PT_LOAD: %d (%s); want a copy at 0x100000 with the "
		"bytes at 0x100", err, p.why);
	plan_free(&p);
}

struct bad {
	const char *name;
	void (*edit)(uint8_t *b);
	size_t len;
	int err;
	const char *why;
};

static void e_none(uint8_t *b) { (void)b; }
static void e_machine(uint8_t *b) { put_le16(b + 18, 183); }
static void e_dyn(uint8_t *b) { put_le16(b + 16, 3); }
static void e_be(uint8_t *b) { b[5] = 2; }
static void e_phoff(uint8_t *b) { put_le64(b + 32, 0x5ff0); }
static void e_phentsize(uint8_t *b) { put_le16(b + 54, 32); }
static void e_filesz(uint8_t *b) { put_le64(b + 64 + 32, 0x3000); }
static void e_offset(uint8_t *b) { put_le64(b + 64 + 8, 0x5800); }
static void e_overlap(uint8_t *b) { put_le64(b + 64 + 56 + 24, 0x1001000); }
static void e_entry(uint8_t *b) { put_le64(b + 24, 0x5000000); }
static void e_noload(uint8_t *b)
{
	unsigned i;

	for (i = 0; i < 5; i++) {
		put_le32(b + 64 + 56 * i, 4);
	}
}
static void e_notram(uint8_t *b)
{
	put_le64(b + 64 + 24, 0xf0000000);
	put_le64(b + 24, 0xf0000000);
}
static void e_wrap(uint8_t *b) { put_le64(b + 64 + 24, ~0ull - 0x100); }

static const struct bad bads[] = {
	{ "truncated header", e_none, 40, -ENOEXEC,
		"ELF: truncated: the file is 40 bytes, the ELF header 64" },
	{ "arm64", e_machine, ELF_LEN, -ENOEXEC,
		"ELF: e_machine 183 is not x86_64 (62) (ELF64)" },
	{ "ET_DYN", e_dyn, ELF_LEN, -ENOEXEC,
		"ELF: e_type 3 is not ET_EXEC (2): not an executable kernel" },
	{ "big endian", e_be, ELF_LEN, -ENOEXEC,
		"ELF: not a little-endian ELF version 1 (EI_DATA 2, e_version 1)" },
	{ "phdrs past the end", e_phoff, ELF_LEN, -ENOEXEC,
		"ELF: truncated: 5 program headers at e_phoff 0x5ff0, the file "
		"has 24576 bytes" },
	{ "small phentsize", e_phentsize, ELF_LEN, -ENOEXEC,
		"ELF: e_phentsize 32 is too small for an ELF64 program header" },
	{ "filesz > memsz", e_filesz, ELF_LEN, -ENOEXEC,
		"ELF: PT_LOAD 0: p_filesz 0x3000 is larger than p_memsz 0x2000" },
	{ "segment past the end", e_offset, ELF_LEN, -ENOEXEC,
		"ELF: truncated: PT_LOAD 0 wants file bytes 0x5800-0x7800, the "
		"file has 24576" },
	{ "overlap", e_overlap, ELF_LEN, -ENOEXEC,
		"ELF: PT_LOAD segments overlap at p_paddr 0x1001000" },
	{ "entry outside", e_entry, ELF_LEN, -ENOEXEC,
		"ELF: e_entry 0x5000000 is in no PT_LOAD segment" },
	{ "no PT_LOAD", e_noload, ELF_LEN, -ENOEXEC,
		"ELF: no PT_LOAD segment" },
	{ "not in RAM", e_notram, ELF_LEN, -EADDRNOTAVAIL,
		"ELF: the kernel at 0xf0000000-0xf0001fff (where it is linked) "
		"is not in usable RAM" },
	{ "wraps", e_wrap, ELF_LEN, -ENOEXEC,
		"ELF: PT_LOAD 0 at p_paddr 0xfffffffffffffeff (0x2000 bytes) "
		"wraps around" },
};

static void test_elf_bad(void)
{
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	size_t i;
	int err;

	x86_test_mm(&mm);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		make_elf64();
		bads[i].edit(elf);
		make_req(&req, bads[i].len);
		plan_init(&p);
		err = fmt_elf.plan(&req, &mm, &p);
		CHECK(err == bads[i].err && !strcmp(p.why, bads[i].why),
			"elf %s: %d \"%s\"; want %d \"%s\"", bads[i].name, err,
			p.why, bads[i].err, bads[i].why);
		plan_free(&p);
	}
	/* a command line over x86's COMMAND_LINE_SIZE */
	{
		static char big[3000];

		memset(big, 'a', sizeof(big) - 1);
		make_elf64();
		make_req(&req, ELF_LEN);
		req.cmdline = big;
		plan_init(&p);
		err = fmt_elf.plan(&req, &mm, &p);
		CHECK(err == -E2BIG && strstr(p.why, "2999 bytes"),
			"long cmdline: %d \"%s\"; want -E2BIG", err, p.why);
		plan_free(&p);
	}
	/* an ELF32 kernel above 4 GiB cannot run with paging off */
	memset(elf, 0, sizeof(elf));
	ehdr(elf, 0, 3, 0x100000, 1);
	x86_test_phdr(elf, 0, 0, 1, 0x1000, 0xfffff000, 0xfffff000, 0x1000,
		0x2000);
	make_req(&req, ELF_LEN);
	plan_init(&p);
	err = fmt_elf.plan(&req, &mm, &p);
	CHECK(err == -ENOEXEC && !strcmp(p.why, "ELF: PT_LOAD 0 at p_paddr "
		"0xfffff000 (0x2000 bytes) is not below 4 GiB, where a 32-bit "
		"entry runs"), "elf32 above 4G: %d \"%s\"", err, p.why);
	plan_free(&p);
}

void test_x86_elf(void)
{
	test_elf64();
	test_elf32();
	test_unaligned();
	test_elf_bad();
}
