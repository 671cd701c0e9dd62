/* The agent's hop.* keys (README.md, "The agent"). Every problem is logged
 * and counted; a key the contract does not know is reported, never
 * silently dropped. Most problems are warnings and the key is ignored, but
 * ignoring a security key fails open (a pin dropped boots an unverified
 * kernel, an initrd dropped boots without it): those are errors, counted
 * in cfg->refuse, and the agent boots nothing. */
#define _GNU_SOURCE	/* strcasestr */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "hop.h"
#include "load.h"

static const char *const onfail_names[] = {
	[ONFAIL_DEFAULT] = "default", [ONFAIL_SHELL] = "shell",
	[ONFAIL_REBOOT] = "reboot", [ONFAIL_POWEROFF] = "poweroff",
	[ONFAIL_HALT] = "halt",
};
static const char *const syscall_names[] = {
	[SYSCALL_AUTO] = "auto", [SYSCALL_FILE] = "file",
	[SYSCALL_LOAD] = "load",
};

const char *onfail_name(enum onfail o)
{
	return onfail_names[o];
}

const char *syscall_name(enum syscall_mode m)
{
	return syscall_names[m];
}

static int pick(const char *key, const char *val, const char *const *names,
	int n, int first)
{
	int i;

	for (i = first; val && i < n; i++) {
		if (!strcmp(val, names[i])) {
			return i;
		}
	}
	hop_warn(key, "'%s' is not a valid value, ignored", val ? val : "");
	return -1;
}

static int boolean(const char *key, const char *val, int *out)
{
	if (!val || !strcmp(val, "1") || !strcmp(val, "yes") ||
		!strcmp(val, "true")) {
		*out = 1;
	} else if (!strcmp(val, "0") || !strcmp(val, "no") ||
		!strcmp(val, "false")) {
		*out = 0;
	} else {
		hop_warn(key, "'%s' is not 0 or 1, ignored", val);
		return 1;
	}
	return 0;
}

static int split_initrds(struct config *cfg, const char *key,
	const char *val)
{
	char *s, *tok, *save = NULL;

	free(cfg->initrd_list);
	cfg->ninitrd = 0;
	cfg->initrd_list = strdup(val);
	if (!cfg->initrd_list) {
		return 1;
	}
	for (s = cfg->initrd_list; (tok = strtok_r(s, ",", &save)); s = NULL) {
		if (cfg->ninitrd == HOP_MAX_INITRD) {
			/* booting without the rest is booting something else */
			hop_error(key, "more than %d files: refusing to boot",
				HOP_MAX_INITRD);
			cfg->refuse++;
			return 1;
		}
		cfg->initrd[cfg->ninitrd++] = tok;
	}
	return 0;
}

static int is_digest(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && isxdigit((unsigned char)s[i]); i++) {
	}
	return n == 64 && i == n;
}

/* A pin: 64 hex digits, for hop.initrd.sha256 a comma-separated list of
 * them, none empty. Anything else refuses the boot. So does a pin given
 * twice: the kernel's rule for a repeated parameter is that the later
 * wins, and whoever can add words to the command line (a bootloader
 * prompt, an appended line) could put another digest after the owner's.
 * The field is set even when the pin is refused (to "" without a value;
 * the first value when repeated) so that a caller that missed
 * cfg->refuse still checks against something no file matches. */
static int take_pin(struct config *cfg, const char *key, const char **field,
	const char *val)
{
	int list = field == &cfg->initrd_sha;
	const char *p;
	size_t n, i;

	if (*field) {
		hop_error(key, "given twice: refusing to boot (the later "
			"would replace the first)");
		cfg->refuse++;
		return 1;
	}
	*field = val ? val : "";
	if (!val || !*val) {
		hop_error(key, "needs a value (%s=HEX): refusing to boot", key);
		cfg->refuse++;
		return 1;
	}
	for (p = val, i = 1;; p += n + 1, i++) {
		n = list ? strcspn(p, ",") : strlen(p);
		if (i > HOP_MAX_INITRD) {
			hop_error(key, "more than %d digests: refusing to boot",
				HOP_MAX_INITRD);
			cfg->refuse++;
			return 1;
		}
		if (!is_digest(p, n)) {
			if (list) {
				hop_error(key, "digest %zu '%.*s' is not 64 hex "
					"digits: refusing to boot", i, (int)n, p);
			} else {
				hop_error(key, "'%s' is not 64 hex digits: "
					"refusing to boot", val);
			}
			cfg->refuse++;
			return 1;
		}
		if (!p[n]) {
			return 0;
		}
	}
}

