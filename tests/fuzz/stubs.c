/* Link stubs for the fuzz targets: the syscall layer does nothing and the
 * arch table is empty, so no target can load or reboot anything. */
#include <errno.h>
#include <stddef.h>

#include "hop.h"
#include "load.h"
#include "plan.h"

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
	unsigned long flags)
{
	(void)kernel_fd, (void)initrd_fd, (void)cmdline, (void)flags;
	return -ENOSYS;
}

int sys_kexec_load(unsigned long entry, unsigned long nr,
	const struct kexec_segment *segs, unsigned long flags)
{
	(void)entry, (void)nr, (void)segs, (void)flags;
	return -ENOSYS;
}

int sys_reboot(int how)
{
	(void)how;
	return -EPERM;
}

int sys_reboot_kexec(void)
{
	return -EPERM;
}

const struct image_format *const arch_formats[] = { NULL };
const char arch_format_names[] = "none";
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 0;
const int arch_elf_machine = 62;	/* EM_X86_64 */
const int arch_pe_machine = 0x8664;
const char arch_fit_arch[] = "x86_64";
