/* The agent's hop.* keys (README.md, "The agent"). Every problem is logged
 * and counted; a key the contract does not know is reported, never
 * silently dropped. Most problems are warnings and the key is ignored, but
 * ignoring a security key fails open (a pin dropped boots an unverified
 * kernel, an initrd dropped boots without it): those are errors, counted
 * in cfg->refuse, and the agent boots nothing. */
#define _GNU_SOURCE	/* strcasestr */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"

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

/* the field of a pin key (k without "hop."), NULL for any other key */
static const char **pin_field(struct config *cfg, const char *k)
{
	if (!strcmp(k, "kernel.sha256")) {
		return &cfg->kernel_sha;
	}
	if (!strcmp(k, "initrd.sha256")) {
		return &cfg->initrd_sha;
	}
	if (!strcmp(k, "dtb.sha256")) {
		return &cfg->dtb_sha;
	}
	if (!strcmp(k, "cmdline.sha256")) {
		return &cfg->cmdline_sha;
	}
	return NULL;
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

/* one key; returns the number of problems (0 or 1) */
static int take(struct config *cfg, const char *key, const char *val)
{
	const char *k = key + 4, **pin = pin_field(cfg, k);
	int v;

	if (pin) {
		return take_pin(cfg, key, pin, val);
	}
	if (!val && strcmp(k, "debug") && strcmp(k, "dryrun") &&
		strcmp(k, "reuse") && strcmp(k, "menu")) {
		hop_warn(key, "needs a value (%s=...), ignored", key);
		return 1;
	}
	if (!strcmp(k, "kernel")) {
		cfg->kernel = val;
	} else if (!strcmp(k, "initrd")) {
		return split_initrds(cfg, key, val);
	} else if (!strcmp(k, "dtb")) {
		cfg->dtb = val;
	} else if (!strcmp(k, "cmdline")) {
		cfg->cmdline = val;
	} else if (!strcmp(k, "append")) {
		cfg->append = val;
	} else if (!strcmp(k, "reuse")) {
		return boolean(key, val, &cfg->reuse);
	} else if (!strcmp(k, "debug")) {
		return boolean(key, val, &cfg->debug);
	} else if (!strcmp(k, "dryrun")) {
		return boolean(key, val, &cfg->dryrun);
	} else if (!strcmp(k, "menu")) {
		return boolean(key, val, &cfg->menu);
	} else if (!strcmp(k, "syscall")) {
		v = pick(key, val, syscall_names, 3, 0);
		if (v < 0) {
			return 1;
		}
		cfg->syscall = (enum syscall_mode)v;
	} else if (!strcmp(k, "onfail")) {
		v = pick(key, val, onfail_names, 5, 1);
		if (v < 0) {
			return 1;
		}
		cfg->onfail = (enum onfail)v;
	} else if (!strcmp(k, "timeout")) {
		char *end;
		long t = strtol(val, &end, 10);

		if (*end || end == val || t < 0 || t > 3600) {
			hop_warn(key, "'%s' is not a number of seconds, ignored",
				val);
			return 1;
		}
		cfg->timeout = (int)t;
	} else if (!strcmp(k, "modules")) {
		cfg->modules = val;
	} else if (!strcmp(k, "module")) {
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
	} else if (!strcmp(k, "config")) {
		cfg->conf = val;
	} else if (!strcmp(k, "entry")) {
		cfg->entry = val;
	} else if (strcasestr(k, "sha")) {
		/* hop.kernel.sha265, hop.kernal.sha256: a misspelt pin
		 * ignored would boot what it was meant to refuse */
		hop_error(key, "unknown key, not a pin (hop.kernel.sha256, "
			"hop.initrd.sha256, hop.dtb.sha256, hop.cmdline.sha256): "
			"refusing to boot");
		cfg->refuse++;
		return 1;
	} else {
		hop_warn(key, "unknown key, ignored");
		return 1;
	}
	return 0;
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

/* The next command line: hop.cmdline if given (or, from applet/init.c,
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
