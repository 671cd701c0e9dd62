/* the x86_64 bzImage planner (arch/x86_64/bzimage.c) on a synthetic 64 KiB
 * bzImage and a fixture memory map */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "sysmem.h"
#include "test.h"

#define IMG_LEN 0x10000
#define INIT_SIZE 0x300000
#define CMDLINE "console=ttyS0 root=/dev/vda"

static const char iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  01000000-01bfffff : Kernel code\n"
	"  02000000-020fffff : reserved\n"
	"3ffe0000-3fffffff : Reserved\n"
	"fd000000-fdffffff : PCI Bus 0000:00\n"
	"100000000-13fffffff : System RAM\n";

static uint8_t img[IMG_LEN];
static uint8_t initrd[0x5000];
static uint8_t old_bp[4096];

/* setup_sects 3, protocol 2.15, header up to 0x26c, relocatable, 64-bit
 * entry, loadable above 4 GiB; junk around the header that must not
 * reach boot_params */
static void make_img(void)
{
	size_t i;

	for (i = 0; i < IMG_LEN; i++) {
		img[i] = (uint8_t)(i * 7 + 1);
	}
	memset(img, 0xcc, 0x1f1);
	memset(img + 0x26c, 0xee, 0x800 - 0x26c);
	memset(img + 0x1f1, 0, 0x26c - 0x1f1);
	img[0x1f1] = 3;
	put_le16(img + 0x1fa, 0xffff);
	put_le16(img + 0x1fe, 0xaa55);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a;
	memcpy(img + 0x202, "HdrS", 4);
	put_le16(img + 0x206, 0x020f);
	img[0x211] = 0x01;
	put_le32(img + 0x214, 0x100000);
	put_le32(img + 0x22c, 0x7fffffff);
	put_le32(img + 0x230, 0x200000);
	img[0x234] = 1;
	img[0x235] = 21;
	put_le16(img + 0x236, 0x3);
	put_le32(img + 0x238, 0x7ff);
	put_le32(img + 0x23c, 7);
	put_le64(img + 0x250, 0xdead0000);
	put_le64(img + 0x258, 0x1000000);
	put_le32(img + 0x260, INIT_SIZE);
}

static void make_mm(struct memmap *mm, int firmware)
{
	memset(mm, 0, sizeof(*mm));
	memmap_parse_iomem(iomem, mm);
	if (firmware) {
		memmap_add_firmware(mm, 0, 0x9fbff, "System RAM");
		memmap_add_firmware(mm, 0x9fc00, 0x9ffff, "Reserved");
		memmap_add_firmware(mm, 0x100000, 0x3ffdffff, "System RAM");
		memmap_add_firmware(mm, 0x3ffe0000, 0x3fffffff, "ACPI Tables");
		memmap_add_firmware(mm, 0x100000000, 0x13fffffff,
			"System RAM");
	}
}

static void make_req(struct boot_req *req, const char *cmdline)
{
	memset(req, 0, sizeof(*req));
	req->kernel = img;
	req->kernel_len = IMG_LEN;
	req->initrd = initrd;
	req->initrd_len = sizeof(initrd);
	req->cmdline = cmdline;
	req->boot_params = old_bp;
	req->boot_params_len = sizeof(old_bp);
	req->page_size = 4096;
}


static int in_ram(const struct memmap *mm, const struct segment *s)
{
	size_t i;

	for (i = 0; i < mm->nram; i++) {
		if (s->mem >= mm->ram[i].start &&
			s->mem + s->memsz <= mm->ram[i].end) {
			return 1;
		}
	}
	return 0;
}

/* every kexec_load rule: page aligned, in RAM, no overlap, >= 1 MiB */
static void check_segments(const struct plan *p, const struct memmap *mm)
{
	size_t i, j;

	for (i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		CHECK(!(s->mem & 0xfff) && !(s->memsz & 0xfff) &&
			s->bufsz <= s->memsz, "%s: mem 0x%llx memsz 0x%llx "
			"bufsz 0x%zx; want page aligned", s->what,
			(unsigned long long)s->mem,
			(unsigned long long)s->memsz, s->bufsz);
		CHECK(in_ram(mm, s) && s->mem >= 0x100000, "%s at 0x%llx: "
			"want in RAM above 1 MiB", s->what,
			(unsigned long long)s->mem);
		for (j = 0; j < i; j++) {
			const struct segment *o = &p->seg[j];

			CHECK(s->mem >= o->mem + o->memsz ||
				o->mem >= s->mem + s->memsz,
				"%s overlaps %s", s->what, o->what);
		}
	}
}

static int all_zero(const uint8_t *b, size_t from, size_t to)
{
	for (; from < to; from++) {
		if (b[from]) {
			return 0;
		}
	}
	return 1;
}

