/* /proc/iomem parsing, then planning on what it yields */
#include "fuzz.h"
#include "plan.h"

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
		plan_place(&p, mm, NULL, 0, 0x200000, 0x200000, 0, 0, 0, "k",
			&a);
		plan_place(&p, mm, NULL, 0, 0x1000, 0, 0, 0, 1, "t", &a);
		plan_free(&p);
		memmap_crash_only(mm);
	}
	boot_params_ram(data, size, boot, 4);
	free(mm);
	free(s);
	return 0;
}
