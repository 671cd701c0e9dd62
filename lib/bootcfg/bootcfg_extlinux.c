/* extlinux.conf / syslinux.cfg, as u-boot's distro boot reads it
 * (boot/pxe_utils.c, which follows pxelinux): one keyword per line, case
 * insensitive, its value the rest of the line.
 *
 *   label NAME        starts an entry (hop.entry=NAME)
 *   menu label TEXT   its title
 *   kernel|linux P    initrd P[,P...]   append ARGS ("-": none)
 *   fdt|devicetree P  fdtdir|devicetreedir DIR
 *   default NAME, ontimeout NAME; menu default (in a label)
 *   timeout N         deciseconds
 *   include P, menu include P
 *
 * Like u-boot: the first initrd, fdt and fdtdir of a label win, the last
 * kernel and append; "default" replaces the default, "menu default" sets it
 * only when none is set yet; an entry without an initrd keyword takes the
 * first initrd= of its append (which keeps it, as u-boot's bootargs do).
 * Like syslinux: an append before the first label serves every label
 * without one (u-boot ignores it); keywords hop has no use for (prompt,
 * ui, menu title, text...endtext, fdtoverlays, ...) are skipped silently,
 * unknown ones with a note; a label's lines after an unknown keyword stay
 * in the label (u-boot would end the label there).
 *
 * Paths: u-boot's get_relfile() uses an absolute path as it is and puts
 * the directory of the configuration file (pxe_setup_ctx's bootdir) in
 * front of a relative one, by plain concatenation. hop does the same, for
 * includes too, always against the top file's directory:
 * "Image" in /boot/extlinux/extlinux.conf is /boot/extlinux/Image. An
 * include closes the current label; includes nest at most 16 deep
 * (pxelinux's and u-boot's MAX_NEST_LEVEL) and a file including itself,
 * directly or not, is refused.
 *
 * The boot's budget (bootcfg.h) pays for the text given and each include
 * read (files and bytes: a file including one big file hundreds of times,
 * or a tree of includes each including many, stops there), each label,
 * and each copy of the append before the first label made for a label
 * without one (a 1 MiB append and a thousand labels would be 1 GB). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"

#define MAX_NEST 16

enum kw {
	K_LABEL, K_KERNEL, K_INITRD, K_APPEND, K_FDT, K_FDTDIR, K_DEFAULT,
	K_TIMEOUT, K_INCLUDE, K_MENU, K_TEXT, K_SKIP
};

static const struct {
	const char *name;
	enum kw kw;
} keywords[] = {
	{ "label", K_LABEL }, { "kernel", K_KERNEL }, { "linux", K_KERNEL },
	{ "initrd", K_INITRD }, { "append", K_APPEND }, { "fdt", K_FDT },
	{ "devicetree", K_FDT }, { "fdtdir", K_FDTDIR },
	{ "devicetreedir", K_FDTDIR }, { "default", K_DEFAULT },
	{ "ontimeout", K_DEFAULT }, { "timeout", K_TIMEOUT },
	{ "include", K_INCLUDE }, { "menu", K_MENU }, { "text", K_TEXT },
	/* syslinux and u-boot keywords that change nothing hop does */
	{ "prompt", K_SKIP }, { "ui", K_SKIP }, { "say", K_SKIP },
	{ "serial", K_SKIP }, { "console", K_SKIP }, { "font", K_SKIP },
	{ "kbdmap", K_SKIP }, { "display", K_SKIP }, { "implicit", K_SKIP },
	{ "allowoptions", K_SKIP }, { "noescape", K_SKIP },
	{ "nocomplete", K_SKIP }, { "nohalt", K_SKIP },
	{ "totaltimeout", K_SKIP }, { "ipappend", K_SKIP },
	{ "sysappend", K_SKIP }, { "localboot", K_SKIP },
	{ "fdtoverlays", K_SKIP }, { "kaslrseed", K_SKIP },
	{ "onerror", K_SKIP }, { "background", K_SKIP },
};

