/* Reading the running system's facts for kexec_load (lib/load/sysmem.c). */
#ifndef HOP_SYSMEM_H
#define HOP_SYSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* whole file into a malloc'd, NUL-terminated buffer; -EFBIG above max */
int read_whole(const char *path, uint8_t **out, size_t *len, size_t max);
/* the same from an open file, from its current offset */
int read_whole_fd(int fd, uint8_t **out, size_t *len, size_t max);
/* usable RAM from ROOT/proc/iomem, e820 from ROOT/sys/firmware/memmap;
 * *what names the file that failed */
int sysmem_memmap(const char *root, struct memmap *mm, const char **what);
/* ROOT/path into a buffer */
int sysmem_file(const char *root, const char *path, uint8_t **out,
	size_t *len, size_t max);
/* ROOT/sys/firmware/fdt up to the end of its used blocks
 * (dtb_used_size), totalsize set to that: QEMU's virt machine pads its
 * tree to 1 MiB for about 10 KiB of nodes, and a whole read put the
 * padding in hop's peak memory (make bench). -EFBIG above max */
int sysmem_fdt(const char *root, uint8_t **out, size_t *len, size_t max);
/* notes removable RAM in mm: movable blocks from
 * ROOT/sys/devices/system/memory, and RAM missing from the boot-time map
 * (x86 boot_params e820, or the boot device tree's memory nodes) */
int sysmem_removable(const char *root, struct memmap *mm,
	const uint8_t *bp, size_t bplen, const uint8_t *dtb, size_t dtblen);
/* notes in mm where the pages of buf (a file mapping hop loads from) are,
 * from /proc/self/pagemap: the busy runs placement prefers
 * (docs/placement.md). Best effort: nothing noted on any failure */
void sysmem_busy(struct memmap *mm, const uint8_t *buf, size_t len);
/* random bytes for kaslr-seed / rng-seed; never blocks */
void sysmem_seed(uint8_t *seed, size_t len);

/* ---- a panic kernel's ELF core header (lib/plan/elfcore.c) ---- */
/* the crash note buffers of the possible CPUs (ROOT/sys/devices/system/
 * cpu/possible; cpuN/crash_notes, a hex address, and crash_notes_size);
 * a CPU without them is skipped. A malloc'd array in *out (NULL when
 * empty); the count or -errno */
int sysmem_crash_notes(const char *root, struct mem_range **out);
/* ROOT/sys/kernel/vmcoreinfo: "ADDR SIZE", both hex */
int sysmem_vmcoreinfo(const char *root, struct mem_range *r);
/* the ELF header and program headers of ROOT/proc/kcore, malloc'd */
int sysmem_kcore(const char *root, uint8_t **out, size_t *len);

/* x86_64: the running kernel's EFI (struct x86_efi, plan.h) from bp (its
 * /sys/kernel/boot_params/data) and ROOT/sys/firmware/efi: 1 when it was
 * booted by UEFI with runtime services, 0 when not (nothing to hand on),
 * -errno when the files are not what the kernel writes */
int sysmem_efi(const char *root, const uint8_t *bp, size_t bplen,
	struct x86_efi *efi);
/* the value of KEY=0x... in /sys/firmware/efi/systab's text; 0: none */
uint64_t efi_systab_value(const char *text, const char *key);

#endif
