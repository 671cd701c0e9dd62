/* Reading the running system's facts for kexec_load (lib/sysmem.c). */
#ifndef HOP_SYSMEM_H
#define HOP_SYSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* whole file into a malloc'd, NUL-terminated buffer; -EFBIG above max */
int read_whole(const char *path, uint8_t **out, size_t *len, size_t max);
/* usable RAM from ROOT/proc/iomem, e820 from ROOT/sys/firmware/memmap;
 * *what names the file that failed */
int sysmem_memmap(const char *root, struct memmap *mm, const char **what);
/* ROOT/path into a buffer */
int sysmem_file(const char *root, const char *path, uint8_t **out,
	size_t *len, size_t max);
/* notes removable RAM in mm: movable blocks from
 * ROOT/sys/devices/system/memory, and RAM missing from the boot-time map
 * (x86 boot_params e820, or the boot device tree's memory nodes) */
int sysmem_removable(const char *root, struct memmap *mm,
	const uint8_t *bp, size_t bplen, const uint8_t *dtb, size_t dtblen);
/* random bytes for kaslr-seed / rng-seed; never blocks */
void sysmem_seed(uint8_t *seed, size_t len);

#endif
