/* hop init: the early-boot agent (README, "The agent: hop.* keys that
 * work today").
 *
 * As PID 1 it opens the console, mounts /dev, /proc and /sys, reads its
 * hop.* keys from /proc/cmdline, loads the next kernel and jumps. Whatever
 * fails, it logs one "hop: error:" line and takes the hop.onfail action:
 * PID 1 never exits, since an exiting PID 1 panics the kernel. Run as any
 * other process (tests, "hop init --cmdline STR") it never reboots the
 * host: it stops once the kernel is loaded (--exec jumps), or reports the
 * onfail action and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "applet.h"
#include "bootsel.h"
#include "hop.h"
#include "menu.h"
#include "plan.h"
#include "modules.h"
#include "request.h"
#include "sha256.h"
#include "source.h"

const char init_usage[] =
	"usage: hop init [--cmdline STR] [--exec]\n\n"
	"The early-boot agent: runs as /init (PID 1) of an initramfs, reads\n"
	"hop.* keys from /proc/cmdline (or STR), loads the next kernel and\n"
	"kexecs into it. Not PID 1, it stops once loaded unless --exec.\n"
	"Keys:\n";

#define CMDLINE_MAX 4096

static void open_console(void)
{
	int fd, i;

	for (i = 0; i < 3; i++) {
		if (fcntl(i, F_GETFD) >= 0) {
			continue;
		}
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd < 0) {
			fd = open("/dev/null", O_RDWR);
		}
		if (fd >= 0 && fd != i) {
			dup2(fd, i);
			close(fd);
		}
	}
}

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, MS_NOSUID | MS_NOEXEC * (type[0] != 'd'),
		NULL) < 0 && errno != EBUSY) {
		hop_warn(dir, "mount %s: %s (%s)", type, errname(errno),
			strerror(errno));
	}
}

/* ---- PID 1: signals, children, the onfail action ---- */

/* SIGTERM, SIGUSR1, SIGUSR2 are what busybox's reboot, halt and poweroff
 * send to PID 1 (its init's convention; the onfail shell has them), and
 * SIGINT is ctrl-alt-del once RB_DISABLE_CAD asked the kernel for it: end
 * every other process, sync, and do it. Only async-signal-safe calls. */
static void on_signal(int sig)
{
	struct onfail_step s;
	const char *msg = onfail_signal(sig, &s);

	if (!msg) {
		return;
	}
	hop_log_signal_safe(msg);
	kill(-1, SIGTERM);	/* the shell and its children, not PID 1 */
	sleep(1);
	kill(-1, SIGKILL);
	sync();
	sys_reboot(s.reboot_cmd);
	hop_log_signal_safe("reboot(2) failed; carrying on");
}

/* only to wake pause() in hang(): the waiting is done by waitpid */
static void on_sigchld(int sig)
{
	(void)sig;
}

/* The kernel drops any signal PID 1 has no handler for, so the defaults
 * would ignore the rest already; they are ignored by name so that this
 * does not depend on being PID 1 of the initial namespace. Children get
 * the defaults back (child_signals): an ignored signal survives exec. */
static const int pid1_ignored[] = { SIGHUP, SIGPIPE, SIGQUIT, SIGTSTP,
	SIGTTIN, SIGTTOU };
static const int pid1_handled[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2 };

static void pid1_signals(void)
{
	struct sigaction sa;
	size_t i;
	int err;

	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);	/* one shutdown at a time */
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(pid1_ignored) / sizeof(pid1_ignored[0]); i++) {
		sigaction(pid1_ignored[i], &sa, NULL);
	}
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(pid1_handled) / sizeof(pid1_handled[0]); i++) {
		sigaction(pid1_handled[i], &sa, NULL);
	}
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	/* ctrl-alt-del: SIGINT to us (a synced reboot) rather than the
	 * kernel's immediate restart */
	err = sys_reboot(RB_DISABLE_CAD);
	if (err < 0) {
		hop_warn("ctrl-alt-del", "RB_DISABLE_CAD: %s: the kernel "
			"restarts at once", errname(-err));
	}
}

