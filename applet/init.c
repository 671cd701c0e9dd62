/* hop init: the early-boot agent (spec/interface.md §3).
 *
 * As PID 1 it opens the console, mounts /dev, /proc and /sys, reads its
 * hop.* keys from /proc/cmdline, loads the next kernel and jumps. Whatever
 * fails, it logs one "hop: error:" line and takes the hop.onfail action:
 * PID 1 never exits, since an exiting PID 1 panics the kernel. Run as any
 * other process (tests, "hop init --cmdline STR") it never reboots the
 * host: it reports the onfail action and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "applet.h"
#include "hop.h"
#include "plan.h"
#include "modules.h"
#include "request.h"
#include "sha256.h"
#include "source.h"

const char init_usage[] =
	"usage: hop init [--cmdline STR]\n\n"
	"The early-boot agent: runs as /init (PID 1) of an initramfs, reads\n"
	"hop.* keys from /proc/cmdline (or STR), loads the next kernel and\n"
	"kexecs into it. Keys:\n"
	"  hop.kernel=SRC         the next kernel: /path, or DEV:/path with DEV\n"
	"                         /dev/NAME, LABEL=, UUID=, PARTUUID=, PARTLABEL=\n"
	"  hop.initrd=FILE[,...]  initrds, concatenated in order\n"
	"  hop.dtb=FILE           device tree for the next kernel (arm, arm64)\n"
	"  hop.cmdline=STR        the whole next command line\n"
	"  hop.append=STR         added to the next command line\n"
	"  hop.reuse=0|1          reuse this command line minus hop.* (1)\n"
	"  hop.syscall=auto|file|load   (auto)\n"
	"  hop.modules=a,b        kernel modules to load first (with deps)\n"
	"  hop.timeout=SECONDS    wait for devices (10)\n"
	"  hop.onfail=shell|reboot|poweroff|halt\n"
	"  hop.module=\"SRC ARGS\"  a multiboot module and its string (repeatable)\n"
	"  hop.kernel.sha256=HEX, hop.initrd.sha256=HEX[,HEX...], hop.dtb.sha256=HEX\n"
	"                         refuse files whose SHA-256 differs\n"
	"  hop.debug=1  hop.dryrun=1\n";

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

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0) {
	}
}

static void hang(void)
{
	hop_log("halted: nothing more to do");
	for (;;) {
		pause();
		reap();
	}
}

static void shell_forever(void)
{
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid == 0) {
			setsid();
			ioctl(0, TIOCSCTTY, 1);
			execl("/bin/sh", "-sh", (char *)NULL);
			_exit(127);
		}
		if (pid < 0) {
			hop_error("/bin/sh", "fork: %s", errname(errno));
			hang();
		}
		while (waitpid(-1, NULL, 0) != pid) {
		}
		hop_log("onfail: shell exited, starting another");
		sleep(1);
	}
}

/* PID 1: never returns. Otherwise: returns 1 for the caller to exit with. */
static int onfail(enum onfail action, int pid1)
{
	static const int how[] = {
		[ONFAIL_REBOOT] = RB_AUTOBOOT, [ONFAIL_POWEROFF] = RB_POWER_OFF,
		[ONFAIL_HALT] = RB_HALT_SYSTEM,
	};
	int err;

	if (action == ONFAIL_DEFAULT) {
		action = access("/bin/sh", X_OK) == 0 ? ONFAIL_SHELL :
			ONFAIL_REBOOT;
	}
	hop_log("onfail: %s", onfail_name(action));
	if (!pid1) {
		return 1;
	}
	if (action == ONFAIL_SHELL) {
		shell_forever();
	}
	sync();
	err = sys_reboot(how[action]);
	hop_error("reboot", "%s: %s", onfail_name(action), errname(err));
	hang();
	return 1;
}

/* what one boot attempt loads; the keys, or (later) a config entry */
struct target {
	const char *what;	/* "hop.kernel" or the entry's label */
	const char *kernel;
	const char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	const char *dtb;
	const char *cmdline;
	const char *const *module;	/* "SRC ARGS", multiboot */
	size_t nmodule;
};

