/* superblocks, partition tables, device specs, modules.dep */
#include "blkid.h"
#include "fuzz.h"
#include "modules.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), dev[64], *w[16];
	struct part_id part;
	struct fs_id fs;
	const char *path;
	unsigned n;

	fs_probe(data, size, &fs);
	for (n = 1; n <= 4; n++) {
		part_probe(data, size, n, &part);
	}
	if (source_split(s, dev, sizeof(dev), &path) == 1) {
		source_matches(dev, &fs, &part);
	}
	modules_dep_find(s, "virtio_blk", w, 16);
	free(s);
	return 0;
}