/* The keys, one line each: the table the parser reads, and the help
 * hop init --help prints (config_help); the README's keys table lists
 * the same names (a unit test holds it to this table). */
enum key_kind {
	KEY_TEXT,	/* a string, as written */
	KEY_BOOL,	/* 0/1, no/yes, false/true; bare means 1 */
	KEY_CHOICE,	/* one of names[first..n) */
	KEY_SECONDS,	/* 0..3600 */
	KEY_INITRDS,	/* a comma-separated list, at most HOP_MAX_INITRD */
	KEY_MODULE,	/* repeatable, at most HOP_MAX_MODULES */
	KEY_PIN,	/* a security key: fails closed (take_pin) */
	KEY_TRUST,	/* a security key naming what to trust: given once */
};

struct key {
	const char *name;	/* after "hop." */
	enum key_kind kind;
	size_t field;		/* offsetof(struct config, ...) */
	const char *arg;	/* the value's form, for the help */
	const char *help;
	const char *const *names;	/* KEY_CHOICE */
	int n, first;
	int off;		/* its feature is not built in (CONFIG=) */
};

#define F(x) offsetof(struct config, x)
static const struct key keys[] = {
	{ "kernel", KEY_TEXT, F(kernel), "SRC", "the next kernel: /path, "
		"DEV:/path with DEV /dev/NAME, LABEL=, UUID=, PARTUUID=, "
		"PARTLABEL=, or an http://, tftp:// URL", NULL, 0, 0, 0 },
	{ "config", KEY_TEXT, F(conf), "auto|pxe|SRC", "without hop.kernel: a "
		"boot configuration (extlinux.conf, BLS entries, grub.cfg, "
		"boot.cfg); auto (the default) scans the block devices, pxe "
		"asks DHCP and pxelinux.cfg/", NULL, 0, 0, !HOP_FEAT_BOOTCFG },
	{ "entry", KEY_TEXT, F(entry), "LABEL|N", "its entry (default: the "
		"configuration's); with hop.kernel, a Unified Kernel Image's "
		"profile (N or its ID) or a FIT image's configuration",
		NULL, 0, 0, !HOP_FEAT_BOOTCFG && !HOP_FEAT_UKI &&
		!HOP_FEAT_FIT },
	{ "menu", KEY_BOOL, F(menu), "1", "list the entries on the console, "
		"count down", NULL, 0, 0, !HOP_FEAT_MENU },
	{ "initrd", KEY_INITRDS, 0, "FILE[,...]", "initrds, concatenated in "
		"order", NULL, 0, 0, 0 },
	{ "dtb", KEY_TEXT, F(dtb), "FILE", "device tree for the next kernel "
		"(arm, arm64)", NULL, 0, 0, 0 },
	{ "cmdline", KEY_TEXT, F(cmdline), "STR", "the whole next command "
		"line", NULL, 0, 0, 0 },
	{ "append", KEY_TEXT, F(append), "STR", "added to the next command "
		"line (before a --, outside an open quote)", NULL, 0, 0, 0 },
	{ "reuse", KEY_BOOL, F(reuse), "0|1", "reuse this command line minus "
		"hop.* (1)", NULL, 0, 0, 0 },
	{ "syscall", KEY_CHOICE, F(syscall), "auto|file|load", "kexec_file_load "
		"first, or only one (auto)", syscall_names, 3, 0, 0 },
	{ "modules", KEY_TEXT, F(modules), "a,b", "kernel modules to load "
		"first (with deps)", NULL, 0, 0, 0 },
	{ "net", KEY_TEXT, F(net), "dhcp[:IF]|IF:IP/N[:GW[:DNS]]|off",
		"the network for URL sources (dhcp: the first interface "
		"with carrier)", NULL, 0, 0, !HOP_FEAT_NET },
	{ "ca", KEY_TRUST, F(ca), "/FILE|key:/FILE", "https: verify "
		"servers against these CA certificates (PEM), or require the "
		"public key of this certificate", NULL, 0, 0, !HOP_FEAT_TLS },
	{ "pubkey", KEY_TRUST, F(pubkey), "/FILE[,/FILE...]", "check each "
		"file's minisign or signify signature (FILE.minisig, FILE.sig) "
		"against these public keys of the initramfs", NULL, 0, 0,
		!HOP_FEAT_SIG },
	{ "sig", KEY_TRUST, F(sig), "required|optional", "a file without "
		"a signature is refused (required, with hop.pubkey the "
		"default) or booted (optional)", NULL, 0, 0, !HOP_FEAT_SIG },
	{ "measure", KEY_TRUST, F(measure), "PCR", "extend this TPM PCR "
		"with each file and the command line before the jump (the "
		"event log: /run/hop/measurements)", NULL, 0, 0, !HOP_FEAT_MEASURE },
	{ "timeout", KEY_SECONDS, F(timeout), "SECONDS", "wait for devices, "
		"all of one boot (10)", NULL, 0, 0, 0 },
	{ "onfail", KEY_CHOICE, F(onfail), "shell|reboot|poweroff|halt", "when "
		"nothing boots", onfail_names, 5, 1, 0 },
	{ "module", KEY_MODULE, 0, "\"SRC ARGS\"", "a multiboot module and its "
		"string (repeatable)", NULL, 0, 0, !HOP_FEAT_MULTIBOOT },
	{ "kernel.sha256", KEY_PIN, F(kernel_sha), "HEX", "refuse a kernel "
		"whose SHA-256 differs", NULL, 0, 0, 0 },
	{ "initrd.sha256", KEY_PIN, F(initrd_sha), "HEX[,HEX...]", "the same, "
		"one per initrd", NULL, 0, 0, 0 },
	{ "dtb.sha256", KEY_PIN, F(dtb_sha), "HEX", "the same for the device "
		"tree file", NULL, 0, 0, 0 },
	{ "cmdline.sha256", KEY_PIN, F(cmdline_sha), "HEX", "refuse a next "
		"command line whose SHA-256 differs", NULL, 0, 0, 0 },
	{ "debug", KEY_BOOL, F(debug), "1", "print the plan and the syscalls",
		NULL, 0, 0, 0 },
	{ "dryrun", KEY_BOOL, F(dryrun), "1", "print the kexec_load plan, load "
		"nothing", NULL, 0, 0, 0 },
};
#undef F
_Static_assert(sizeof(enum syscall_mode) == sizeof(int) &&
	sizeof(enum onfail) == sizeof(int), "KEY_CHOICE stores an int");

