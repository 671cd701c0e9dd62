/* The load layer (lib/load/): the syscall policy, the thin syscall layer
 * and the load request every applet makes. */
#ifndef HOP_LOAD_H
#define HOP_LOAD_H

#include "hop.h"

enum syscall_mode { SYSCALL_AUTO, SYSCALL_FILE, SYSCALL_LOAD };

/* ---- policy.c: which errnos of kexec_file_load allow kexec_load ---- */
enum decision { DECIDE_FALLBACK, DECIDE_REFUSE, DECIDE_FAIL };
/* err is positive; *why gets a sentence fit for the log */
enum decision policy_decide(int err, const char **why);

/* ---- kexec.c: the thin syscall layer (one place for syscalls) ---- */
#define HOP_KEXEC_FILE_UNLOAD		0x1
#define HOP_KEXEC_FILE_ON_CRASH		0x2
#define HOP_KEXEC_FILE_NO_INITRAMFS	0x4
int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
	unsigned long flags);
/* the UAPI layout (docs/kernel-abi.md §1.2): mem is a physical address
 * typed as a pointer, so 32 bits on arm */
struct kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};
int sys_kexec_load(unsigned long entry, unsigned long nr,
	const struct kexec_segment *segs, unsigned long flags);
int sys_reboot_kexec(void);
/* reboot(LINUX_REBOOT_CMD_KEXEC), waiting out a load in progress: while
 * hop watch replaces the image after a memory event the kernel holds its
 * kexec lock and the jump gets EBUSY (seen in tests/vm/hotplug.sh on a
 * loaded host); up to KEXEC_JUMP_TRIES x kexec_jump_wait_us (5 s). Returns
 * only on failure (lib/load/load.c) */
#define KEXEC_JUMP_TRIES 100
extern unsigned kexec_jump_wait_us;	/* 50000; tests set 0 */
int kexec_jump(void);
int sys_reboot(int how);

/* ---- load.c: the agent's and kexec applet's common load request ---- */
/* a multiboot module: the file to read and the string the kernel gets
 * ("FILE ARGS" as the user wrote it) */
struct module_src {
	const char *path;
	const char *cmdline;
};
struct load_req {
	const char *kernel;
	/* multiboot: the kernel's name, the first word of its command line
	 * (the path as the user or the configuration wrote it, not where a
	 * device is mounted); NULL: kernel */
	const char *kernel_name;
	const char *const *initrd;
	size_t ninitrd;
	const char *cmdline;
	const char *dtb;	/* NULL: the running system's tree */
	const struct module_src *modules;	/* multiboot kernels only */
	size_t nmodules;
	enum syscall_mode syscall;
	int crash;
	int plan_only;		/* print the kexec_load plan, load nothing */
	uint64_t mem_min, mem_max;	/* placement limits, 0: none */
	const char *sysroot;	/* read /proc and /sys under it; NULL: / */
	/* where a successful load is recorded for hop watch (lib/load/request.c);
	 * NULL: not recorded */
	const char *rundir;
};
/* loads per the syscall policy, logs "hop: loaded via ..." or errors */
int load_image(const struct load_req *req);
/* the image req loaded taken out again (its measurements could not be
 * made): 0 or -errno, logged */
int load_unload(const struct load_req *req);
/* the first n bytes of an image: 1 when it is a PE file (an EFI stub
 * kernel) with an Authenticode certificate table, 0 when a PE file
 * without one, -1 when not a PE file (pure) */
int pe_signature(const uint8_t *h, size_t n);

#endif
