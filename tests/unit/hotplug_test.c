/* removable memory: movable blocks, hot-added DIMMs, the boot maps they
 * are told from, and placement that avoids them (lib/plan/memmap.c, dtb.c) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "plan.h"
#include "sysmem.h"
#include "test.h"

static const char *removed(const struct memmap *mm)
{
	static char out[1024];
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < mm->nremovable; i++) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%llx-%llx %s",
			i ? "; " : "",
			(unsigned long long)mm->removable[i].start,
			(unsigned long long)mm->removable[i].end,
			mm->removable_why[i]);
	}
	return out;
}

/* QEMU -m 1G,slots=2,maxmem=3G with a 1 GiB pc-dimm, as seen in
 * docs/kernel-abi.md §7: the DIMM is System RAM at 4 GiB */
static const char dimm_iomem[] =
	"00001000-0009fbff : System RAM\n"
	"00100000-3ffdffff : System RAM\n"
	"100000000-13fffffff : System RAM\n";

static void put_e820(uint8_t *bp, int i, uint64_t a, uint64_t s, uint32_t t)
{
	put_le64(bp + 0x2d0 + 20 * i, a);
	put_le64(bp + 0x2d0 + 20 * i + 8, s);
	put_le32(bp + 0x2d0 + 20 * i + 16, t);
}

/* a boot map of more than 128 entries: the RAM past the zero page's
 * table comes from the SETUP_E820_EXT setup_data in sysfs, and is boot
 * RAM, not hot-added */
static void test_boot_e820_ext(void)
{
	static uint8_t bp[4096];
	char root[] = "/tmp/hop-e820ext-XXXXXX", cmd[600];
	uint8_t ext[40];
	struct memmap mm;
	FILE *f;

	memset(bp, 0, sizeof(bp));
	bp[0x1e8] = 2;
	put_e820(bp, 0, 0, 0x9fc00, E820_RAM);
	put_e820(bp, 1, 0x100000, 0x3fee0000, E820_RAM);
	/* two entries: reserved, then 1 GiB of RAM at 4 GiB */
	memset(ext, 0, sizeof(ext));
	put_le64(ext, 0xfeffc000);
	put_le64(ext + 8, 0x4000);
	put_le32(ext + 16, E820_RESERVED);
	put_le64(ext + 20, 0x100000000);
	put_le64(ext + 28, 0x40000000);
	put_le32(ext + 36, E820_RAM);
	CHECK(mkdtemp(root) != NULL, "mkdtemp");
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/boot_params/"
		"setup_data/0 %s/sys/kernel/boot_params/setup_data/1 && "
		"printf '0x1\\n' > %s/sys/kernel/boot_params/setup_data/1/type"
		" && printf '0x4\\n' > %s/sys/kernel/boot_params/setup_data/0/"
		"type && printf junk > %s/sys/kernel/boot_params/setup_data/0/"
		"data", root, root, root, root, root);
	CHECK_INT("fixture", system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/sys/kernel/boot_params/setup_data/1/"
		"data", root);
	f = fopen(cmd, "wb");
	CHECK(f && fwrite(ext, 1, sizeof(ext), f) == sizeof(ext), "write %s",
		cmd);
	if (f) {
		fclose(f);
	}
	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(dimm_iomem, &mm);
	CHECK_INT("sysmem_removable(setup_data E820_EXT)", sysmem_removable(
		root, &mm, bp, sizeof(bp), NULL, 0), 0);
	CHECK_STR("RAM from the extended boot map is not hot-added",
		removed(&mm), "");
	snprintf(cmd, sizeof(cmd), "rm -r %s", root);
	CHECK_INT("fixture rm", system(cmd), 0);
	/* without it, that RAM is what was added since boot */
	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(dimm_iomem, &mm);
	CHECK_INT("sysmem_removable(no setup_data)", sysmem_removable(root,
		&mm, bp, sizeof(bp), NULL, 0), 0);
	CHECK_STR("no extended map: hot-added", removed(&mm),
		"100000000-140000000 hot-added (not in the boot memory map)");
}

