/* the multiboot v1 and multiboot2 planners (arch/x86_64/multiboot.c) on
 * synthetic kernels: header search and checksums, load addresses from
 * the header or the ELF, the information structure, the trampoline's
 * registers, and each malformed header's message */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "bootcfg.h"
#include "agent.h"
#include "hop.h"
#include "load.h"
#include "kexec_opts.h"
#include "plan.h"
#include "request.h"
#include "test.h"

#define IMG_LEN 0x3000
#define CMDLINE "console=ttyS0 dom0_mem=512M"

static uint8_t img[IMG_LEN];
static uint8_t mod_a[0x1801], mod_b[0x10];
static const struct boot_module mods[] = {
	{ mod_a, sizeof(mod_a), "/boot/vmlinuz root=/dev/vda" },
	{ mod_b, sizeof(mod_b), "/boot/initrd.img" },
};

/* v1: a flat (a.out kludge) kernel: the header at 0x40, loaded from the
 * file's start at 2 MiB, 0x1000 bytes of file then bss to 0x203000 */
static void make_mb1_flat(uint32_t flags)
{
	size_t i;

	for (i = 0; i < IMG_LEN; i++) {
		img[i] = (uint8_t)(i * 3 + 1);
	}
	put_le32(img + 0x40, 0x1BADB002);
	put_le32(img + 0x44, flags);
	put_le32(img + 0x48, (uint32_t)-(0x1BADB002u + flags));
	put_le32(img + 0x4c, 0x200040);	/* header_addr */
	put_le32(img + 0x50, 0x200000);	/* load_addr */
	put_le32(img + 0x54, 0x201000);	/* load_end_addr */
	put_le32(img + 0x58, 0x203000);	/* bss_end_addr */
	put_le32(img + 0x5c, 0x200100);	/* entry_addr */
}

/* v1 in an ELF32: no kludge, PT_LOAD at 1 MiB from file offset 0x1000 */
static void make_mb1_elf(void)
{
	memset(img, 0, sizeof(img));
	x86_test_ehdr(img, 0, 3, 0x100010, 1);
	x86_test_phdr(img, 0, 0, 1, 0x1000, 0x100000, 0x100000, 0x800,
		0x4000);
	put_le32(img + 0x1000, 0x1BADB002);
	put_le32(img + 0x1004, 3);
	put_le32(img + 0x1008, (uint32_t)-(0x1BADB002u + 3));
}

/* v2: header at 0x80, tags from 0x90; returns where the next tag goes */
static size_t mb2_start(void)
{
	memset(img, 0, sizeof(img));
	put_le32(img + 0x80, 0xE85250D6);
	return 0x90;
}

static size_t mb2_tag(size_t at, uint16_t type, uint16_t flags,
	const uint32_t *body, size_t n)
{
	size_t i;

	put_le16(img + at, type);
	put_le16(img + at + 2, flags);
	put_le32(img + at + 4, (uint32_t)(8 + 4 * n));
	for (i = 0; i < n; i++) {
		put_le32(img + at + 8 + 4 * i, body[i]);
	}
	return at + ((8 + 4 * n + 7) & ~(size_t)7);
}

static void mb2_finish(size_t at)
{
	uint32_t len;

	at = mb2_tag(at, 0, 0, NULL, 0);
	len = (uint32_t)(at - 0x80);
	put_le32(img + 0x88, len);
	put_le32(img + 0x8c, (uint32_t)-(0xE85250D6u + len));
}

/* v2 flat: address tag (loaded from the file's start at 2 MiB), entry */
static void make_mb2_flat(void)
{
	static const uint32_t req[] = { 1, 3, 6 }, addr[] = { 0x200080,
		0x200000, 0x202000, 0x204000 }, entry[] = { 0x200200 };
	size_t at = mb2_start();

	at = mb2_tag(at, 1, 0, req, 3);
	at = mb2_tag(at, 2, 0, addr, 4);
	at = mb2_tag(at, 3, 0, entry, 1);
	at = mb2_tag(at, 6, 0, NULL, 0);
	mb2_finish(at);
}

static void make_req(struct boot_req *req)
{
	memset(req, 0, sizeof(*req));
	req->kernel = img;
	req->kernel_len = IMG_LEN;
	req->kernel_name = "/boot/xen";
	req->modules = mods;
	req->nmodules = 2;
	req->cmdline = CMDLINE;
	req->page_size = 4096;
}


/* a pointer in the info segment to bytes of it */
static const uint8_t *at(const struct segment *s, uint32_t addr)
{
	if (addr < s->mem || addr >= s->mem + s->bufsz) {
		return (const uint8_t *)"";
	}
	return (const uint8_t *)s->buf + (addr - s->mem);
}

static void check_entry(const struct plan *p, uint32_t entry,
	uint32_t magic, const struct segment *info)
{
	const struct segment *t = plan_seg(p, "trampoline", 0);
	const uint8_t *c;

	if (!t || !info) {
		CHECK(0, "no trampoline or info segment");
		return;
	}
	c = t->buf;
	CHECK_INT("entry", p->entry, t->mem);
	CHECK_INT("flags", p->flags, 0x3e0000);
	CHECK_INT("trampoline entry", le32(c + 0x53), entry);
	CHECK_INT("trampoline eax", le32(c + 0x58), magic);
	CHECK_INT("trampoline ebx", le32(c + 0x4e), info->mem);
	CHECK(t->mem < 0x100000000ull && info->mem + info->memsz <=
		0x100000000ull, "trampoline, info: want below 4 GiB");
}

/* module i's address: in the one "modules" segment, at its page aligned
 * place (mod_a takes 0x2000 bytes, so mod_b is at 0x2000); 0: none */
static uint64_t mod_at(const struct plan *p, size_t i)
{
	const struct segment *m = plan_seg(p, "modules", 0);

	return m ? m->mem + (i ? 0x2000 : 0) : 0;
}

