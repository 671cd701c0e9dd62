/* pxelinux's configuration search (docs/network.md): the file names
 * pxelinux.0 tries, in its order, under pxelinux.cfg/ (in the boot file's
 * folder, or under option 210's prefix). Pure. */
#ifndef HOP_PXE_H
#define HOP_PXE_H

#include <stddef.h>
#include <stdint.h>

#define PXE_NAMES_MAX 11	/* UUID, MAC, 8 IP prefixes, default */
#define PXE_NAME_MAX 64

/* the names for a client with this UUID (16 bytes as sent in option 97,
 * or NULL), MAC (Ethernet) and IPv4 address (host order), into names;
 * their count */
size_t pxe_config_names(const uint8_t *uuid, const uint8_t mac[6],
	uint32_t ip, char names[][PXE_NAME_MAX], size_t max);

#endif