void test_hotplug(void)
{
	static uint8_t bp[4096];
	struct mem_range boot[8];
	struct memmap mm;
	uint8_t tree[1024];
	struct plan p;
	uint64_t a;
	int n;

	/* the boot e820 knows only the 1 GiB of boot RAM */
	bp[0x1e8] = 3;
	put_e820(bp, 0, 0, 0x9fc00, E820_RAM);
	put_e820(bp, 1, 0xf0000, 0x10000, E820_RESERVED);
	put_e820(bp, 2, 0x100000, 0x3fee0000, E820_RAM);
	n = boot_params_ram(bp, sizeof(bp), boot, 8);
	CHECK_INT("boot_params_ram()", n, 2);
	CHECK_INT("boot_params_ram()[1].end", boot[1].end, 0x3ffe0000);
	CHECK_INT("boot_params_ram(short)", boot_params_ram(bp, 100, boot, 8),
		-EINVAL);

	memset(&mm, 0, sizeof(mm));
	memmap_parse_iomem(dimm_iomem, &mm);
	CHECK_INT("memmap_note_hotadded()", memmap_note_hotadded(&mm, boot,
		(size_t)n), 0);
	CHECK_STR("hot-added ranges", removed(&mm), "100000000-140000000 "
		"hot-added (not in the boot memory map)");
	/* movable blocks of 128 MiB, contiguous ones merged */
	memmap_note_removable(&mm, 0x100000000, 0x108000000, "movable");
	memmap_note_removable(&mm, 0x108000000, 0x110000000, "movable");
	CHECK_STR("movable merged", removed(&mm), "100000000-140000000 "
		"hot-added (not in the boot memory map); 100000000-110000000 "
		"movable");
	memmap_avoid_removable(&mm);
	CHECK(mm.nram == 2 && mm.ram[1].end == 0x3ffe0000,
		"memmap_avoid_removable: %zu ranges, last ends 0x%llx", mm.nram,
		(unsigned long long)mm.ram[mm.nram - 1].end);

	/* top-down placement now stays in boot memory: kexec-tools put its
	 * purgatory at 0x13fff7000, inside the DIMM (docs/kernel-abi.md
	 * §7) */
	plan_init(&p);
	CHECK_INT("plan_place(top down)", plan_place(&p, &mm,
		&(struct place_req){ .memsz = 0x1000, .top_down = 1,
		.what = "purgatory" }, &a), 0);
	CHECK_INT("top-down address avoids the DIMM", a, 0x3ffdf000);
	plan_free(&p);

	/* a boot tree's memory nodes */
	fdt_create(tree, sizeof(tree));
	fdt_finish_reservemap(tree);
	fdt_begin_node(tree, "");
	fdt_property_u32(tree, "#address-cells", 2);
	fdt_property_u32(tree, "#size-cells", 2);
	fdt_begin_node(tree, "memory@40000000");
	fdt_property_string(tree, "device_type", "memory");
	{
		fdt64_t reg[4] = { cpu_to_fdt64(0x40000000),
			cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x100000000),
			cpu_to_fdt64(0x10000000) };

		fdt_property(tree, "reg", reg, sizeof(reg));
	}
	fdt_end_node(tree);
	fdt_begin_node(tree, "chosen");
	fdt_end_node(tree);
	fdt_end_node(tree);
	fdt_finish(tree);
	n = dtb_memory_ranges(tree, fdt_totalsize(tree), boot, 8);
	CHECK_INT("dtb_memory_ranges()", n, 2);
	CHECK(n == 2 && boot[0].start == 0x40000000 && boot[0].end ==
		0x80000000 && boot[1].start == 0x100000000 && boot[1].end ==
		0x110000000, "dtb_memory_ranges() ranges wrong");
	CHECK_INT("dtb_memory_ranges(garbage)", dtb_memory_ranges(bp, 64, boot,
		8), -EINVAL);
	/* fuzz/dtb found it: an old version crashes libfdt's check */
	{
		struct dtb_edit e = { "x", 0, 0, NULL, NULL, 0, 0, 0 };
		uint8_t old[1024], *out;
		size_t olen;

		memcpy(old, tree, sizeof(old));
		put_le32(old + 20, 0x03000000);	/* big-endian 3 */
		plan_init(&p);
		CHECK_INT("dtb_build(version 3)", dtb_build(&p, old,
			fdt_totalsize(old), &e, &out, &olen), -EINVAL);
		CHECK_STR("dtb_build(version 3) why", p.why, "dtb: version 3 "
			"is older than 16");
		plan_free(&p);
		CHECK_INT("dtb_memory_ranges(version 3)", dtb_memory_ranges(old,
			fdt_totalsize(old), boot, 8), -EINVAL);
	}
	/* fuzz/dtb found it: totalsize 13, below the 40-byte header */
	{
		static const uint8_t small[] = { 0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0,
			0x0d, 0xfe, 0xed, 0, 0, 0, 0xff, 0x40, 0xff, 0xff, 0xff,
			0x0a, 0xff, 0xff, 0xff, 0xff, 0x82, 0x14, 0x40, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xed, 0, 0, 0, 0x0d };
		struct dtb_edit e = { "x", 0, 0, NULL, NULL, 0, 0, 0 };
		uint8_t *out;
		size_t olen;

		CHECK_INT("dtb_memory_ranges(totalsize 13)", dtb_memory_ranges(
			small, sizeof(small), boot, 8), -EINVAL);
		plan_init(&p);
		CHECK_INT("dtb_build(totalsize 13)", dtb_build(&p, small,
			sizeof(small), &e, &out, &olen), -EINVAL);
		CHECK_STR("dtb_build(totalsize 13) why", p.why, "dtb: bad "
			"totalsize 13, smaller than the header");
		plan_free(&p);
	}
	test_boot_e820_ext();
}