static void check_modules(const struct plan *p, const struct segment *k)
{
	const struct segment *m = plan_seg(p, "modules", 0);
	const uint8_t *b;

	if (!m) {
		CHECK(0, "no modules segment");
		return;
	}
	b = m->buf;
	CHECK(!plan_seg(p, "modules", 1) && m->bufsz == 0x2000 +
		sizeof(mod_b) && m->memsz == 0x3000 && !(m->mem & 0xfff) &&
		m->mem >= k->mem + k->memsz && !memcmp(b, mod_a,
		sizeof(mod_a)) && !memcmp(b + 0x2000, mod_b, sizeof(mod_b)) &&
		b[sizeof(mod_a)] == 0 && b[0x1fff] == 0, "modules: want one "
		"segment after the kernel, each file's bytes page aligned in "
		"it: 0x%llx bufsz 0x%zx memsz 0x%llx",
		(unsigned long long)m->mem, m->bufsz,
		(unsigned long long)m->memsz);
}

static void test_mb1(void)
{
	const struct segment *k, *info;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	const uint8_t *b, *m, *map;
	uint32_t i;
	int err;

	x86_test_mm(&mm);
	make_mb1_flat(0x10003);
	make_req(&req);
	CHECK_INT("fmt_multiboot.probe", fmt_multiboot.probe(img, IMG_LEN), 0);
	CHECK_INT("fmt_multiboot2.probe(v1)", fmt_multiboot2.probe(img,
		IMG_LEN), -ENOEXEC);
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == 0, "mb1 plan = %d (%s); want 0", err, p.why);
	k = plan_seg(&p, "kernel", 0);
	info = plan_seg(&p, "multiboot info", 0);
	if (err || !k || !info) {
		plan_free(&p);
		return;
	}
	CHECK_INT("nseg", p.nseg, 4);
	CHECK(k->mem == 0x200000 && k->buf == img && k->bufsz == 0x1000 &&
		k->memsz == 0x3000, "kludge kernel: mem 0x%llx bufsz 0x%zx "
		"memsz 0x%llx; want 0x200000 0x1000 0x3000",
		(unsigned long long)k->mem, k->bufsz,
		(unsigned long long)k->memsz);
	check_modules(&p, k);
	check_entry(&p, 0x200100, 0x2BADB002, info);
	b = info->buf;
	CHECK_INT("mbi flags", le32(b), 0x24d);
	CHECK_INT("mbi mem_lower", le32(b + 4), 0x9fc00 >> 10);
	CHECK_INT("mbi mem_upper", le32(b + 8), (0x40000000 - 0x100000) >> 10);
	CHECK_STR("mbi cmdline", (const char *)at(info, le32(b + 16)),
		"/boot/xen " CMDLINE);
	CHECK_STR("mbi boot_loader_name", (const char *)at(info,
		le32(b + 64)), "hop");
	CHECK_INT("mbi mods_count", le32(b + 20), 2);
	m = at(info, le32(b + 24));
	CHECK_INT("mod 0 start", le32(m), mod_at(&p, 0));
	CHECK_INT("mod 0 end", le32(m + 4), mod_at(&p, 0) + sizeof(mod_a));
	CHECK_INT("mod 1 start", le32(m + 16), mod_at(&p, 1));
	CHECK_INT("mod 1 end", le32(m + 20), mod_at(&p, 1) + sizeof(mod_b));
	CHECK_STR("mod 0 string", (const char *)at(info, le32(m + 8)),
		"/boot/vmlinuz root=/dev/vda");
	CHECK_STR("mod 1 string", (const char *)at(info, le32(m + 24)),
		"/boot/initrd.img");
	CHECK_INT("mbi mmap_length", le32(b + 44), 5 * 24);
	map = at(info, le32(b + 48));
	for (i = 0; i < 5; i++) {
		CHECK(le32(map + 24 * i) == 20 && le64(map + 24 * i + 4) ==
			mm.e820[i].addr && le64(map + 24 * i + 12) ==
			mm.e820[i].size && le32(map + 24 * i + 20) ==
			mm.e820[i].type, "mmap entry %u: want the e820's", i);
	}
	plan_free(&p);

	/* the ELF path: no kludge, the PT_LOAD at 1 MiB */
	make_mb1_elf();
	make_req(&req);
	req.nmodules = 0;
	req.kernel_name = NULL;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	k = plan_seg(&p, "kernel", 0);
	info = plan_seg(&p, "multiboot info", 0);
	CHECK(err == 0 && k && k->mem == 0x100000 && k->buf == img + 0x1000 &&
		k->memsz == 0x4000, "mb1 ELF: %d (%s); want the PT_LOAD at 1 MiB",
		err, p.why);
	if (err == 0 && info) {
		check_entry(&p, 0x100010, 0x2BADB002, info);
		CHECK_STR("mbi cmdline, no name", (const char *)at(info,
			le32((const uint8_t *)info->buf + 16)), CMDLINE);
		CHECK_INT("mbi mods_count", le32((const uint8_t *)info->buf +
			20), 0);
	}
	plan_free(&p);
}

/* the v2 information tags in order: cmdline, loader name, modules,
 * basic meminfo, mmap, load base, end */
static void check_mb2_info(const struct plan *p, const struct segment *info,
	const struct memmap *mm)
{
	const uint8_t *b = info->buf;
	uint32_t total = le32(b), off = 8, type, size, seen = 0, nmod = 0;

	CHECK(total <= info->bufsz && !(total & 7), "mb2 total_size %u", total);
	while (off + 8 <= total) {
		type = le32(b + off);
		size = le32(b + off + 4);
		if (type == 0) {
			CHECK_INT("mb2 end tag size", size, 8);
			seen |= 1u << 31;
			break;
		}
		seen |= 1u << type;
		if (type == 1) {
			CHECK_STR("mb2 cmdline", (const char *)b + off + 8,
				"/boot/xen " CMDLINE);
		} else if (type == 2) {
			CHECK_STR("mb2 loader", (const char *)b + off + 8, "hop");
		} else if (type == 3) {
			uint64_t m = mod_at(p, nmod);

			CHECK(nmod < 2 && m && le32(b + off + 8) == m &&
				le32(b + off + 12) == m + mods[nmod].len &&
				!strcmp((const char *)b + off +
				16, mods[nmod].cmdline), "mb2 module %u", nmod);
			nmod++;
		} else if (type == 4) {
			CHECK_INT("mb2 mem_upper", le32(b + off + 12),
				(0x40000000 - 0x100000) >> 10);
		} else if (type == 6) {
			CHECK_INT("mb2 mmap entry_size", le32(b + off + 8), 24);
			CHECK_INT("mb2 mmap size", size, 16 + 24 * mm->ne820);
			CHECK_INT("mb2 mmap 2 addr", le64(b + off + 16 + 48),
				mm->e820[2].addr);
		} else if (type == 21) {
			CHECK_INT("mb2 load base", le32(b + off + 8), 0x200000);
		}
		off += (size + 7) & ~7u;
	}
	CHECK_INT("mb2 tags seen", seen, (1u << 31) | 0x20005e);
	CHECK_INT("mb2 modules", nmod, 2);
}

