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
 * "menu-hidden": 0), as systemd-boot's loader.conf(5) says. A pattern
 * longer than a file name can be (255 bytes) is ignored: matching costs
 * the pattern's length times the name's, for every entry.
 *
 * The boot's budget (bootcfg.h) pays for the names listed (a folder of
 * 100,000 names, or many names of one big entry hard-linked, stops
 * there), each file read and its bytes, and each entry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"

/* loader.conf's default, at most: a file name's length (NAME_MAX) */
#define MAX_PATTERN 255

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
	size_t ncmd, capcmd;	/* e.cmdline's length and room */
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
	char *p;
	int found = 0;

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
	/* one buffer, the words copied in once: a line of many short words
	 * stays linear */
	p = malloc(strlen(v) + 1);
	if (!p) {
		return -ENOMEM;
	}
	free(*out);
	*out = p;
	for (s = v; *s; ) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		if (n && !grub_var(s, n)) {
			if (p != *out) {
				*p++ = ' ';
			}
			memcpy(p, s, n);
			p += n;
		}
		s += n;
	}
	*p = '\0';
	return 0;
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

/* o after the command line, a space between: its length and room kept,
 * so many options lines cost what one long one does */
static int append(struct item *it, const char *o)
{
	size_t n = strlen(o), sep = it->ncmd && n, need, cap;
	char *p;

	need = it->ncmd + sep + n + 1;
	if (need > it->capcmd) {
		cap = it->capcmd * 2 > need ? it->capcmd * 2 : need;
		p = realloc(it->e.cmdline, cap);
		if (!p) {
			return -ENOMEM;
		}
		it->e.cmdline = p;
		it->capcmd = cap;
	}
	if (sep) {
		it->e.cmdline[it->ncmd++] = ' ';
	}
	memcpy(it->e.cmdline + it->ncmd, o, n + 1);
	it->ncmd += n;
	return 0;
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
	r = append(it, o);
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

/* io->read through the budget: 1 when the file could not be read (a
 * note is the caller's), 0 with *text, or a refusal */
static int read_file(struct bls *b, const char *path, const char *name,
	char **text, int *err)
{
	int r = bootcfg_spend(b->c, BOOTCFG_FILES, 1, name, 0, NULL);

	*text = NULL;
	if (r < 0) {
		return r;
	}
	*err = b->io->read(b->io->ctx, path, text);
	if (*err == -E2BIG) {
		/* the callback stopped at what the budget has left */
		return bootcfg_spend(b->c, BOOTCFG_READ, b->c->budget->read + 1,
			name, 0, NULL);
	}
	if (*err < 0 || !*text) {
		free(*text);
		*text = NULL;
		*err = *err < 0 ? *err : -EIO;
		return 1;
	}
	r = bootcfg_spend(b->c, BOOTCFG_READ, strlen(*text), name, 0, NULL);
	if (r < 0) {
		free(*text);
		*text = NULL;
	}
	return r;
}

static int read_entry(struct bls *b, const char *dir, const char *name)
{
	char *path, *text = NULL;
	struct item *it;
	int r, err;

	path = malloc(strlen(dir) + 1 + strlen(name) + 1);
	if (!path) {
		return oom(b);
	}
	strcat(strcat(strcpy(path, dir), "/"), name);
	r = read_file(b, path, name, &text, &err);
	free(path);
	if (r == 1) {
		bootcfg_note(b->c, "%s: %s, skipped", name, errname(-err));
		return 0;
	}
	r = r ? r : bootcfg_spend(b->c, BOOTCFG_ENTRIES, 1, name, 0, NULL);
	it = r ? NULL : realloc(b->it, (b->n + 1) * sizeof(*b->it));
	if (!it) {
		free(text);
		return r ? r : oom(b);
	}
	b->it = it;
	it = &b->it[b->n];
	memset(it, 0, sizeof(*it));
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
		} else if (strlen(v) > MAX_PATTERN) {
			bootcfg_note(b->c, "%s:%u: default longer than %d bytes, "
				"ignored", b->file, b->line, MAX_PATTERN);
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
 * in *pattern; 0, or a refusal (the budget) */
static int loader_conf(struct bls *b, const char *base, char **pattern)
{
	char *path = malloc(strlen(base) + sizeof("/loader/loader.conf"));
	char *text = NULL, *p, *line, *k, *v;
	int r, err;

	if (!path) {
		return 0;
	}
	strcat(strcpy(path, base), "/loader/loader.conf");
	r = read_file(b, path, "loader.conf", &text, &err);
	free(path);
	if (r < 0) {
		return r;
	}
	if (r == 1) {
		if (err != -ENOENT) {
			bootcfg_note(b->c, "loader.conf: %s, ignored",
				errname(-err));
		}
		return 0;
	}
	b->file = "loader.conf";
	b->line = 0;
	for (p = text; (line = bootcfg_line(&p, &b->line)); ) {
		if (split(line, &k, &v) && *v) {
			loader_key(b, k, v, pattern);
		}
	}
	free(text);
	return 0;
}

static int entries(struct bls *b, const char *dir)
{
	char **list = NULL;
	size_t n = 0, i;
	int r;

	r = b->io->list(b->io->ctx, dir, &list, &n);
	if (r == -E2BIG) {
		/* the callback stopped at what is left of the budget
		 * (bootcfg.h): more than all of it refuses as the count
		 * would */
		return bootcfg_spend(b->c, BOOTCFG_LISTED, (size_t)-1, dir, 0,
			NULL);
	}
	if (r < 0) {
		return bootcfg_refuse(b->c, r, "%s: %s", dir, errname(-r));
	}
	r = bootcfg_spend(b->c, BOOTCFG_LISTED, n, dir, 0, NULL);
	for (i = 0; i < n; i++) {
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
	struct bootcfg_budget own;
	char *base, *dir = NULL, *pattern = NULL;
	size_t n = root ? strlen(root) : 0, i;
	int r;

	bootcfg_begin(out, &own);
	memset(&b, 0, sizeof(b));
	b.c = out;
	b.io = io;
	b.file = "loader";
	if (!io || !io->read || !io->list) {
		r = bootcfg_refuse(out, -ENOSYS, "loader/entries: no file "
			"access");
		bootcfg_end(out, &own);
		return r;
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
		r = oom(&b);
		bootcfg_end(out, &own);
		return r;
	}
	strcat(strcpy(dir, base), "/loader/entries");
	r = loader_conf(&b, base, &pattern);
	r = r ? r : entries(&b, dir);
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
	bootcfg_end(out, &own);
	return r;
}