static int check_config(const struct config *cfg)
{
	if (!cfg->kernel) {
		hop_error("hop.kernel", "not set, and reading boot "
			"configurations (hop.config) is not supported by this "
			"build");
		return -EINVAL;
	}
	if (cfg->dtb && !arch_uses_dtb) {
		hop_warn("hop.dtb", "this arch boots without a device tree, "
			"ignored");
	}
	return 0;
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
		hop_log("plan: module %s", t->module[i]);
	}
	hop_log("plan: cmdline \"%s\"", t->cmdline);
	hop_log("plan: syscall %s", syscall_name(cfg->syscall));
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
	if (f < 0) {
		hop_error(*path, "%s: %s (%s)", key, errname(f), strerror(-f));
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

/* hop.module="SRC ARGS": SRC (the first word) resolved into path[i];
 * the module's string stays as written */
static int resolve_modules(const struct config *cfg, const struct target *t,
	struct mounts *m, char **path, struct module_src *mods)
{
	char src[1024];
	size_t i, n;
	int err;

	for (i = 0; i < t->nmodule; i++) {
		n = strcspn(t->module[i], " \t");
		if (!n || n >= sizeof(src)) {
			hop_error("hop.module", "'%s': %s", t->module[i], n ?
				"file name too long" : "no file (hop.module=\"SRC "
				"ARGS\")");
			return -EINVAL;
		}
		memcpy(src, t->module[i], n);
		src[n] = '\0';
		err = source_resolve("hop.module", src, cfg->timeout, m,
			&path[i]);
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
	int fds[HOP_MAX_INITRD + 2], err;
	struct load_req req;
	char hex[80];
	size_t i;

	for (i = 0; i < HOP_MAX_INITRD + 2; i++) {
		fds[i] = -1;
	}
	if (cfg->dryrun || cfg->debug) {
		print_plan(cfg, t);
	}
	err = source_resolve("hop.kernel", t->kernel, cfg->timeout, m, &kernel);
	for (i = 0; !err && i < t->ninitrd; i++) {
		err = source_resolve("hop.initrd", t->initrd[i], cfg->timeout, m,
			&initrd[i]);
	}
	if (!err && t->dtb && arch_uses_dtb) {
		err = source_resolve("hop.dtb", t->dtb, cfg->timeout, m, &dtb);
	}
	if (!err) {
		err = resolve_modules(cfg, t, m, modpath, mods);
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
	}
	if (!err) {
		memset(&req, 0, sizeof(req));
		req.kernel = kernel;
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
	return err;
}

/* returns only on failure, having logged why */
static void boot(const struct config *cfg, const struct cmdline *cur)
{
	static char next[CMDLINE_MAX];
	struct mounts m = { .n = 0 };
	struct target t;
	int err;

	if (cfg->modules && modules_load(cfg->modules) < 0) {
		hop_log("some modules did not load; going on");
	}
	if (check_config(cfg) < 0) {
		return;
	}
	if (config_next_cmdline(cfg, cur, next, sizeof(next)) < 0) {
		hop_error("command line", "longer than %d bytes", CMDLINE_MAX);
		return;
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
	err = load_target(cfg, &t, &m);
	/* the kernel holds copies now: nothing stays mounted for the jump */
	source_unmount_all(&m);
	if (err < 0) {
		return;
	}
	if (cfg->dryrun) {
		hop_log("dryrun: nothing loaded");
		return;
	}
	sync();
	hop_log("exec");
	err = sys_reboot_kexec();
	hop_error("reboot(LINUX_REBOOT_CMD_KEXEC)", "%s (%s)", errname(err),
		strerror(-err));
}

int init_main(int argc, char **argv)
{
	struct cmdline cur;
	struct config cfg;
	const char *line = NULL;
	int pid1 = getpid() == 1;

	if (pid1) {
		setup_pid1();
	} else if (argc == 3 && !strcmp(argv[1], "--cmdline")) {
		line = argv[2];
	} else if (argc != 1) {
		fputs(init_usage, stderr);
		return 2;
	}
	hop_log("agent " HOP_VERSION);
	if (!line) {
		line = read_cmdline();
	}
	if (!line || cmdline_parse(line, &cur) < 0) {
		if (line) {
			hop_error("command line", "out of memory");
		}
		return onfail(ONFAIL_DEFAULT, pid1);
	}
	config_from_cmdline(&cur, &cfg);
	log_set_debug(cfg.debug);
	boot(&cfg, &cur);
	cmdline_free(&cur);
	config_free(&cfg);
	return onfail(cfg.onfail, pid1);
}