static void test_mb2(void)
{
	const struct segment *k, *info;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	int err;

	x86_test_mm(&mm);
	make_mb2_flat();
	make_req(&req);
	CHECK_INT("fmt_multiboot2.probe", fmt_multiboot2.probe(img, IMG_LEN),
		0);
	plan_init(&p);
	err = fmt_multiboot2.plan(&req, &mm, &p);
	CHECK(err == 0, "mb2 plan = %d (%s); want 0", err, p.why);
	k = plan_seg(&p, "kernel", 0);
	info = plan_seg(&p, "multiboot info", 0);
	if (err == 0 && k && info) {
		/* the file from offset 0x80 - (0x200080 - 0x200000) = 0 */
		CHECK(k->mem == 0x200000 && k->buf == img && k->bufsz ==
			0x2000 && k->memsz == 0x4000, "mb2 kernel: mem 0x%llx "
			"bufsz 0x%zx", (unsigned long long)k->mem, k->bufsz);
		check_modules(&p, k);
		check_entry(&p, 0x200200, 0x36d76289, info);
		check_mb2_info(&p, info, &mm);
	}
	plan_free(&p);

	/* an ELF multiboot2 kernel without an address tag */
	make_mb1_elf();
	memset(img + 0x1000, 0, 12);
	put_le32(img + 0x1000, 0xE85250D6);
	put_le32(img + 0x1008, 24);
	put_le32(img + 0x100c, (uint32_t)-(0xE85250D6u + 24));
	put_le32(img + 0x1014, 8);	/* end tag */
	make_req(&req);
	plan_init(&p);
	err = fmt_multiboot2.plan(&req, &mm, &p);
	k = plan_seg(&p, "kernel", 0);
	CHECK(err == 0 && k && k->mem == 0x100000, "mb2 ELF: %d (%s)", err,
		p.why);
	plan_free(&p);
}

/* under UEFI: the EFI system table (12), the runtime map as the EFI
 * memory map (17) and a copy of the ACPI 2.0 RSDP (15) after the other
 * tags; a kernel that requires 12 is refused without UEFI */
static void test_mb2_efi(void)
{
	static const uint32_t want[] = { 12, 17 };
	static struct x86_efi efi;
	const struct segment *info;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	const uint8_t *b;
	uint32_t total, off = 8, type, size, seen = 0;
	size_t at;
	int err, i;

	memset(&efi, 0, sizeof(efi));
	efi.systab = 0x17fbee018ull;
	efi.memdesc_version = 1;
	efi.nmap = 2;
	for (i = 0; i < 80; i++) {
		efi.map[i] = (uint8_t)(i + 1);
	}
	memcpy(efi.rsdp, "RSD PTR ", 8);
	efi.rsdp[15] = 2;
	put_le32(efi.rsdp + 20, 36);
	efi.rsdp_len = 36;
	x86_test_mm(&mm);
	at = mb2_start();
	at = mb2_tag(at, 1, 0, want, 2);
	{
		static const uint32_t addr[] = { 0x200080, 0x200000, 0x202000,
			0x204000 }, entry[] = { 0x200200 };

		at = mb2_tag(at, 2, 0, addr, 4);
		at = mb2_tag(at, 3, 0, entry, 1);
	}
	mb2_finish(at);
	make_req(&req);
	plan_init(&p);
	CHECK_INT("mb2 plan (EFI tags required, no UEFI)",
		fmt_multiboot2.plan(&req, &mm, &p), -ENOEXEC);
	CHECK_STR("mb2 plan (EFI tags required, no UEFI) why", p.why,
		"multiboot2: the kernel requires information tag 12, which hop "
		"gives only when UEFI started the running kernel");
	plan_free(&p);
	req.efi = &efi;
	plan_init(&p);
	err = fmt_multiboot2.plan(&req, &mm, &p);
	CHECK(err == 0, "mb2 plan (UEFI) = %d (%s)", err, p.why);
	info = plan_seg(&p, "multiboot info", 0);
	if (err || !info) {
		plan_free(&p);
		return;
	}
	b = info->buf;
	total = le32(b);
	while (off + 8 <= total) {
		type = le32(b + off);
		size = le32(b + off + 4);
		if (type == 0) {
			break;
		}
		seen |= 1u << type;
		if (type == 12) {
			CHECK_INT("mb2 EFI64 size", size, 16);
			CHECK(le64(b + off + 8) == 0x17fbee018ull,
				"mb2 EFI64 pointer 0x%llx",
				(unsigned long long)le64(b + off + 8));
		} else if (type == 17) {
			CHECK_INT("mb2 EFI mmap size", size, 16 + 80);
			CHECK_INT("mb2 EFI mmap descr_size", le32(b + off + 8),
				40);
			CHECK_INT("mb2 EFI mmap descr_vers", le32(b + off + 12),
				1);
			CHECK(!memcmp(b + off + 16, efi.map, 80),
				"mb2 EFI mmap: the runtime map's descriptors");
		} else if (type == 15) {
			CHECK_INT("mb2 ACPI new size", size, 8 + 36);
			CHECK(!memcmp(b + off + 8, efi.rsdp, 36),
				"mb2 ACPI new: the RSDP copy");
		}
		off += (size + 7) & ~7u;
	}
	CHECK(off + 8 <= total, "mb2 (UEFI): the tags end with an end tag "
		"inside total_size %u", total);
	CHECK_INT("mb2 (UEFI) tags seen", seen & ((1u << 12) | (1u << 14) |
		(1u << 15) | (1u << 17)), (1u << 12) | (1u << 15) | (1u << 17));
	plan_free(&p);
}

