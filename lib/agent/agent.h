/* The agent's parts (lib/agent/): its hop.* keys and the onfail
 * decisions. */
#ifndef HOP_AGENT_H
#define HOP_AGENT_H

#include <stdio.h>

#include "hop.h"
#include "load.h"

/* ---- config.c: hop.* keys of the agent ---- */
enum onfail { ONFAIL_DEFAULT, ONFAIL_SHELL, ONFAIL_REBOOT, ONFAIL_POWEROFF,
	ONFAIL_HALT };
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
	const char *net;	/* hop.net (lib/net/net.h's forms), NULL: dhcp */
	/* hop.ca: what https servers are verified against (lib/net/tls.h);
	 * a security key, refused when given twice */
	const char *ca;
	/* hop.pubkey, hop.sig, hop.measure (lib/trust/trust.h): security
	 * keys, refused when given twice, checked by trust_setup */
	const char *pubkey, *sig, *measure;
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

#endif
