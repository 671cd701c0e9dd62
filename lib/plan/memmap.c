/* Memory maps for placement (docs/kernel-abi.md §5.1, §5.2). Pure parsers:
 * the caller reads /proc/iomem and /sys/firmware/memmap (lib/load/sysmem.c), so
 * these run on any host from fixtures. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* removes [start, end) from the sorted ranges r[0..*n), max slots */
static int ranges_exclude(struct mem_range *r, size_t *n, size_t max,
	uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < *n && start < end; i++) {
		if (end <= r[i].start || start >= r[i].end) {
			continue;
		}
		if (start > r[i].start && end < r[i].end) {
			/* split in two */
			if (*n == max) {
				return -E2BIG;
			}
			memmove(&r[i + 2], &r[i + 1],
				(*n - i - 1) * sizeof(*r));
			(*n)++;
			r[i + 1].start = end;
			r[i + 1].end = r[i].end;
			r[i].end = start;
			i++;
		} else if (start <= r[i].start && end >= r[i].end) {
			memmove(&r[i], &r[i + 1], (*n - i - 1) * sizeof(*r));
			(*n)--;
			i--;
		} else if (start <= r[i].start) {
			r[i].start = end;
		} else {
			r[i].end = start;
		}
	}
	return 0;
}

int memmap_exclude(struct memmap *mm, uint64_t start, uint64_t end)
{
	return ranges_exclude(mm->ram, &mm->nram, MEMMAP_MAX, start, end);
}

void memmap_clip(struct memmap *mm, uint64_t min, uint64_t max)
{
	if (min) {
		memmap_exclude(mm, 0, min);
	}
	if (max) {
		memmap_exclude(mm, max, UINT64_MAX);
	}
}

/* inserts [start, end) keeping ram sorted; merges neighbours */
static int add_ram(struct memmap *mm, uint64_t start, uint64_t end)
{
	size_t i;

	if (start >= end) {
		return 0;
	}
	for (i = 0; i < mm->nram && mm->ram[i].start < start; i++) {
	}
	if (i > 0 && mm->ram[i - 1].end >= start) {
		if (mm->ram[i - 1].end < end) {
			mm->ram[i - 1].end = end;
		}
		return 0;
	}
	if (i < mm->nram && mm->ram[i].start <= end) {
		mm->ram[i].start = start;
		if (mm->ram[i].end < end) {
			mm->ram[i].end = end;
		}
		return 0;
	}
	if (mm->nram == MEMMAP_MAX) {
		return -E2BIG;
	}
	memmove(&mm->ram[i + 1], &mm->ram[i], (mm->nram - i) *
		sizeof(mm->ram[0]));
	mm->ram[i].start = start;
	mm->ram[i].end = end;
	mm->nram++;
	return 0;
}

static int kernel_child(const char *name)
{
	return !strcmp(name, "Kernel code") || !strcmp(name, "Kernel rodata") ||
		!strcmp(name, "Kernel data") || !strcmp(name, "Kernel bss");
}

/* one line: "  00100000-3ffdffff : System RAM" */
static int parse_line(const char *s, int *depth, uint64_t *start,
	uint64_t *end, char *name, size_t namesz)
{
	const char *p = s, *colon;
	char *e;
	size_t n;

	while (*p == ' ') {
		p++;
	}
	*depth = (int)(p - s) / 2;
	*start = strtoull(p, &e, 16);
	if (e == p || *e != '-') {
		return -EINVAL;
	}
	p = e + 1;
	*end = strtoull(p, &e, 16);
	if (e == p || strncmp(e, " : ", 3)) {
		return -EINVAL;
	}
	colon = e + 3;
	n = strcspn(colon, "\n");
	if (n >= namesz) {
		n = namesz - 1;
	}
	memcpy(name, colon, n);
	name[n] = '\0';
	return 0;
}

