/* Boot Loader Specification (UAPI.1) Type #1 entries: every
 * ROOT/loader/entries/ *.conf is one entry, "KEY VALUE" lines, '#'
 * comments. Entry id (hop.entry=ID) = file name without ".conf" and
 * without the boot counting suffix ("+3" or "+3-1"): grub's blscfg id;
 * hop.entry also takes it with ".conf" (systemd-boot's id), and ignores
 * case for it, as systemd-boot does (label_fold, bootcfg_choose).
 *
 *   title, version, machine-id, sort-key, linux, initrd (repeatable),
 *   options (repeatable, joined with spaces), devicetree, architecture
 *
 * An entry without linux (an efi entry) cannot be kexec'd and is dropped;
 * one whose architecture is not this machine's is hidden, as the spec asks.
 * Keys of grub's blscfg (id, grub_users, grub_arg, grub_class) are
 * ignored.
 *
 * grub variables: Fedora's and RHEL's grub write "$kernelopts" (RHEL 8,
 * Fedora 30-33), "$tuned_params" and "$tuned_initrd" into entries, which
 * grub expands from its environment, the grubenv load_env read. So does
 * hop in linux, initrd, options and devicetree ("$name" and "${name}",
 * expand() says how), from ROOT/grub2/grubenv or ROOT/grub/grubenv, read
 * once, when the first variable is met; an unset variable is empty, with
 * a note naming it.
 *
 * Titles: entries that would show the same title (kernel-install writes
 * the OS name alone) get the version added, then the machine-id, then
 * the file name, as systemd-boot does (unique_titles); hop.entry matches
 * the title as written too (title_raw).
 *
 * Order, from the spec's "Sorting": entries whose tries are used up
 * ("+0-N") last; entries with sort-key before those without; two with
 * sort-key by sort-key, then machine-id (both strcmp, empty lowest), then
 * version (decreasing, UAPI version order); last of all by file name
 * without ".conf" (decreasing version order).
 *
 * ROOT/loader/loader.conf (optional): "default PATTERN", a glob matched
 * (bootcfg_glob, ignoring case as systemd-boot does) against the entry id,
 * the id with ".conf" and the file name, the first match in that order
 * wins ("@saved" and the other EFI variable names are ignored); "timeout
 * N" in seconds ("menu-force": none, "menu-hidden": 0), as systemd-boot's
 * loader.conf(5) says. A pattern longer than a file name can be (255
 * bytes) is ignored: matching costs the pattern's length times the
 * name's, for every entry.
 *
 * The boot's budget (bootcfg.h) pays for the names listed (a folder of
 * 100,000 names, or many names of one big entry hard-linked, stops
 * there), each file read and its bytes (the grubenv too), each entry, and
 * the bytes variables add. */
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
	int dup;		/* its shown title is another's too */
	int retitled;		/* e.title is add_to_title's, not written */
};