struct bad {
	const char *name;
	int v2;
	void (*make)(void);
	size_t len;
	int err;
	const char *why;
};

static void b_sum1(void) { make_mb1_flat(0x10003); img[0x48]++; }
static void b_flag1(void) { make_mb1_flat(0x10008); }
static void b_noaddr1(void) { make_mb1_flat(0x3); }
static void b_trunc1(void)
{
	make_mb1_flat(0x10003);
	put_le32(img + 0x54, 0x204000);
}
static void b_entry1(void)
{
	make_mb1_flat(0x10003);
	put_le32(img + 0x5c, 0x300000);
}
static void b_hdr1(void)
{
	make_mb1_flat(0x10003);
	put_le32(img + 0x50, 0x100000);
}
static void b_bss1(void)
{
	make_mb1_flat(0x10003);
	put_le32(img + 0x58, 0x200800);
}
static void b_ram1(void)
{
	make_mb1_flat(0x10003);
	put_le32(img + 0x4c, 0xf0000040);
	put_le32(img + 0x50, 0xf0000000);
	put_le32(img + 0x54, 0xf0001000);
	put_le32(img + 0x58, 0xf0003000);
	put_le32(img + 0x5c, 0xf0000100);
}
static void b_far1(void) { make_mb1_flat(0x10003); memmove(img + 0x2040,
	img + 0x40, 0x20); memset(img + 0x40, 0, 0x20); }
static void b_sum2(void) { make_mb2_flat(); img[0x8c]++; }
static void b_arch2(void)
{
	make_mb2_flat();
	put_le32(img + 0x84, 4);
	put_le32(img + 0x8c, le32(img + 0x8c) - 4);
}
static void b_len2(void)
{
	make_mb2_flat();
	put_le32(img + 0x88, 0x10000);
	put_le32(img + 0x8c, (uint32_t)-(0xE85250D6u + 0x10000));
}
static void b_tag2(void)
{
	make_mb2_flat();
	put_le32(img + 0x94, 0x1000);
}
static void b_noend2(void)
{
	size_t a = mb2_start();
	static const uint32_t e[] = { 0x200200 };

	a = mb2_tag(a, 3, 0, e, 1);
	put_le32(img + 0x88, (uint32_t)(a - 0x80));
	put_le32(img + 0x8c, (uint32_t)-(0xE85250D6u + (a - 0x80)));
}
static void b_req2(void)
{
	static const uint32_t r[] = { 1, 8 };
	size_t a = mb2_start();

	a = mb2_tag(a, 1, 0, r, 2);
	mb2_finish(a);
}
static void b_unknown2(void)
{
	size_t a = mb2_start();

	a = mb2_tag(a, 42, 0, NULL, 0);
	mb2_finish(a);
}
static void b_noentry2(void)
{
	static const uint32_t addr[] = { 0x200080, 0x200000, 0x202000, 0 };
	size_t a = mb2_start();

	a = mb2_tag(a, 2, 0, addr, 4);
	mb2_finish(a);
}
static void b_noelf2(void)
{
	size_t a = mb2_start();

	mb2_finish(a);
}

static const struct bad bads[] = {
	{ "v1 checksum", 0, b_sum1, IMG_LEN, -ENOEXEC,
		"multiboot: header at 0x40: bad checksum (magic + flags + "
		"checksum is not 0)" },
	{ "v1 unknown flag", 0, b_flag1, IMG_LEN, -ENOEXEC,
		"multiboot: header flags 0x00010008 at 0x40 require features "
		"0x0008 hop does not know" },
	{ "v1 neither kludge nor ELF", 0, b_noaddr1, IMG_LEN, -ENOEXEC,
		"multiboot: no load addresses in the header (flag 16, the a.out "
		"kludge) and not an ELF file" },
	{ "v1 load_end past the file", 0, b_trunc1, IMG_LEN, -ENOEXEC,
		"multiboot: truncated: load_end_addr 0x204000 wants 16384 bytes "
		"from file offset 0x0, the file has 12288" },
	{ "v1 entry outside", 0, b_entry1, IMG_LEN, -ENOEXEC,
		"multiboot: entry_addr 0x300000 is outside the image at "
		"0x200000-0x202fff" },
	{ "v1 header before the file", 0, b_hdr1, IMG_LEN, -ENOEXEC,
		"multiboot: header_addr 0x200040 and load_addr 0x100000 put the "
		"image's start before the file's" },
	{ "v1 bss_end too low", 0, b_bss1, IMG_LEN, -ENOEXEC,
		"multiboot: bss_end_addr 0x200800 is below the end of the loaded "
		"bytes 0x201000" },
	{ "v1 not in RAM", 0, b_ram1, IMG_LEN, -EADDRNOTAVAIL,
		"multiboot: the kernel at 0xf0000000-0xf0002fff (where it is "
		"linked) is not in usable RAM" },
	{ "v1 header past 8 KiB", 0, b_far1, IMG_LEN, -ENOEXEC,
		"multiboot: no header (magic 0x1badb002) in the first 8 KiB" },
	{ "v1 truncated header", 0, b_sum1, 0x48, -ENOEXEC,
		"multiboot: header at 0x40: truncated" },
	{ "v2 checksum", 1, b_sum2, IMG_LEN, -ENOEXEC,
		"multiboot2: header at 0x80: bad checksum (magic + architecture "
		"+ header_length + checksum is not 0)" },
	{ "v2 mips", 1, b_arch2, IMG_LEN, -ENOEXEC,
		"multiboot2: architecture 4 at 0x84 is not i386 protected mode "
		"(0)" },
	{ "v2 header_length", 1, b_len2, IMG_LEN, -ENOEXEC,
		"multiboot2: header_length 65536 at 0x88: beyond the file" },
	{ "v2 tag size", 1, b_tag2, IMG_LEN, -ENOEXEC,
		"multiboot2: header tag at 0x90 has size 4096, outside "
		"header_length 96" },
	{ "v2 no end tag", 1, b_noend2, IMG_LEN, -ENOEXEC,
		"multiboot2: no end tag within header_length 32" },
	{ "v2 required framebuffer info", 1, b_req2, IMG_LEN, -ENOEXEC,
		"multiboot2: the kernel requires information tag 8, which hop "
		"does not give (it gives 1-4, 6 and 21, and under UEFI 12, 14 "
		"or 15, and 17)" },
	{ "v2 unknown required tag", 1, b_unknown2, IMG_LEN, -ENOEXEC,
		"multiboot2: header tag type 42 is required and unknown to hop" },
	{ "v2 address without entry", 1, b_noentry2, IMG_LEN, -ENOEXEC,
		"multiboot2: an address tag without an entry address tag, and "
		"no ELF header" },
	{ "v2 neither address nor ELF", 1, b_noelf2, IMG_LEN, -ENOEXEC,
		"multiboot2: no load addresses in the header (address tag) and "
		"not an ELF file" },
};