const char *config_key_name(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? keys[i].name : NULL;
}

/* "  hop.NAME=ARG" in 25 columns, the help wrapped at 78 beside it (on
 * the next line when the key is wider) */
void config_help(FILE *f)
{
	enum { INDENT = 27, WIDTH = 78 };
	char left[64];
	const char *h, *sp;
	size_t i, col, n;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(left, sizeof(left), "  hop.%s=%s", keys[i].name,
			keys[i].arg);
		col = (size_t)fprintf(f, "%s", left);
		for (h = keys[i].help; *h; h += n + (h[n] == ' ')) {
			sp = strchr(h, ' ');
			n = sp ? (size_t)(sp - h) : strlen(h);
			if (col >= INDENT && col + 1 + n > WIDTH) {
				fputc('\n', f);
				col = 0;
			}
			col += (size_t)fprintf(f, "%*s%.*s", col < INDENT ?
				(int)(INDENT - col) : 1, "", (int)n, h);
		}
		fputc('\n', f);
	}
}

/* one key; returns the number of problems (0 or 1) */
static int take(struct config *cfg, const char *key, const char *val)
{
	const struct key *k = NULL;
	char *at;
	size_t i;
	int v;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!strcmp(key + 4, keys[i].name)) {
			k = &keys[i];
			break;
		}
	}
	if (!k) {
		if (strcasestr(key + 4, "sha")) {
			/* hop.kernel.sha265, hop.kernal.sha256: a misspelt
			 * pin ignored would boot what it was meant to
			 * refuse */
			hop_error(key, "unknown key, not a pin (hop.kernel."
				"sha256, hop.initrd.sha256, hop.dtb.sha256, "
				"hop.cmdline.sha256): refusing to boot");
			cfg->refuse++;
			return 1;
		}
		if (strcasestr(key + 4, "sig") || strcasestr(key + 4, "key") ||
			strcasestr(key + 4, "meas")) {
			/* hop.pubkeys, hop.signature, hop.measured: as a
			 * misspelt pin, a check meant and not made */
			hop_error(key, "unknown key, not hop.pubkey, hop.sig or "
				"hop.measure: refusing to boot");
			cfg->refuse++;
			return 1;
		}
		hop_warn(key, "unknown key, ignored");
		return 1;
	}
	if (k->off) {
		/* the owner asked for what this hop cannot do */
		hop_error(key, "not built into this hop (make CONFIG=full "
			"builds it)");
		cfg->refuse++;
		return 1;
	}
	at = (char *)cfg + k->field;
	if (k->kind == KEY_PIN) {
		return take_pin(cfg, key, (const char **)(void *)at, val);
	}
	if (k->kind == KEY_TRUST) {
		/* as a pin: a later value would replace the owner's trust */
		if (*(const char **)(void *)at || !val || !*val) {
			hop_error(key, "%s: refusing to boot", !val || !*val ?
				"needs a value" : "given twice (the later would "
				"replace the first)");
			*(const char **)(void *)at = "";
			cfg->refuse++;
			return 1;
		}
		*(const char **)(void *)at = val;
		return 0;
	}
	if (!val && k->kind != KEY_BOOL) {
		hop_warn(key, "needs a value (%s=...), ignored", key);
		return 1;
	}
	switch (k->kind) {
	case KEY_TEXT:
		*(const char **)(void *)at = val;
		return 0;
	case KEY_BOOL:
		return boolean(key, val, (int *)(void *)at);
	case KEY_CHOICE:
		v = pick(key, val, k->names, k->n, k->first);
		if (v < 0) {
			return 1;
		}
		memcpy(at, &v, sizeof(v));
		return 0;
	case KEY_SECONDS: {
		char *end;
		long t = strtol(val, &end, 10);

		if (*end || end == val || t < 0 || t > 3600) {
			hop_warn(key, "'%s' is not a number of seconds, ignored",
				val);
			return 1;
		}
		*(int *)(void *)at = (int)t;
		return 0;
	}
	case KEY_INITRDS:
		return split_initrds(cfg, key, val);
	case KEY_MODULE:
		/* a multiboot module: SRC, then its arguments */
		if (cfg->nmbmodule == sizeof(cfg->mbmodule) /
			sizeof(cfg->mbmodule[0])) {
			/* a hypervisor without its dom0 kernel or initrd is
			 * not what the owner asked for */
			hop_error(key, "more than %zu modules ('%s'): refusing "
				"to boot", cfg->nmbmodule, val);
			cfg->refuse++;
			return 1;
		}
		cfg->mbmodule[cfg->nmbmodule++] = val;
		return 0;
	default:
		return 1;
	}
}