struct bls {
	struct boot_config *c;
	const struct bootcfg_io *io;
	struct item *it;
	size_t n;
	const char *file;
	unsigned line;
	const char *base;	/* ROOT without its last '/' */
	/* the grubenv, read when an entry first names a variable */
	struct grubenv env;
	int env_tried;
	const char *env_file;	/* where it was read from; NULL: not */
	char env_why[96];	/* why not */
	/* the variables of this entry that are not set, one note for all
	 * of them: "$kernelopts $tuned_params" */
	char unset[128];
	unsigned unset_line;	/* the first's line, 0: none */
	int unset_more;		/* more than unset holds */
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

static int read_file(struct bls *b, const char *path, const char *name,
	char **text, int *err);

/* grub's environment, where Fedora's and RHEL's entries take $kernelopts,
 * $tuned_params and $tuned_initrd from: ROOT/grub2/grubenv (Fedora, RHEL,
 * the file grub2-editenv writes: /boot/grub2/grubenv, or /grub2/grubenv
 * on a /boot partition of its own), then ROOT/grub/grubenv (grub's own
 * name). Where it lives on the EFI system partition instead (RHEL 8 and
 * Fedora before 34 on UEFI: /boot/efi/EFI/redhat/grubenv, the /boot one a
 * symbolic link to it) it is on another file system, which io cannot
 * reach: the variables are unset then, with a note. */
static const char *const grubenv_files[] = {
	"grub2/grubenv", "grub/grubenv",
};

/* reads the grubenv, once, when the first $variable is met: 0 (read or
 * not: b->env_why says why not), or a refusal (the budget) */
static int load_env(struct bls *b)
{
	size_t i;
	char *path, *text;
	int r, err;

	if (b->env_tried) {
		return 0;
	}
	b->env_tried = 1;
	for (i = 0; i < sizeof(grubenv_files) / sizeof(grubenv_files[0]);
		i++) {
		path = malloc(strlen(b->base) + 1 + strlen(grubenv_files[i]) +
			1);
		if (!path) {
			return oom(b);
		}
		strcat(strcat(strcpy(path, b->base), "/"), grubenv_files[i]);
		r = read_file(b, path, grubenv_files[i], &text, &err);
		free(path);
		if (r < 0) {
			return r;
		}
		if (r == 1) {
			/* the first that is there and cannot be read (a link
			 * out of the file system) is what the note names */
			if (err != -ENOENT && !*b->env_why) {
				snprintf(b->env_why, sizeof(b->env_why),
					"%s: %s", grubenv_files[i],
					errname(-err));
			}
			continue;
		}
		r = grubenv_parse(text, strlen(text), &b->env);
		free(text);
		if (r == -ENOMEM) {
			return oom(b);
		}
		if (r < 0) {
			/* grub's load_env refuses it too: no next file */
			snprintf(b->env_why, sizeof(b->env_why), "%s: %s",
				grubenv_files[i], r == -EINVAL ? "not a grub "
				"environment block" : "more than 64 variables");
			return 0;
		}
		b->env_file = grubenv_files[i];
		return 0;
	}
	if (!*b->env_why) {
		snprintf(b->env_why, sizeof(b->env_why), "grub2/grubenv, "
			"grub/grubenv: none on this file system");
	}
	return 0;
}

static int name_char(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' &&
		ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* the reference at s ("$name" or "${name}", s[0] is '$'): its length,
 * the name in *name and *n; 0 when s is no reference (a '$' alone, "${"
 * without '}'), which stays as written */
static size_t var_ref(const char *s, const char **name, size_t *n)
{
	size_t i = s[1] == '{' ? 2 : 1, k = i;

	while (name_char(s[k])) {
		k++;
	}
	*name = s + i;
	*n = k - i;
	if (!*n) {
		return 0;
	}
	if (i == 2) {
		return s[k] == '}' ? k + 1 : 0;
	}
	return k;
}

/* grubenv_get for a name that is not NUL-ended */
static const char *env_get(const struct grubenv *env, const char *name,
	size_t n)
{
	size_t i;

	/* the last one written counts, as grubenv_get has it */
	for (i = env->n; i-- > 0; ) {
		if (!strncmp(env->name[i], name, n) && !env->name[i][n]) {
			return env->value[i];
		}
	}
	return NULL;
}

/* name[0..n) is not set: kept for the entry's note, once */
static void unset(struct bls *b, const char *name, size_t n)
{
	size_t len = strlen(b->unset);
	const char *p;

	if (!b->unset_line) {
		b->unset_line = b->line;
	}
	for (p = b->unset; (p = strchr(p, '$')); p++) {
		if (!strncmp(p + 1, name, n) && (p[1 + n] == ' ' ||
			!p[1 + n])) {
			return;
		}
	}
	if (len + (len > 0) + 1 + n + 1 > sizeof(b->unset)) {
		b->unset_more = 1;
		if (len) {
			return;
		}
		/* a name longer than the note: what fits of it */
	}
	snprintf(b->unset + len, sizeof(b->unset) - len, "%s$%.*s",
		len ? " " : "", (int)n, name);
}

/* the note for the entry's unset variables, why they are: grub gives
 * them no value either, and a Fedora or RHEL entry whose $kernelopts is
 * empty boots without root= */
static void note_unset(struct bls *b)
{
	if (!b->unset_line) {
		return;
	}
	bootcfg_note(b->c, "%s:%u: %s%s not set (%s%s): empty, as in grub",
		b->file, b->unset_line, b->unset, b->unset_more ? " ..." : "",
		b->env_file ? "not in " : "", b->env_file ? b->env_file :
		b->env_why);
	b->unset[0] = '\0';
	b->unset_line = 0;
	b->unset_more = 0;
}

/* v with its grub variables replaced by their values in *out (malloc'd,
 * 0), or a refusal. grub builds each entry as a script ("linux ($root)
 * LINUX OPTIONS", "initrd ($root)INITRD..."), whose words it expands
 * from its environment, where load_env put the grubenv: blscfg's
 * expand_val for options and devicetree, grub's script for linux and
 * initrd (grub-core/commands/blscfg.c, create_entry). Titles stay as
 * written there, and here. An unset variable is nothing, as in grub, with
 * a note naming it. A value is not expanded again, and what values add
 * is paid from the budget's expand before it is copied. */
static int expand(struct bls *b, const char *v, char **out)
{
	size_t len = strlen(v), cap = len + 1, n = 0, ref, nl, vl, need;
	const char *s = v, *name, *val;
	char *o, *p;
	int r, any = 0;

	*out = NULL;
	if (!strchr(v, '$')) {
		return bootcfg_set(out, v) < 0 ? oom(b) : 0;
	}
	o = malloc(cap);
	if (!o) {
		return oom(b);
	}
	while (*s) {
		ref = *s == '$' ? var_ref(s, &name, &nl) : 0;
		if (!ref) {
			o[n++] = *s++;
			continue;
		}
		any = 1;
		r = load_env(b);
		if (r < 0) {
			free(o);
			return r;
		}
		val = env_get(&b->env, name, nl);
		s += ref;
		if (!val) {
			unset(b, name, nl);
			continue;
		}
		vl = strlen(val);
		r = bootcfg_spend(b->c, BOOTCFG_EXPAND, vl, b->file, b->line,
			NULL);
		if (r < 0) {
			free(o);
			return r;
		}
		/* room for what is still to copy as it is: growing by what
		 * is needed (or doubling) keeps a line of many references
		 * linear */
		need = n + vl + (len - (size_t)(s - v)) + 1;
		if (need > cap) {
			cap = cap * 2 > need ? cap * 2 : need;
			p = realloc(o, cap);
			if (!p) {
				free(o);
				return oom(b);
			}
			o = p;
		}
		memcpy(o + n, val, vl);
		n += vl;
	}
	/* "quiet $tuned_params" with none: no blank left at the end */
	while (any && n && (o[n - 1] == ' ' || o[n - 1] == '\t')) {
		n--;
	}
	o[n] = '\0';
	p = o;
	while (any && (*p == ' ' || *p == '\t')) {
		p++;
	}
	memmove(o, p, n + 1 - (size_t)(p - o));
	*out = o;
	return 0;
}

static int initrds(struct bls *b, struct item *it, const char *v)
{
	char *list = NULL, *s;
	int r;

	/* one path per line in the spec; grub's blscfg also takes several,
	 * and an empty $tuned_initrd is no path */
	r = expand(b, v, &list);
	if (r < 0) {
		return r;
	}
	for (s = list, r = 0; *s && r == 0; ) {
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

	r = expand(b, v, &o);
	if (r < 0) {
		return r;
	}
	/* "may appear more than once in which case all specified parameters
	 * are combined in the order they are listed" */
	r = append(it, o);
	free(o);
	return r < 0 ? oom(b) : 0;
}

/* linux and devicetree: a path, its variables expanded; one that expands
 * to nothing is no path (the entry without linux is dropped) */
static int path_key(struct bls *b, char **dst, const char *v)
{
	char *p = NULL;
	int r = expand(b, v, &p);

	if (r < 0) {
		return r;
	}
	free(*dst);
	*dst = NULL;
	if (*p) {
		*dst = p;
	} else {
		free(p);
	}
	return 0;
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
		return path_key(b, &it->e.kernel, v);
	} else if (!strcmp(k, "devicetree")) {
		return path_key(b, &it->e.dtb, v);
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
	it->e.label_fold = 1;
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
	if (r == 0) {
		note_unset(b);
	}
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
static unsigned char fold(unsigned char c, int on)
{
	return on && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 'a' - 'A') : c;
}

static int glob_class(const char **pp, unsigned char c, int f)
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
		lo = hi = fold((unsigned char)*p++, f);
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1]) {
				p++;
			}
			hi = fold((unsigned char)*p++, f);
		}
		hit |= c >= lo && c <= hi;
	} while (*p != ']');
	*pp = p + 1;
	return hit != neg;
}