static void test_bad(void)
{
	const struct image_format *f;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	char why[256];
	size_t i;
	int err;

	x86_test_mm(&mm);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		f = bads[i].v2 ? &fmt_multiboot2 : &fmt_multiboot;
		bads[i].make();
		make_req(&req);
		req.kernel_len = bads[i].len;
		plan_init(&p);
		err = f->plan(&req, &mm, &p);
		CHECK(err == bads[i].err && !strcmp(p.why, bads[i].why),
			"%s: %d \"%s\"; want %d \"%s\"", bads[i].name, err, p.why,
			bads[i].err, bads[i].why);
		plan_free(&p);
	}
	/* the header checks before kexec_file_load name the same fault */
	b_sum1();
	err = fmt_multiboot.check(img, IMG_LEN, why, sizeof(why));
	CHECK(err == -ENOEXEC && strstr(why, "bad checksum"),
		"mb1 check: %d \"%s\"", err, why);
	make_mb2_flat();
	CHECK_INT("mb2 check(good)", fmt_multiboot2.check(img, IMG_LEN, why,
		sizeof(why)), 0);

	/* optional tags and optional requests hop does not know are fine */
	{
		static const uint32_t r[] = { 8, 14 }, e[] = { 0x200200 },
			addr[] = { 0x200080, 0x200000, 0, 0 };
		size_t a = mb2_start();

		a = mb2_tag(a, 1, 1, r, 2);
		a = mb2_tag(a, 42, 1, NULL, 0);
		a = mb2_tag(a, 5, 0, NULL, 0);
		a = mb2_tag(a, 2, 0, addr, 4);
		a = mb2_tag(a, 3, 0, e, 1);
		mb2_finish(a);
		make_req(&req);
		plan_init(&p);
		err = fmt_multiboot2.plan(&req, &mm, &p);
		CHECK(err == 0 && plan_seg(&p, "kernel", 0) &&
			plan_seg(&p, "kernel", 0)->bufsz == IMG_LEN,
			"optional tags: %d (%s); want 0, the whole file (load_end "
			"0)", err, p.why);
		plan_free(&p);
	}
	/* what a multiboot kernel cannot take */
	make_mb1_flat(0x10003);
	make_req(&req);
	req.initrd = mod_b;
	req.initrd_len = sizeof(mod_b);
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -EINVAL && strstr(p.why, "give it as a module"),
		"initrd: %d \"%s\"", err, p.why);
	plan_free(&p);
	make_req(&req);
	req.crash = 1;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -EINVAL && strstr(p.why, "panic kernel"),
		"crash: %d \"%s\"", err, p.why);
	plan_free(&p);
}

#define MANY 100

/* an ESXi-sized list: 100 modules of sizes around a page (1 byte, exact
 * pages, a page and a byte), each byte telling module and offset apart */
static uint8_t many_data[MANY][0x2001];
static struct boot_module many[HOP_MAX_MODULES + 1];
static char many_str[MANY][32];

static void make_many(void)
{
	size_t i, j;

	for (i = 0; i < MANY; i++) {
		many[i].len = i % 3 == 0 ? 1 : i % 3 == 1 ? 0x1000 :
			0x1000 + i * 41 + 1;
		for (j = 0; j < many[i].len; j++) {
			many_data[i][j] = (uint8_t)(i * 7 + j * 13 + 1);
		}
		many[i].data = many_data[i];
		snprintf(many_str[i], sizeof(many_str[i]), "/m%zu.b00 n=%zu", i,
			i);
		many[i].cmdline = many_str[i];
	}
}

/* every module's table entry: page aligned, inside the one segment, its
 * bytes and its string the file's, in order */
static void check_many(const struct plan *p, const struct segment *info,
	int v2)
{
	const struct segment *m = plan_seg(p, "modules", 0);
	const uint8_t *b = info->buf, *t = NULL;
	uint32_t start, end, prev = 0, off = 8, n = 0;
	size_t i;

	if (!m) {
		CHECK(0, "no modules segment");
		return;
	}
	CHECK(!plan_seg(p, "module", 0) && !plan_seg(p, "modules", 1) &&
		p->nseg == 4, "%d modules: want one segment of them, 4 in all "
		"(got %zu)", MANY, p->nseg);
	if (!v2) {
		CHECK_INT("mbi mods_count (100)", le32(b + 20), MANY);
		t = at(info, le32(b + 24));
	}
	for (i = 0; i < MANY; i++) {
		const char *str;

		if (v2) {
			/* the next module tag */
			while (off + 8 <= le32(b) && le32(b + off) != 3) {
				off += (le32(b + off + 4) + 7) & ~7u;
			}
			if (off + 8 > le32(b)) {
				break;
			}
			start = le32(b + off + 8);
			end = le32(b + off + 12);
			str = (const char *)b + off + 16;
			off += (le32(b + off + 4) + 7) & ~7u;
		} else {
			start = le32(t + 16 * i);
			end = le32(t + 16 * i + 4);
			str = (const char *)at(info, le32(t + 16 * i + 8));
		}
		n++;
		CHECK(!(start & 0xfff) && start >= m->mem && start >= prev &&
			end - start == many[i].len && end <= m->mem + m->bufsz &&
			!memcmp((const uint8_t *)m->buf + (start - m->mem),
			many[i].data, many[i].len) && !strcmp(str,
			many[i].cmdline), "v%d module %zu: 0x%x-0x%x \"%s\"",
			v2 + 1, i, start, end, str);
		prev = end;
	}
	CHECK_INT("modules in the table", n, MANY);
}

