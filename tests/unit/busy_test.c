/* placement over busy memory (lib/plan/busy.c): each large segment over
 * the pages holding its own bytes, none over another's, the planners'
 * defaults when that gains nothing */
#include <errno.h>
#include <string.h>

#include "plan.h"
#include "test.h"

#define MIB (1ull << 20)

static uint8_t kernel[16 * MIB], initrd[64 * MIB];

/* 4 GiB of RAM from 1 MiB */
static void ram(struct memmap *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->ram[0] = (struct mem_range){ MIB, 4096 * MIB };
	mm->nram = 1;
}

static uint64_t place(struct plan *p, const struct memmap *mm,
	const uint8_t *buf, uint64_t len, uint64_t room, uint64_t align,
	uint64_t min, uint64_t max, int top_down, const char *what)
{
	uint64_t a = 0;
	int err;

	err = plan_place(p, mm, &(struct place_req){ .buf = buf,
		.bufsz = len, .room = room, .align = align, .min = min,
		.max = max, .top_down = top_down, .what = what }, &a);
	CHECK_INT(what, err, 0);
	return a;
}

static void test_runs_table(void)
{
	struct memmap mm;
	size_t i, shortest = 0;
	int s;

	ram(&mm);
	s = memmap_add_src(&mm, initrd, sizeof(initrd));
	CHECK_INT("first source", s, 0);
	/* more runs than the table: the longest stay */
	for (i = 0; i < MEMMAP_BUSY_MAX + 10; i++) {
		memmap_add_busy(&mm, 0, i * 4096, 1000 * MIB + i * 2 * MIB,
			1000 * MIB + i * 2 * MIB + (i + 1) * 4096);
	}
	CHECK_INT("runs kept", mm.nbusy, MEMMAP_BUSY_MAX);
	for (i = 0; i < mm.nbusy; i++) {
		if (mm.busy[i].end - mm.busy[i].start <
			mm.busy[shortest].end - mm.busy[shortest].start) {
			shortest = i;
		}
	}
	CHECK_INT("shortest kept", mm.busy[shortest].end -
		mm.busy[shortest].start, 11 * 4096);
	/* an unknown source, an empty run: ignored */
	memmap_add_busy(&mm, 3, 0, 0, 100 * MIB);
	memmap_add_busy(&mm, 0, 0, 5 * MIB, 5 * MIB);
	CHECK_INT("runs after bad ones", mm.nbusy, MEMMAP_BUSY_MAX);
	for (i = 0; i < MEMMAP_SRC_MAX - 1; i++) {
		memmap_add_src(&mm, kernel, sizeof(kernel));
	}
	CHECK_INT("source table full", memmap_add_src(&mm, kernel, 1), -1);
	CHECK_INT("empty source", memmap_add_src(&mm, kernel, 0), -1);
}

static void test_own_pages(void)
{
	struct memmap mm;
	struct plan p;
	uint64_t a;

	/* no busy runs: the default, top-down under 2 GiB */
	ram(&mm);
	plan_init(&p);
	a = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, MIB, 2048 * MIB,
		1, "initrd");
	CHECK_INT("default initrd", a, 2048 * MIB - sizeof(initrd));
	plan_free(&p);

	/* the initrd's bytes in two runs, the first 2 MiB at 300 MiB, the
	 * rest from 900 MiB: over the longer, offset for offset */
	plan_init(&p);
	memmap_add_src(&mm, initrd, sizeof(initrd));
	memmap_add_busy(&mm, 0, 0, 300 * MIB, 302 * MIB);
	memmap_add_busy(&mm, 0, 2 * MIB, 902 * MIB, 964 * MIB);
	a = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, MIB, 2048 * MIB,
		1, "initrd");
	CHECK_INT("initrd over its pages", a, 900 * MIB);
	plan_free(&p);

	/* the bounds still hold: below 512 MiB only the short run helps */
	plan_init(&p);
	a = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, MIB, 512 * MIB,
		1, "initrd");
	CHECK_INT("initrd under max", a, 300 * MIB);
	plan_free(&p);

	/* nothing of the window over busy pages: the default */
	plan_init(&p);
	a = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, 1024 * MIB,
		2048 * MIB, 1, "initrd");
	CHECK_INT("initrd, runs out of bounds", a, 2048 * MIB - sizeof(initrd));
	plan_free(&p);

	/* a small segment keeps the default even over busy memory */
	plan_init(&p);
	a = place(&p, &mm, initrd, 64 * 1024, 0, 4096, MIB, 2048 * MIB, 1,
		"small");
	CHECK_INT("small segment", a, 2048 * MIB - 64 * 1024);
	plan_free(&p);
}

/* a kernel placed first, its room (init_size) larger than its bytes: the
 * room stays off the initrd's seat, the initrd then sits on it */