/* in a forked child, before exec: a process of its own, not PID 1 */
static void child_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++) {
		/* EINVAL for SIGKILL and SIGSTOP: nothing to reset */
		sigaction(sig, &sa, NULL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* PID 1's last state: reaps whatever still ends (orphans are ours),
 * sleeps when nothing is left; ctrl-alt-del and busybox's reboot,
 * poweroff and halt still work through the handlers */
static void __attribute__((noreturn)) hang(void)
{
	hop_log("halted: nothing more to do (ctrl-alt-del reboots)");
	for (;;) {
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD) {
			pause();
		}
	}
}

static void __attribute__((noreturn)) run_shell(void)
{
	child_signals();
	/* a session of its own with the console as its controlling tty:
	 * ctrl-c and job control work (the kernel never makes /dev/console
	 * one by itself) */
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 1) < 0) {
		hop_warn("/dev/console", "no controlling tty (%s): ctrl-c will "
			"not reach the shell's commands", errname(errno));
	}
	execl("/bin/sh", "-sh", (char *)NULL);
	hop_error("/bin/sh", "exec: %s (%s)", errname(errno), strerror(errno));
	_exit(127);
}

/* the shell, again each time it exits; waiting for it reaps every other
 * child too (its orphans are reparented to PID 1) */
static void __attribute__((noreturn)) shell_forever(void)
{
	struct timespec t0, t1;
	unsigned quick = 0;
	pid_t pid, w;
	int status = 0;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid == 0) {
			run_shell();
		}
		if (pid < 0) {
			hop_error("/bin/sh", "fork: %s", errname(errno));
			hang();
		}
		do {
			w = waitpid(-1, &status, 0);
		} while (w != pid && !(w < 0 && errno == ECHILD));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!onfail_shell_again(&quick,
			(long)(t1.tv_sec - t0.tv_sec))) {
			hop_error("/bin/sh", "exited %d times in a row within "
				"%d s (no console input?); not started again",
				ONFAIL_SHELL_TRIES, ONFAIL_SHELL_QUICK_S);
			hang();
		}
		hop_log("onfail: shell exited (status %d), starting another",
			WIFEXITED(status) ? WEXITSTATUS(status) :
			128 + WTERMSIG(status));
		sleep(1);
	}
}

/* PID 1: the hop.onfail action; never returns */
static void __attribute__((noreturn)) pid1_onfail(enum onfail want)
{
	int have_shell = access("/bin/sh", X_OK) == 0, err;
	struct onfail_step s;
	char notice[128];
	unsigned left;

	onfail_decide(want, have_shell, &s);
	hop_log("onfail: %s", onfail_name(s.action));
	if (s.action == ONFAIL_SHELL && !have_shell) {
		hop_error("/bin/sh", "hop.onfail=shell: not executable: %s; "
			"halting instead", errname(errno));
		hang();
	}
	onfail_notice(&s, notice, sizeof(notice));
	hop_log("%s", notice);
	if (s.action == ONFAIL_SHELL) {
		shell_forever();
	}
	for (left = s.delay_s; left; ) {
		left = sleep(left);	/* a SIGCHLD cuts it short */
	}
	sync();
	err = sys_reboot(s.reboot_cmd);
	hop_error("reboot", "%s: %s (%s)", onfail_name(s.action),
		errname(-err), strerror(-err));
	hang();
}

/* not PID 1 (tests, hop init --cmdline): never reboots the host; says
 * what PID 1 would do and returns 1 for the caller to exit with */
static int onfail(enum onfail want)
{
	struct onfail_step s;

	onfail_decide(want, access("/bin/sh", X_OK) == 0, &s);
	hop_log("onfail: %s", onfail_name(s.action));
	return 1;
}

static void setup_pid1(void)
{
	/* the kernel opens /dev/console for us only if the initramfs has it;
	 * devtmpfs first, so the fallback open below can find it */
	mount_one("devtmpfs", "/dev", "devtmpfs");
	open_console();
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	/* /sys/kernel/security/lockdown explains a refusal of kexec */
	mount_one("securityfs", "/sys/kernel/security", "securityfs");
	log_init_kmsg();
	/* once the console is there to say it if ctrl-alt-del stays the
	 * kernel's */
	pid1_signals();
}

static char *read_cmdline(void)
{
	static char buf[CMDLINE_MAX];
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hop_error("/proc/cmdline", "open: %s (%s)", errname(errno),
			strerror(errno));
		return NULL;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		hop_error("/proc/cmdline", "read: %s", errname(errno));
		return NULL;
	}
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	}
	return buf;
}