/* bootcfg_glob, ignoring case when f is set (ASCII: systemd-boot folds
 * the pattern and the ids to lower case before it matches them) */
static int glob(const char *pat, const char *s, int f)
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
			fold((unsigned char)*s, f), f)) >= 0)) {
			/* p is past the class */
		} else {
			p = pat;
			if (*p == '\\' && p[1]) {
				p++;
			}
			r = *p && fold((unsigned char)*p, f) ==
				fold((unsigned char)*s, f);
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

int bootcfg_glob(const char *pat, const char *s)
{
	return glob(pat, s, 0);
}

/* systemd-boot matches the pattern, folded to lower case, against its
 * ids, the file names folded (src/boot/efi/boot.c, config_find_entry) */
static int match(const char *pat, const struct item *it)
{
	char conf[300];

	snprintf(conf, sizeof(conf), "%s.conf", it->e.label);
	return glob(pat, it->e.label, 1) || glob(pat, conf, 1) ||
		glob(pat, it->name, 1);
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

/* the title the menu shows: its own, else its id */
static const char *shown(const struct item *it)
{
	return it->e.title ? it->e.title : it->e.label;
}

static int by_shown(const void *pa, const void *pb)
{
	const struct item *a = *(const struct item *const *)pa;
	const struct item *b = *(const struct item *const *)pb;
	int r = strcmp(shown(a), shown(b));

	return r ? r : (a > b) - (a < b);
}

/* marks the items whose shown title another has too; 1 when there are
 * any. Sorted, not each against each: 256 titles of a budget's 4 MiB
 * compared pairwise would be gigabytes of strcmp. */
static int mark_dups(struct item **v, size_t n)
{
	size_t i;
	int any = 0;

	for (i = 0; i < n; i++) {
		v[i]->dup = 0;
	}
	qsort(v, n, sizeof(*v), by_shown);
	for (i = 1; i < n; i++) {
		if (!strcmp(shown(v[i - 1]), shown(v[i]))) {
			v[i - 1]->dup = v[i]->dup = 1;
			any = 1;
		}
	}
	return any;
}

/* title " (" what[0..n) ")", the title as written kept in title_raw */
static int add_to_title(struct item *it, const char *what, size_t n)
{
	const char *t = shown(it);
	size_t tl = strlen(t);
	char *s = malloc(tl + n + 4);

	if (!s) {
		return -ENOMEM;
	}
	memcpy(s, t, tl);
	memcpy(s + tl, " (", 2);
	memcpy(s + tl + 2, what, n);
	memcpy(s + tl + 2 + n, ")", 2);
	if (it->e.title && !it->retitled) {
		it->e.title_raw = it->e.title;	/* the title as written */
	} else {
		free(it->e.title);	/* none written, or ours */
	}
	it->e.title = s;
	it->retitled = 1;
	return 0;
}

/* kernel-install gives every entry of one OS the same title (its
 * PRETTY_NAME): as systemd-boot's config_title_generate (src/boot/efi/
 * boot.c) tells them apart, the version is added to the titles that
 * collide, then to those still colliding the first 8 characters of the
 * machine-id, then the file name (systemd-boot: its id, the file name
 * folded to lower case). Only the entries with a kernel count: the others
 * are dropped. */
static int unique_titles(struct bls *b)
{
	struct item **v = malloc((b->n ? b->n : 1) * sizeof(*v));
	size_t n = 0, i, round, wl;
	const char *w;

	if (!v) {
		return oom(b);
	}
	for (i = 0; i < b->n; i++) {
		if (b->it[i].e.kernel) {
			v[n++] = &b->it[i];
		}
	}
	for (round = 0; round < 3 && mark_dups(v, n); round++) {
		for (i = 0; i < n; i++) {
			w = round == 0 ? v[i]->version : round == 1 ?
				v[i]->machine_id : v[i]->name;
			if (!v[i]->dup || !w) {
				continue;
			}
			wl = strlen(w);
			if (round == 1 && wl > 8) {
				wl = 8;
			}
			if (add_to_title(v[i], w, wl) < 0) {
				free(v);
				return oom(b);
			}
		}
	}
	free(v);
	return 0;
}

/* Without loader.conf's default, grub's: Fedora's and RHEL's grub.cfg
 * read these entries with blscfg after "load_env" and "set
 * default=${saved_entry}" (next_entry first, as grub-reboot leaves it), so
 * the grubenv's choice (grubby --set-default, grub2-set-default) is the
 * default, matched as grub matches it: a number, else an id or title.
 * 0, or a refusal (the budget) */
static int grub_default(struct bls *b)
{
	const char *want;
	int r = load_env(b), i;

	if (r < 0 || !b->env_file) {
		return r;
	}
	want = grubenv_get(&b->env, "next_entry");
	if (!want || !*want) {
		want = grubenv_get(&b->env, "saved_entry");
	}
	if (!want || !*want) {
		return 0;
	}
	i = bootcfg_choose(b->c, want);
	if (i >= 0) {
		b->c->def = i;
	} else {
		bootcfg_note(b->c, "%s: saved entry '%s' matches no entry",
			b->env_file, want);
	}
	return 0;
}

/* moves the sorted items into c, the default per pattern */
static int take(struct bls *b, const char *pattern)
{
	size_t i;
	int r;

	/* a folder with no *.conf leaves b->it NULL, which qsort may not
	 * take even for 0 items; bootcfg_finish refuses the empty list */
	if (b->n) {
		qsort(b->it, b->n, sizeof(*b->it), compare);
	}
	r = unique_titles(b);
	if (r < 0) {
		return r;
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
	return pattern ? 0 : grub_default(b);
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
	b.base = base;
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
	grubenv_free(&b.env);
	free(base);
	free(dir);
	free(pattern);
	bootcfg_end(out, &own);
	return r;
}
