/* ESXi's boot.cfg, as VMware's loader reads it (esx-boot mboot/config.c,
 * mboot.c32 under syslinux, mboot.efi under UEFI): KEY=VALUE lines, the
 * key and the value trimmed, '#' comments, keys as written (lower case).
 *
 *   kernel=PATH        the kernel (b.b00), booted as multiboot v1
 *   kernelopt=ARGS     its command line
 *   modules=P ARGS --- P ARGS --- ...   each a multiboot module, in order
 *   prefix=DIR         where relative paths are (see below)
 *   title=TEXT         the entry's title
 *   timeout=SECONDS    bootstate=N  updated=N  skip=0|1
 *   build=, nobootif=, noquirks=, norts=, crypto=, runtimewd=,
 *   runtimewdtimeout=, tftpblksize=, acpitables=, errtimeout=: nothing
 *   for hop
 *
 * One entry: the kernel with kernelopt as its command line, each item of
 * modules (split at every "---", as esx-boot's find_next_listitem does) a
 * module whose string is the item as written, "PATH ARGS" (the kernel
 * hears its own path first: the loader's kernel_name). The last of a
 * repeated key wins. Paths: an absolute one is used as it is; a relative
 * one is put after prefix= when the file gives one (prefix= empty: the
 * root of the file system), else after the configuration's directory
 * (esx-boot's default, "the directory containing this configuration
 * file"). A prefix that is a URL (network boot) is refused: hop reads
 * disks only.
 *
 * Which files boot: esx-boot's safeboot boots a bank whose bootstate is 0
 * (valid) or 1 (upgrading), and not 2 (dirty: an upgrade that never
 * confirmed) or 3 (invalid); hop refuses those, and a skip=1 file (the
 * loader's "exit with a fatal error"). A missing bootstate boots, as
 * mboot does (u-root reads it as invalid: its safeboot reading). updated=
 * orders the two banks of an installed ESXi; hop reads each file system
 * on its own and does not compare them.
 *
 * ESXi 6 and 7 list 30 to 60 modules, ESXi 8 up to about 130; hop's
 * multiboot loader packs them into one kexec_load segment and takes
 * HOP_MAX_MODULES, and a file with more is refused with that count rather
 * than booted without some of them. The module arrays are allocated as
 * the list is read (bootcfg_module_slot), after the count is checked.
 * The boot's budget (bootcfg.h) pays for the text and the entry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

#define SEP "---"

struct esxi {
	struct boot_config *c;
	const char *name;	/* for messages */
	char *dir;		/* the configuration's directory, ends '/' */
	unsigned line;
	/* the last value of each key, pointers into the text's copy */
	const char *kernel, *kernelopt, *modules, *prefix, *title;
	unsigned modules_line;
	long bootstate, skip;
};

/* keys esx-boot knows that change nothing hop does */
static const char *const ignored[] = {
	"build", "updated", "nobootif", "noquirks", "norts", "crypto",
	"runtimewd", "runtimewdtimeout", "tftpblksize", "acpitables",
	"errtimeout",
};

static int oom(struct esxi *x)
{
	return bootcfg_refuse(x->c, -ENOMEM, "%s:%u: out of memory", x->name,
		x->line);
}

/* *out = where relative paths are: prefix when given ("" the root),
 * else the configuration's directory; always ends with '/' */
static int base_dir(struct esxi *x, char **out)
{
	const char *p = x->prefix;
	size_t n;

	if (!p) {
		return bootcfg_set(out, x->dir) < 0 ? oom(x) : 0;
	}
	/* relative or not, from the root: hop has no other current
	 * directory to give a relative prefix */
	p += strspn(p, "/");
	n = strlen(p);
	while (n && p[n - 1] == '/') {
		n--;
	}
	*out = malloc(n + 3);
	if (!*out) {
		return oom(x);
	}
	(*out)[0] = '/';
	memcpy(*out + 1, p, n);
	if (n) {
		(*out)[1 + n++] = '/';
	}
	(*out)[1 + n] = '\0';
	return 0;
}

/* base + [s, s+n) unless it is absolute, into *out */
static int join(struct esxi *x, const char *base, const char *s, size_t n,
	char **out)
{
	size_t bl = s[0] == '/' ? 0 : strlen(base);
	char *p = malloc(bl + n + 1);

	if (!p) {
		return oom(x);
	}
	memcpy(p, base, bl);
	memcpy(p + bl, s, n);
	p[bl + n] = '\0';
	free(*out);
	*out = p;
	return 0;
}

/* the next item of a "---" list at *list, trimmed, in [*s, *e); 0 at the
 * end (esx-boot find_next_listitem: a "---" anywhere separates) */
static int next_item(const char **list, const char **s, const char **e)
{
	const char *p = *list, *sep;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p) {
			*list = p;
			return 0;
		}
		if (!strncmp(p, SEP, 3)) {
			p += 3;
			continue;
		}
		sep = strstr(p, SEP);
		*s = p;
		*e = sep ? sep : p + strlen(p);
		*list = *e;
		while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) {
			(*e)--;
		}
		return 1;
	}
}

