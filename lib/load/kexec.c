/* The syscall layer: every kexec and reboot syscall of hop goes through
 * here, returns 0 or -errno and prints nothing. Numbers:
 * docs/kernel-abi.md §1.1. */
#include <errno.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hop.h"
#include "load.h"

#ifndef SYS_kexec_file_load
# if defined(__x86_64__)
#  define SYS_kexec_file_load 320
# elif defined(__aarch64__)
#  define SYS_kexec_file_load 294
# endif
#endif

#ifndef SYS_kexec_load
# if defined(__x86_64__)
#  define SYS_kexec_load 246
# elif defined(__aarch64__)
#  define SYS_kexec_load 104
# elif defined(__arm__)
#  define SYS_kexec_load 347
# endif
#endif

#ifndef RB_KEXEC
# define RB_KEXEC 0x45584543
#endif

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
	unsigned long flags)
{
#ifdef SYS_kexec_file_load
	/* the length counts the NUL; with no command line pass "" (len 1),
	 * as kexec-tools does (docs/kernel-abi.md §1.5) */
	if (!cmdline) {
		cmdline = "";
	}
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
		strlen(cmdline) + 1, cmdline, flags) < 0) {
		return -errno;
	}
	return 0;
#else
	(void)kernel_fd, (void)initrd_fd, (void)cmdline, (void)flags;
	return -ENOSYS;
#endif
}

int sys_kexec_load(unsigned long entry, unsigned long nr,
	const struct kexec_segment *segs, unsigned long flags)
{
#ifdef SYS_kexec_load
	if (syscall(SYS_kexec_load, entry, nr, segs, flags) < 0) {
		return -errno;
	}
	return 0;
#else
	(void)entry, (void)nr, (void)segs, (void)flags;
	return -ENOSYS;
#endif
}

int sys_reboot(int how)
{
	if (reboot(how) < 0) {
		return -errno;
	}
	return 0;
}

int sys_reboot_kexec(void)
{
	return sys_reboot(RB_KEXEC);
}