static void check_boot_params(const struct plan *p, const struct segment *s)
{
	const uint8_t *bp = s->buf;
	uint32_t cmd = le32(bp + 0x228);

	CHECK(all_zero(bp, 0, 0x70) && all_zero(bp, 0x78, 0xc0) &&
		all_zero(bp, 0xcc, 0x1e8) && all_zero(bp, 0x1e9, 0x1f1),
		"boot_params before the header: want zero but what we set");
	CHECK(!memcmp(bp + 0x1f1, img + 0x1f1, 0x210 - 0x1f1) &&
		!memcmp(bp + 0x212, img + 0x212, 0x218 - 0x212) &&
		!memcmp(bp + 0x22c, img + 0x22c, 0x23c - 0x22c) &&
		!memcmp(bp + 0x240, img + 0x240, 0x250 - 0x240) &&
		!memcmp(bp + 0x258, img + 0x258, 0x26c - 0x258),
		"boot_params header: want a copy of the image's");
	CHECK(all_zero(bp, 0x26c, 0x2d0), "boot_params after the header: "
		"want zero");
	CHECK_INT("boot_params setup_sects", bp[0x1f1], 3);
	CHECK_INT("boot_params type_of_loader", bp[0x210], 0xd0);
	CHECK_INT("boot_params loadflags", bp[0x211], 0);
	CHECK_INT("boot_params sentinel", bp[0x1ef], 0);
	CHECK_INT("boot_params setup_data", le64(bp + 0x250), 0);
	CHECK_INT("boot_params init_size", le32(bp + 0x260), INIT_SIZE);
	CHECK_INT("boot_params acpi_rsdp_addr", le64(bp + 0x70), 0xf5a20);
	CHECK_INT("boot_params hardware_subarch", le32(bp + 0x23c), 0);
	CHECK_INT("boot_params cmd_line_ptr", cmd, s->mem + 0x1000);
	CHECK_INT("boot_params ext_cmd_line_ptr", le32(bp + 0xc8), 0);
	CHECK_STR("command line at cmd_line_ptr", (const char *)bp + (cmd -
		s->mem), CMDLINE);
	CHECK_INT("boot_params+cmdline bufsz", s->bufsz, 0x1000 +
		sizeof(CMDLINE));
	CHECK_INT("boot_params+cmdline memsz", s->memsz, 0x2000);
	(void)p;
}

static void check_trampoline(const struct plan *p)
{
	const struct segment *t = plan_seg(p, "trampoline", 0),
		*k = plan_seg(p, "kernel", 0), *b = plan_seg(p, "boot_params+cmdline", 0);
	const uint8_t *c;

	if (!t || !k || !b) {
		CHECK(0, "trampoline, kernel, boot_params+cmdline: missing");
		return;
	}
	c = t->buf;
	CHECK_INT("entry", p->entry, t->mem);
	CHECK_INT("flags", p->flags, 0x3e0000);
	CHECK_INT("trampoline memsz", t->memsz, 4096);
	/* lgdt 0x48(%rip) at 1: rip 8 + 0x48 = the gdtr at 0x50 */
	CHECK(c[1] == 0x0f && c[2] == 0x01 && c[3] == 0x15 &&
		le32(c + 4) == 0x48, "lgdt: want 0f 01 15 48 00 00 00");
	CHECK_INT("gdtr limit", le16(c + 0x50), 31);
	CHECK_INT("gdtr base", le64(c + 0x52), t->mem + 0x60);
	CHECK_INT("gdt[2] (0x10)", le64(c + 0x70), 0x00af9a000000ffffll);
	CHECK_INT("gdt[3] (0x18)", le64(c + 0x78), 0x00cf92000000ffffll);
	/* lea 0xfe2(%rip),%rsp at 0x17: rip 0x1e + 0xfe2 = page top */
	CHECK_INT("stack top", 0x1e + le32(c + 0x1a), 0x1000);
	/* lea 3(%rip),%rax at 0x20: rip 0x27 + 3 = the movabs after lretq */
	CHECK_INT("far return target", 0x27 + le32(c + 0x23), 0x2a);
	CHECK(c[0x1e] == 0x6a && c[0x1f] == 0x10 && c[0x28] == 0x48 &&
		c[0x29] == 0xcb, "push $0x10; lretq: want 6a 10 .. 48 cb");
	CHECK(c[0x2a] == 0x48 && c[0x2b] == 0xbe, "movabs rsi: want 48 be");
	CHECK_INT("movabs rsi (boot_params)", le64(c + 0x2c), b->mem);
	CHECK(c[0x34] == 0x48 && c[0x35] == 0xb8, "movabs rax: want 48 b8");
	CHECK_INT("movabs rax (kernel + 0x200)", le64(c + 0x36),
		k->mem + 0x200);
	CHECK(c[0x3e] == 0x31 && c[0x3f] == 0xdb && c[0x40] == 0xff &&
		c[0x41] == 0xe0, "xor ebx; jmp *rax: want 31 db ff e0");
}

static void check_e820(const uint8_t *bp, size_t i, uint64_t addr,
	uint64_t size, uint32_t type)
{
	const uint8_t *e = bp + 0x2d0 + i * 20;
	char call[64];

	snprintf(call, sizeof(call), "e820[%zu].addr", i);
	CHECK_INT(call, le64(e), addr);
	snprintf(call, sizeof(call), "e820[%zu].size", i);
	CHECK_INT(call, le64(e + 8), size);
	snprintf(call, sizeof(call), "e820[%zu].type", i);
	CHECK_INT(call, le32(e + 16), type);
}