static int build(struct esxi *x)
{
	struct boot_entry *e;
	const char *list, *s, *end;
	char *base = NULL;
	size_t n = 0, w;
	int r;

	if (x->skip > 0) {
		return bootcfg_refuse(x->c, -ENOENT, "%s: skip=%ld: ESXi's "
			"loader does not boot it", x->name, x->skip);
	}
	if (x->bootstate > 1) {
		return bootcfg_refuse(x->c, -ENOENT, "%s: bootstate=%ld (%s): "
			"ESXi does not boot this bank", x->name, x->bootstate,
			x->bootstate == 2 ? "an upgrade never confirmed" :
			"invalid");
	}
	if (!x->kernel || !*x->kernel) {
		return bootcfg_refuse(x->c, -ENOENT, "%s: no kernel=",
			x->name);
	}
	if (x->prefix && strstr(x->prefix, "://")) {
		return bootcfg_refuse(x->c, -EPROTONOSUPPORT, "%s: prefix=%s: "
			"a network location (hop boots from disks)", x->name,
			x->prefix);
	}
	/* counted before anything is allocated */
	list = x->modules ? x->modules : "";
	while (next_item(&list, &s, &end)) {
		n++;
	}
	if (n > HOP_MAX_MODULES) {
		return bootcfg_refuse(x->c, -E2BIG, "%s:%u: %zu modules, more "
			"than %d (hop's multiboot loader)", x->name,
			x->modules_line, n, HOP_MAX_MODULES);
	}
	r = bootcfg_new_entry(x->c, x->name, 0, &e);
	if (r < 0) {
		return r;
	}
	r = base_dir(x, &base);
	if (r < 0) {
		return r;
	}
	e->multiboot = 1;
	w = strcspn(x->kernel, " \t");
	if (join(x, base, x->kernel, w, &e->kernel) < 0 ||
		bootcfg_set(&e->title, x->title && *x->title ?
		x->title : "VMware ESXi") <
		0 || (x->kernelopt && bootcfg_set(&e->cmdline,
		x->kernelopt) < 0)) {
		free(base);
		return oom(x);
	}
	if (x->kernel[w]) {
		bootcfg_note(x->c, "%s: kernel=%s: words after the path, "
			"ignored (kernelopt= is the command line)", x->name,
			x->kernel);
	}
	list = x->modules ? x->modules : "";
	while (next_item(&list, &s, &end)) {
		w = strcspn(s, " \t");
		w = w < (size_t)(end - s) ? w : (size_t)(end - s);
		if (bootcfg_module_slot(e) < 0 ||
			join(x, base, s, w, &e->module[e->nmodule]) < 0) {
			free(base);
			return oom(x);
		}
		e->nmodule++;	/* freed with the entry from here on */
		if (bootcfg_setn(&e->module_cmdline[e->nmodule - 1], s,
			(size_t)(end - s)) < 0) {
			free(base);
			return oom(x);
		}
	}
	free(base);
	x->c->def = 0;
	return 0;
}

static int key(struct esxi *x, const char *k, const char *v)
{
	long t;
	size_t i;

	if (!strcmp(k, "kernel")) {
		x->kernel = v;
	} else if (!strcmp(k, "kernelopt")) {
		x->kernelopt = v;
	} else if (!strcmp(k, "modules")) {
		x->modules = v;
		x->modules_line = x->line;
	} else if (!strcmp(k, "prefix")) {
		x->prefix = v;
	} else if (!strcmp(k, "title")) {
		x->title = v;
	} else if (!strcmp(k, "timeout")) {
		t = bootcfg_number(v);
		if (t < 0 || t > 100000) {
			bootcfg_note(x->c, "%s:%u: timeout '%s' is not a "
				"number of seconds, ignored", x->name, x->line,
				v);
		} else {
			x->c->timeout_ds = (int)t * 10;
		}
	} else if (!strcmp(k, "bootstate") || !strcmp(k, "skip")) {
		/* empty: 0, as esx-boot's parser reads it */
		t = *v ? bootcfg_number(v) : 0;
		if (t < 0) {
			t = 3;	/* not a state: invalid */
		}
		*(k[0] == 'b' ? &x->bootstate : &x->skip) = t;
	} else {
		for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
			if (!strcmp(k, ignored[i])) {
				return 0;
			}
		}
		bootcfg_note(x->c, "%s:%u: unknown key '%s', ignored",
			x->name, x->line, k);
	}
	return 0;
}

int bootcfg_esxi(const char *text, const char *path, struct boot_config *out)
{
	struct esxi x;
	struct bootcfg_budget own;
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *copy = NULL, *p, *line, *eq, *k;
	int r;

	bootcfg_begin(out, &own);
	memset(&x, 0, sizeof(x));
	x.c = out;
	x.name = slash ? slash + 1 : path ? path : "boot.cfg";
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, x.name, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), x.name, 0,
		NULL);
	if (r < 0) {
		goto out;
	}
	copy = strdup(text);
	x.dir = slash ? strndup(path, (size_t)(slash - path) + 1) :
		strdup("/");
	if (!copy || !x.dir) {
		r = oom(&x);
		goto out;
	}
	p = copy;
	while ((line = bootcfg_line(&p, &x.line))) {
		if (!*line || *line == '#') {
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			bootcfg_note(out, "%s:%u: no '=', ignored", x.name,
				x.line);
			continue;
		}
		/* KEY = VALUE: blanks around both */
		k = eq;
		while (k > line && (k[-1] == ' ' || k[-1] == '\t')) {
			k--;
		}
		*k = '\0';
		eq++;
		eq += strspn(eq, " \t");
		r = key(&x, line, eq);
		if (r < 0) {
			goto out;
		}
	}
	r = build(&x);
out:
	free(copy);
	free(x.dir);
	bootcfg_end(out, &own);
	return r;
}