/* what one boot attempt loads; the keys, or (later) a config entry */
struct target {
	const char *what;	/* "hop.kernel" or the entry's label */
	int entry;		/* 1: from a configuration's entry */
	const char *kernel;
	const char *kernel_name;	/* a configuration's path, or NULL */
	const char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	const char *dtb;
	const char *cmdline;
	/* multiboot modules: their strings; the file is module_src[i] when
	 * given (a configuration's module line), else the string's first
	 * word (hop.module="SRC ARGS") */
	const char *const *module;
	const char *const *module_src;
	size_t nmodule;
};

static void check_config(const struct config *cfg)
{
	if (cfg->dtb && !arch_uses_dtb) {
		hop_warn("hop.dtb", "this arch boots without a device tree, "
			"ignored");
	}
	if (cfg->kernel && cfg->conf) {
		hop_warn("hop.config", "hop.kernel is set: the configuration "
			"is not read");
	}
}

static void print_plan(const struct config *cfg, const struct target *t)
{
	size_t i;

	hop_log("plan: kernel %s", t->kernel);
	for (i = 0; i < t->ninitrd; i++) {
		hop_log("plan: initrd %s", t->initrd[i]);
	}
	if (t->dtb) {
		hop_log("plan: dtb %s", t->dtb);
	}
	for (i = 0; i < t->nmodule; i++) {
		hop_log("plan: module %s%s%s", t->module_src ?
			t->module_src[i] : "", t->module_src ? " as " : "",
			t->module[i]);
	}
	hop_log("plan: cmdline \"%s\"", t->cmdline);
	hop_log("plan: syscall %s", syscall_name(cfg->syscall));
}

/* who asked for a file, for its error line: the key ("hop.kernel") or
 * the entry ("entry \"debian\" kernel") */
static const char *what_of(const struct target *t, const char *file,
	char *buf, size_t sz)
{
	if (t->entry) {
		snprintf(buf, sz, "entry \"%s\" %s", t->what, file);
	} else {
		snprintf(buf, sz, "hop.%s", file);
	}
	return buf;
}

/* hop.*.sha256: the file is copied into a sealed memfd while hashed, and
 * the memfd is what gets loaded, so the checked bytes are the loaded
 * bytes; *path is replaced by /proc/self/fd/N, *fd keeps it open */
static int pin(const char *key, const char *want, char **path, int *fd)
{
	char got[65], *p;
	int f;

	if (!want) {
		return 0;
	}
	f = sha256_pinned_copy(*path, want, got);
	if (f == -EBADMSG) {
		hop_error(*path, "SHA-256 mismatch: the file has %s, %s wants %s",
			got, key, want);
		return f;
	}
	if (f == -EFBIG) {
		hop_error(*path, "%s: larger than half of the free memory: not "
			"copied for its check", key);
		return f;
	}
	if (f < 0) {
		hop_error(*path, "%s: %s (%s)", key, errname(f),
			file_strerror(f));
		return f;
	}
	if (asprintf(&p, "/proc/self/fd/%d", f) < 0) {
		close(f);
		return -ENOMEM;
	}
	hop_debug("%s verified (%s)", *path, key);
	free(*path);
	*path = p;
	*fd = f;
	return 0;
}

/* hop.cmdline.sha256: the digest of the next command line's bytes as the
 * kernel gets them (no NUL) */
static int pin_cmdline(const char *want, const char *line)
{
	struct sha256 s;
	uint8_t d[32];
	char got[65];

	if (!want) {
		return 0;
	}
	sha256_init(&s);
	sha256_update(&s, line, strlen(line));
	sha256_final(&s, d);
	sha256_hex(d, got);
	if (strcasecmp(got, want)) {
		hop_error("hop.cmdline.sha256", "SHA-256 mismatch: the command "
			"line \"%s\" has %s, hop.cmdline.sha256 wants %s", line,
			got, want);
		return -EBADMSG;
	}
	hop_debug("command line verified (hop.cmdline.sha256)");
	return 0;
}

/* the Nth comma-separated hex digest of list, in buf; NULL past the end */
static const char *nth_pin(const char *list, size_t n, char *buf, size_t sz)
{
	const char *p = list;

	while (p && n--) {
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p) {
		return NULL;
	}
	snprintf(buf, sz, "%.*s", (int)strcspn(p, ","), p);
	return buf;
}

/* each module's file resolved into path[i]: module_src[i], or SRC, the
 * first word of hop.module="SRC ARGS"; the module's string stays as
 * written */
static int resolve_modules(const struct config *cfg, const struct target *t,
	struct mounts *m, char **path, int *fds, struct module_src *mods)
{
	char src[1024], w[300];
	size_t i, n;
	int err;