static void test_good(void)
{
	const struct segment *k, *rd, *b;
	struct boot_req req;
	struct memmap mm;
	struct plan p;

	make_img();
	make_mm(&mm, 1);
	make_req(&req, CMDLINE);
	plan_init(&p);
	CHECK_INT("bzimage plan", fmt_bzimage.plan(&req, &mm, &p), 0);
	CHECK_STR("bzimage plan why", p.why, "");
	CHECK_INT("nseg", p.nseg, 4);
	check_segments(&p, &mm);
	k = plan_seg(&p, "kernel", 0);
	rd = plan_seg(&p, "initrd", 0);
	b = plan_seg(&p, "boot_params+cmdline", 0);
	if (!k || !rd || !b || !plan_seg(&p, "trampoline", 0)) {
		CHECK(0, "segments missing");
		plan_free(&p);
		return;
	}
	/* pref_address 16 MiB, 2 MiB aligned; the file's bytes copied,
	 * the rest of init_size kept clear */
	CHECK_INT("kernel mem", k->mem, 0x1000000);
	CHECK_INT("kernel memsz", k->memsz, align_up(IMG_LEN - 0x800, 4096));
	CHECK_INT("kept rooms", p.nkept, 1);
	CHECK_INT("kept start", p.kept[0].start, k->mem + k->memsz);
	CHECK_INT("kept end", p.kept[0].end, k->mem + INIT_SIZE);
	CHECK(k->buf == img + 0x800, "kernel buf: want image + 0x800");
	CHECK_INT("kernel bufsz", k->bufsz, IMG_LEN - 0x800);
	/* top-down, below 4 GiB */
	CHECK(rd->buf == initrd, "initrd buf: want the caller's, not a copy");
	CHECK_INT("initrd bufsz", rd->bufsz, sizeof(initrd));
	CHECK_INT("initrd mem", rd->mem, 0x3ffe0000 - sizeof(initrd));
	/* bottom-up from 1 MiB */
	CHECK_INT("boot_params mem", b->mem, 0x100000);
	CHECK_INT("trampoline mem", plan_seg(&p, "trampoline", 0)->mem, 0x102000);
	check_boot_params(&p, b);
	check_trampoline(&p);
	CHECK_INT("ramdisk_image", le32((const uint8_t *)b->buf + 0x218),
		rd->mem);
	CHECK_INT("ramdisk_size", le32((const uint8_t *)b->buf + 0x21c),
		sizeof(initrd));
	CHECK_INT("ext_ramdisk_image", le32((const uint8_t *)b->buf + 0xc0),
		0);
	CHECK_INT("ext_ramdisk_size", le32((const uint8_t *)b->buf + 0xc4), 0);
	CHECK_INT("e820_entries (firmware)", ((const uint8_t *)b->buf)[0x1e8],
		5);
	check_e820(b->buf, 0, 0, 0x9fc00, E820_RAM);
	check_e820(b->buf, 1, 0x9fc00, 0x400, E820_RESERVED);
	check_e820(b->buf, 3, 0x3ffe0000, 0x20000, E820_ACPI);
	check_e820(b->buf, 4, 0x100000000, 0x40000000, E820_RAM);
	plan_free(&p);
}

/* no firmware map, no initrd, no old boot_params, an empty command line,
 * --mem-min */
static void test_bare(void)
{
	const struct segment *b;
	const uint8_t *bp;
	struct boot_req req;
	struct memmap mm;
	struct plan p;

	make_img();
	make_mm(&mm, 0);
	make_req(&req, "");
	req.initrd = NULL;
	req.initrd_len = 0;
	req.boot_params = NULL;
	req.mem_min = 0x2100000;
	plan_init(&p);
	CHECK_INT("bzimage plan(bare)", fmt_bzimage.plan(&req, &mm, &p), 0);
	CHECK_INT("nseg(bare)", p.nseg, 3);
	check_segments(&p, &mm);
	CHECK_INT("kernel mem(mem_min)", plan_seg(&p, "kernel", 0)->mem, 0x2200000);
	b = plan_seg(&p, "boot_params+cmdline", 0);
	CHECK_INT("boot_params mem(mem_min)", b->mem, 0x2100000);
	CHECK_INT("trampoline mem(mem_min)", plan_seg(&p, "trampoline", 0)->mem,
		0x2102000);
	bp = b->buf;
	CHECK_INT("bufsz(empty cmdline)", b->bufsz, 0x1001);
	CHECK_INT("cmd_line_ptr(empty)", le32(bp + 0x228), b->mem + 0x1000);
	CHECK_INT("cmdline NUL", bp[0x1000], 0);
	CHECK_INT("ramdisk_image(none)", le32(bp + 0x218), 0);
	CHECK_INT("ramdisk_size(none)", le32(bp + 0x21c), 0);
	CHECK_INT("acpi_rsdp_addr(none)", le64(bp + 0x70), 0);
	CHECK_INT("hardware_subarch(image's)", le32(bp + 0x23c), 7);
	CHECK_INT("e820_entries(from RAM)", bp[0x1e8], 4);
	check_e820(bp, 0, 0x1000, 0x9e000, E820_RAM);
	check_e820(bp, 1, 0x100000, 0x1f00000, E820_RAM);
	check_e820(bp, 2, 0x2100000, 0x3dee0000, E820_RAM);
	check_e820(bp, 3, 0x100000000, 0x40000000, E820_RAM);
	plan_free(&p);
}

/* initrd_addr_max, and above 4 GiB only with XLF_CAN_BE_LOADED_ABOVE_4G */
static void test_initrd_limits(void)
{
	const struct segment *rd;
	struct boot_req req;
	struct memmap mm;
	struct plan p;

	make_img();
	make_mm(&mm, 1);
	make_req(&req, CMDLINE);
	put_le16(img + 0x236, 0x1);
	put_le32(img + 0x22c, 0x37ffffff);
	plan_init(&p);
	CHECK_INT("bzimage plan(initrd_addr_max)", fmt_bzimage.plan(&req,
		&mm, &p), 0);
	rd = plan_seg(&p, "initrd", 0);
	CHECK_INT("initrd mem(initrd_addr_max)", rd ? rd->mem : 0,
		0x38000000 - sizeof(initrd));
	plan_free(&p);

	/* too big for low RAM: the planner never reads past buf */
	req.initrd_len = 0x3f000000;
	plan_init(&p);
	CHECK_INT("bzimage plan(big initrd, below 4G only)",
		fmt_bzimage.plan(&req, &mm, &p), -EADDRNOTAVAIL);
	CHECK_STR("bzimage plan(big initrd, below 4G only) why", p.why,
		"no room for the initrd: 1056964608 bytes aligned to 0x1000 "
		"between 0x100000 and 0x37ffffff in usable RAM");
	plan_free(&p);

	put_le16(img + 0x236, 0x3);
	plan_init(&p);
	CHECK_INT("bzimage plan(big initrd, above 4G)", fmt_bzimage.plan(&req,
		&mm, &p), 0);
	check_segments(&p, &mm);
	rd = plan_seg(&p, "initrd", 0);
	CHECK_INT("initrd mem(above 4G)", rd ? rd->mem : 0,
		0x140000000 - 0x3f000000);
	rd = plan_seg(&p, "boot_params+cmdline", 0);
	CHECK_INT("ext_ramdisk_image", rd ? le32((const uint8_t *)rd->buf +
		0xc0) : 0, 1);
	CHECK_INT("ramdisk_image(low half)", rd ? le32((const uint8_t *)
		rd->buf + 0x218) : 0, 0x01000000);
	plan_free(&p);

	/* --mem-max keeps it low, and then there is no room */
	req.mem_max = 0x100000000;
	plan_init(&p);
	CHECK_INT("bzimage plan(big initrd, mem_max 4G)", fmt_bzimage.plan(
		&req, &mm, &p), -EADDRNOTAVAIL);
	plan_free(&p);
}

