/* /proc/kcore's headers (elfcore_parse_kcore), and the ELF core header
 * built from memory ranges taken from the same bytes; the same bytes as
 * the texts of /sys/devices/system/cpu/possible and /sys/kernel/vmcoreinfo */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "elfcore.h"

static void sysfs_texts(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	const char *p = s;
	struct mem_range r;
	unsigned a, b, n = 0;

	while (elfcore_cpulist_next(&p, &a, &b) > 0) {
		if (b < a || b > 65535 || ++n > size) {
			abort();	/* a range it promised not to return */
		}
	}
	if (elfcore_parse_vmcoreinfo(s, &r) == 0 && r.end <= r.start) {
		abort();
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_range text, ram[16], notes[4];
	struct elfcore c;
	uint64_t voff, tv;
	uint8_t *out;
	size_t len, n, i;

	elfcore_parse_kcore(data, size, &voff, &text, &tv);
	sysfs_texts(data, size);

	/* ranges from the input: 16 bytes each (start, end) */
	memset(&c, 0, sizeof(c));
	n = size / 16 < 20 ? size / 16 : 20;
	for (i = 0; i < n; i++) {
		struct mem_range *r = i < 16 ? &ram[i] : &notes[i - 16];
		memcpy(&r->start, data + 16 * i, 8);
		memcpy(&r->end, data + 16 * i + 8, 8);
	}
	c.machine = size & 1 ? ELFCORE_EM_ARM : ELFCORE_EM_AARCH64;
	c.elf64 = !(size & 1);
	c.ram = ram;
	c.nram = n < 16 ? n : 16;
	c.notes = notes;
	c.nnotes = n > 16 ? n - 16 : 0;
	c.text = text;
	c.text_vaddr = tv;
	c.ram_voff = voff;
	if (elfcore_build(&c, &out, &len) == 0)
		free(out);
	return 0;
}
