/* /proc/iomem parsing, then planning on what it yields; the same text as
 * /sys/firmware/memmap entries (each three lines: start, end, type) */
#include "fuzz.h"
#include "plan.h"

/* every three lines of s as the start, end and type files of one entry */
static void firmware(char *s, struct memmap *mm)
{
	char *f[3], *p = s, *nl;
	size_t i;

	memset(mm, 0, sizeof(*mm));
	for (;;) {
		for (i = 0; i < 3 && *p; i++) {
			nl = strchr(p, '\n');
			f[i] = p;
			p = nl ? nl + 1 : p + strlen(p);
			if (nl) {
				/* each file ends at its newline */
				nl[0] = '\0';
			}
		}
		if (i < 3) {
			break;
		}
		memmap_parse_firmware(f[0], f[1], f[2], mm);
	}
	memmap_crash_only(mm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct memmap *mm = calloc(1, sizeof(*mm));
	struct mem_range boot[4] = { { 0, 0x40000000 } };
	struct plan p;
	uint64_t a;

	if (memmap_parse_iomem(s, mm) == 0) {
		memmap_note_hotadded(mm, boot, 1);
		memmap_avoid_removable(mm);
		plan_init(&p);
		plan_place(&p, mm, &(struct place_req){
			.memsz = 0x200000, .align = 0x200000, .what = "k" },
			&a);
		plan_place(&p, mm, &(struct place_req){
			.memsz = 0x1000, .top_down = 1, .what = "t" }, &a);
		plan_free(&p);
		memmap_crash_only(mm);
	}
	firmware(s, mm);
	boot_params_ram(data, size, boot, 4);
	free(mm);
	free(s);
	return 0;
}
