/* pxelinux's configuration names (lib/net/pxe.c), syslinux's own example:
 * UUID b8945908-d6a6-41a9-611d-74a6ab80b83d, MAC 88:99:AA:BB:CC:DD,
 * address 192.168.2.91 */
#include <string.h>

#include "pxe.h"
#include "test.h"

void test_pxe(void)
{
	static const uint8_t uuid[16] = { 0xb8, 0x94, 0x59, 0x08, 0xd6, 0xa6,
		0x41, 0xa9, 0x61, 0x1d, 0x74, 0xa6, 0xab, 0x80, 0xb8, 0x3d };
	static const uint8_t mac[6] = { 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd };
	static const char *const want[] = {
		"b8945908-d6a6-41a9-611d-74a6ab80b83d",
		"01-88-99-aa-bb-cc-dd", "C0A8025B", "C0A8025", "C0A802",
		"C0A80", "C0A8", "C0A", "C0", "C", "default" };
	char names[PXE_NAMES_MAX][PXE_NAME_MAX];
	size_t i, n;

	n = pxe_config_names(uuid, mac, 0xc0a8025b, names, PXE_NAMES_MAX);
	CHECK_INT("count", n, PXE_NAMES_MAX);
	for (i = 0; i < n && i < PXE_NAMES_MAX; i++) {
		CHECK_STR(want[i], names[i], want[i]);
	}
	/* no UUID: from the MAC on */
	n = pxe_config_names(NULL, mac, 0xc0a8025b, names, PXE_NAMES_MAX);
	CHECK_INT("no uuid", n, PXE_NAMES_MAX - 1);
	CHECK_STR("first", names[0], want[1]);
	CHECK_STR("last", names[n - 1], "default");
	/* a short table is filled, not overrun */
	n = pxe_config_names(uuid, mac, 0, names, 3);
	CHECK_INT("short", n, 3);
	CHECK_STR("zero address", names[2], "00000000");
}
