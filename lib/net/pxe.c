/* pxelinux's configuration names (syslinux doc/pxelinux.txt): the UUID,
 * "01-" and the MAC (ARP type 1, Ethernet), the IPv4 address in upper-case
 * hex shortened one digit at a time, then "default". Pure. */
#include <stdio.h>

#include "pxe.h"

size_t pxe_config_names(const uint8_t *uuid, const uint8_t mac[6],
	uint32_t ip, char names[][PXE_NAME_MAX], size_t max)
{
	size_t n = 0;
	int len;

	if (uuid && n < max) {
		/* the bytes in the order they are sent, grouped 4-2-2-2-6 */
		snprintf(names[n++], PXE_NAME_MAX, "%02x%02x%02x%02x-%02x%02x-"
			"%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0],
			uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6],
			uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
			uuid[13], uuid[14], uuid[15]);
	}
	if (n < max) {
		snprintf(names[n++], PXE_NAME_MAX,
			"01-%02x-%02x-%02x-%02x-%02x-%02x", mac[0], mac[1],
			mac[2], mac[3], mac[4], mac[5]);
	}
	for (len = 8; len > 0 && n < max; len--) {
		snprintf(names[n], PXE_NAME_MAX, "%08X", (unsigned)ip);
		names[n++][len] = '\0';
	}
	if (n < max) {
		snprintf(names[n++], PXE_NAME_MAX, "default");
	}
	return n;
}