static void refuse(const char *call, size_t len, const char *cmdline,
	int want, const char *why)
{
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	char c[128];

	make_mm(&mm, 1);
	make_req(&req, cmdline);
	req.kernel_len = len;
	plan_init(&p);
	snprintf(c, sizeof(c), "bzimage plan(%s)", call);
	CHECK_INT(c, fmt_bzimage.plan(&req, &mm, &p), want);
	snprintf(c, sizeof(c), "bzimage plan(%s) why", call);
	CHECK_STR(c, p.why, why);
	CHECK_INT(c, p.nseg, 0);
	plan_free(&p);
	make_img();
}

/* refusals from the header and the command line alone */
static void test_refusals(void)
{
	char longcmd[0x801];

	make_img();
	refuse("256 bytes", 0x100, "", -ENOEXEC, "bzImage: truncated: the "
		"image is 256 bytes, boot_flag at 0x1fe is cut off");
	refuse("0x204 bytes", 0x204, "", -ENOEXEC, "bzImage: truncated: the "
		"image is 516 bytes, the \"HdrS\" magic at 0x202 is cut off");
	refuse("0x207 bytes", 0x207, "", -ENOEXEC, "bzImage: truncated: the "
		"image is 519 bytes, version at 0x206 is cut off");
	refuse("0x260 bytes", 0x260, "", -ENOEXEC, "bzImage: truncated: the "
		"image is 608 bytes, the setup header end at 0x26c is cut off");
	put_le16(img + 0x1fe, 0x55aa);
	refuse("boot_flag", IMG_LEN, "", -ENOEXEC, "bzImage: boot_flag at "
		"0x1fe is 0x55aa, not 0xaa55");
	memcpy(img + 0x202, "HdrZ", 4);
	refuse("magic", IMG_LEN, "", -ENOEXEC, "bzImage: no \"HdrS\" magic at "
		"0x202 (found 48 64 72 5a)");
	put_le16(img + 0x206, 0x020b);
	refuse("2.11", IMG_LEN, "", -ENOEXEC, "bzImage: boot protocol 2.11 is "
		"older than 2.12, the first with 64-bit loading (xloadflags)");
	put_le16(img + 0x206, 0x0205);
	refuse("2.05", IMG_LEN, "", -ENOEXEC, "bzImage: boot protocol 2.05 is "
		"older than 2.12, the first with 64-bit loading (xloadflags)");
	img[0x201] = 0x60;
	refuse("short header", IMG_LEN, "", -ENOEXEC, "bzImage: the setup "
		"header ends at 0x262 (jump at 0x200), before the end of the "
		"2.12 fields at 0x268");
	img[0x211] = 0;
	refuse("loadflags", IMG_LEN, "", -ENOEXEC, "bzImage: LOADED_HIGH is "
		"clear in loadflags 0x00 at 0x211 (a zImage, loaded at "
		"0x10000)");
	img[0x234] = 0;
	refuse("relocatable", IMG_LEN, "", -ENOEXEC, "bzImage: not "
		"relocatable (relocatable_kernel at 0x234 is 0)");
	put_le16(img + 0x236, 0x2);
	refuse("xloadflags", IMG_LEN, "", -ENOEXEC, "bzImage: no 64-bit entry "
		"point (XLF_KERNEL_64 is clear in xloadflags 0x0002 at "
		"0x236)");
	img[0x1f1] = 200;
	refuse("setup_sects", IMG_LEN, "", -ENOEXEC, "bzImage: setup_sects "
		"200 puts the kernel at 0x19200, beyond the 65536-byte image");
	img[0x1f1] = 0;
	refuse("setup_sects 0 = 4", 0xa00, "", -ENOEXEC, "bzImage: "
		"setup_sects 0 puts the kernel at 0xa00, beyond the 2560-byte "
		"image");
	put_le32(img + 0x230, 0x300000);
	refuse("kernel_alignment", IMG_LEN, "", -ENOEXEC, "bzImage: "
		"kernel_alignment 0x300000 at 0x230 is not a power of two");
	memset(longcmd, 'a', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = '\0';
	refuse("command line", IMG_LEN, longcmd, -E2BIG, "bzImage: the "
		"command line is 2048 bytes, the kernel takes at most 2047 "
		"(cmdline_size at 0x238)");
	longcmd[1] = '\0';
	put_le32(img + 0x238, 0);
	refuse("cmdline_size 0", IMG_LEN, longcmd, -E2BIG, "bzImage: the "
		"command line is 1 bytes, the kernel takes at most 0 "
		"(cmdline_size at 0x238)");
}

/* refusals that depend on memory and on the plan so far */
static void test_refusals_plan(void)
{
	char longcmd[0x800];
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	size_t i;

	/* cmdline_size excludes the NUL: 2047 characters are fine */
	memset(longcmd, 'a', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = '\0';
	make_img();
	make_mm(&mm, 1);
	make_req(&req, longcmd);
	plan_init(&p);
	CHECK_INT("bzimage plan(2047-byte command line)", fmt_bzimage.plan(
		&req, &mm, &p), 0);
	plan_free(&p);

	/* no RAM between --mem-min and 4 GiB for the kernel */
	req.mem_min = 0x40000000;
	plan_init(&p);
	CHECK_INT("bzimage plan(no room)", fmt_bzimage.plan(&req, &mm, &p),
		-EADDRNOTAVAIL);
	CHECK_STR("bzimage plan(no room) why", p.why, "no room for the kernel: "
		"3145728 bytes aligned to 0x200000 between 0x40000000 and "
		"0xffffffff in usable RAM");
	plan_free(&p);

	/* a plan that already holds 13 segments has no room for 4 more */
	req.mem_min = 0;
	plan_init(&p);
	for (i = 0; i < 13; i++) {
		plan_add(&p, NULL, 0, 0x200000000ull + i * 0x1000, 0x1000, "x");
	}
	CHECK_INT("bzimage plan(13 segments before)", fmt_bzimage.plan(&req,
		&mm, &p), -EINVAL);
	CHECK_STR("bzimage plan(13 segments before) why", p.why, "bzImage: "
		"too many segments: 4 more on 13, the kernel takes 16");
	CHECK_INT("nseg(13 segments before)", p.nseg, 13);
	plan_free(&p);
}

/* a jump past the header's room: copy up to edd_mbr_sig_buffer (0x290)
 * only */
static void test_header_cap(void)
{
	const struct segment *b;
	struct boot_req req;
	struct memmap mm;
	struct plan p;

	make_img();
	img[0x201] = 0xff;
	memset(img + 0x26c, 0xee, 0x800 - 0x26c);
	make_mm(&mm, 1);
	make_req(&req, "");
	plan_init(&p);
	CHECK_INT("bzimage plan(jump 0xff)", fmt_bzimage.plan(&req, &mm, &p),
		0);
	b = plan_seg(&p, "boot_params+cmdline", 0);
	CHECK(b && !memcmp((const uint8_t *)b->buf + 0x26c, img + 0x26c,
		0x290 - 0x26c), "jump 0xff: want the image up to 0x290");
	CHECK(b && all_zero(b->buf, 0x290, 0x2d0), "jump 0xff: want zero "
		"from 0x290");
	plan_free(&p);
	make_img();
}

static void test_probe(void)
{
	make_img();
	CHECK_INT("bzimage probe", fmt_bzimage.probe(img, IMG_LEN), 0);
	CHECK_INT("bzimage probe(1023 bytes)", fmt_bzimage.probe(img, 1023),
		-ENOEXEC);
	CHECK_INT("bzimage probe(1024 bytes)", fmt_bzimage.probe(img, 1024),
		0);
	img[0x1ff] = 0;
	CHECK_INT("bzimage probe(boot_flag)", fmt_bzimage.probe(img, IMG_LEN),
		-ENOEXEC);
	make_img();
	img[0x205] = 'Z';
	CHECK_INT("bzimage probe(magic)", fmt_bzimage.probe(img, IMG_LEN),
		-ENOEXEC);
	make_img();
	CHECK_STR("bzimage name", fmt_bzimage.name, "bzImage");
}

/* a panic kernel: its ELF core header on top of the reservation,
 * "elfcorehdr=0xADDR " in front of the command line (as kexec_file), and
 * an e820 of the System RAM below 1 MiB, the firmware's other entries and
 * the reservation without the header (arch/x86/kernel/crash.c) */
static void test_crash(void)
{
	static const char crash_iomem[] =
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"0009fc00-0009ffff : Reserved\n"
		"00100000-3ffdffff : System RAM\n"
		"  25000000-34ffffff : Crash kernel\n"
		"3ffe0000-3fffffff : Reserved\n";
	static const struct {
		uint64_t mem_max, hdr;
		uint8_t n;
		uint64_t e820[5][3];
	} cases[] = {
		/* the header ends the reservation */
		{ 0, 0x34fff000, 4, { { 0x1000, 0x9ec00, E820_RAM },
			{ 0x9fc00, 0x400, E820_RESERVED },
			{ 0x25000000, 0xffff000, E820_RAM },
			{ 0x3ffe0000, 0x20000, E820_ACPI } } },
		/* --mem-max: the header splits it */
		{ 0x30000000, 0x2ffff000, 5, { { 0x1000, 0x9ec00, E820_RAM },
			{ 0x9fc00, 0x400, E820_RESERVED },
			{ 0x25000000, 0xafff000, E820_RAM },
			{ 0x30000000, 0x5000000, E820_RAM },
			{ 0x3ffe0000, 0x20000, E820_ACPI } } },
	};
	static uint8_t hdr[4096] = { 0x7f, 'E', 'L', 'F' };
	static char longcmd[2041];
	const struct segment *h, *b;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	char want[128];
	size_t i, k;
	int err;

	make_img();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&mm, 0, sizeof(mm));
		memmap_parse_iomem(crash_iomem, &mm);
		memmap_add_firmware(&mm, 0, 0x9fbff, "System RAM");
		memmap_add_firmware(&mm, 0x9fc00, 0x9ffff, "Reserved");
		memmap_add_firmware(&mm, 0x100000, 0x3ffdffff, "System RAM");
		memmap_add_firmware(&mm, 0x3ffe0000, 0x3fffffff,
			"ACPI Tables");
		memmap_crash_only(&mm);
		make_req(&req, CMDLINE);
		req.crash = 1;
		req.elfcorehdr = hdr;
		req.elfcorehdr_len = sizeof(hdr);
		req.mem_max = cases[i].mem_max;
		plan_init(&p);
		err = fmt_bzimage.plan(&req, &mm, &p);
		CHECK(err == 0, "bzimage plan(crash, mem_max 0x%llx) = %d (%s)",
			(unsigned long long)cases[i].mem_max, err, p.why);
		check_segments(&p, &mm);
		h = plan_seg(&p, "elfcorehdr", 0);
		b = plan_seg(&p, "boot_params+cmdline", 0);
		if (err || !h || !b) {
			CHECK(0, "bzimage plan(crash): segments missing");
			plan_free(&p);
			continue;
		}
		CHECK(h->mem == cases[i].hdr && h->buf == hdr &&
			h->bufsz == sizeof(hdr), "elfcorehdr segment at 0x%llx "
			"(%zu bytes); want 0x%llx (4096)",
			(unsigned long long)h->mem, h->bufsz,
			(unsigned long long)cases[i].hdr);
		CHECK_INT("kernel mem(crash)", plan_seg(&p, "kernel", 0)->mem,
			0x25000000);
		snprintf(want, sizeof(want), "elfcorehdr=0x%llx " CMDLINE,
			(unsigned long long)cases[i].hdr);
		CHECK_STR("cmdline(crash)", (const char *)b->buf + 0x1000,
			want);
		CHECK_INT("e820_entries(crash)", ((const uint8_t *)b->buf)[0x1e8],
			cases[i].n);
		for (k = 0; k < cases[i].n; k++) {
			check_e820(b->buf, k, cases[i].e820[k][0],
				cases[i].e820[k][1],
				(uint32_t)cases[i].e820[k][2]);
		}
		plan_free(&p);
	}

	/* the command line with the header no longer fits cmdline_size */
	memset(longcmd, 'a', sizeof(longcmd) - 1);
	make_req(&req, longcmd);
	req.crash = 1;
	req.elfcorehdr = hdr;
	req.elfcorehdr_len = sizeof(hdr);
	plan_init(&p);
	CHECK_INT("bzimage plan(crash, 2040-byte cmdline)", fmt_bzimage.plan(
		&req, &mm, &p), -E2BIG);
	CHECK_STR("bzimage plan(crash, 2040-byte cmdline) why", p.why,
		"bzImage: the command line is 2062 bytes, the kernel takes at "
		"most 2047 (cmdline_size at 0x238)");
	plan_free(&p);
}

