/* Boot Loader Specification (UAPI.1) Type #1 entries: every
 * ROOT/loader/entries/ *.conf is one entry, "KEY VALUE" lines, '#'
 * comments. Entry id (hop.entry=ID) = file name without ".conf" and
 * without the boot counting suffix ("+3" or "+3-1").
 *
 *   title, version, machine-id, sort-key, linux, initrd (repeatable),
 *   options (repeatable, joined with spaces), devicetree, architecture
 *
 * An entry without linux (an efi entry) cannot be kexec'd and is dropped;
 * one whose architecture is not this machine's is hidden, as the spec asks.
 * Fedora's grub writes "$tuned_params" and "$tuned_initrd" into its
 * entries, which grub expands from grubenv (empty unless tuned set them):
 * hop cannot read grubenv, so a word of options or initrd that is only a
 * $variable is dropped, with a note. Keys of grub's blscfg (id,
 * grub_users, grub_arg, grub_class) are ignored.
 *
 * Order, from the spec's "Sorting": entries whose tries are used up
 * ("+0-N") last; entries with sort-key before those without; two with
 * sort-key by sort-key, then machine-id (both strcmp, empty lowest), then
 * version (decreasing, UAPI version order); last of all by file name
 * without ".conf" (decreasing version order).
 *
 * ROOT/loader/loader.conf (optional): "default PATTERN", a glob matched
 * (bootcfg_glob) against the entry id, the id with ".conf" and the file name,
 * the first match in that order wins ("@saved" and the other EFI variable
 * names are ignored); "timeout N" in seconds ("menu-force": none,
 * "menu-hidden": 0), as systemd-boot's loader.conf(5) says. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"

/* the architecture names of the spec (the EFI ones) of this build */
#if defined(__x86_64__)
#define BLS_ARCH "x64"
#elif defined(__aarch64__)
#define BLS_ARCH "aa64"
#elif defined(__arm__)
#define BLS_ARCH "arm"
#elif defined(__i386__)
#define BLS_ARCH "ia32"
#elif defined(__riscv) && __riscv_xlen == 64
#define BLS_ARCH "riscv64"
#else
#define BLS_ARCH ""
#endif

struct item {
	struct boot_entry e;
	char *name;		/* the file name */
	char *stem;		/* the name without ".conf" */
	char *sort_key, *machine_id, *version, *arch;
	int bad;		/* boot counting: no tries left */
};

struct bls {
	struct boot_config *c;
	const struct bootcfg_io *io;
	struct item *it;
	size_t n;
	const char *file;
	unsigned line;
};

static void item_free(struct item *it)
{
	bootcfg_entry_free(&it->e);
	free(it->name);
	free(it->stem);
	free(it->sort_key);
	free(it->machine_id);
	free(it->version);
	free(it->arch);
}

static int oom(struct bls *b)
{
	return bootcfg_refuse(b->c, -ENOMEM, "%s: out of memory", b->file);
}

/* "$name" or "${name}": a grub environment variable */
static int grub_var(const char *w, size_t n)
{
	size_t i = 1, end = n;

	if (n < 2 || w[0] != '$') {
		return 0;
	}
	if (w[1] == '{') {
		if (n < 4 || w[n - 1] != '}') {
			return 0;
		}
		i = 2;
		end = n - 1;
	}
	for (; i < end; i++) {
		char ch = w[i];

		if (!(ch == '_' || (ch >= 'a' && ch <= 'z') ||
			(ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
			return 0;
		}
	}
	return 1;
}

/* v without its grub variables, words joined by one space; v itself when
 * it has none (so quoting and spacing stay as written) */
static int drop_vars(struct bls *b, const char *v, char **out)
{
	const char *s;
	int found = 0, r = 0;

	for (s = v; *s && !found; ) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		found = grub_var(s, n);
		s += n;
	}
	if (!found) {
		return bootcfg_set(out, v);
	}
	bootcfg_note(b->c, "%s:%u: grub variables ('$name') dropped: hop "
		"does not read grubenv", b->file, b->line);
	for (s = v; *s && r == 0; ) {
		char *w = NULL;
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		if (n && !grub_var(s, n)) {
			r = bootcfg_setn(&w, s, n);
			r = r ? r : bootcfg_join(out, w);
			free(w);
		}
		s += n;
	}
	return r;
}

static int initrds(struct bls *b, struct item *it, const char *v)
{
	char *list = NULL, *s;
	int r;

	/* one path per line in the spec; grub's blscfg also takes several */
	if (drop_vars(b, v, &list) < 0) {
		return oom(b);
	}
	for (s = list, r = 0; s && *s && r == 0; ) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		if (n) {
			r = bootcfg_add_initrd(&it->e, s, n);
		}
		s += n;
	}
	free(list);
	if (r == -E2BIG) {
		return bootcfg_refuse(b->c, r, "%s:%u: more than %d initrds",
			b->file, b->line, HOP_MAX_INITRD);
	}
	return r < 0 ? oom(b) : 0;
}

