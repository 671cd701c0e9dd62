/* extlinux.conf / syslinux.cfg / isolinux.cfg, as u-boot's distro boot
 * reads it (boot/pxe_utils.c, which follows pxelinux) and as syslinux's
 * menu reads it (com32/menu/readconfig.c, com32/elflink/ldlinux/): one
 * keyword per line, case insensitive, its value the rest of the line.
 *
 *   label NAME        starts an entry (hop.entry=NAME)
 *   menu label TEXT   its title
 *   kernel|linux P    initrd P[,P...]   append ARGS ("-": none)
 *   fdt|devicetree P  fdtdir|devicetreedir DIR
 *   default NAME, ontimeout NAME; menu default (in a label)
 *   timeout N         deciseconds
 *   include P, menu include P [TAG]
 *   menu begin, menu end, menu separator: close the current label
 *
 * The default: the label ONTIMEOUT names (what boots when nobody
 * touches the keyboard, in syslinux's menu and prompt alike), else the
 * label DEFAULT names (the last DEFAULT; syslinux's menu applies it after
 * the whole file, over any MENU DEFAULT: parse_configs, "Handle global
 * default"), else the label of the last MENU DEFAULT outside a MENU
 * BEGIN...MENU END block (each menu has its own; the top one boots),
 * else the first entry. "DEFAULT vesamenu.c32", "DEFAULT menu.c32" (the
 * ISOs' way of starting the menu) names a module, not a label, and so
 * leaves the choice to MENU DEFAULT without a note. u-boot differs: its
 * first MENU DEFAULT counts, and only when no DEFAULT came before.
 *
 * What a label boots (syslinux's parse_kernel_type, ldlinux.c): LINUX P is
 * a Linux kernel; KERNEL P one too unless P's name ends in .c32 (a COM32
 * module), .0 (PXE), .bs or .bin (a boot sector), .bss or .com/.cbt
 * (COMBOOT): those, and COM32, BOOT, BSS, PXE, FDIMAGE, COMBOOT, CONFIG
 * and LOCALBOOT labels, are not Linux and are dropped with a note. Two
 * modules boot something hop can: "KERNEL linux.c32" (or COM32) with
 * "APPEND PATH ARGS" is the Linux kernel PATH with ARGS (its initrd= as
 * below), and "KERNEL mboot.c32" with "APPEND XEN ARGS --- MOD ARGS ---
 * MOD..." (Qubes, XenServer) a multiboot v1 entry, as syslinux's mboot.c32
 * loads it: XEN the kernel with ARGS its command line, each part after a
 * "---" word a module whose string is "PATH ARGS" as written (as grub's
 * module lines, bootcfg_grub.c); at most HOP_MAX_MODULES. ESXi's own
 * mboot.c32 ("APPEND -c boot.cfg") reads an ESXi boot.cfg: that label is
 * dropped with a note (hop reads boot.cfg itself, bootcfg_esxi.c). A
 * .img kernel is a floppy image to syslinux; hop keeps it as Linux, the
 * name boards' u-boot extlinux.conf files give kernels (kernel8.img).
 *
 * Like u-boot: the first initrd, fdt and fdtdir of a label win, the last
 * kernel and append; an entry without an initrd keyword takes the first
 * initrd= of its append (a comma list, as syslinux reads it; the append
 * keeps it, as u-boot's bootargs and syslinux's command line do).
 * Like syslinux: an append before the first label serves every label
 * without one (u-boot ignores it); keywords hop has no use for (prompt,
 * ui, menu title, path, F1..F12, text...endtext, fdtoverlays, ...) are
 * skipped silently, unknown ones with a note; a label's lines after an
 * unknown keyword stay in the label (u-boot would end the label there).
 *
 * Paths: u-boot's get_relfile() uses an absolute path as it is and puts
 * the directory of the configuration file (pxe_setup_ctx's bootdir) in
 * front of a relative one, by plain concatenation; syslinux changes to
 * the configuration's directory, which comes to the same. hop does the
 * same, for includes and modules too, always against the top file's
 * directory: "Image" in /boot/extlinux/extlinux.conf is
 * /boot/extlinux/Image. An include reads its first word as the file
 * (syslinux's refdup_word; what follows in MENU INCLUDE names a submenu)
 * and closes the current label; a missing include is skipped with a note,
 * as syslinux skips a file it cannot open (u-boot refuses it); any other
 * read error refuses the configuration. Includes nest at most 16 deep
 * (pxelinux's and u-boot's MAX_NEST_LEVEL) and a file including itself,
 * directly or not, is refused.
 *
 * The boot's budget (bootcfg.h) pays for the text given and each include
 * read (files and bytes: a file including one big file hundreds of times,
 * or a tree of includes each including many, stops there), each label,
 * and each copy of the append before the first label made for a label
 * without one (a 1 MiB append and a thousand labels would be 1 GB). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"
#include "url.h"

#define MAX_NEST 16

enum kw {
	K_LABEL, K_KERNEL, K_LINUX, K_COM32, K_NOTLINUX, K_INITRD, K_APPEND,
	K_FDT, K_FDTDIR, K_DEFAULT, K_ONTIMEOUT, K_TIMEOUT, K_INCLUDE, K_MENU,
	K_TEXT, K_SKIP
};

static const struct {
	const char *name;
	enum kw kw;
} keywords[] = {
	{ "label", K_LABEL }, { "kernel", K_KERNEL }, { "linux", K_LINUX },
	{ "initrd", K_INITRD }, { "append", K_APPEND }, { "fdt", K_FDT },
	{ "devicetree", K_FDT }, { "fdtdir", K_FDTDIR },
	{ "devicetreedir", K_FDTDIR }, { "default", K_DEFAULT },
	{ "ontimeout", K_ONTIMEOUT }, { "timeout", K_TIMEOUT },
	{ "include", K_INCLUDE }, { "menu", K_MENU }, { "text", K_TEXT },
	/* syslinux's kernel types other than Linux (readconfig.c's
	 * kernel_types): a label with one boots something else */
	{ "com32", K_COM32 }, { "boot", K_NOTLINUX }, { "bss", K_NOTLINUX },
	{ "pxe", K_NOTLINUX }, { "fdimage", K_NOTLINUX },
	{ "comboot", K_NOTLINUX }, { "config", K_NOTLINUX },
	{ "localboot", K_NOTLINUX },
	/* syslinux and u-boot keywords that change nothing hop does */
	{ "prompt", K_SKIP }, { "ui", K_SKIP }, { "say", K_SKIP },
	{ "serial", K_SKIP }, { "console", K_SKIP }, { "font", K_SKIP },
	{ "kbdmap", K_SKIP }, { "display", K_SKIP }, { "implicit", K_SKIP },
	{ "allowoptions", K_SKIP }, { "noescape", K_SKIP },
	{ "nocomplete", K_SKIP }, { "nohalt", K_SKIP },
	{ "totaltimeout", K_SKIP }, { "ipappend", K_SKIP },
	{ "sysappend", K_SKIP }, { "path", K_SKIP }, { "pxeretry", K_SKIP },
	{ "sendcookies", K_SKIP },
	{ "fdtoverlays", K_SKIP }, { "kaslrseed", K_SKIP },
	{ "onerror", K_SKIP }, { "background", K_SKIP },
};