/* a firmware map of more than 128 entries (large servers): the zero page
 * takes 128, the rest go in one SETUP_E820_EXT setup_data after the
 * command line, which hdr.setup_data points at; none up to 128 */
static void test_e820_ext(void)
{
	const struct segment *b;
	const uint8_t *bp, *sd;
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	uint64_t sd_addr;
	size_t i, n;

	for (n = 128; n <= 200; n += 72) {
		make_img();
		make_mm(&mm, 0);
		/* RAM at 1 MiB, then n - 1 reserved pages from 4 GiB up */
		memmap_add_firmware(&mm, 0x100000, 0x3ffdffff, "System RAM");
		for (i = 1; i < n; i++) {
			memmap_add_firmware(&mm, 0x100000000 + 0x2000 * i,
				0x100000fff + 0x2000 * i, "Reserved");
		}
		CHECK_INT("firmware entries", mm.ne820, n);
		make_req(&req, CMDLINE);
		plan_init(&p);
		CHECK_INT("bzimage plan (many e820 entries)",
			fmt_bzimage.plan(&req, &mm, &p), 0);
		b = plan_seg(&p, "boot_params+cmdline", 0);
		if (!b) {
			CHECK(0, "no boot_params segment");
			plan_free(&p);
			continue;
		}
		bp = b->buf;
		sd_addr = le64(bp + 0x250);
		CHECK_INT("e820_entries in the zero page", bp[0x1e8], 128);
		check_e820(bp, 0, 0x100000, 0x3fee0000, E820_RAM);
		check_e820(bp, 127, 0x100000000 + 0x2000 * 127, 0x1000,
			E820_RESERVED);
		if (n == 128) {
			CHECK_INT("setup_data with 128 entries", sd_addr, 0);
			CHECK_INT("segment size with 128 entries", b->bufsz,
				0x1000 + sizeof(CMDLINE));
			plan_free(&p);
			continue;
		}
		CHECK(sd_addr > b->mem + 0x1000 && sd_addr % 8 == 0,
			"setup_data at 0x%llx: want after the command line at "
			"0x%llx, 8-byte aligned", (unsigned long long)sd_addr,
			(unsigned long long)b->mem + 0x1000);
		CHECK_INT("segment ends with the setup_data", b->bufsz,
			sd_addr - b->mem + 16 + 72 * 20);
		sd = bp + (sd_addr - b->mem);
		CHECK_INT("setup_data next", le64(sd), 0);
		CHECK_INT("setup_data type (SETUP_E820_EXT)", le32(sd + 8), 1);
		CHECK_INT("setup_data len", le32(sd + 12), 72 * 20);
		for (i = 0; i < 72; i++) {
			const uint8_t *e = sd + 16 + 20 * i;

			if (le64(e) != 0x100000000ull + 0x2000 * (128 + i) ||
				le64(e + 8) != 0x1000 ||
				le32(e + 16) != E820_RESERVED) {
				CHECK(0, "ext e820[%zu]: 0x%llx+0x%llx type %u",
					i, (unsigned long long)le64(e),
					(unsigned long long)le64(e + 8),
					le32(e + 16));
				break;
			}
		}
		CHECK_STR("command line intact", (const char *)bp + 0x1000,
			CMDLINE);
		CHECK(e820_ext_ram(sd + 16, le32(sd + 12), mm.ram, 4) == 0,
			"e820_ext_ram: reserved entries are not RAM");
		plan_free(&p);
	}
}