struct xl {
	struct boot_config *c;
	const struct bootcfg_io *io;
	const char *dir;	/* the top file's directory, ends with '/' */
	char *deflabel;
	char *gappend;		/* append before the first label */
	int cur;		/* the current label's entry, -1: none */
	int depth;
	char *stack[MAX_NEST + 1];	/* resolved paths, for loops */
	const char *names[MAX_NEST + 1];	/* as written, for messages */
	/* where the line being read is */
	const char *file;
	unsigned line;
	int in_text;
};

static int parse_text(struct xl *x, char *text);

static int oom(struct xl *x)
{
	return bootcfg_refuse(x->c, -ENOMEM, "%s:%u: out of memory", x->file,
		x->line);
}

static int resolve(struct xl *x, const char *s, size_t n, char **out)
{
	size_t dl = strlen(x->dir);
	char *p;

	if (n && s[0] == '/') {
		return bootcfg_setn(out, s, n) < 0 ? oom(x) : 0;
	}
	p = malloc(dl + n + 1);
	if (!p) {
		return oom(x);
	}
	memcpy(p, x->dir, dl);
	memcpy(p + dl, s, n);
	p[dl + n] = '\0';
	free(*out);
	*out = p;
	return 0;
}

static struct boot_entry *cur(struct xl *x, const char *kw)
{
	if (x->cur < 0) {
		bootcfg_note(x->c, "%s:%u: %s outside a label, ignored",
			x->file, x->line, kw);
		return NULL;
	}
	return &x->c->e[x->cur];
}

static int add_initrds(struct xl *x, struct boot_entry *e, const char *v)
{
	while (*v) {
		size_t n = strcspn(v, ",");
		size_t a = 0, b = n;
		char *p = NULL;

		/* "a, b" as well as "a,b" */
		while (a < b && (v[a] == ' ' || v[a] == '\t')) {
			a++;
		}
		while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) {
			b--;
		}
		if (b > a) {
			if (e->ninitrd >= HOP_MAX_INITRD) {
				return bootcfg_refuse(x->c, -E2BIG,
					"%s:%u: more than %d initrds", x->file,
					x->line, HOP_MAX_INITRD);
			}
			if (resolve(x, v + a, b - a, &p) < 0) {
				return -ENOMEM;
			}
			e->initrd[e->ninitrd++] = p;
		}
		v += n + (v[n] == ',');
	}
	return 0;
}

static int include(struct xl *x, const char *v)
{
	char *path = NULL, *text = NULL;
	const char *file = x->file;
	unsigned line = x->line;
	int i, r;

	x->cur = -1;
	if (resolve(x, v, strlen(v), &path) < 0) {
		return -ENOMEM;
	}
	for (i = 0; i <= x->depth; i++) {
		if (!strcmp(x->stack[i], path)) {
			char chain[160] = "";
			int j;

			for (j = i; j <= x->depth; j++) {
				strncat(chain, x->names[j],
					sizeof(chain) - strlen(chain) - 1);
				strncat(chain, " -> ",
					sizeof(chain) - strlen(chain) - 1);
			}
			free(path);
			return bootcfg_refuse(x->c, -ELOOP,
				"%s:%u: include loop: %s%s", file, line, chain,
				v);
		}
	}
	if (x->depth >= MAX_NEST) {
		free(path);
		return bootcfg_refuse(x->c, -ELOOP, "%s:%u: include %s: more "
			"than %d nested includes", file, line, v, MAX_NEST);
	}
	if (!x->io || !x->io->read) {
		free(path);
		return bootcfg_refuse(x->c, -ENOSYS, "%s:%u: include %s: no "
			"file access", file, line, v);
	}
	r = bootcfg_spend(x->c, BOOTCFG_FILES, 1, file, line, NULL);
	if (r < 0) {
		free(path);
		return r;
	}
	r = x->io->read(x->io->ctx, path, &text);
	if ((r == 0 && text) || r == -E2BIG) {
		/* -E2BIG: the callback stopped at what the budget has left */
		r = bootcfg_spend(x->c, BOOTCFG_READ, r ? x->c->budget->read +
			1 : strlen(text), file, line, NULL);
		if (r < 0) {
			free(text);
			free(path);
			return r;
		}
	}
	if (r < 0 || !text) {
		free(text);
		free(path);
		r = r < 0 ? r : -EIO;
		return bootcfg_refuse(x->c, r, "%s:%u: include %s: %s", file,
			line, v, errname(-r));
	}
	x->depth++;
	x->stack[x->depth] = path;
	x->names[x->depth] = v;
	x->file = v;
	x->in_text = 0;
	r = parse_text(x, text);
	free(text);
	free(path);
	x->depth--;
	x->file = file;
	x->line = line;
	x->cur = -1;
	return r;
}