static void test_seats(void)
{
	struct memmap mm;
	struct plan p;
	uint64_t k, rd;

	ram(&mm);
	memmap_add_src(&mm, kernel, sizeof(kernel));
	memmap_add_src(&mm, initrd, sizeof(initrd));
	memmap_add_busy(&mm, 0, 0, 40 * MIB, 56 * MIB);
	memmap_add_busy(&mm, 1, 0, 64 * MIB, 128 * MIB);
	plan_init(&p);
	k = place(&p, &mm, kernel, sizeof(kernel), 54 * MIB, 2 * MIB,
		16 * MIB, 0, 0, "kernel");
	CHECK(k + 54 * MIB <= 64 * MIB || k >= 128 * MIB,
		"kernel at 0x%llx: its room overlaps the initrd's pages",
		(unsigned long long)k);
	CHECK_INT("kernel kept", p.nkept, 1);
	rd = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, MIB,
		2048 * MIB, 1, "initrd");
	CHECK_INT("initrd over its pages", rd, 64 * MIB);
	plan_free(&p);

	/* the kernel's own pages, aligned to 2 MiB, when nothing is in
	 * the way: its bytes at 40 MiB */
	plan_init(&p);
	memset(&mm.busy[1], 0, sizeof(mm.busy[1]));
	mm.nbusy = 1;
	mm.nsrc = 1;
	k = place(&p, &mm, kernel, sizeof(kernel), 54 * MIB, 2 * MIB,
		16 * MIB, 0, 0, "kernel");
	CHECK_INT("kernel over its pages", k, 40 * MIB);
	plan_free(&p);
}

/* arm64 under QEMU: the freed boot initramfs and the tree stay
 * "reserved" in /proc/iomem and split RAM; the initrd's pages lie on
 * both sides. Its own offsets cross the hole, so its seat is the window
 * ending with its longest run; the kernel, placed first, stays off it */
static void test_seat_in_hole(void)
{
	static uint8_t image[0x1f6e000];
	struct memmap mm;
	struct plan p;
	uint64_t k, rd;

	memset(&mm, 0, sizeof(mm));
	mm.ram[0] = (struct mem_range){ 0x41eb0000, 0x48000000 };
	mm.ram[1] = (struct mem_range){ 0x48d00000, 0xc0000000 };
	mm.nram = 2;
	memmap_add_src(&mm, image, sizeof(image));
	memmap_add_src(&mm, initrd, sizeof(initrd));
	memmap_add_busy(&mm, 0, 0x4b7000, 0x43800000, 0x452b7000);
	memmap_add_busy(&mm, 1, 0x622000, 0x45800000, 0x48000000);
	memmap_add_busy(&mm, 1, 0x2e22000, 0x49000000, 0x4a1de000);
	plan_init(&p);
	k = place(&p, &mm, image, sizeof(image), 0x2010000, 2 * MIB,
		0x40000000, 0, 0, "kernel");
	CHECK(k + 0x2010000 <= 0x44000000 || k >= 0x48000000,
		"kernel at 0x%llx: on the initrd's seat", (unsigned long long)k);
	rd = place(&p, &mm, initrd, sizeof(initrd), 0, 4096, 0x40000000,
		0x840000000ull, 0, "initrd");
	/* over its 40 MiB run and the kernel file's pages (in use too),
	 * 59 MiB of 64 either way */
	CHECK(rd >= 0x43800000 && rd + sizeof(initrd) <= 0x48000000,
		"initrd at 0x%llx: not over its longest run",
		(unsigned long long)rd);
	plan_free(&p);
}

/* a segment may not land in a kept room, nor a room on a segment */
static void test_kept(void)
{
	struct memmap mm;
	struct plan p;
	uint64_t a;

	ram(&mm);
	plan_init(&p);
	CHECK_INT("add", plan_add(&p, kernel, 4096, 16 * MIB, 4096, "kernel"),
		0);
	CHECK_INT("keep", plan_keep(&p, 16 * MIB + 4096, 8 * MIB, "kernel"), 0);
	CHECK_INT("add in room", plan_add(&p, initrd, 4096, 20 * MIB, 4096,
		"initrd"), -EINVAL);
	CHECK(strstr(p.why, "kernel") != NULL, "why: %s", p.why);
	CHECK_INT("keep on segment", plan_keep(&p, 12 * MIB, 8 * MIB, "x"),
		-EINVAL);
	CHECK_INT("keep wraps", plan_keep(&p, ~0ull - 4095, 8192, "x"),
		-EINVAL);
	CHECK_INT("keep nothing", plan_keep(&p, 100 * MIB, 0, "x"), 0);
	a = 0;
	CHECK_INT("find", plan_find(&p, &mm, 8 * MIB, 4096, 16 * MIB, 0, 0,
		"initrd", &a), 0);
	CHECK_INT("found after the room", a, 16 * MIB + 4096 + 8 * MIB);
	plan_free(&p);
	CHECK_INT("freed", p.nkept, 0);
}

void test_busy(void)
{
	test_runs_table();
	test_own_pages();
	test_seats();
	test_seat_in_hole();
	test_kept();
}