/* many modules: one segment, each page aligned; over the limits:
 * refused, before anything is allocated */
static void test_many(void)
{
	const struct segment *info;
	static uint64_t off[MANY];
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	uint64_t total = 0;
	uint8_t *pack;
	size_t i;
	int v2, err;

	x86_test_mm(&mm);
	make_many();
	for (v2 = 0; v2 < 2; v2++) {
		if (v2) {
			make_mb2_flat();
		} else {
			make_mb1_flat(0x10003);
		}
		make_req(&req);
		req.modules = many;
		req.nmodules = MANY;
		plan_init(&p);
		err = (v2 ? &fmt_multiboot2 : &fmt_multiboot)->plan(&req, &mm,
			&p);
		CHECK(err == 0, "v%d, %d modules: %d (%s)", v2 + 1, MANY, err,
			p.why);
		info = plan_seg(&p, "multiboot info", 0);
		if (err == 0 && info) {
			check_many(&p, info, v2);
		}
		plan_free(&p);
	}

	/* the load path's pack (lib/load/load.c): the segment is its buffer,
	 * nothing copied */
	CHECK_INT("plan_pack_layout(100)", plan_pack_layout(many, MANY,
		1ull << 32, off, &total), 0);
	pack = calloc(1, total);
	for (i = 0; pack && i < MANY; i++) {
		CHECK(!(off[i] & 0xfff), "layout: module %zu at 0x%llx", i,
			(unsigned long long)off[i]);
		memcpy(pack + off[i], many[i].data, many[i].len);
		many[i].data = pack + off[i];
	}
	make_mb1_flat(0x10003);
	make_req(&req);
	req.modules = many;
	req.nmodules = MANY;
	req.modpack = pack;
	req.modpack_len = total;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	info = plan_seg(&p, "multiboot info", 0);
	CHECK(err == 0 && info && plan_seg(&p, "modules", 0)->buf == pack &&
		plan_seg(&p, "modules", 0)->memsz == total, "pack given: %d "
		"(%s); want its buffer as the segment", err, p.why);
	if (err == 0 && info) {
		check_many(&p, info, 0);
	}
	plan_free(&p);
	/* a module outside its place in the pack */
	many[7].data = pack + 1;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -EINVAL && !strcmp(p.why, "multiboot: module 8 is not "
		"at its place in the pack"), "misplaced: %d \"%s\"", err, p.why);
	plan_free(&p);
	req.modpack_len = total - 1;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -EINVAL && strstr(p.why, "the module pack is"),
		"pack size: %d \"%s\"", err, p.why);
	plan_free(&p);
	free(pack);
	make_many();

	/* more than the limit: refused by count */
	for (i = 0; i <= HOP_MAX_MODULES; i++) {
		many[i] = many[i % MANY];
	}
	make_req(&req);
	req.modules = many;
	req.nmodules = HOP_MAX_MODULES + 1;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -E2BIG && !strcmp(p.why, "multiboot: 257 modules, more "
		"than 256"), "257 modules: %d \"%s\"", err, p.why);
	plan_free(&p);
	req.nmodules = HOP_MAX_MODULES;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == 0 && plan_seg(&p, "modules", 0) && p.nseg == 4,
		"256 modules: %d (%s); want them in one segment", err, p.why);
	plan_free(&p);

	/* 5 modules of 1 GiB each (the lengths alone: no byte is read):
	 * more than below 4 GiB, refused before any buffer is made */
	for (i = 0; i < 5; i++) {
		many[i].len = 1ull << 30;
	}
	req.nmodules = 5;
	plan_init(&p);
	err = fmt_multiboot.plan(&req, &mm, &p);
	CHECK(err == -E2BIG && strstr(p.why, "5 modules do not fit in one "
		"segment") && p.nowned == 0, "5 GiB of modules: %d \"%s\" "
		"owned %zu", err, p.why, p.nowned);
	plan_free(&p);
	/* the layout alone: a limit, an empty module, a wrapping size */
	CHECK_INT("layout over the limit", plan_pack_layout(many, 2,
		(2ull << 30) - 1, off, &total), -E2BIG);
	CHECK_INT("layout at the limit", plan_pack_layout(many, 2, 2ull << 30,
		off, &total), 0);
	CHECK_INT("layout total", total, 2ull << 30);
	many[1].len = 0;
	CHECK_INT("layout of an empty module", plan_pack_layout(many, 2,
		1ull << 32, off, &total), -E2BIG);
	many[1].len = SIZE_MAX;
	CHECK_INT("layout of SIZE_MAX", plan_pack_layout(many, 2, 1ull << 32,
		off, &total), -E2BIG);
	CHECK_INT("layout of 257", plan_pack_layout(many, HOP_MAX_MODULES + 1,
		UINT64_MAX >> 1, off, &total), -E2BIG);
	make_many();
}

/* the modules' way in: hop kexec --module, hop.module=, the recorded
 * request hop watch replays */