static int menu(struct xl *x, char *v)
{
	char *sub = v, *arg;
	struct boot_entry *e;

	arg = v + strcspn(v, " \t");
	if (*arg) {
		*arg++ = '\0';
		arg += strspn(arg, " \t");
	}
	if (!strcasecmp(sub, "label")) {
		e = cur(x, "menu label");
		if (e && bootcfg_set(&e->title, arg) < 0) {
			return oom(x);
		}
	} else if (!strcasecmp(sub, "default")) {
		e = cur(x, "menu default");
		if (e && !x->deflabel && bootcfg_set(&x->deflabel,
			e->label) < 0) {
			return oom(x);
		}
	} else if (!strcasecmp(sub, "include")) {
		if (*arg) {
			return include(x, arg);
		}
		bootcfg_note(x->c, "%s:%u: menu include without a value, "
			"ignored", x->file, x->line);
	}
	/* menu title, hide, separator, color, ...: display only */
	return 0;
}

static int label(struct xl *x, const char *v)
{
	struct boot_entry *e;
	int r = bootcfg_new_entry(x->c, x->file, x->line, &e);

	if (r < 0) {
		return r;
	}
	if (bootcfg_set(&e->label, v) < 0) {
		return oom(x);
	}
	x->cur = (int)(e - x->c->e);
	return 0;
}

static int timeout(struct xl *x, const char *v)
{
	long t = bootcfg_number(v);

	if (t < 0 || t > 1000000) {
		bootcfg_note(x->c, "%s:%u: timeout '%s' is not a number of "
			"deciseconds, ignored", x->file, x->line, v);
		return 0;
	}
	/* syslinux reads 0 as "no timeout", u-boot as "at once": kept */
	x->c->timeout_ds = (int)t;
	return 0;
}

static int set_first(struct xl *x, char **dst, const char *v, const char *kw)
{
	if (*dst) {
		bootcfg_note(x->c, "%s:%u: second %s in a label, ignored (the "
			"first wins)", x->file, x->line, kw);
		return 0;
	}
	return resolve(x, v, strlen(v), dst);
}

static int entry_keyword(struct xl *x, enum kw k, const char *kw,
	const char *v)
{
	struct boot_entry *e;

	if (k == K_APPEND && x->cur < 0) {
		return bootcfg_set(&x->gappend, v) < 0 ? oom(x) : 0;
	}
	e = cur(x, kw);
	if (!e) {
		return 0;
	}
	switch (k) {
	case K_KERNEL:
		return resolve(x, v, strlen(v), &e->kernel);
	case K_INITRD:
		if (e->ninitrd) {
			bootcfg_note(x->c, "%s:%u: second initrd in a label, "
				"ignored (the first wins)", x->file, x->line);
			return 0;
		}
		return add_initrds(x, e, v);
	case K_APPEND:
		/* syslinux: "append -" gives no options at all */
		return bootcfg_set(&e->cmdline, strcmp(v, "-") ? v : "") < 0 ?
			oom(x) : 0;
	case K_FDT:
		return set_first(x, &e->dtb, v, kw);
	case K_FDTDIR:
		return set_first(x, &e->fdtdir, v, kw);
	default:
		return 0;
	}
}