	for (i = 0; i < t->nmodule; i++) {
		n = strcspn(t->module[i], " \t");
		if (t->module_src) {
			n = snprintf(src, sizeof(src), "%s", t->module_src[i]);
		}
		if (!n || n >= sizeof(src)) {
			hop_error("hop.module", "'%s': %s", t->module[i], n ?
				"file name too long" : "no file (hop.module=\"SRC "
				"ARGS\")");
			return -EINVAL;
		}
		if (!t->module_src) {
			memcpy(src, t->module[i], n);
			src[n] = '\0';
		}
		err = source_resolve(what_of(t, "module", w, sizeof(w)), src,
			cfg->timeout, m, &path[i], &fds[i]);
		if (err < 0) {
			return err;
		}
		mods[i].path = path[i];
		mods[i].cmdline = t->module[i];
	}
	return 0;
}

/* resolves the target's sources (devices mounted into m) and loads it;
 * 0 when an image is loaded */
static int load_target(const struct config *cfg, const struct target *t,
	struct mounts *m)
{
	char *kernel = NULL, *initrd[HOP_MAX_INITRD] = { NULL }, *dtb = NULL;
	char *modpath[HOP_MAX_MODULES] = { NULL };
	struct module_src mods[HOP_MAX_MODULES];
	/* pinned copies: kernel, initrds, dtb; files held open by
	 * source_resolve: the same, then the modules */
	int fds[HOP_MAX_INITRD + 2], src_fds[HOP_MAX_INITRD + 2 +
		HOP_MAX_MODULES], err;
	struct load_req req;
	char hex[80], spec[128], w[300];
	size_t i;

	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		fds[i] = -1;
	}
	for (i = 0; i < sizeof(src_fds) / sizeof(src_fds[0]); i++) {
		src_fds[i] = -1;
	}
	if (cfg->dryrun || cfg->debug) {
		print_plan(cfg, t);
	}
	err = source_resolve(what_of(t, "kernel", w, sizeof(w)), t->kernel,
		cfg->timeout, m, &kernel, &src_fds[0]);
	for (i = 0; !err && i < t->ninitrd; i++) {
		err = source_resolve(what_of(t, "initrd", w, sizeof(w)),
			t->initrd[i], cfg->timeout, m, &initrd[i],
			&src_fds[1 + i]);
	}
	if (!err && t->dtb && arch_uses_dtb) {
		err = source_resolve(what_of(t, "dtb", w, sizeof(w)), t->dtb,
			cfg->timeout, m, &dtb, &src_fds[1 + HOP_MAX_INITRD]);
	}
	if (!err) {
		err = resolve_modules(cfg, t, m, modpath,
			src_fds + 2 + HOP_MAX_INITRD, mods);
	}
	if (!err) {
		err = pin("hop.kernel.sha256", cfg->kernel_sha, &kernel,
			&fds[0]);
	}
	if (!err && cfg->initrd_sha && nth_pin(cfg->initrd_sha, t->ninitrd,
		hex, sizeof(hex))) {
		hop_error("hop.initrd.sha256", "more digests than initrds (%zu)",
			t->ninitrd);
		err = -EINVAL;
	}
	for (i = 0; !err && cfg->initrd_sha && i < t->ninitrd; i++) {
		const char *want = nth_pin(cfg->initrd_sha, i, hex, sizeof(hex));

		if (!want) {
			hop_error("hop.initrd.sha256", "no digest for initrd %zu "
				"(%s): give one per initrd", i + 1, t->initrd[i]);
			err = -EINVAL;
			break;
		}
		err = pin("hop.initrd.sha256", want, &initrd[i], &fds[1 + i]);
	}
	if (!err && dtb) {
		err = pin("hop.dtb.sha256", cfg->dtb_sha, &dtb,
			&fds[1 + HOP_MAX_INITRD]);
	} else if (!err && cfg->dtb_sha) {
		/* fail closed: a pin with nothing to check is not a pass */
		hop_error("hop.dtb.sha256", "no device tree file is loaded "
			"(%s): nothing matches the pin", arch_uses_dtb ?
			"the running tree would be passed on" :
			"this arch boots without one");
		err = -EBADMSG;
	}
	if (!err) {
		err = pin_cmdline(cfg->cmdline_sha, t->cmdline);
	}
	if (!err) {
		memset(&req, 0, sizeof(req));
		req.kernel = kernel;
		/* a multiboot kernel is told the path, not the mount */
		req.kernel_name = t->kernel_name;
		if (!req.kernel_name) {
			source_split(t->kernel, spec, sizeof(spec),
				&req.kernel_name);
		}
		req.initrd = (const char *const *)initrd;
		req.ninitrd = t->ninitrd;
		req.cmdline = t->cmdline;
		req.dtb = dtb;
		req.modules = mods;
		req.nmodules = t->nmodule;
		req.syscall = cfg->syscall;
		req.rundir = HOP_RUN_DIR;	/* for hop watch */
		/* hop.dryrun: the kexec_load segment table, nothing loaded */
		req.plan_only = cfg->dryrun;
		err = load_image(&req);
	}
	free(kernel);
	for (i = 0; i < t->ninitrd; i++) {
		free(initrd[i]);
	}
	free(dtb);
	for (i = 0; i < HOP_MAX_MODULES; i++) {
		free(modpath[i]);
	}
	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
	for (i = 0; i < sizeof(src_fds) / sizeof(src_fds[0]); i++) {
		if (src_fds[i] >= 0) {
			close(src_fds[i]);
		}
	}
	return err;
}

