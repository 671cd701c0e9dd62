/* gzip and EFI zboot unwrapping */
#include "fuzz.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];
	uint8_t *out = NULL;
	size_t len;

	if (inflate_gzip(data, size, 1 << 24, &out, &len, why,
		sizeof(why)) == 0) {
		free(out);
	}
	out = NULL;
	if (inflate_zboot(data, size, 1 << 24, &out, &len, why,
		sizeof(why)) == 0) {
		free(out);
	}
	return 0;
}