int memmap_parse_iomem(const char *text, struct memmap *mm)
{
	struct mem_range excl[MEMMAP_MAX * 2];
	size_t nexcl = 0, i;
	const char *line;
	int in_ram = 0, nonzero = 0, err;

	mm->nram = 0;
	mm->ncrash = 0;
	mm->nsysram = 0;
	for (line = text; line && *line; line = strchr(line, '\n'),
		line = line ? line + 1 : NULL) {
		uint64_t start, end;
		char name[64];
		int depth;

		if (*line == '\n') {
			continue;
		}
		if (parse_line(line, &depth, &start, &end, name,
			sizeof(name)) < 0) {
			return -EINVAL;
		}
		if (end) {
			nonzero = 1;
		}
		if (end < start || end == UINT64_MAX) {
			continue;
		}
		if (depth == 0) {
			in_ram = !strcmp(name, "System RAM");
			if (in_ram && (err = add_ram(mm, start, end + 1)) < 0) {
				return err;
			}
			if (in_ram && mm->nsysram == MEMMAP_MAX) {
				return -E2BIG;
			}
			if (in_ram) {
				mm->sysram[mm->nsysram].start = start;
				mm->sysram[mm->nsysram++].end = end + 1;
			}
		}
		/* a reservation inside RAM, or a crash kernel anywhere */
		if (!strcmp(name, "Crash kernel") &&
			mm->ncrash < sizeof(mm->crash) / sizeof(mm->crash[0])) {
			mm->crash[mm->ncrash].start = align_up(start, PLAN_PAGE);
			mm->crash[mm->ncrash++].end = align_down(end + 1,
				PLAN_PAGE);
		}
		if ((depth > 0 && in_ram && !kernel_child(name)) ||
			!strcmp(name, "Crash kernel")) {
			if (nexcl == sizeof(excl) / sizeof(excl[0])) {
				return -E2BIG;
			}
			excl[nexcl].start = start;
			excl[nexcl++].end = end + 1;
		}
	}
	if (!nonzero && mm->nram) {
		mm->nram = 0;
		return -EPERM;	/* addresses hidden from non-root readers */
	}
	for (i = 0; i < nexcl; i++) {
		err = memmap_exclude(mm, excl[i].start, excl[i].end);
		if (err < 0) {
			return err;
		}
	}
	/* whole pages only */
	for (i = 0; i < mm->nram; i++) {
		mm->ram[i].start = align_up(mm->ram[i].start, PLAN_PAGE);
		mm->ram[i].end = align_down(mm->ram[i].end, PLAN_PAGE);
		if (mm->ram[i].start >= mm->ram[i].end) {
			memmove(&mm->ram[i], &mm->ram[i + 1],
				(mm->nram - i - 1) * sizeof(mm->ram[0]));
			mm->nram--;
			i--;
		}
	}
	return 0;
}

/* /sys/firmware/memmap type names (linux drivers/firmware/memmap.c users,
 * arch/x86/kernel/e820.c e820_type_to_string) */
static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
	{ "System RAM", E820_RAM },
	{ "Reserved", E820_RESERVED },
	{ "reserved", E820_RESERVED },
	{ "ACPI Tables", E820_ACPI },
	{ "ACPI Non-volatile Storage", E820_NVS },
	{ "Unusable memory", E820_UNUSABLE },
	{ "Persistent Memory (legacy)", E820_PRAM },
	{ "Persistent Memory", E820_PMEM },
};

int memmap_add_firmware(struct memmap *mm, uint64_t start, uint64_t end,
	const char *type)
{
	struct e820_entry *e;
	uint32_t t = E820_RESERVED;
	size_t i;

	/* end is inclusive: the whole 64-bit space has no size that fits
	 * e820's u64 */
	if (end < start || end - start == UINT64_MAX) {
		return -EINVAL;
	}
	for (i = 0; i < sizeof(e820_names) / sizeof(e820_names[0]); i++) {
		if (!strcmp(type, e820_names[i].name)) {
			t = e820_names[i].type;
			break;
		}
	}
	if (mm->ne820 == MEMMAP_MAX) {
		return -E2BIG;
	}
	/* keep the table sorted by address: the directory order is numeric,
	 * but N sorts as text when read with readdir */
	for (i = mm->ne820; i > 0 && mm->e820[i - 1].addr > start; i--) {
		mm->e820[i] = mm->e820[i - 1];
	}
	e = &mm->e820[i];
	e->addr = start;
	e->size = end - start + 1;
	e->type = t;
	mm->ne820++;
	return 0;
}

/* a sysfs number: "0x1000\n" (drivers/firmware/memmap.c prints
 * "0x%llx\n"); anything after it but the newline is junk, not a number */
static int sysfs_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9') {
		return -EINVAL;	/* strtoull would take "-1" and " 5" */
	}
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || (*end && strcmp(end, "\n"))) {
		return -EINVAL;
	}
	return 0;
}

int memmap_parse_firmware(const char *start, const char *end,
	const char *type, struct memmap *mm)
{
	char name[64];
	uint64_t a, b;
	size_t n;

	if (sysfs_u64(start, &a) < 0 || sysfs_u64(end, &b) < 0 || !type) {
		return -EINVAL;
	}
	n = strcspn(type, "\n");
	if (n >= sizeof(name)) {
		n = sizeof(name) - 1;	/* unknown anyway: taken as reserved */
	}
	memcpy(name, type, n);
	name[n] = '\0';
	return memmap_add_firmware(mm, a, b, name);
}

