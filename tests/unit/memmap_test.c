/* memmap parsing and placement (lib/plan/memmap.c, lib/plan/plan.c) from fixtures */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "test.h"

static const char *ranges(const struct memmap *mm)
{
	static char out[1024];
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < mm->nram; i++) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%llx-%llx",
			i ? " " : "", (unsigned long long)mm->ram[i].start,
			(unsigned long long)mm->ram[i].end);
	}
	return out;
}

static const char x86_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  1e000000-1e000fff : Kernel code\n"
	"  1f000000-1f7fffff : Crash kernel\n"
	"  2a000000-2a0fffff : Kernel bss\n"
	"3ffe0000-3fffffff : Reserved\n"
	"fd000000-fdffffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:02.0\n"
	"100000000-13fffffff : System RAM (kmem)\n";

static const char arm64_iomem[] =
	"09000000-09000fff : pl011@9000000\n"
	"40000000-bfffffff : System RAM\n"
	"  40210000-4158ffff : Kernel code\n"
	"  41590000-4167ffff : reserved\n"
	"  41680000-41afffff : Kernel data\n"
	"  48000000-483fffff : reserved\n"
	"  bfe00000-bfffffff : reserved\n";

/* /sys/firmware/memmap/N texts (memmap_parse_firmware) */
static void test_firmware(void)
{
	static const struct {
		const char *start, *end, *type;
		int err;
		unsigned type_want;
	} t[] = {
		{ "0x0\n", "0x9fbff\n", "System RAM\n", 0, E820_RAM },
		{ "0x100000", "0x7ffdffff", "ACPI Tables", 0, E820_ACPI },
		{ "0xfeffc000\n", "0xfeffffff\n", "Reserved\n", 0,
			E820_RESERVED },
		{ "4096\n", "8191\n", "Soft Reserved\n", 0, E820_RESERVED },
		{ "0x1000\n", "0xfff\n", "System RAM\n", -EINVAL, 0 },
		{ "0x0\n", "0xffffffffffffffff\n", "System RAM\n", -EINVAL, 0 },
		{ "0x1000 junk\n", "0x2000\n", "System RAM\n", -EINVAL, 0 },
		{ "-1\n", "0x2000\n", "System RAM\n", -EINVAL, 0 },
		{ "", "0x2000\n", "System RAM\n", -EINVAL, 0 },
		{ "0x10000000000000000\n", "0x1\n", "System RAM\n", -EINVAL,
			0 },
		{ "0x1000\n", "0x2000\n", NULL, -EINVAL, 0 },
	};
	struct memmap *mm = calloc(1, sizeof(*mm));
	char call[160];
	size_t i;
	int err;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(mm, 0, sizeof(*mm));
		snprintf(call, sizeof(call), "memmap_parse_firmware(\"%s\", "
			"\"%s\", \"%s\")", t[i].start, t[i].end,
			t[i].type ? t[i].type : "(null)");
		err = memmap_parse_firmware(t[i].start, t[i].end, t[i].type, mm);
		CHECK_INT(call, err, t[i].err);
		CHECK_INT(call, mm->ne820, err ? 0 : 1);
		if (!err && mm->ne820) {
			CHECK_INT(call, mm->e820[0].type, t[i].type_want);
		}
	}
	memset(mm, 0, sizeof(*mm));
	memmap_parse_firmware("0x100000\n", "0x1fffff\n", "System RAM\n", mm);
	memmap_parse_firmware("0x0\n", "0xfffff\n", "Reserved\n", mm);
	CHECK_INT("memmap_parse_firmware: sorted", mm->e820[0].addr, 0);
	CHECK_INT("memmap_parse_firmware: size", mm->e820[1].size, 0x100000);
	for (i = 2; i < MEMMAP_MAX; i++) {
		memmap_parse_firmware("0x0\n", "0x0\n", "Reserved\n", mm);
	}
	CHECK_INT("memmap_parse_firmware(full)", memmap_parse_firmware("0x0\n",
		"0x0\n", "Reserved\n", mm), -E2BIG);
	free(mm);
}

