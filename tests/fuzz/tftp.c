/* TFTP packets from a server (lib/net/tftp.c) at the default and the
 * wanted block size; what the parser returns is checked (abort()
 * otherwise): DATA inside the packet and the block size, error text
 * printable and bounded, an acknowledged blksize in range */
#include "fuzz.h"
#include "tftp.h"

static void check(const uint8_t *data, size_t size, uint32_t blksize)
{
	struct tftp_msg m;
	char why[256];
	size_t i;

	if (tftp_parse(data, size, blksize, &m, why, sizeof(why)) < 0) {
		return;
	}
	if (m.op == TFTP_DATA && (m.data != data + 4 || m.len > blksize ||
		m.len + 4 != size)) {
		abort();
	}
	for (i = 0; m.text[i]; i++) {
		if (i >= TFTP_MSG_MAX || m.text[i] < 0x20 || m.text[i] >= 0x7f) {
			abort();
		}
	}
	if (m.blksize && (m.blksize < TFTP_BLKSIZE_MIN ||
		m.blksize > TFTP_BLKSIZE_WANT)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[TFTP_REQ_MAX];
	char *s = fuzz_string(data, size);

	check(data, size, TFTP_BLKSIZE_DEFAULT);
	check(data, size, TFTP_BLKSIZE_WANT);
	if (tftp_rrq(s, out, sizeof(out)) > sizeof(out)) {
		abort();
	}
	free(s);
	return 0;
}
