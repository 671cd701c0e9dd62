/* hop: shared declarations. lib/ never exits and never owns global policy;
 * functions return 0 (or a count) on success and -errno on failure. */
#ifndef HOP_H
#define HOP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HOP_VERSION "0.1.0"

/* ---- log.c: every line starts with "hop: " (README.md, log lines) ---- */
void log_init_kmsg(void);	/* also copy lines to /dev/kmsg (PID 1) */
void log_set_debug(int on);
void log_set_fd(int fd);	/* where lines go; stderr by default */
int log_debug_on(void);
/* "hop: MSG" with write(2) alone, for signal handlers */
void hop_log_signal_safe(const char *msg);
void hop_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hop_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hop: error: WHAT: WHY" */
void hop_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hop_warn(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* in[0..inlen) made safe for the console, as every log line is: printable
 * ASCII and valid UTF-8 as they are, a backslash as \\, any other byte
 * (controls, DEL, C1 controls, invalid UTF-8) as \xNN; at most outsz - 1
 * bytes and a NUL, never cutting an escape or a character. Returns the
 * length written. */
size_t log_escape(char *out, size_t outsz, const char *in, size_t inlen);

/* ---- errname.c ---- */
const char *errname(int err);	/* 5 -> "EIO"; unknown -> "E%d" */

/* ---- cmdline.c: the kernel's command line rules (lib/base/cmdline.c next_arg) */
struct param {
	char *key;	/* unquoted key ("hop.append") */
	char *val;	/* unquoted value, or NULL for a bare word */
	char *raw;	/* the token as written, quotes kept, for reuse */
};
struct cmdline {
	struct param *p;
	size_t n;
	size_t after_dashdash;	/* index of first param after "--", or n */
	char *buf;		/* owns every string above */
};
int cmdline_parse(const char *s, struct cmdline *out);
void cmdline_free(struct cmdline *c);
/* a value for a new command line: quoted if it holds whitespace */
int cmdline_strip(const struct cmdline *c, char *out, size_t outsz);
/* the whole line minus the params KEY=... for each KEY of keys (NULL
 * ended); words after "--" are kept */
int cmdline_strip_keys(const struct cmdline *c, char *out, size_t outsz,
	const char *const *keys);
int cmdline_join(char *out, size_t outsz, const char *a, const char *b);
/* base with add where the kernel takes it as parameters: before base's
 * first "--" word, else at the end, after a '"' closing a quote base
 * leaves open; add "" leaves base as it is. out may be base. 0 or -E2BIG */
int cmdline_insert(char *out, size_t outsz, const char *base,
	const char *add);

/* ---- config.c: hop.* keys of the agent ---- */
enum syscall_mode { SYSCALL_AUTO, SYSCALL_FILE, SYSCALL_LOAD };
enum onfail { ONFAIL_DEFAULT, ONFAIL_SHELL, ONFAIL_REBOOT, ONFAIL_POWEROFF,
	ONFAIL_HALT };
#define HOP_MAX_INITRD 16
/* multiboot modules: 16 segments minus the info and the trampoline */
#define HOP_MAX_MODULES 14
struct config {
	const char *kernel;
	const char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	const char *dtb;
	const char *cmdline;	/* NULL: not given */
	const char *append;
	int reuse;
	enum syscall_mode syscall;
	enum onfail onfail;
	int debug;
	int dryrun;
	int menu;		/* hop.menu=1: the entries on the console */
	int timeout;
	const char *conf, *entry;
	const char *modules;	/* hop.modules=a,b */
	/* hop.module="SRC ARGS" (repeatable): multiboot modules, values as
	 * written */
	const char *mbmodule[HOP_MAX_MODULES];
	size_t nmbmodule;
	/* pins: 64 hex digits (either case) each, checked when parsed;
	 * initrd_sha is a comma-separated list, one per initrd */
	const char *kernel_sha, *initrd_sha, *dtb_sha;
	/* hop.cmdline.sha256: the SHA-256 of the next command line, the
	 * exact bytes given to the kernel without a NUL */
	const char *cmdline_sha;
	/* problems that forbid booting anything (a pin without a value, a
	 * malformed or repeated pin, a key that looks like a misspelt pin,
	 * more initrds or modules than fit): not 0, the caller must not
	 * boot and takes the onfail action */
	int refuse;
	char *initrd_list;	/* owned copy split into initrd[] */
};
/* fills cfg from the hop.* params of c; returns the count of problems,
 * each already logged (unknown key, bad value); cfg is usable anyway
 * unless cfg->refuse, which counts those of them that forbid booting */
int config_from_cmdline(const struct cmdline *c, struct config *cfg);
/* "  hop.NAME=ARG   help" for every key (hop init --help) */
void config_help(FILE *f);
/* the Nth key's name without "hop.", NULL past the last */
const char *config_key_name(size_t i);
void config_free(struct config *cfg);
int config_next_cmdline(const struct config *cfg, const struct cmdline *cur,
	char *out, size_t outsz);
const char *onfail_name(enum onfail o);
const char *syscall_name(enum syscall_mode m);

/* ---- onfail.c: what hop.onfail does (carried out by applet/init.c) ---- */
#define ONFAIL_DELAY_S 5	/* the notice before reboot and poweroff */
#define ONFAIL_SHELL_QUICK_S 2	/* a shell that lived less exited "at once" */
#define ONFAIL_SHELL_TRIES 3	/* that many quick exits in a row: give up */
struct onfail_step {
	enum onfail action;	/* never ONFAIL_DEFAULT */
	int reboot_cmd;		/* reboot(2)'s RB_*; 0 for the shell */
	unsigned delay_s;	/* wait after the notice, before reboot(2) */
};
/* want as configured (ONFAIL_DEFAULT: a shell if have_shell, else
 * reboot) -> what to do */
void onfail_decide(enum onfail want, int have_shell, struct onfail_step *s);
/* the line logged before acting, without "hop: " ("onfail: reboot in 5 s") */
int onfail_notice(const struct onfail_step *s, char *buf, size_t n);
/* the onfail shell exited after lived_s seconds: 1 to start another, 0 to
 * give up (ONFAIL_SHELL_TRIES quick exits in a row); *quick starts at 0 */
int onfail_shell_again(unsigned *quick, long lived_s);
/* what PID 1 does on signal sig (SIGINT: ctrl-alt-del, SIGTERM, SIGUSR1,
 * SIGUSR2: busybox's reboot, halt, poweroff), with the line to log; NULL
 * for any other signal. Async-signal-safe. */
const char *onfail_signal(int sig, struct onfail_step *s);

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

/* ---- file.c ---- */
/* open path for reading; with several paths, concatenate into a memfd
 * (each part padded to 4 bytes, which the initramfs unpacker skips) */
int open_concat(const char *const *paths, size_t n, const char **failed);
/* path read-only, regular files only (-EISDIR, -EINVAL for a FIFO, a
 * device, a socket), without blocking on open: an fd or -errno */
int file_open(const char *path);
/* path inside the file system whose root directory is root: ".." that
 * climbs above the root is -EXDEV; symlinks resolve as if root were "/"
 * and never leave it, nor its device, nor use /proc's magic links
 * (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS).
 * Without openat2 (Linux < 5.6) a symlink anywhere is -ELOOP. flags as
 * for open(2); an fd or -errno */
int file_open_at(int root, const char *path, int flags);
/* file_open_at, read-only, regular files only, as file_open */
int file_open_in(int root, const char *path);
extern int file_no_openat2;	/* 1: openat2 is missing (tests set it) */
/* 0 when path's ".." never climbs above its start, else -EXDEV (pure) */
int path_confined(const char *path);
/* the reason for a file_open* error, for a log line */
const char *file_strerror(int err);
/* can hop hold size more bytes in RAM? 0, or -ENOMEM; *avail is what it
 * may take (half of the free memory) */
int file_fits_memory(uint64_t size, uint64_t *avail);

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
/* the first n bytes of an image: 1 when it is a PE file (an EFI stub
 * kernel) with an Authenticode certificate table, 0 when a PE file
 * without one, -1 when not a PE file (pure) */
int pe_signature(const uint8_t *h, size_t n);

/* ---- cpio.c: newc writer (initramfs builder, tests) ---- */
struct cpio {
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	uint64_t off;
	uint32_t ino;
	uint32_t mtime;
};
int cpio_entry(struct cpio *c, const char *name, uint32_t mode,
	uint32_t rmajor, uint32_t rminor, const void *data, size_t len);
int cpio_trailer(struct cpio *c);

#endif
