/* the device-tree edit path and the boot map reader on any bytes */
#include "fuzz.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t seed[40];
	struct mem_range r[8], usable = { 0x80000000, 0x90000000 };
	struct dtb_edit e = { "root=/dev/vda", 0x48000000, 0x48100000, seed,
		&usable, 1, 0x8ff00000, 0x1000 };
	struct plan p;
	uint8_t *out;
	size_t len;

	plan_init(&p);
	dtb_build(&p, data, size, &e, &out, &len);
	plan_free(&p);
	dtb_memory_ranges(data, size, r, 8);
	return 0;
}