void test_memmap(void)
{
	struct memmap mm;
	struct plan p;
	uint64_t a;
	int err;

	test_firmware();
	memset(&mm, 0, sizeof(mm));
	CHECK_INT("memmap_parse_iomem(x86)", memmap_parse_iomem(x86_iomem,
		&mm), 0);
	CHECK_STR("memmap_parse_iomem(x86)", ranges(&mm),
		"1000-9f000 100000-1f000000 1f800000-3ffe0000");
	CHECK_INT("memmap_parse_iomem(x86).ncrash", mm.ncrash, 1);
	memmap_add_firmware(&mm, 0x100000, 0x3ffdffff, "System RAM");
	memmap_add_firmware(&mm, 0x3ffe0000, 0x3fffffff, "ACPI Tables");
	CHECK_INT("memmap_crash_only(x86)", memmap_crash_only(&mm), 0);
	CHECK_STR("memmap_crash_only(x86) ram", ranges(&mm),
		"1f000000-1f800000");
	CHECK_INT("memmap_crash_only(x86) e820 entries", mm.ne820, 2);
	CHECK(mm.e820[0].addr == 0x1f000000 && mm.e820[0].size == 0x800000 &&
		mm.e820[0].type == E820_RAM && mm.e820[1].type == E820_ACPI,
		"memmap_crash_only(x86) e820 = {%llx+%llx type %u, type %u}",
		(unsigned long long)mm.e820[0].addr,
		(unsigned long long)mm.e820[0].size, mm.e820[0].type,
		mm.e820[1].type);
	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(arm64_iomem, &mm);
	CHECK_INT("memmap_crash_only(no reservation)", memmap_crash_only(&mm),
		-ENOENT);
	memset(&mm, 0, sizeof(mm));
	CHECK_INT("memmap_parse_iomem(arm64)", memmap_parse_iomem(arm64_iomem,
		&mm), 0);
	CHECK_STR("memmap_parse_iomem(arm64)", ranges(&mm),
		"40000000-41590000 41680000-48000000 48400000-bfe00000");
	CHECK_INT("memmap_parse_iomem(not root)", memmap_parse_iomem(
		"00000000-00000000 : System RAM\n00000000-00000000 : "
		"Reserved\n", &mm), -EPERM);
	CHECK_INT("memmap_parse_iomem(garbage)", memmap_parse_iomem(
		"hello world\n", &mm), -EINVAL);

	memmap_parse_iomem(arm64_iomem, &mm);
	memmap_clip(&mm, 0x41000000, 0x80000000);
	CHECK_STR("memmap_clip(0x41000000, 0x80000000)", ranges(&mm),
		"41000000-41590000 41680000-48000000 48400000-80000000");

	memset(&mm, 0, sizeof(mm));
	memmap_add_firmware(&mm, 0x100000, 0x3ffdffff, "System RAM");
	memmap_add_firmware(&mm, 0, 0x9fbff, "System RAM");
	memmap_add_firmware(&mm, 0xfeffc000, 0xfeffffff, "Reserved");
	memmap_add_firmware(&mm, 0x3ffe0000, 0x3fffffff, "ACPI Tables");
	CHECK_INT("memmap_add_firmware() count", mm.ne820, 4);
	CHECK_INT("e820[0].addr", mm.e820[0].addr, 0);
	CHECK_INT("e820[1].size", mm.e820[1].size, 0x3fee0000);
	CHECK_INT("e820[2].type", mm.e820[2].type, E820_ACPI);
	CHECK_INT("e820[3].type", mm.e820[3].type, E820_RESERVED);

	/* placement */
	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(arm64_iomem, &mm);
	plan_init(&p);
	CHECK_INT("plan_place(2M aligned, bottom up)", plan_place(&p, &mm,
		&(struct place_req){ .memsz = 0x1400000, .align = 0x200000,
		.what = "kernel" }, &a), 0);
	CHECK_INT("kernel address", a, 0x40000000);
	CHECK_INT("plan_place(next)", plan_place(&p, &mm,
		&(struct place_req){ .memsz = 0x100000, .what = "initrd" },
		&a), 0);
	CHECK_INT("initrd address (after the kernel, before reserved)", a,
		0x41400000);
	CHECK_INT("plan_place(top down)", plan_place(&p, &mm,
		&(struct place_req){ .memsz = 0x2000, .top_down = 1,
		.what = "dtb" }, &a), 0);
	CHECK_INT("dtb address (top)", a, 0xbfdfe000);
	CHECK_INT("plan_place(8M below 0x48000000 past 0x41400000)",
		plan_place(&p, &mm, &(struct place_req){
			.memsz = 0x800000, .align = 0x200000,
			.min = 0x41400000, .max = 0x48000000, .what = "big" },
			&a), 0);
	CHECK_INT("big address", a, 0x41800000);
	err = plan_place(&p, &mm, &(struct place_req){
		.memsz = 0x10000000, .min = 0x40000000, .max = 0x48000000,
		.what = "huge" }, &a);
	CHECK_INT("plan_place(no room)", err, -EADDRNOTAVAIL);
	CHECK_STR("plan_place(no room) why", p.why, "no room for the huge: "
		"268435456 bytes aligned to 0x1000 between 0x40000000 and "
		"0x47ffffff in usable RAM");
	CHECK_INT("plan_add(unaligned)", plan_add(&p, NULL, 0, 0x50000800,
		0x1000, "x"), -EINVAL);
	CHECK_INT("plan_add(overlap)", plan_add(&p, NULL, 0, 0x40001000,
		0x1000, "x"), -EINVAL);
	CHECK_STR("plan_add(overlap) why", p.why, "the x at 0x40001000 "
		"overlaps the kernel at 0x40000000");
	CHECK_INT("plan_add(bufsz > memsz)", plan_add(&p, "ab", 8193,
		0x60000000, 0x2000, "x"), -EINVAL);
	while (p.nseg < PLAN_MAX_SEGMENTS) {
		plan_place(&p, &mm, &(struct place_req){
			.memsz = 0x1000, .what = "filler" }, &a);
	}
	CHECK_INT("plan_place(17th segment)", plan_place(&p, &mm,
		&(struct place_req){ .memsz = 0x1000, .what = "dtb" }, &a),
		-EINVAL);
	CHECK_STR("plan_place(17th segment) why", p.why, "too many segments: "
		"the dtb would be number 17, the kernel takes 16");
	plan_free(&p);
}
