/* pxelinux's configuration names (lib/net/pxe.c) for any UUID, MAC and
 * address a DHCP answer or the machine may give: each name printable,
 * terminated, a file name (no '/' or ".."), and never more than asked */
#include "fuzz.h"
#include "pxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char names[PXE_NAMES_MAX][PXE_NAME_MAX];
	uint8_t uuid[16] = { 0 }, mac[6] = { 0 };
	uint32_t ip = 0;
	size_t i, n, max;

	if (size < 27) {
		return 0;
	}
	memcpy(uuid, data, 16);
	memcpy(mac, data + 16, 6);
	ip = (uint32_t)data[22] << 24 | (uint32_t)data[23] << 16 |
		(uint32_t)data[24] << 8 | data[25];
	max = data[26] % (PXE_NAMES_MAX + 1);
	n = pxe_config_names(data[26] & 0x80 ? NULL : uuid, mac, ip, names,
		max);
	if (n > max) {
		abort();
	}
	for (i = 0; i < n; i++) {
		size_t len = strnlen(names[i], PXE_NAME_MAX), k;

		if (len == 0 || len == PXE_NAME_MAX || strstr(names[i], "..")) {
			abort();
		}
		for (k = 0; k < len; k++) {
			if (names[i][k] <= 0x20 || names[i][k] >= 0x7f ||
				names[i][k] == '/') {
				abort();
			}
		}
	}
	return 0;
}