static int options(struct bls *b, struct item *it, const char *v)
{
	char *o = NULL;
	int r;

	if (drop_vars(b, v, &o) < 0) {
		return oom(b);
	}
	/* "may appear more than once in which case all specified parameters
	 * are combined in the order they are listed" */
	r = o ? bootcfg_join(&it->e.cmdline, o) : 0;
	if (r == 0 && !it->e.cmdline) {
		r = bootcfg_set(&it->e.cmdline, "");
	}
	free(o);
	return r < 0 ? oom(b) : 0;
}

static int key(struct bls *b, struct item *it, const char *k, const char *v)
{
	static const char *const skip[] = {
		"devicetree-overlay", "efi", "id", "grub_users", "grub_arg",
		"grub_class", "grub_hotkey", "uki", "uki-url", "profile",
	};
	char **dst = NULL;
	size_t i;

	if (!strcmp(k, "title")) {
		dst = &it->e.title;
	} else if (!strcmp(k, "version")) {
		dst = &it->version;
	} else if (!strcmp(k, "machine-id")) {
		dst = &it->machine_id;
	} else if (!strcmp(k, "sort-key")) {
		dst = &it->sort_key;
	} else if (!strcmp(k, "linux")) {
		dst = &it->e.kernel;
	} else if (!strcmp(k, "devicetree")) {
		dst = &it->e.dtb;
	} else if (!strcmp(k, "architecture")) {
		dst = &it->arch;
	} else if (!strcmp(k, "initrd")) {
		return initrds(b, it, v);
	} else if (!strcmp(k, "options")) {
		return options(b, it, v);
	}
	if (dst) {
		return bootcfg_set(dst, v) < 0 ? oom(b) : 0;
	}
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (!strcmp(k, skip[i])) {
			return 0;
		}
	}
	bootcfg_note(b->c, "%s:%u: unknown key '%s', ignored", b->file,
		b->line, k);
	return 0;
}

/* splits "KEY VALUE" in place; 0 for blank and comment lines */
static int split(char *line, char **k, char **v)
{
	if (!*line || *line == '#') {
		return 0;
	}
	*k = line;
	*v = line + strcspn(line, " \t");
	if (**v) {
		*(*v)++ = '\0';
		*v += strspn(*v, " \t");
	}
	return 1;
}

