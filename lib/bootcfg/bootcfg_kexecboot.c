/* kexecboot's boot.cfg (kexecboot src/cfgparser.c): KEY=VALUE lines, keys
 * case insensitive, blanks around both trimmed, '#' comments.
 *
 *   LABEL=  starts a section (hop.entry=LABEL)
 *   KERNEL= INITRD= DTB= APPEND= CMDLINE= PRIORITY= ICON=
 *   TIMEOUT= seconds; DEFAULT, UI=, DEBUG=: nothing for hop
 *
 * kexecboot's menu lists the sections by decreasing PRIORITY (equal ones in
 * file order) and boots the first on timeout; hop keeps the file order and
 * makes that section the default. DEFAULT is parsed by kexecboot but never
 * used, so hop ignores it too. Keys before any LABEL= open a section of
 * their own, and a LABEL= names the current section while it has no name:
 * that reads kexecboot 0.5's one-section files (LABEL anywhere) as well.
 * CMDLINE= is the whole command line; APPEND= is what kexecboot adds after
 * the "root=DEV rootfstype=FS rootwait" it makes for the device the file is
 * on: the entry's cmdline is CMDLINE when given, else APPEND, and adding
 * root= for the device is the caller's business. INITRD= is one path.
 * The boot's budget (bootcfg.h) pays for the text and each section. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"

struct kb {
	struct boot_config *c;
	const char *name;
	unsigned line;
	long *prio;		/* per entry */
	int has_cmdline;	/* the current section has CMDLINE= */
};

static int oom(struct kb *k)
{
	return bootcfg_refuse(k->c, -ENOMEM, "%s:%u: out of memory", k->name,
		k->line);
}

/* the current section in *e, a new one when fresh (or none yet); 0 or a
 * refusal */
static int section(struct kb *k, int fresh, struct boot_entry **e)
{
	long *p;
	int r;

	if (!fresh && k->c->n) {
		*e = &k->c->e[k->c->n - 1];
		return 0;
	}
	r = bootcfg_new_entry(k->c, k->name, k->line, e);
	if (r < 0) {
		return r;
	}
	p = realloc(k->prio, k->c->n * sizeof(*p));
	if (!p) {
		return oom(k);
	}
	k->prio = p;
	k->prio[k->c->n - 1] = 0;
	k->has_cmdline = 0;
	return 0;
}

static int priority(struct kb *k, const char *v)
{
	long p = bootcfg_number(v);

	if (p < 0) {
		bootcfg_note(k->c, "%s:%u: PRIORITY '%s' is not a number, "
			"ignored", k->name, k->line, v);
		return 0;
	}
	k->prio[k->c->n - 1] = p;
	return 0;
}

static int section_key(struct kb *k, const char *key, const char *v)
{
	struct boot_entry *e;
	int fresh = !strcasecmp(key, "LABEL") &&
		(!k->c->n || k->c->e[k->c->n - 1].label);
	int r = section(k, fresh, &e);

	if (r < 0) {
		return r;
	}
	if (!strcasecmp(key, "LABEL")) {
		return bootcfg_set(&e->label, v);
	} else if (!strcasecmp(key, "KERNEL")) {
		return bootcfg_set(&e->kernel, v);
	} else if (!strcasecmp(key, "INITRD")) {
		for (; e->ninitrd; e->ninitrd--) {
			free(e->initrd[e->ninitrd - 1]);
		}
		return bootcfg_add_initrd(e, v, strlen(v));
	} else if (!strcasecmp(key, "DTB")) {
		return bootcfg_set(&e->dtb, v);
	} else if (!strcasecmp(key, "CMDLINE")) {
		k->has_cmdline = 1;
		return bootcfg_set(&e->cmdline, v);
	} else if (!strcasecmp(key, "APPEND")) {
		return k->has_cmdline ? 0 : bootcfg_set(&e->cmdline, v);
	}
	return priority(k, v);
}

static int keyword(struct kb *k, const char *key, const char *v)
{
	static const char *const section_keys[] = {
		"LABEL", "KERNEL", "INITRD", "DTB", "APPEND", "CMDLINE",
		"PRIORITY",
	};
	static const char *const skip[] = {
		"DEFAULT", "UI", "DEBUG", "GUI", "NOGUI", "ICON", "LOGO",
		"ORDER",
	};
	size_t i;
	long t;
	int r;

	for (i = 0; i < sizeof(section_keys) / sizeof(section_keys[0]); i++) {
		if (!strcasecmp(key, section_keys[i])) {
			if (!v || !*v) {
				bootcfg_note(k->c, "%s:%u: %s without a value, "
					"ignored", k->name, k->line, key);
				return 0;
			}
			/* a refusal of section's is written already */
			r = section_key(k, key, v);
			return r < 0 && !k->c->why[0] ? oom(k) : r;
		}
	}
	if (!strcasecmp(key, "TIMEOUT")) {
		t = v ? bootcfg_number(v) : -1;
		if (t < 0 || t > 100000) {
			bootcfg_note(k->c, "%s:%u: TIMEOUT '%s' is not a number "
				"of seconds, ignored", k->name, k->line,
				v ? v : "");
		} else {
			k->c->timeout_ds = (int)t * 10;
		}
		return 0;
	}
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (!strcasecmp(key, skip[i])) {
			return 0;
		}
	}
	bootcfg_note(k->c, "%s:%u: unknown keyword '%s', ignored", k->name,
		k->line, key);
	return 0;
}

static int parse(struct kb *k, char *p)
{
	char *line, *eq, *v, *end;
	int r;

	while ((line = bootcfg_line(&p, &k->line))) {
		if (!*line || *line == '#') {
			continue;
		}
		v = NULL;
		eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			v = eq + 1 + strspn(eq + 1, " \t");
			end = eq;
			while (end > line && (end[-1] == ' ' ||
				end[-1] == '\t')) {
				*--end = '\0';
			}
		}
		r = keyword(k, line, v);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

int bootcfg_kexecboot(const char *text, const char *name,
	struct boot_config *out)
{
	struct kb k;
	struct bootcfg_budget own;
	char *copy = NULL;
	size_t i;
	int r, best = -1;

	bootcfg_begin(out, &own);
	memset(&k, 0, sizeof(k));
	k.c = out;
	k.name = name ? name : "boot.cfg";
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, k.name, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), k.name, 0,
		NULL);
	if (r == 0) {
		copy = strdup(text);
		r = copy ? parse(&k, copy) : oom(&k);
	}
	/* kexecboot's fill_menu: the highest priority, the first of equals */
	for (i = 0; r == 0 && i < out->n; i++) {
		if (out->e[i].kernel && (best < 0 || k.prio[i] > k.prio[best])) {
			best = (int)i;
		}
	}
	if (r == 0) {
		out->def = best;
		r = bootcfg_finish(out, k.name);
	}
	free(copy);
	free(k.prio);
	bootcfg_end(out, &own);
	return r;
}