/* loads what the keys name (hop.kernel, hop.initrd, hop.dtb); 0 when
 * an image is loaded */
static int boot_keys(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	static char next[CMDLINE_MAX];
	struct target t;

	if (config_next_cmdline(cfg, cur, next, sizeof(next)) < 0) {
		hop_error("command line", "longer than %d bytes", CMDLINE_MAX);
		return -E2BIG;
	}
	memset(&t, 0, sizeof(t));
	t.what = "hop.kernel";
	t.kernel = cfg->kernel;
	memcpy(t.initrd, cfg->initrd, sizeof(t.initrd));
	t.ninitrd = cfg->ninitrd;
	t.dtb = cfg->dtb;
	t.module = cfg->mbmodule;
	t.nmodule = cfg->nmbmodule;
	t.cmdline = next;
	return load_target(cfg, &t, m);
}

#if HOP_FEAT_BOOTCFG
/* the running machine's most specific compatible string (the first of
 * the root's compatible), for extlinux fdtdir */
static int machine_compatible(char *buf, size_t sz)
{
	static const char *const where[] = { "/proc/device-tree/compatible",
		"/sys/firmware/devicetree/base/compatible" };
	ssize_t n = -1;
	size_t i;
	int fd;

	for (i = 0; n <= 0 && i < 2; i++) {
		fd = open(where[i], O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sz - 1);
			close(fd);
		}
	}
	if (n <= 0) {
		return -ENOENT;
	}
	buf[n] = '\0';	/* the list is NUL-separated: buf is its first */
	return 0;
}

static const char *entry_name(const struct boot_entry *e)
{
	return e->label ? e->label : e->title ? e->title : e->kernel;
}

/* the device tree of an entry: hop.dtb, the entry's fdt, or the .dtb of
 * its fdtdir made for this machine; malloc'd source in *out, NULL when
 * none (the running tree is passed on) */
static int entry_dtb(const struct config *cfg, const struct found_config *fc,
	const struct boot_entry *e, char **out)
{
	char compat[256] = "", *rel;
	int err;

	*out = NULL;
	if (!arch_uses_dtb || cfg->dtb) {
		return 0;
	}
	if (e->dtb) {
		*out = bootsel_source(fc, e, e->dtb);
		return *out ? 0 : -ENOMEM;
	}
	if (!e->fdtdir) {
		return 0;
	}
	err = machine_compatible(compat, sizeof(compat));
	if (err == 0) {
		err = bootsel_fdtdir(fc->fsroot, e->fdtdir, compat, &rel);
	}
	if (err == -ENOMEM) {
		return err;
	}
	if (err < 0) {
		if (err == -E2BIG) {
			hop_warn(e->fdtdir, "fdtdir: more than hop reads (%u "
				"MiB of .dtb files, %d names a folder): the rest "
				"not searched", FDTDIR_READ_MAX >> 20,
				BOOTSEL_LIST_MAX);
		}
		hop_warn(e->fdtdir, "fdtdir: no .dtb here lists this machine's "
			"compatible \"%s\": the running tree is passed on",
			compat[0] ? compat : "?");
		return 0;
	}
	hop_log("config: fdtdir %s: %s is for %s", e->fdtdir, rel, compat);
	*out = bootsel_source(fc, e, rel);
	free(rel);
	return *out ? 0 : -ENOMEM;
}