/* a UEFI machine's /sys/firmware/efi under root: three runtime regions,
 * the system table's ACPI 2.0 and SMBIOS entries */
static void put_sys(const char *root, const char *rel, const char *text)
{
	fixture_put(root, rel, text, strlen(text));
}

static void make_efi_sysfs(const char *root)
{
	static const char *const rt[3][5] = {
		{ "0x5\n", "0x7f9a0000\n", "0xfffffffeffa00000\n", "0x10\n",
			"0x800000000000000f\n" },
		{ "0x6\n", "0x7fb00000\n", "0xfffffffeffb00000\n", "0x40\n",
			"0x800000000000000f\n" },
		{ "0xb\n", "0xffc00000\n", "0xfffffffeffc00000\n", "0x400\n",
			"0x8000000000000001\n" },
	};
	static const char *const names[5] = { "type", "phys_addr", "virt_addr",
		"num_pages", "attribute" };
	char rel[128];
	int i, j;

	put_sys(root, "/sys/firmware/efi/fw_vendor", "0x7fbe9018\n");
	put_sys(root, "/sys/firmware/efi/runtime", "0x7fbeeb98\n");
	put_sys(root, "/sys/firmware/efi/config_table", "0x17fbee018\n");
	put_sys(root, "/sys/firmware/efi/systab", "ACPI20=0x7fb7e014\n"
		"ACPI=0x7fb7e000\nSMBIOS=0x7f98b000\nSMBIOS3=0x7f989000\n");
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 5; j++) {
			snprintf(rel, sizeof(rel),
				"/sys/firmware/efi/runtime-map/%d/%s", i,
				names[j]);
			put_sys(root, rel, rt[i][j]);
		}
	}
}