int config_from_cmdline(const struct cmdline *c, struct config *cfg)
{
	size_t i;
	int bad = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->reuse = 1;
	cfg->timeout = 10;
	/* words after "--" are init's arguments, not ours */
	for (i = 0; i < c->after_dashdash && i < c->n; i++) {
		if (!strncmp(c->p[i].key, "hop.", 4)) {
			bad += take(cfg, c->p[i].key, c->p[i].val);
		}
	}
	return bad;
}

void config_free(struct config *cfg)
{
	free(cfg->initrd_list);
	cfg->initrd_list = NULL;
}

/* The next command line: hop.cmdline if given (or, from lib/agent/boot.c,
 * an entry's command line, which a disk wrote), else (hop.reuse=1) the
 * current one minus what belongs to this boot only; then hop.append where
 * the kernel takes it as parameters, after the others so that the owner's
 * words win: before a "--" (init's words follow it), after closing a quote
 * the line leaves open (cmdline_insert). */
int config_next_cmdline(const struct config *cfg, const struct cmdline *cur,
	char *out, size_t outsz)
{
	size_t i;
	int err;

	if (!outsz) {
		return -E2BIG;
	}
	out[0] = '\0';
	if (cfg->cmdline) {
		return cmdline_insert(out, outsz, cfg->cmdline,
			cfg->append ? cfg->append : "");
	}
	if (cfg->reuse && cur) {
		err = cmdline_strip(cur, out, outsz);
		if (err < 0) {
			return err;
		}
	}
	/* the words kept hold no "--": init's words are added after */
	if (cfg->append) {
		err = cmdline_insert(out, outsz, out, cfg->append);
		if (err < 0) {
			return err;
		}
	}
	if (cfg->reuse && cur && cur->after_dashdash > 0 &&
		!cur->p[cur->after_dashdash - 1].val &&
		!strcmp(cur->p[cur->after_dashdash - 1].key, "--")) {
		if (cmdline_join(out, outsz, out, "--") < 0) {
			return -E2BIG;
		}
		for (i = cur->after_dashdash; i < cur->n; i++) {
			if (cmdline_join(out, outsz, out, cur->p[i].raw) < 0) {
				return -E2BIG;
			}
		}
	}
	return 0;
}