/* what a label boots, by its last kernel keyword */
enum boots {
	B_LINUX,	/* kernel, linux: the kernel itself */
	B_LINUXC32,	/* linux.c32: the first word of the append */
	B_MBOOT,	/* mboot.c32: a multiboot kernel and its modules */
	B_OTHER,	/* not Linux: dropped (a note said why) */
};

struct xl {
	struct boot_config *c;
	const struct bootcfg_io *io;
	const char *dir;	/* the top file's directory, ends with '/' */
	char *deflabel;		/* the last DEFAULT */
	char *ontimeout;	/* the last ONTIMEOUT */
	char *menudef;		/* the last top-level MENU DEFAULT's label */
	char *gappend;		/* append before the first label */
	unsigned char *boots;	/* per entry, enum boots */
	int cur;		/* the current label's entry, -1: none */
	int depth;
	/* MENU BEGIN ... MENU END (and MENU INCLUDE FILE TAG) nesting: a
	 * MENU DEFAULT inside is a submenu's default, not the top's */
	unsigned submenu;
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

	/* a URL (pxelinux's lpxelinux, petitboot) is as absolute as "/" */
	if (n && (s[0] == '/' || url_is_url(s))) {
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

/* INCLUDE FILE, MENU INCLUDE FILE [TAG] (menu set): v is the value, cut
 * after its first word here; a menu TAG makes the file's labels a
 * submenu's (syslinux's do_include ignores what follows the file) */
static int include(struct xl *x, char *v, int menu)
{
	char *path = NULL, *text = NULL;
	char *cut = v + strcspn(v, " \t");
	const char *tag = "";
	const char *file = x->file;
	unsigned line = x->line, submenu;
	int i, r;

	if (*cut) {
		*cut++ = '\0';
		tag = menu ? cut + strspn(cut, " \t") : "";
	}
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
	if (r == -ENOENT || r == -ENOTDIR) {
		/* syslinux skips a file it cannot open (do_include) */
		free(path);
		bootcfg_note(x->c, "%s:%u: include %s: not found, skipped",
			file, line, v);
		return 0;
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
	/* a tagged file is a submenu of its own, whatever MENU END lines
	 * it holds (do_include_menu ends it after the file) */
	submenu = x->submenu;
	x->submenu += *tag != '\0';
	r = parse_text(x, text);
	if (*tag) {
		x->submenu = submenu;
	}
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
		if (x->cur < 0 && x->submenu) {
			return 0;	/* the submenu's own name */
		}
		e = cur(x, "menu label");
		if (e && bootcfg_set(&e->title, arg) < 0) {
			return oom(x);
		}
	} else if (!strcasecmp(sub, "default")) {
		e = cur(x, "menu default");
		/* the last one of the top menu (readconfig.c's record()
		 * sets defentry for each); a submenu's is its own */
		if (e && !x->submenu && bootcfg_set(&x->menudef,
			e->label) < 0) {
			return oom(x);
		}
	} else if (!strcasecmp(sub, "include")) {
		if (*arg) {
			return include(x, arg, 1);
		}
		bootcfg_note(x->c, "%s:%u: menu include without a value, "
			"ignored", x->file, x->line);
	} else if (!strcasecmp(sub, "begin") || !strcasecmp(sub, "end") ||
		!strcasecmp(sub, "separator")) {
		/* each records the label being read, as readconfig.c does:
		 * what follows belongs to no label */
		x->cur = -1;
		if (!strcasecmp(sub, "begin")) {
			/* bounded by the lines the budget lets be read */
			x->submenu++;
		} else if (!strcasecmp(sub, "end") && x->submenu) {
			x->submenu--;
		}
	}
	/* menu title, hide, color, ...: display only */
	return 0;
}

static int label(struct xl *x, const char *v)
{
	struct boot_entry *e;
	unsigned char *b;
	int r = bootcfg_new_entry(x->c, x->file, x->line, &e);

	if (r < 0) {
		return r;
	}
	if (bootcfg_set(&e->label, v) < 0) {
		return oom(x);
	}
	x->cur = (int)(e - x->c->e);
	/* one byte per entry: the budget's entries bound it */
	b = realloc(x->boots, x->c->n);
	if (!b) {
		return oom(x);
	}
	x->boots = b;
	b[x->cur] = B_LINUX;
	return 0;
}

/* 1 when the last component of path is name (any case: the ISO9660
 * and FAT names syslinux reads are case-insensitive to it) */
static int named(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');

	return !strcasecmp(base ? base + 1 : path, name);
}

/* 1 when path's name ends with ext (any case) */
static int ends(const char *path, const char *ext)
{
	size_t n = strlen(path), m = strlen(ext);

	return n > m && !strcasecmp(path + n - m, ext);
}

/* what a kernel keyword's file is to syslinux (ldlinux.c's
 * parse_kernel_type for KERNEL): NULL for Linux, else its words */
static const char *not_linux(enum kw k, const char *kw, const char *v)
{
	static const struct {
		const char *ext, *what;
	} types[] = {
		{ ".c32", "a COM32 module" }, { ".0", "a PXE program" },
		{ ".bs", "a boot sector" }, { ".bin", "a boot sector" },
		{ ".bss", "a boot sector" }, { ".com", "a COMBOOT program" },
		{ ".cbt", "a COMBOOT program" },
	};
	size_t i;

	if (k == K_LINUX) {
		return NULL;
	}
	if (k == K_COM32) {
		return "a COM32 module";
	}
	if (k == K_NOTLINUX) {
		return !strcasecmp(kw, "localboot") ? "the local disk" :
			!strcasecmp(kw, "config") ? "another configuration" :
			"not a Linux kernel";
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (ends(v, types[i].ext)) {
			return types[i].what;
		}
	}
	return NULL;
}

/* kernel, linux, com32, boot, localboot...: what the label boots */
static int kernel_kw(struct xl *x, struct boot_entry *e, enum kw k,
	const char *kw, const char *v)
{
	unsigned char *b = &x->boots[e - x->c->e];
	const char *what;
	char *file = NULL;
	/* u-boot's "kernel FILE#CONF" (boot/pxe_utils.c parse_label_kernel):
	 * FILE a FIT image, CONF its configuration (lib/load/unpack.h) */
	size_t n = k == K_KERNEL || k == K_LINUX ? strcspn(v, "#") :
		strlen(v);

	free(e->sub);
	e->sub = NULL;
	if (resolve(x, v, n, &e->kernel) < 0 || (v[n] && v[n + 1] &&
		bootcfg_setn(&e->sub, v + n + 1, strlen(v + n + 1)) < 0)) {
		return -ENOMEM;
	}
	/* the type is the file's, the first word ("KERNEL mboot.c32 -c
	 * boot.cfg" is one line ESXi's isolinux.cfg could write) */
	if (bootcfg_setn(&file, v, strcspn(v, " \t")) < 0) {
		return oom(x);
	}
	what = not_linux(k, kw, file);
	*b = what ? B_OTHER : B_LINUX;
	if (k == K_KERNEL || k == K_COM32) {
		/* the two modules that boot what hop boots: the rest of
		 * the label is read at the end (its append may follow) */
		*b = named(file, "linux.c32") ? B_LINUXC32 :
			named(file, "mboot.c32") ? B_MBOOT : *b;
	}
	free(file);
	if (*b == B_OTHER) {
		bootcfg_note(x->c, "%s:%u: '%s': %s %s boots %s, not Linux: "
			"skipped", x->file, x->line, e->label, kw, v, what);
	}
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
	case K_LINUX:
	case K_COM32:
	case K_NOTLINUX:
		return kernel_kw(x, e, k, kw, v);
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
	/* F1..F12 FILE: help screens */
	if (i == sizeof(keywords) / sizeof(keywords[0]) &&
		(kw[0] == 'f' || kw[0] == 'F') && kw[1] >= '0' &&
		kw[1] <= '9' && bootcfg_number(kw + 1) >= 0 &&
		bootcfg_number(kw + 1) <= 12) {
		return 0;
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
	case K_ONTIMEOUT:
		return bootcfg_set(&x->ontimeout, v) < 0 ? oom(x) : 0;
	case K_TIMEOUT:
		return timeout(x, v);
	case K_INCLUDE:
		return include(x, v, 0);
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

/* the words [s, end) without the blanks around them, copied */
static int trimmed(struct xl *x, const char *s, const char *end, char **out)
{
	while (s < end && (*s == ' ' || *s == '\t')) {
		s++;
	}
	while (end > s && (end[-1] == ' ' || end[-1] == '\t')) {
		end--;
	}
	return bootcfg_setn(out, s, (size_t)(end - s)) < 0 ? oom(x) : 0;
}

/* the end of the part of an mboot.c32 append that starts at s: the
 * next "---" word (mboot.c32 splits its argv there), else the end */
static const char *part_end(const char *s)
{
	const char *p = s;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p) {
			return p;
		}
		if (!strncmp(p, "---", 3) && (!p[3] || p[3] == ' ' ||
			p[3] == '\t')) {
			return p;
		}
		p += strcspn(p, " \t");
	}
}

/* KERNEL mboot.c32, APPEND XEN ARGS --- MOD ARGS --- ...: the multiboot
 * kernel and its modules (syslinux com32/mboot/mboot.c). 1: not one
 * (noted, dropped), 0, or a refusal */
static int mboot(struct xl *x, struct boot_entry *e)
{
	char *all = e->cmdline;
	const char *s, *end, *word;
	size_t i;
	int r = 0;

	s = all ? all + strspn(all, " \t") : NULL;
	if (!s || !*s || *s == '-') {
		/* ESXi's mboot.c32 takes "-c boot.cfg" and reads that */
		bootcfg_note(x->c, "%s: '%s': mboot.c32 %s: %s, skipped",
			x->names[0], e->label, s && *s ? s : "",
			s && *s ? "ESXi's loader reading an ESXi boot.cfg "
			"(hop reads one itself)" : "no kernel given");
		return 1;
	}
	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
	}
	if (e->ninitrd) {
		bootcfg_note(x->c, "%s: '%s': initrd of a multiboot entry, "
			"ignored (its modules follow \"---\")", x->names[0],
			e->label);
	}
	e->ninitrd = 0;
	e->cmdline = NULL;
	end = part_end(s);
	word = s + strcspn(s, " \t");
	if (resolve(x, s, (size_t)(word - s), &e->kernel) < 0 ||
		trimmed(x, word, end, &e->cmdline) < 0) {
		free(all);
		return -ENOMEM;
	}
	e->multiboot = 1;
	for (s = end; *s; s = end) {
		s += 3;		/* the "---" */
		s += strspn(s, " \t");
		end = part_end(s);
		if (s == end) {
			continue;	/* "--- ---": nothing between */
		}
		r = bootcfg_module_slot(e);
		if (r == -ENOMEM) {
			r = oom(x);
			break;
		}
		if (r == -E2BIG) {
			/* the refusal frees e, its label with it */
			char label[64];

			snprintf(label, sizeof(label), "%s", e->label);
			r = bootcfg_refuse(x->c, -E2BIG, "%s: '%s': more than "
				"%d modules", x->names[0], label,
				HOP_MAX_MODULES);
			break;
		}
		word = s + strcspn(s, " \t");
		if (resolve(x, s, (size_t)(word - s),
			&e->module[e->nmodule]) < 0) {
			r = oom(x);
			break;
		}
		e->nmodule++;	/* freed with the entry from here on */
		r = trimmed(x, s, end, &e->module_cmdline[e->nmodule - 1]);
		if (r < 0) {
			break;
		}
	}
	free(all);
	return r;
}

/* KERNEL linux.c32, APPEND PATH ARGS: the Linux kernel PATH with ARGS
 * (syslinux com32/modules/linux.c). 1: no PATH (noted, dropped) */
static int linux_c32(struct xl *x, struct boot_entry *e)
{
	char *all = e->cmdline;
	const char *s, *word;
	int r;

	s = all ? all + strspn(all, " \t") : NULL;
	if (!s || !*s) {
		bootcfg_note(x->c, "%s: '%s': linux.c32 without a kernel, "
			"skipped", x->names[0], e->label);
		return 1;
	}
	word = s + strcspn(s, " \t");
	e->cmdline = NULL;
	r = resolve(x, s, (size_t)(word - s), &e->kernel);
	if (r == 0) {
		r = trimmed(x, word, word + strlen(word), &e->cmdline);
	}
	free(all);
	return r;
}

/* the index of the entry labelled name, -1: none */
static int find_label(const struct boot_config *c, const char *name)
{
	size_t i;

	for (i = 0; name && i < c->n; i++) {
		if (c->e[i].label && !strcmp(c->e[i].label, name)) {
			return (int)i;
		}
	}
	return -1;
}

static int finish(struct xl *x)
{
	size_t i, j = 0, other = 0, nokernel = 0;
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
		r = 0;
		if (x->boots[i] == B_MBOOT) {
			r = mboot(x, e);
		} else if (x->boots[i] == B_LINUXC32) {
			r = linux_c32(x, e);
		}
		if (r < 0) {
			return r;
		}
		if (r > 0 || x->boots[i] == B_OTHER) {
			/* not Linux: the note is made */
			bootcfg_entry_free(e);
			other++;
			continue;
		}
		if (!e->ninitrd && !e->multiboot) {
			r = initrd_from_append(x, e);
			if (r < 0) {
				return r;
			}
		}
		nokernel += !e->kernel;
		if (j != i) {
			/* moved down over a dropped one: slot i must not
			 * own it too, or a refusal later in this loop
			 * frees it twice */
			x->c->e[j] = *e;
			memset(e, 0, sizeof(*e));
		}
		j++;
	}
	x->c->n = j;
	/* what boots untouched: ONTIMEOUT, DEFAULT, the top MENU DEFAULT */
	x->c->def = find_label(x->c, x->ontimeout);
	if (x->c->def < 0) {
		x->c->def = find_label(x->c, x->deflabel);
	}
	if (x->c->def < 0) {
		x->c->def = find_label(x->c, x->menudef);
	}
	if (x->deflabel && find_label(x->c, x->deflabel) < 0 &&
		!ends(x->deflabel, ".c32")) {
		bootcfg_note(x->c, "%s: default '%s' names no label",
			x->names[0], x->deflabel);
	}
	r = bootcfg_finish(x->c, x->names[0]);
	if (r == -ENOENT && other) {
		return bootcfg_refuse(x->c, r, "%s: no Linux entry (%zu not "
			"Linux, %zu without a kernel)", x->names[0], other,
			nokernel);
	}
	return r;
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
	free(x.ontimeout);
	free(x.menudef);
	free(x.gappend);
	free(x.boots);
	bootcfg_end(out, &own);
	return r;
}