static int parse_entry(struct bls *b, struct item *it, char *text)
{
	char *p = text, *line, *k, *v;
	int r;

	b->line = 0;
	while ((line = bootcfg_line(&p, &b->line))) {
		if (!split(line, &k, &v)) {
			continue;
		}
		if (!*v) {
			bootcfg_note(b->c, "%s:%u: %s without a value, ignored",
				b->file, b->line, k);
			continue;
		}
		r = key(b, it, k, v);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

/* name minus ".conf" is the stem; the stem minus "+LEFT[-DONE]" the id */
static int names(struct item *it, const char *name)
{
	size_t n = strlen(name) - 5, i;
	const char *plus;

	if (bootcfg_setn(&it->stem, name, n) < 0 ||
		bootcfg_set(&it->name, name) < 0) {
		return -ENOMEM;
	}
	plus = strrchr(it->stem, '+');
	if (plus) {
		i = 1 + strspn(plus + 1, "0123456789");
		if (i > 1 && plus[i] == '-') {
			i += 1 + strspn(plus + i + 1, "0123456789");
		}
		if (i > 1 && !plus[i] && plus[i - 1] != '-') {
			it->bad = strtol(plus + 1, NULL, 10) == 0;
			n = (size_t)(plus - it->stem);
		}
	}
	return bootcfg_setn(&it->e.label, it->stem, n);
}

static int is_entry_name(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".conf") && name[0] != '.' &&
		!strchr(name, '/');
}

static int read_entry(struct bls *b, const char *dir, const char *name)
{
	char *path, *text = NULL;
	struct item *it;
	int r;

	path = malloc(strlen(dir) + 1 + strlen(name) + 1);
	it = realloc(b->it, (b->n + 1) * sizeof(*b->it));
	if (!path || !it) {
		free(path);
		return oom(b);
	}
	b->it = it;
	it = &b->it[b->n];
	memset(it, 0, sizeof(*it));
	strcat(strcat(strcpy(path, dir), "/"), name);
	r = b->io->read(b->io->ctx, path, &text);
	free(path);
	if (r < 0 || !text) {
		free(text);
		bootcfg_note(b->c, "%s: %s, skipped", name, errname(r < 0 ?
			-r : EIO));
		return 0;
	}
	b->n++;
	b->file = name;
	r = names(it, name) < 0 ? oom(b) : parse_entry(b, it, text);
	free(text);
	if (r == 0 && it->arch && strcasecmp(it->arch, BLS_ARCH)) {
		bootcfg_note(b->c, "%s: architecture %s, hidden", name,
			it->arch);
		item_free(it);
		b->n--;
	}
	return r;
}

static int compare(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int sa = a->sort_key && *a->sort_key, sb = b->sort_key && *b->sort_key;
	int r;

	if (a->bad != b->bad) {
		return a->bad - b->bad;
	}
	if (sa != sb) {
		return sb - sa;
	}
	if (sa) {
		r = strcmp(a->sort_key, b->sort_key);
		r = r ? r : strcmp(a->machine_id ? a->machine_id : "",
			b->machine_id ? b->machine_id : "");
		r = r ? r : -bootcfg_vercmp(a->version, b->version);
		if (r) {
			return r;
		}
	}
	r = -bootcfg_vercmp(a->stem, b->stem);
	/* names that compare equal as versions ("a_1", "a+1") keep one order */
	return r ? r : strcmp(a->stem, b->stem);
}

/* the glob of loader.conf's default (systemd-boot's efi_fnmatch): '*',
 * '?', '[...]' with ranges and '!' or '^', '\\' quoting; bytes, no
 * locale. libc's fnmatch would link wide-character class tables, 15 KB
 * of a binary that should stay small, for patterns that are entry names. */
static int glob_class(const char **pp, unsigned char c)
{
	const char *p = *pp;
	int neg = 0, hit = 0;
	unsigned char lo, hi;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	do {
		if (!*p) {
			return -1;	/* no closing ']': not a class */
		}
		if (*p == '\\' && p[1]) {
			p++;
		}
		lo = hi = (unsigned char)*p++;
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1]) {
				p++;
			}
			hi = (unsigned char)*p++;
		}
		hit |= c >= lo && c <= hi;
	} while (*p != ']');
	*pp = p + 1;
	return hit != neg;
}

int bootcfg_glob(const char *pat, const char *s)
{
	const char *star = NULL, *again = NULL, *p;
	int r;

	for (;;) {
		if (*pat == '*') {
			star = ++pat;
			again = s;
			continue;
		}
		if (!*s) {
			return !*pat;
		}
		p = pat;
		if (*p == '?') {
			r = 1;
			p++;
		} else if (*p == '[' && (p++, (r = glob_class(&p,
			(unsigned char)*s)) >= 0)) {
			/* p is past the class */
		} else {
			p = pat;
			if (*p == '\\' && p[1]) {
				p++;
			}
			r = *p && *p == *s;
			p += *p != 0;
		}
		if (r) {
			pat = p;
			s++;
			continue;
		}
		if (!star) {
			return 0;
		}
		/* backtrack: the last '*' takes one more byte */
		pat = star;
		s = ++again;
	}
}

static int match(const char *pat, const struct item *it)
{
	char conf[300];

	snprintf(conf, sizeof(conf), "%s.conf", it->e.label);
	return bootcfg_glob(pat, it->e.label) || bootcfg_glob(pat, conf) ||
		bootcfg_glob(pat, it->name);
}

static void loader_key(struct bls *b, const char *k, const char *v,
	char **pattern)
{
	long t;

	if (!strcmp(k, "default")) {
		if (v[0] == '@') {
			bootcfg_note(b->c, "%s:%u: default %s is an EFI "
				"variable, ignored", b->file, b->line, v);
		} else if (bootcfg_set(pattern, v) < 0) {
			bootcfg_note(b->c, "%s:%u: out of memory", b->file,
				b->line);
		}
	} else if (!strcmp(k, "timeout")) {
		t = bootcfg_number(v);
		if (!strcmp(v, "menu-force")) {
			b->c->timeout_ds = BOOTCFG_NO_TIMEOUT;
		} else if (!strcmp(v, "menu-hidden") ||
			!strcmp(v, "menu-disabled")) {
			b->c->timeout_ds = 0;
		} else if (t >= 0 && t <= 100000) {
			b->c->timeout_ds = (int)t * 10;
		} else {
			bootcfg_note(b->c, "%s:%u: timeout '%s' is not a number "
				"of seconds, ignored", b->file, b->line, v);
		}
	}
	/* console-mode, editor, auto-entries, ...: the menu's business */
}