int memmap_crash_only(struct memmap *mm)
{
	size_t i, n = 0;

	if (!mm->ncrash) {
		return -ENOENT;
	}
	memcpy(mm->ram, mm->crash, mm->ncrash * sizeof(mm->crash[0]));
	mm->nram = mm->ncrash;
	for (i = 0; i < mm->ne820; i++) {
		if (mm->e820[i].type != E820_RAM) {
			mm->e820[n++] = mm->e820[i];
		}
	}
	mm->ne820 = n;
	if (n) {
		for (i = 0; i < mm->ncrash; i++) {
			memmap_add_firmware(mm, mm->crash[i].start,
				mm->crash[i].end - 1, "System RAM");
		}
	}
	return 0;
}

int memmap_dump_ranges(const struct memmap *mm, uint64_t skip_below,
	struct mem_range *out, size_t max)
{
	size_t i, n;
	int err = 0;

	if (mm->nsysram > max) {
		return -E2BIG;
	}
	memcpy(out, mm->sysram, mm->nsysram * sizeof(*out));
	n = mm->nsysram;
	if (skip_below) {
		err = ranges_exclude(out, &n, max, 0, skip_below);
	}
	for (i = 0; i < mm->ncrash && !err; i++) {
		err = ranges_exclude(out, &n, max, mm->crash[i].start,
			mm->crash[i].end);
	}
	return err ? err : (int)n;
}

int memmap_note_removable(struct memmap *mm, uint64_t start, uint64_t end,
	const char *why)
{
	size_t i, k;

	if (start >= end) {
		return 0;
	}
	if (mm->nremovable == MEMMAP_MAX) {
		return -E2BIG;
	}
	/* sorted by address; blocks arrive in readdir order */
	for (i = mm->nremovable; i > 0 &&
		mm->removable[i - 1].start > start; i--) {
		mm->removable[i] = mm->removable[i - 1];
		mm->removable_why[i] = mm->removable_why[i - 1];
	}
	mm->removable[i].start = start;
	mm->removable[i].end = end;
	mm->removable_why[i] = why;
	mm->nremovable++;
	/* merge touching ranges of the same reason */
	for (i = 0, k = 1; k < mm->nremovable; k++) {
		if (mm->removable_why[k] == mm->removable_why[i] &&
			mm->removable[k].start <= mm->removable[i].end) {
			if (mm->removable[k].end > mm->removable[i].end) {
				mm->removable[i].end = mm->removable[k].end;
			}
		} else {
			i++;
			mm->removable[i] = mm->removable[k];
			mm->removable_why[i] = mm->removable_why[k];
		}
	}
	mm->nremovable = i + 1;
	return 0;
}

int memmap_note_hotadded(struct memmap *mm, const struct mem_range *boot,
	size_t nboot)
{
	size_t i, k;
	int err;

	for (i = 0; i < mm->nram; i++) {
		uint64_t a = mm->ram[i].start, e = mm->ram[i].end;

		/* walk [a, e) and note the parts no boot range covers */
		while (a < e) {
			uint64_t next_cover = e, cover_end = 0;

			for (k = 0; k < nboot; k++) {
				if (boot[k].start <= a && boot[k].end > a) {
					cover_end = boot[k].end;
				} else if (boot[k].start > a &&
					boot[k].start < next_cover) {
					next_cover = boot[k].start;
				}
			}
			if (cover_end) {
				a = cover_end;
				continue;
			}
			err = memmap_note_removable(mm, a, next_cover,
				"hot-added (not in the boot memory map)");
			if (err < 0) {
				return err;
			}
			a = next_cover;
		}
	}
	return 0;
}

int memmap_avoid_removable(struct memmap *mm)
{
	size_t i;
	int err;

	for (i = 0; i < mm->nremovable; i++) {
		err = memmap_exclude(mm, mm->removable[i].start,
			mm->removable[i].end);
		if (err < 0) {
			return err;
		}
	}
	return 0;
}

/* the RAM entries of a packed e820 table ({u64 addr, u64 size, u32 type}) */
static int e820_table_ram(const uint8_t *tab, size_t count,
	struct mem_range *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < count && n < max; i++) {
		const uint8_t *e = tab + 20 * i;

		if (le32(e + 16) == E820_RAM && le64(e + 8) &&
			le64(e) + le64(e + 8) > le64(e)) {
			out[n].start = le64(e);
			out[n++].end = le64(e) + le64(e + 8);
		}
	}
	return (int)n;
}

int boot_params_ram(const uint8_t *bp, size_t len, struct mem_range *out,
	size_t max)
{
	if (len < 0x2d0 + 128 * 20 || bp[0x1e8] > 128) {
		return -EINVAL;
	}
	return e820_table_ram(bp + 0x2d0, bp[0x1e8], out, max);
}

int e820_ext_ram(const uint8_t *data, size_t len, struct mem_range *out,
	size_t max)
{
	return e820_table_ram(data, len / 20, out, max);
}