/* loads entry e of configuration fc: its files from the file system it
 * was found on, its command line (hop.cmdline wins, hop.append is added;
 * none at all: hop.reuse), hop.initrd and hop.dtb in place of its own
 * when given; 0 when an image is loaded */
static int boot_entry(const struct config *cfg, const struct cmdline *cur,
	const struct found_config *fc, const struct boot_entry *e,
	struct mounts *m)
{
	static char next[CMDLINE_MAX];
	char *own[HOP_MAX_INITRD + 2] = { NULL };
	char *modsrc[HOP_MAX_MODULES] = { NULL };
	struct config c = *cfg;
	struct target t;
	size_t i;
	int err = 0;

	memset(&t, 0, sizeof(t));
	t.what = entry_name(e);
	t.entry = 1;
	t.kernel = own[0] = bootsel_source(fc, e, e->kernel);
	t.kernel_name = e->kernel;
	if (cfg->ninitrd) {
		memcpy(t.initrd, cfg->initrd, sizeof(t.initrd));
		t.ninitrd = cfg->ninitrd;
	} else {
		for (i = 0; i < e->ninitrd; i++) {
			t.initrd[i] = own[1 + i] = bootsel_source(fc, e,
				e->initrd[i]);
			err = t.initrd[i] ? err : -ENOMEM;
		}
		t.ninitrd = e->ninitrd;
	}
	if (!err && t.kernel) {
		err = entry_dtb(cfg, fc, e, &own[1 + HOP_MAX_INITRD]);
	}
	t.dtb = cfg->dtb ? cfg->dtb : own[1 + HOP_MAX_INITRD];
	/* multiboot: hop.module in place of the entry's module lines */
	if (cfg->nmbmodule) {
		t.module = cfg->mbmodule;
		t.nmodule = cfg->nmbmodule;
	} else if (e->nmodule) {
		for (i = 0; i < e->nmodule; i++) {
			modsrc[i] = bootsel_source(fc, e, e->module[i]);
			err = modsrc[i] ? err : -ENOMEM;
		}
		t.module = (const char *const *)e->module_cmdline;
		t.module_src = (const char *const *)modsrc;
		t.nmodule = e->nmodule;
	}
	if (!t.kernel) {
		err = -ENOMEM;
	}
	if (err) {
		hop_error(t.what, "%s", errname(err));
	}
	if (!cfg->cmdline && e->cmdline) {
		c.cmdline = e->cmdline;
	}
	if (!err && config_next_cmdline(&c, cur, next, sizeof(next)) < 0) {
		hop_error(t.what, "command line longer than %d bytes",
			CMDLINE_MAX);
		err = -E2BIG;
	}
	t.cmdline = next;
	if (!err) {
		err = load_target(&c, &t, m);
	}
	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		free(own[i]);
	}
	for (i = 0; i < HOP_MAX_MODULES; i++) {
		free(modsrc[i]);
	}
	return err;
}

/* configurations read in one boot, and entries tried of each: enough for
 * every real machine, and a bound on the time and the console lines a
 * disk of failing entries can cost (each try is a few lines) */
#define MAX_CONFIGS 8
#define MAX_TRIES 8

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* hop.config=SRC: the one configuration it names; 1 or -errno */
static int config_named(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	const char *dir, *path;
	char spec[128];
	int dev, err;

	dev = source_split(cfg->conf, spec, sizeof(spec), &path);
	err = source_locate("hop.config", cfg->conf, cfg->timeout, m, &dir,
		&path);
	if (err < 0) {
		return err;
	}
	err = bootsel_read(dir, dev ? spec : NULL, path, budget, fc);
	if (err < 0) {
		hop_error(fc->shown, "%s", fc->c.why);
		bootcfg_free(&fc->c);
		return err;
	}
	return 1;
}

/* hop.config=auto: the configurations on the block devices' file systems
 * (bootsel.c lists the places), each device looked at once, in name
 * order; a file system without one is unmounted again. Waits up to
 * hop.timeout for the first; how many, or -ENOENT */