/* x86_64 under UEFI: what the EFI stub gave the running kernel reaches
 * the next one, as kexec_file hands it on (setup_efi_state) */
static void test_efi(void)
{
	char root[] = "/tmp/hop-efi-XXXXXX", cmd[64];
	const struct segment *b, *m;
	const uint8_t *bp, *sd, *d;
	static struct x86_efi efi;
	uint8_t ebp[4096];
	struct boot_req req;
	struct memmap mm;
	struct plan p;
	size_t i;

	CHECK(efi_systab_value("ACPI20=0x7fb7e014\nACPI=0x10\n", "ACPI") ==
		0x10, "efi_systab_value(ACPI): the ACPI= line, not ACPI20=");
	CHECK(efi_systab_value("ACPI=0x10\n", "ACPI20") == 0,
		"efi_systab_value(ACPI20) without it: 0");
	if (!mkdtemp(root)) {
		CHECK(0, "mkdtemp");
		return;
	}
	memset(ebp, 0, sizeof(ebp));
	CHECK_INT("sysmem_efi(BIOS boot)", sysmem_efi(root, ebp, sizeof(ebp),
		&efi), 0);
	/* the EFI stub's efi_info: "EL64", system table 0x1_7fbee018 split
	 * in two, a memory map (freed by now: hop passes the runtime map) */
	put_le32(ebp + 0x1c0, 0x34364c45);
	put_le32(ebp + 0x1c4, 0x7fbee018);
	put_le32(ebp + 0x1d8, 0x1);
	put_le32(ebp + 0x1c8, 48);
	put_le32(ebp + 0x1cc, 1);
	put_le32(ebp + 0x1d0, 0x7e000000);
	put_le32(ebp + 0x1d4, 48 * 120);
	ebp[0x1ec] = 3;
	CHECK_INT("sysmem_efi(no /sys/firmware/efi)", sysmem_efi(root, ebp,
		sizeof(ebp), &efi), 0);
	make_efi_sysfs(root);
	CHECK_INT("sysmem_efi", sysmem_efi(root, ebp, sizeof(ebp), &efi), 1);
	CHECK_INT("sysmem_efi RSDP without /dev/mem", efi.rsdp_len, 0);
	/* /dev/mem (a sparse file here) with an ACPI 2.0 RSDP at ACPI20= */
	{
		uint8_t r[36] = "RSD PTR ";
		char mem[128];
		FILE *f;

		r[15] = 2;
		put_le32(r + 20, 36);
		snprintf(mem, sizeof(mem), "mkdir -p %s/dev", root);
		CHECK_INT("fixture mkdir", system(mem), 0);
		snprintf(mem, sizeof(mem), "%s/dev/mem", root);
		f = fopen(mem, "w");
		CHECK(f && fseek(f, 0x7fb7e014, SEEK_SET) == 0 &&
			fwrite(r, 1, sizeof(r), f) == sizeof(r), "fixture mem");
		if (f) {
			fclose(f);
		}
		CHECK_INT("sysmem_efi (with /dev/mem)", sysmem_efi(root, ebp,
			sizeof(ebp), &efi), 1);
		CHECK(efi.rsdp_len == 36 && !memcmp(efi.rsdp, r, 36),
			"sysmem_efi: the RSDP copy (%zu bytes)", efi.rsdp_len);
	}
	CHECK(efi.systab == 0x17fbee018ull && efi.loader_signature ==
		0x34364c45 && efi.memdesc_version == 1 && efi.secure_boot == 3,
		"sysmem_efi: systab 0x%llx signature 0x%x version %u secure "
		"boot %u", (unsigned long long)efi.systab,
		efi.loader_signature, efi.memdesc_version, efi.secure_boot);
	CHECK(efi.fw_vendor == 0x7fbe9018 && efi.runtime == 0x7fbeeb98 &&
		efi.tables == 0x17fbee018ull && efi.smbios == 0x7f98b000 &&
		efi.acpi_rsdp == 0x7fb7e014, "sysmem_efi: vendor 0x%llx runtime "
		"0x%llx tables 0x%llx smbios 0x%llx rsdp 0x%llx",
		(unsigned long long)efi.fw_vendor,
		(unsigned long long)efi.runtime,
		(unsigned long long)efi.tables,
		(unsigned long long)efi.smbios,
		(unsigned long long)efi.acpi_rsdp);
	CHECK_INT("sysmem_efi runtime regions", efi.nmap, 3);

	/* planned with 200 firmware entries: both setup_data, chained */
	make_img();
	make_mm(&mm, 0);
	memmap_add_firmware(&mm, 0x100000, 0x3ffdffff, "System RAM");
	for (i = 1; i < 200; i++) {
		memmap_add_firmware(&mm, 0x100000000 + 0x2000 * i,
			0x100000fff + 0x2000 * i, "Reserved");
	}
	make_req(&req, CMDLINE);
	put_le64(old_bp + 0x70, 0);	/* the EFI stub leaves it 0 */
	req.efi = &efi;
	plan_init(&p);
	CHECK_INT("bzimage plan (UEFI)", fmt_bzimage.plan(&req, &mm, &p), 0);
	put_le64(old_bp + 0x70, 0xf5a20);
	b = plan_seg(&p, "boot_params+cmdline", 0);
	m = plan_seg(&p, "efi_runtime_map", 0);
	if (!b || !m) {
		CHECK(0, "no boot_params or efi_runtime_map segment");
		plan_free(&p);
		return;
	}
	check_segments(&p, &mm);
	bp = b->buf;
	CHECK_INT("efi_loader_signature", le32(bp + 0x1c0), 0x34364c45);
	CHECK_INT("efi_systab", le32(bp + 0x1c4), 0x7fbee018);
	CHECK_INT("efi_systab_hi", le32(bp + 0x1d8), 1);
	CHECK_INT("efi_memdesc_size", le32(bp + 0x1c8), 40);
	CHECK_INT("efi_memdesc_version", le32(bp + 0x1cc), 1);
	CHECK_INT("efi_memmap", le32(bp + 0x1d0) |
		(uint64_t)le32(bp + 0x1dc) << 32, m->mem);
	CHECK_INT("efi_memmap_size", le32(bp + 0x1d4), 3 * 40);
	CHECK_INT("secure_boot", bp[0x1ec], 3);
	CHECK_INT("acpi_rsdp_addr from systab's ACPI20", le64(bp + 0x70),
		0x7fb7e014);
	/* the runtime map: efi_memory_desc_t, 40 bytes each */
	d = m->buf;
	CHECK_INT("efi_runtime_map bytes", m->bufsz, 120);
	CHECK(le32(d) == 5 && le64(d + 8) == 0x7f9a0000 &&
		le64(d + 16) == 0xfffffffeffa00000ull && le64(d + 24) == 0x10 &&
		le64(d + 32) == 0x800000000000000full,
		"runtime map[0]: type %u phys 0x%llx virt 0x%llx pages %llu",
		le32(d), (unsigned long long)le64(d + 8),
		(unsigned long long)le64(d + 16),
		(unsigned long long)le64(d + 24));
	CHECK(le32(d + 80) == 0xb && le64(d + 80 + 24) == 0x400,
		"runtime map[2]: type %u pages %llu", le32(d + 80),
		(unsigned long long)le64(d + 80 + 24));
	/* setup_data: SETUP_EFI first, then SETUP_E820_EXT, then the end,
	 * both in the segment after the command line */
	sd = bp + (le64(bp + 0x250) - b->mem);
	CHECK_INT("first setup_data type (SETUP_EFI)", le32(sd + 8), 4);
	CHECK_INT("SETUP_EFI len", le32(sd + 12), 96);
	CHECK(le64(sd + 16) == 0x7fbe9018 && le64(sd + 24) == 0x7fbeeb98 &&
		le64(sd + 32) == 0x17fbee018ull && le64(sd + 40) == 0x7f98b000,
		"efi_setup_data: fw_vendor 0x%llx runtime 0x%llx tables 0x%llx "
		"smbios 0x%llx", (unsigned long long)le64(sd + 16),
		(unsigned long long)le64(sd + 24),
		(unsigned long long)le64(sd + 32),
		(unsigned long long)le64(sd + 40));
	CHECK(all_zero(sd, 48, 112), "efi_setup_data reserved: zero");
	CHECK(le64(sd) > b->mem && le64(sd) < b->mem + b->bufsz,
		"SETUP_EFI next 0x%llx: want the E820_EXT in the segment",
		(unsigned long long)le64(sd));
	sd = bp + (le64(sd) - b->mem);
	CHECK_INT("second setup_data type (SETUP_E820_EXT)", le32(sd + 8), 1);
	CHECK_INT("second setup_data len", le32(sd + 12), 72 * 20);
	CHECK_INT("second setup_data next (the end)", le64(sd), 0);
	CHECK_STR("command line intact", (const char *)bp + 0x1000, CMDLINE);
	plan_free(&p);

	/* an acpi_rsdp_addr the running kernel had stays */
	make_req(&req, CMDLINE);
	req.efi = &efi;
	plan_init(&p);
	CHECK_INT("bzimage plan (UEFI, rsdp given)", fmt_bzimage.plan(&req,
		&mm, &p), 0);
	b = plan_seg(&p, "boot_params+cmdline", 0);
	CHECK(b && le64((const uint8_t *)b->buf + 0x70) == 0xf5a20,
		"acpi_rsdp_addr: the running kernel's is kept");
	plan_free(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT("rm -rf", system(cmd), 0);
}

void test_bzimage(void)
{
	memset(old_bp, 0x5a, sizeof(old_bp));
	put_le64(old_bp + 0x70, 0xf5a20);
	put_le32(old_bp + 0x23c, 0);
	test_probe();
	test_good();
	test_bare();
	test_initrd_limits();
	test_refusals();
	test_refusals_plan();
	test_header_cap();
	test_crash();
	test_e820_ext();
	test_efi();
}