static void test_plumbing(void)
{
	static char buf[REQUEST_MAX];
	char *argv[] = { "kexec", "-l", "/boot/xen",
		"--module=/boot/vmlinuz root=/dev/vda console=hvc0",
		"--module", "/boot/initrd.img", NULL };
	struct kexec_opts o;
	struct cmdline c;
	struct config cfg;
	struct stored_req s;
	int ret;

	capture_start();
	ret = kexec_parse(6, argv, &o);
	capture_end();
	CHECK_INT("kexec_parse(--module)", ret, -1);
	CHECK_INT("nmodules", o.req.nmodules, 2);
	CHECK_STR("module 0 path", o.req.modules[0].path, "/boot/vmlinuz");
	CHECK_STR("module 0 string", o.req.modules[0].cmdline,
		"/boot/vmlinuz root=/dev/vda console=hvc0");
	CHECK_STR("module 1 path", o.req.modules[1].path, "/boot/initrd.img");
	CHECK(o.req.kernel_name == NULL, "kexec -l: no kernel name");
	o.req.kernel_name = "/boot/xen.gz";
	CHECK_INT("request_format(modules)", request_format(&o.req, buf,
		sizeof(buf)) > 0, 1);
	CHECK(strstr(buf, "module=/boot/vmlinuz\nmodule-cmdline=/boot/vmlinuz "
		"root=/dev/vda console=hvc0\nmodule=/boot/initrd.img\n"),
		"request: modules in order, got %s", buf);
	CHECK(!strncmp(buf, "hop-request=1\nkernel=/boot/xen\n"
		"kernel-name=/boot/xen.gz\n", 56),
		"request: kernel-name follows kernel, got %s", buf);
	CHECK_INT("request_parse(modules)", request_parse(buf, &s), 0);
	CHECK_INT("parsed nmodules", s.req.nmodules, 2);
	CHECK_STR("parsed kernel name", s.req.kernel_name, "/boot/xen.gz");
	CHECK_STR("parsed module 0 string", s.req.modules[0].cmdline,
		"/boot/vmlinuz root=/dev/vda console=hvc0");
	CHECK_STR("parsed module 1 path", s.req.modules[1].path,
		"/boot/initrd.img");
	o.req.kernel_name = "/boot/xen\nmodule=/evil";
	CHECK_INT("request_format(kernel name with a newline)",
		request_format(&o.req, buf, sizeof(buf)), -E2BIG);
	argv[3] = "--module= x";
	capture_start();
	ret = kexec_parse(4, argv, &o);
	CHECK_INT("kexec_parse(--module= x)", ret, 2);
	CHECK(strstr(capture_end(), "hop: error: --module: no file given"),
		"--module without a file: want an error");

	{
		/* 256 --module: parsed, recorded and read back; 257 and
		 * names past the pool: refused with the limit */
		static char arg[HOP_MAX_MODULES + 1][1100];
		static char *av[HOP_MAX_MODULES + 5];
		static struct stored_req s2;
		size_t i;

		av[0] = "kexec";
		av[1] = "-l";
		av[2] = "/boot/b.b00";
		for (i = 0; i <= HOP_MAX_MODULES; i++) {
			snprintf(arg[i], sizeof(arg[i]), "--module=/vmfs/"
				"volumes/BOOTBANK1/m%03zu.v00 arg=%zu", i, i);
			av[3 + i] = arg[i];
		}
		capture_start();
		ret = kexec_parse(3 + HOP_MAX_MODULES, av, &o);
		capture_end();
		CHECK(ret == -1 && o.req.nmodules == HOP_MAX_MODULES &&
			!strcmp(o.req.modules[255].path,
			"/vmfs/volumes/BOOTBANK1/m255.v00"), "kexec_parse(256 "
			"--module): %d, %zu", ret, o.req.nmodules);
		CHECK(request_format(&o.req, buf, sizeof(buf)) > 0 &&
			request_parse(buf, &s2) == 0 && s2.req.nmodules ==
			HOP_MAX_MODULES && !strcmp(s2.req.modules[255].cmdline,
			"/vmfs/volumes/BOOTBANK1/m255.v00 arg=255"),
			"request of 256 modules: want it round trip");
		capture_start();
		ret = kexec_parse(4 + HOP_MAX_MODULES, av, &o);
		CHECK(ret == 2 && strstr(capture_end(), "hop: error: --module: "
			"more than 256 modules"), "kexec_parse(257 --module): "
			"%d", ret);
		for (i = 0; i < 20; i++) {
			memset(arg[i] + 9, 'a', 1000);
			arg[i][1009] = '\0';
		}
		capture_start();
		ret = kexec_parse(3 + 20, av, &o);
		CHECK(ret == 2 && strstr(capture_end(), "hop: error: --module: "
			"the file names take more than 16384 bytes together"),
			"kexec_parse(20 names of 1000): %d", ret);
	}

	cmdline_parse("hop.kernel=/boot/xen hop.module=\"LABEL=boot:/vmlinuz "
		"root=/dev/vda\" hop.module=/initrd hop.modules=virtio", &c);
	capture_start();
	ret = config_from_cmdline(&c, &cfg);
	capture_end();
	CHECK_INT("config(hop.module) problems", ret, 0);
	CHECK_INT("hop.module count", cfg.nmbmodule, 2);
	CHECK_STR("hop.module 0", cfg.mbmodule[0], "LABEL=boot:/vmlinuz "
		"root=/dev/vda");
	CHECK_STR("hop.modules still kernel modules", cfg.modules, "virtio");
	config_free(&cfg);
	cmdline_free(&c);

	/* a kernel of a format without modules (the unit tests' "FAKE"):
	 * refused before any syscall, not loaded without them */
	{
		char dir[] = "/tmp/hop-mb-XXXXXX", k[64];
		struct module_src m = { "/nonexistent", "/nonexistent a=1" };
		struct load_req r;
		FILE *f;
		const char *log;

		mkdtemp(dir);
		snprintf(k, sizeof(k), "%s/k", dir);
		f = fopen(k, "w");
		fputs("FAKE kernel", f);
		fclose(f);
		memset(&r, 0, sizeof(r));
		r.kernel = k;
		r.cmdline = "";
		r.modules = &m;
		r.nmodules = 1;
		fake_calls = 0;
		capture_start();
		ret = load_image(&r);
		log = capture_end();
		CHECK(ret == -EINVAL && fake_calls == 0 && strstr(log,
			"hop: error: /nonexistent: module: a fake kernel takes no "
			"modules (only multiboot kernels do)"),
			"modules with a fake kernel: %d, %d syscalls, log %s", ret,
			fake_calls, log);
		r.syscall = SYSCALL_LOAD;
		load_calls = 0;
		capture_start();
		ret = load_image(&r);
		log = capture_end();
		CHECK(ret == -EINVAL && load_calls == 0 && strstr(log,
			"takes no modules"), "kexec_load path: %d, log %s", ret,
			log);
		unlink(k);
		rmdir(dir);
	}
}