static int config_auto(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	long long end = now_ms() + cfg->timeout * 1000LL;
	const char *dir, *dev;
	int n = 0, told = 0;

	for (;;) {
		while (n < MAX_CONFIGS && source_next_device(m, &dir, &dev)) {
			if (bootsel_find(dir, dev, budget, &fc[n]) == 0) {
				n++;
			} else {
				source_unmount(m, dir);
			}
		}
		if (n == MAX_CONFIGS && source_next_device(m, &dir, &dev)) {
			hop_warn("hop.config", "auto: %d configurations found "
				"(hop's limit): %s and the devices after it are "
				"not searched", MAX_CONFIGS, dev);
			source_unmount(m, dir);
		}
		if (n > 0) {
			return n;
		}
		if (now_ms() >= end) {
			hop_error("hop.config", "auto: no boot configuration on "
				"%d block device(s) after %d s (hop.timeout; "
				"looked for %s)", m->nseen, cfg->timeout,
				bootsel_looked_for());
			return -ENOENT;
		}
		if (!told) {
			hop_log("config: waiting up to %d s for a boot "
				"configuration on a block device", cfg->timeout);
			told = 1;
		}
		usleep(250 * 1000);
	}
}

#if HOP_FEAT_MENU
/* hop.menu=1: every entry of every configuration on the console, the
 * countdown of the first configuration's timeout; *ci, *ei: the default
 * in, the pick out */
static void menu_pick(const struct found_config *fc, size_t n, size_t *ci,
	size_t *ei)
{
	const char **items;
	char **text;
	size_t i, j, total = 0, k = 0, def = 0;
	int pick;

	for (i = 0; i < n; i++) {
		total += fc[i].c.n;
	}
	items = calloc(total, sizeof(*items));
	text = calloc(total, sizeof(*text));
	for (i = 0; items && text && i < n; i++) {
		for (j = 0; j < fc[i].c.n; j++, k++) {
			const struct boot_entry *e = &fc[i].c.e[j];

			if (i == *ci && j == *ei) {
				def = k;
			}
			/* the configuration too when there are several */
			if (asprintf(&text[k], "%s%s%s", e->title ? e->title :
				entry_name(e), n > 1 ? "  " : "",
				n > 1 ? fc[i].shown : "") < 0) {
				text[k] = NULL;
			}
			items[k] = text[k] ? text[k] : entry_name(e);
		}
	}
	if (items && text && k == total) {
		pick = menu_run(0, 1, items, (int)total, (int)def,
			menu_seconds(fc[0].c.timeout_ds), 1000);
		for (i = 0, k = 0; i < n; i++) {
			if ((size_t)pick >= k && (size_t)pick < k + fc[i].c.n) {
				*ci = i;
				*ei = (size_t)pick - k;
			}
			k += fc[i].c.n;
		}
	} else {
		hop_warn("hop.menu", "out of memory: booting the default");
	}
	for (i = 0; text && i < total; i++) {
		free(text[i]);
	}
	free(text);
	free(items);
}
#endif

/* loads an entry of the boot configurations (hop.config, hop.entry),
 * trying the next one while one fails; 0 when an image is loaded */
static int boot_configs(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	struct found_config fc[MAX_CONFIGS];
	int n, i, count, tries = 0, err = -ENOENT, tried[MAX_CONFIGS] = { 0 };
	struct bootcfg_budget budget;
	struct candidate *order;
	const char *last = "";
	size_t ci, ei, k;

	/* what every configuration of this boot may cost together */
	bootcfg_budget_default(&budget);
	n = cfg->conf && strcmp(cfg->conf, "auto") ?
		config_named(cfg, m, &budget, fc) :
		config_auto(cfg, m, &budget, fc);
	if (n < 0) {
		return n;
	}
	for (i = 0; i < n; i++) {
		int d = bootcfg_choose(&fc[i].c, NULL);

		hop_log("config: %s (%s): %zu entries, default \"%s\"",
			fc[i].shown, bootcfg_kind_name(fc[i].kind), fc[i].c.n,
			entry_name(&fc[i].c.e[d < 0 ? 0 : d]));
		if (fc[i].c.nnotes) {
			hop_log("config: %s: %s%s", fc[i].shown, fc[i].c.note,
				fc[i].c.nnotes > 1 ? " (and more: hop.debug=1)" :
				"");
		}
	}
	if (bootsel_want(fc, (size_t)n, cfg->entry, &ci, &ei) < 0 &&
		cfg->entry) {
		hop_warn("hop.entry", "'%s': no entry has that label, title or "
			"number; booting the default", cfg->entry);
	}
#if HOP_FEAT_MENU
	if (cfg->menu) {
		menu_pick(fc, (size_t)n, &ci, &ei);
	}
#endif
	count = bootsel_candidates(fc, (size_t)n, ci, ei, &order);
	for (i = 0; i < count; i++) {
		const struct found_config *f = &fc[order[i].cfg];
		const struct boot_entry *e = &f->c.e[order[i].entry];

		/* a stick of failing entries cannot hide the disks after it,
		 * nor fill the console: each configuration gets MAX_TRIES */
		if (tried[order[i].cfg]++ >= MAX_TRIES) {
			if (tried[order[i].cfg] == MAX_TRIES + 1) {
				hop_warn(f->shown, "%zu more entries not tried "
					"(hop tries at most %d of one "
					"configuration)", f->c.n - MAX_TRIES,
					MAX_TRIES);
			}
			continue;
		}
		if (tries++ > 0) {
			hop_log("config: entry \"%s\" failed (%s); trying the "
				"next", last, errname(err));
		}
		hop_log("config: entry \"%s\" of %s", entry_name(e), f->shown);
		last = entry_name(e);
		err = boot_entry(cfg, cur, f, e, m);
		if (err == 0) {
			break;
		}
	}
	if (tries > 0 && err < 0) {
		hop_error("hop.config", "none of the %d entries tried could be "
			"loaded", tries);
	}
	if (count >= 0) {
		free(order);
	}
	for (k = 0; k < (size_t)n; k++) {
		bootcfg_free(&fc[k].c);
	}
	return count < 0 ? count : err;
}