static int keyword(struct xl *x, char *kw, char *v)
{
	size_t i;
	enum kw k = K_SKIP;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (!strcasecmp(kw, keywords[i].name)) {
			break;
		}
	}
	if (i == sizeof(keywords) / sizeof(keywords[0])) {
		bootcfg_note(x->c, "%s:%u: unknown keyword '%s', ignored",
			x->file, x->line, kw);
		return 0;
	}
	k = keywords[i].kw;
	if (k == K_SKIP || k == K_MENU || k == K_TEXT) {
		x->in_text = k == K_TEXT;
		return k == K_MENU ? menu(x, v) : 0;
	}
	if (!*v && k != K_APPEND) {
		bootcfg_note(x->c, "%s:%u: %s without a value, ignored",
			x->file, x->line, kw);
		/* what follows a nameless label belongs to no label */
		if (k == K_LABEL) {
			x->cur = -1;
		}
		return 0;
	}
	switch (k) {
	case K_LABEL:
		return label(x, v);
	case K_DEFAULT:
		return bootcfg_set(&x->deflabel, v) < 0 ? oom(x) : 0;
	case K_TIMEOUT:
		return timeout(x, v);
	case K_INCLUDE:
		return include(x, v);
	default:
		return entry_keyword(x, k, kw, v);
	}
}

static int parse_text(struct xl *x, char *text)
{
	char *p = text, *line, *v;
	int r;

	x->line = 0;
	while ((line = bootcfg_line(&p, &x->line))) {
		if (!*line || *line == '#') {
			continue;
		}
		v = line + strcspn(line, " \t");
		if (*v) {
			*v++ = '\0';
			v += strspn(v, " \t");
		}
		/* syslinux's "text help" block runs to "endtext" */
		if (x->in_text) {
			x->in_text = strcasecmp(line, "endtext") != 0;
			continue;
		}
		r = keyword(x, line, v);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

/* the first initrd= of an append, as u-boot's parse_label takes it */
static int initrd_from_append(struct xl *x, struct boot_entry *e)
{
	const char *s = e->cmdline;
	char *v;
	int r;

	while (s && *s) {
		s += strspn(s, " \t");
		if (!strncmp(s, "initrd=", 7)) {
			v = NULL;
			if (bootcfg_setn(&v, s + 7, strcspn(s + 7, " \t")) < 0) {
				return oom(x);
			}
			r = add_initrds(x, e, v);
			free(v);
			return r;
		}
		s += strcspn(s, " \t");
	}
	return 0;
}

static int finish(struct xl *x)
{
	size_t i;
	int r;

	for (i = 0; i < x->c->n; i++) {
		struct boot_entry *e = &x->c->e[i];

		if (!e->cmdline && x->gappend) {
			r = bootcfg_spend(x->c, BOOTCFG_EXPAND,
				strlen(x->gappend), x->names[0], 0, "bytes of "
				"the append before the first label copied into "
				"labels");
			if (r < 0) {
				return r;
			}
			if (bootcfg_set(&e->cmdline, x->gappend) < 0) {
				return oom(x);
			}
		}
		if (!e->ninitrd) {
			r = initrd_from_append(x, e);
			if (r < 0) {
				return r;
			}
		}
		if (x->deflabel && x->c->def < 0 && e->label &&
			!strcmp(e->label, x->deflabel)) {
			x->c->def = (int)i;
		}
	}
	if (x->deflabel && x->c->def < 0) {
		bootcfg_note(x->c, "%s: default '%s' names no label",
			x->names[0], x->deflabel);
	}
	return bootcfg_finish(x->c, x->names[0]);
}

int bootcfg_extlinux(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *out)
{
	struct xl x;
	struct bootcfg_budget own;
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *copy = NULL, *dir = NULL;
	int r;

	bootcfg_begin(out, &own);
	memset(&x, 0, sizeof(x));
	x.c = out;
	x.io = io;
	x.cur = -1;
	x.names[0] = slash ? slash + 1 : path ? path : "extlinux.conf";
	x.file = x.names[0];
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, x.file, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), x.file, 0,
		NULL);
	if (r < 0) {
		goto out;
	}
	copy = strdup(text);
	/* a path without a directory reads as one at the root */
	dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup("/");
	x.stack[0] = strdup(path ? path : "");
	if (!copy || !dir || !x.stack[0]) {
		r = bootcfg_refuse(out, -ENOMEM, "%s: out of memory", x.file);
		goto out;
	}
	x.dir = dir;
	r = parse_text(&x, copy);
	if (r == 0) {
		r = finish(&x);
	}
out:
	free(copy);
	free(dir);
	free(x.stack[0]);
	free(x.deflabel);
	free(x.gappend);
	bootcfg_end(out, &own);
	return r;
}
