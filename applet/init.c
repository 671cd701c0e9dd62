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
#include "boot.h"
#include "hop.h"
#include "request.h"

const char init_usage[] =
	"usage: hop init [--cmdline STR] [--exec | --list [--json]]\n\n"
	"The early-boot agent: runs as /init (PID 1) of an initramfs, reads\n"
	"hop.* keys from /proc/cmdline (or STR), loads the next kernel and\n"
	"kexecs into it. Not PID 1, it stops once loaded unless --exec.\n"
	"--list prints what it would boot instead (as hop bootcfg does for\n"
	"the keys' hop.config, hop.entry and hop.timeout): nothing loaded.\n"
	"Keys:\n";

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

/* returns only on failure, having logged why, or (jump 0) once the
 * next kernel is loaded: 0 then */
static int boot(const struct config *cfg, const struct cmdline *cur, int jump)
{
	int err = boot_load(cfg, cur);

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

/* --list: what the agent would boot for these keys (applet/bootcfg.c),
 * nothing loaded; 0 when it found a configuration with an entry */
static int list_configs(const struct config *cfg, int json)
{
#if HOP_FEAT_BOOTCFG
	return bootcfg_show(cfg, NULL, json);
#else
	(void)json;
	if (cfg->kernel) {
		hop_log("hop.kernel is set (%s): the agent boots it", cfg->kernel);
		return 0;
	}
	hop_error("--list", "boot configurations are not built into this hop "
		"(make CONFIG=default builds them)");
	return 1;
#endif
}

int init_main(int argc, char **argv)
{
	struct cmdline cur;
	struct config cfg;
	const char *line = NULL;
	int pid1 = getpid() == 1, jump = pid1, list = 0, json = 0, i, err;

	if (pid1) {
		setup_pid1();
	}
	for (i = 1; !pid1 && i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc) {
			line = argv[++i];
		} else if (!strcmp(argv[i], "--exec")) {
			jump = 1;
		} else if (!strcmp(argv[i], "--list")) {
			list = 1;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else {
			fputs(init_usage, stderr);
			config_help(stderr);
			return 2;
		}
	}
	if ((json && !list) || (list && jump)) {
		fputs(init_usage, stderr);
		return 2;
	}
	if (!list) {
		hop_log("agent " HOP_VERSION);
	}
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
		/* a security key, or a feature not built in, that the agent
		 * cannot honour: nothing is read, mounted or loaded (fail
		 * closed) */
		hop_error("hop.*", "%d key(s) this hop cannot honour (each said "
			"above): nothing is booted", cfg.refuse);
		err = -EINVAL;
		if (list) {
			cmdline_free(&cur);
			config_free(&cfg);
			return 1;
		}
	} else if (list) {
		/* cfg's strings are cur's */
		err = list_configs(&cfg, json);
		cmdline_free(&cur);
		config_free(&cfg);
		return err;
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