/* grub.cfg's multiboot entries, as Debian's 20_linux_xen writes them */
static void test_grub(void)
{
	static const char cfg[] =
		"menuentry 'Debian GNU/Linux, with Xen hypervisor' --id xen {\n"
		"\tinsmod part_gpt\n"
		"\tsearch --no-floppy --fs-uuid --set=root 1234\n"
		"\techo 'Loading Xen 4.17-amd64 ...'\n"
		"\tmultiboot2 /boot/xen-4.17-amd64.gz placeholder dom0_mem=1G\n"
		"\tmodule2 /boot/vmlinuz-6.1 placeholder root=UUID=1234 ro "
		"\"quiet x\"\n"
		"\tmodule2 --nounzip /boot/initrd.img-6.1\n"
		"}\n"
		"menuentry 'old' {\n"
		"\tmultiboot /boot/mb.elf a=1\n"
		"\tmodule /boot/m1\n"
		"}\n"
		"menuentry 'linux' {\n\tlinux /vmlinuz ro\n}\n";
	struct boot_config c;
	const struct boot_entry *e;
	int r;

	r = bootcfg_grub(cfg, NULL, NULL, &c);
	CHECK_INT("bootcfg_grub(xen)", r, 0);
	if (r < 0 || c.n != 3) {
		CHECK(0, "grub: want 3 entries, got %zu (%s)", c.n, c.why);
		bootcfg_free(&c);
		return;
	}
	e = &c.e[0];
	CHECK_INT("xen multiboot", e->multiboot, 2);
	CHECK_STR("xen kernel", e->kernel, "/boot/xen-4.17-amd64.gz");
	CHECK_STR("xen cmdline", e->cmdline, "placeholder dom0_mem=1G");
	CHECK_INT("xen modules", e->nmodule, 2);
	CHECK_STR("xen module 0", e->module[0], "/boot/vmlinuz-6.1");
	CHECK_STR("xen module 0 string", e->module_cmdline[0],
		"/boot/vmlinuz-6.1 placeholder root=UUID=1234 ro \"quiet x\"");
	CHECK_STR("xen module 1 (--nounzip)", e->module_cmdline[1],
		"/boot/initrd.img-6.1");
	CHECK_STR("xen search", e->search_uuid, "1234");
	CHECK_INT("v1 multiboot", c.e[1].multiboot, 1);
	CHECK_STR("v1 module", c.e[1].module[0], "/boot/m1");
	CHECK_INT("linux entry multiboot", c.e[2].multiboot, 0);
	CHECK_INT("linux entry modules", c.e[2].nmodule, 0);
	bootcfg_free(&c);
}

/* a gzip'd kernel (Xen's xen-*.gz) is inflated, then probed: here the
 * unit tests' "FAKE" format through kexec_load with a sysroot */
static void test_gunzip(void)
{
	char root[] = "/tmp/hop-gz-XXXXXX", path[128];
	static const char kernel[] = "FAKE kernel, gzip'd";
	uint8_t gz[256];
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t n = libdeflate_gzip_compress(c, kernel, sizeof(kernel), gz,
		sizeof(gz));
	struct load_req r;
	const char *log;
	FILE *f;
	int ret;

	libdeflate_free_compressor(c);
	mkdtemp(root);
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	f = fopen(path, "w");
	fputs("00100000-3fffffff : System RAM\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/k.gz", root);
	f = fopen(path, "w");
	fwrite(gz, 1, n, f);
	fclose(f);
	memset(&r, 0, sizeof(r));
	r.kernel = path;
	r.cmdline = "";
	r.sysroot = root;
	r.syscall = SYSCALL_LOAD;
	load_calls = 0;
	load_err = 0;
	capture_start();
	ret = load_image(&r);
	log = capture_end();
	CHECK(ret == 0 && load_calls == 1 && strstr(log, "hop: loaded via "
		"kexec_load"), "gzip'd kernel: %d, %d calls, log %s", ret,
		load_calls, log);
	/* the plan has the inflated bytes */
	r.plan_only = 1;
	capture_start();
	ret = load_image(&r);
	log = capture_end();
	CHECK(ret == 0 && strstr(log, "kernel (20 bytes)"), "gzip'd kernel "
		"plan: %d, log %s", ret, log);
	r.plan_only = 0;
	/* a gzip member that is not a kernel: one error line */
	f = fopen(path, "w");
	fwrite(gz, 1, n - 12, f);
	fclose(f);
	capture_start();
	ret = load_image(&r);
	log = capture_end();
	CHECK(ret == -ENOEXEC && strstr(log, "hop: error: ") && strstr(log,
		"gzip: ") && !strstr(log, "not an image format"),
		"truncated gzip: %d, log %s; want one error line", ret, log);
	/* gzip'd bytes that are no kernel */
	{
		struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);

		n = libdeflate_gzip_compress(z, "not a kernel", 12, gz,
			sizeof(gz));
		libdeflate_free_compressor(z);
	}
	f = fopen(path, "w");
	fwrite(gz, 1, n, f);
	fclose(f);
	capture_start();
	ret = load_image(&r);
	log = capture_end();
	CHECK(ret == -ENOEXEC && strstr(log, "kexec_load: gzip'd, and the 12 "
		"bytes inflated are not an image format hop can load on this "
		"arch (fake)\n") && !strstr(log, ": kexec_load: not an"),
		"gzip'd junk: %d, log %s", ret, log);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

void test_multiboot(void)
{
	test_gunzip();
	test_grub();
	test_mb1();
	test_mb2();
	test_many();
	test_mb2_efi();
	test_bad();
	test_plumbing();
}