/* loader.conf: a missing file is no problem, its default pattern is kept
 * in *pattern */
static void loader_conf(struct bls *b, const char *base, char **pattern)
{
	char *path = malloc(strlen(base) + sizeof("/loader/loader.conf"));
	char *text = NULL, *p, *line, *k, *v;
	int r;

	if (!path) {
		return;
	}
	strcat(strcpy(path, base), "/loader/loader.conf");
	r = b->io->read(b->io->ctx, path, &text);
	free(path);
	if (r < 0 || !text) {
		if (r != -ENOENT) {
			bootcfg_note(b->c, "loader.conf: %s, ignored",
				errname(r < 0 ? -r : EIO));
		}
		free(text);
		return;
	}
	b->file = "loader.conf";
	b->line = 0;
	for (p = text; (line = bootcfg_line(&p, &b->line)); ) {
		if (split(line, &k, &v) && *v) {
			loader_key(b, k, v, pattern);
		}
	}
	free(text);
}

static int entries(struct bls *b, const char *dir)
{
	char **list = NULL;
	size_t n = 0, i;
	int r;

	r = b->io->list(b->io->ctx, dir, &list, &n);
	if (r < 0) {
		return bootcfg_refuse(b->c, r, "%s: %s", dir, errname(-r));
	}
	for (i = 0, r = 0; i < n; i++) {
		if (r == 0 && list[i] && is_entry_name(list[i])) {
			r = read_entry(b, dir, list[i]);
		}
		free(list[i]);
	}
	free(list);
	return r;
}

/* moves the sorted items into c, the default per pattern */
static int take(struct bls *b, const char *pattern)
{
	size_t i;

	/* a folder with no *.conf leaves b->it NULL, which qsort may not
	 * take even for 0 items; bootcfg_finish refuses the empty list */
	if (b->n) {
		qsort(b->it, b->n, sizeof(*b->it), compare);
	}
	b->c->e = calloc(b->n ? b->n : 1, sizeof(*b->c->e));
	if (!b->c->e) {
		return oom(b);
	}
	for (i = 0; i < b->n; i++) {
		if (pattern && b->c->def < 0 && b->it[i].e.kernel &&
			match(pattern, &b->it[i])) {
			b->c->def = (int)i;
		}
		b->c->e[i] = b->it[i].e;
		memset(&b->it[i].e, 0, sizeof(b->it[i].e));
	}
	b->c->n = b->n;
	if (pattern && b->c->def < 0) {
		bootcfg_note(b->c, "loader.conf: default '%s' matches no "
			"entry", pattern);
	}
	return 0;
}

int bootcfg_bls(const char *root, const struct bootcfg_io *io,
	struct boot_config *out)
{
	struct bls b;
	char *base, *dir = NULL, *pattern = NULL;
	size_t n = root ? strlen(root) : 0, i;
	int r;

	bootcfg_init(out);
	memset(&b, 0, sizeof(b));
	b.c = out;
	b.io = io;
	b.file = "loader";
	if (!io || !io->read || !io->list) {
		return bootcfg_refuse(out, -ENOSYS, "loader/entries: no file "
			"access");
	}
	/* "/boot/" and "/boot" alike; "/" and "" are the root */
	while (n && root[n - 1] == '/') {
		n--;
	}
	base = strndup(root ? root : "", n);
	if (base) {
		dir = malloc(n + sizeof("/loader/entries"));
	}
	if (!dir) {
		free(base);
		return oom(&b);
	}
	strcat(strcpy(dir, base), "/loader/entries");
	loader_conf(&b, base, &pattern);
	r = entries(&b, dir);
	if (r == 0) {
		r = take(&b, pattern);
	}
	if (r == 0) {
		r = bootcfg_finish(out, "loader/entries");
	}
	for (i = 0; i < b.n; i++) {
		item_free(&b.it[i]);
	}
	free(b.it);
	free(base);
	free(dir);
	free(pattern);
	return r;
}
