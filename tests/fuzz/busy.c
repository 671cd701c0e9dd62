/* placement over busy memory (lib/plan/busy.c) on a memory map, busy runs
 * and requests all taken from the input, then the promises plan_place
 * makes checked: whatever the runs say, a placed segment is aligned, in
 * its bounds, inside one RAM range and clear of every other segment and
 * kept room (abort() otherwise) */
#include "fuzz.h"
#include "plan.h"

static uint64_t take(const uint8_t **d, size_t *n, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes-- && *n) {
		v = v << 8 | **d;
		(*d)++;
		(*n)--;
	}
	return v;
}

static int inside(const struct memmap *mm, uint64_t a, uint64_t end)
{
	size_t i;

	for (i = 0; i < mm->nram; i++) {
		if (mm->ram[i].start <= a && end <= mm->ram[i].end) {
			return 1;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t src[3][64 << 20];
	struct memmap *mm = calloc(1, sizeof(*mm));
	struct plan p;
	uint64_t at = 0, a, room, len, align, min, max;
	size_t i, j, n;
	int k;

	/* up to 4 RAM ranges, in 1 MiB units, rising */
	n = take(&data, &size, 1) % 4 + 1;
	for (i = 0; i < n; i++) {
		uint64_t lo = at + (take(&data, &size, 2) << 20);
		uint64_t hi = lo + ((take(&data, &size, 2) + 1) << 20);

		mm->ram[mm->nram++] = (struct mem_range){ lo, hi };
		at = hi;
	}
	/* three sources, runs of pages anywhere */
	for (i = 0; i < 3; i++) {
		memmap_add_src(mm, src[i], (take(&data, &size, 2) + 1) << 12);
	}
	n = take(&data, &size, 1);
	for (i = 0; i < n; i++) {
		uint64_t s = take(&data, &size, 1) % 3;
		uint64_t off = take(&data, &size, 2) << 12;
		uint64_t start = take(&data, &size, 3) << 12;

		memmap_add_busy(mm, (unsigned)s, off, start,
			start + ((take(&data, &size, 2) + 1) << 12));
	}
	plan_init(&p);
	for (i = 0; i < 6 && size; i++) {
		const uint8_t *buf = src[i % 3] + (take(&data, &size, 1) << 12);

		len = (take(&data, &size, 2) + 1) << 12;
		room = (take(&data, &size, 2)) << 12;
		align = 1ull << (12 + take(&data, &size, 1) % 10);
		min = take(&data, &size, 2) << 20;
		max = take(&data, &size, 2) << 20;
		k = (int)(take(&data, &size, 1) & 1);
		if (plan_place(&p, mm, &(struct place_req){ .buf = buf,
			.bufsz = len, .room = room, .align = align, .min = min,
			.max = max, .top_down = k, .what = "seg" }, &a) < 0) {
			continue;
		}
		room = align_up(room > len ? room : len, 4096);
		if ((a & (align - 1)) || a < min || (max && a + room > max) ||
			!inside(mm, a, a + room)) {
			abort();
		}
		for (j = 0; j + 1 < p.nseg; j++) {
			if (a < p.seg[j].mem + p.seg[j].memsz &&
				p.seg[j].mem < a + room) {
				abort();
			}
		}
		for (j = 0; j < p.nkept; j++) {
			if (p.kept[j].start < a + align_up(len, 4096) &&
				a < p.kept[j].end && p.kept[j].start !=
				a + align_up(len, 4096)) {
				abort();
			}
		}
	}
	plan_free(&p);
	free(mm);
	return 0;
}