#else
static int boot_configs(const struct config *cfg, const struct cmdline *cur,
	struct mounts *m)
{
	(void)cur;
	(void)m;
	hop_error(cfg->conf ? "hop.config" : "hop.kernel", "%s, and boot "
		"configurations are not built into this hop (make "
		"CONFIG=default builds them)", cfg->conf ? "given" : "not set");
	return -ENOPKG;
}
#endif

/* returns only on failure, having logged why, or (jump 0) once the
 * next kernel is loaded: 0 then */
static int boot(const struct config *cfg, const struct cmdline *cur, int jump)
{
	struct mounts m;
	int err;

	memset(&m, 0, sizeof(m));
	if (cfg->modules && modules_load(cfg->modules) < 0) {
		hop_log("some modules did not load; going on");
	}
	check_config(cfg);
	err = cfg->kernel ? boot_keys(cfg, cur, &m) :
		boot_configs(cfg, cur, &m);
	/* the kernel holds copies now: nothing stays mounted for the jump */
	source_unmount_all(&m);
	if (err < 0) {
		return err;
	}
	if (cfg->dryrun) {
		hop_log("dryrun: nothing loaded");
		return -ECANCELED;
	}
	if (!jump) {
		hop_log("loaded; not PID 1, so not executing it (hop init "
			"--exec does; hop kexec -e jumps later, hop kexec -u "
			"unloads)");
		return 0;
	}
	sync();
	hop_log("exec");
	err = kexec_jump();
	hop_error("reboot(LINUX_REBOOT_CMD_KEXEC)", "%s (%s)", errname(err),
		strerror(-err));
	return err;
}

int init_main(int argc, char **argv)
{
	struct cmdline cur;
	struct config cfg;
	const char *line = NULL;
	int pid1 = getpid() == 1, jump = pid1, i, err;

	if (pid1) {
		setup_pid1();
	}
	for (i = 1; !pid1 && i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc) {
			line = argv[++i];
		} else if (!strcmp(argv[i], "--exec")) {
			jump = 1;
		} else {
			fputs(init_usage, stderr);
			config_help(stderr);
			return 2;
		}
	}
	hop_log("agent " HOP_VERSION);
	if (!line) {
		line = read_cmdline();
	}
	if (!line || cmdline_parse(line, &cur) < 0) {
		if (line) {
			hop_error("command line", "out of memory");
		}
		if (pid1) {
			pid1_onfail(ONFAIL_DEFAULT);
		}
		return onfail(ONFAIL_DEFAULT);
	}
	config_from_cmdline(&cur, &cfg);
	log_set_debug(cfg.debug);
	if (cfg.refuse) {
		/* a security key the agent cannot honour: nothing is read,
		 * mounted or loaded (fail closed) */
		hop_error("hop.*", "%d problem(s) with security keys: nothing "
			"is booted", cfg.refuse);
		err = -EINVAL;
	} else {
		err = boot(&cfg, &cur, jump);
	}
	cmdline_free(&cur);
	config_free(&cfg);
	if (pid1) {
		pid1_onfail(cfg.onfail);	/* never returns */
	}
	return err == 0 ? 0 : onfail(cfg.onfail);
}
