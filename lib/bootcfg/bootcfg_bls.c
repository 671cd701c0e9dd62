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
 * Type #2 (the spec's "Type #2 EFI Unified Kernel Images"): each
 * ROOT/EFI/Linux/ *.efi (the folder's and the suffix's case ignored, as
 * on the vfat of an ESP or XBOOTLDR partition; names starting "auto-"
 * are systemd-boot's own, skipped as it skips them) that is a UKI of
 * this machine's PE type (systemd's pe_is_native) is one entry per
 * profile (systemd 257's .profile sections; one without), read as
 * systemd-boot's boot_entry_add_type2 (src/boot/boot.c) reads it:
 *
 *   id (label) the file name without ".efi" and the boot counter, as
 *     Type #1's; systemd-boot's id is the file name, and a profile N
 *     after the first adds "@ID" (its .profile's ID=) or "@N": hop.entry
 *     takes "NAME@ID" and "NAME.efi@ID" alike (label_fold 2)
 *   title  PRETTY_NAME, else IMAGE_ID, NAME, ID of the .osrel (systemd's
 *     bootspec_pick_name_version_sort_key), else the file name; a
 *     profile's " (TITLE)", else " (ID)", else " (Profile #N+1)" after it
 *   version  IMAGE_VERSION, else VERSION, VERSION_ID, BUILD_ID (the same
 *     function; the spec names VERSION_ID alone, systemd-boot, the
 *     reference, prefers the others)
 *   sort-key  IMAGE_ID, else ID (the same); no machine-id, which the
 *     spec says Type #2 has no counterpart for
 *   kernel  the UKI's own path; no initrd, no options: its .cmdline,
 *     .initrd and profile are the loader's (sub: the profile's index,
 *     NULL for the first)
 *
 * and sorted with the Type #1 entries, one menu as the spec's "Locating
 * Boot Entries" asks; a UKI's profiles by index after its file name, as
 * systemd-boot's boot_entry_compare. Only the PE head and the .osrel and
 * .profile sections are read (bootcfg.h's BLS_UKI_* limits). A file that
 * is no UKI (an EFI-stub kernel, systemd-boot itself) is skipped, said at
 * debug level; a broken one with a warning and uki_parse's why.
 *
 * The boot's budget (bootcfg.h) pays for the names listed (a folder of
 * 100,000 names, or many names of one big entry hard-linked, stops
 * there), each file read and its bytes (the grubenv too), each entry, and
 * the bytes variables add. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"
#if HOP_FEAT_UKI
#include "uki.h"
#endif

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

/* this machine's PE Machine values (systemd's pe_is_native): a UKI of
 * another is hidden, as Type #1's architecture; arm's stubs are Thumb
 * (0x1c2, Linux's efi-header.S) or ARMNT (0x1c4) */
static int pe_native(unsigned machine)
{
#if defined(__x86_64__)
	return machine == 0x8664;
#elif defined(__aarch64__)
	return machine == 0xaa64;
#elif defined(__arm__)
	return machine == 0x1c2 || machine == 0x1c4;
#elif defined(__i386__)
	return machine == 0x14c;
#else
	(void)machine;
	return 0;
#endif
}

struct item {
	struct boot_entry e;
	size_t ncmd, capcmd;	/* e.cmdline's length and room */
	char *name;		/* the file name */
	char *stem;		/* the name without ".conf" */
	char *sort_key, *machine_id, *version, *arch;
	/* Type #2: systemd-boot's id ("NAME.efi", "NAME.efi@ID"), what
	 * loader.conf's default matches; NULL for Type #1 (ID.conf) */
	char *sdid;
	size_t profile;		/* Type #2: the UKI's profile */
	int uki;		/* Type #2 */
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
	/* loader/entries is not there (-ENOENT): no refusal while
	 * EFI/Linux may hold Type #2 entries */
	int no_type1;
	int uki_dir;		/* an EFI/Linux folder was listed */
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
	free(it->sdid);
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

/* name minus its suffix (".conf", ".efi": sufl bytes) is the stem; the
 * stem minus "+LEFT[-DONE]" the id */
static int names(struct item *it, const char *name, size_t sufl)
{
	size_t n = strlen(name) - sufl, i;
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
	r = names(it, name, 5) < 0 ? oom(b) : parse_entry(b, it, text);
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
	r = r ? r : strcmp(a->stem, b->stem);
	/* one UKI's profiles in order, as systemd-boot's boot_entry_compare;
	 * "x.conf" before "x.efi" */
	r = r ? r : (a->profile > b->profile) - (a->profile < b->profile);
	return r ? r : a->uki - b->uki;
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
	return glob(pat, it->e.label, 1) || glob(pat, it->sdid ? it->sdid :
		conf, 1) || glob(pat, it->name, 1);
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
	if ((r == -ENOENT || r == -ENOTDIR) && b->io->read_at) {
		/* refused when EFI/Linux is not there either */
		b->no_type1 = r;
		return 0;
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

#if HOP_FEAT_UKI
/* ---- Type #2: Unified Kernel Images in ROOT/EFI/Linux ---- */

/* the folder's spellings: the spec's first, which vfat (an ESP, an
 * XBOOTLDR partition) finds in any case; on another file system (a /boot
 * of the root's) the one that is there */
static const char *const uki_dirs[] = {
	"/EFI/Linux", "/efi/linux", "/EFI/linux", "/efi/Linux",
};

/* one UKI being read, and the buffers every UKI of the folder reuses */
struct ukifile {
	const char *path, *name;	/* "/EFI/Linux/x.efi", "x.efi" */
	uint64_t size;
	uint8_t *head, *osrel, *prof;
	size_t nosrel;
	struct uki_span osrel_at;	/* the section osrel holds */
};

/* the caller's log line (a warning, or debug), or a note without one */
static void say(struct bls *b, int warn, const char *what, const char *fmt,
	...) __attribute__((format(printf, 4, 5)));
static void say(struct bls *b, int warn, const char *what, const char *fmt,
	...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (b->io->say) {
		b->io->say(b->io->ctx, warn, what, msg);
	} else if (warn) {
		bootcfg_note(b->c, "%s: %s", what, msg);
	}
}

/* len bytes of f from off into buf, paid from the budget's bytes: 0 with
 * *got, 1 when the read failed (noted), or a refusal */
static int uki_pread(struct bls *b, struct ukifile *f, uint64_t off,
	uint8_t *buf, size_t len, size_t *got)
{
	uint64_t size = 0;
	long n = b->io->read_at(b->io->ctx, f->path, off, buf, len, &size);

	*got = 0;
	if (n < 0) {
		bootcfg_note(b->c, "%s: %s, skipped", f->name,
			errname((int)-n));
		return 1;
	}
	f->size = size;
	*got = (size_t)n < len ? (size_t)n : len;
	return bootcfg_spend(b->c, BOOTCFG_READ, *got, f->name, 0, NULL);
}

/* the text of section s (.osrel, .profile) into buf: its first
 * BLS_UKI_TEXT_MAX bytes, noted when there are more; 0 with *n, 1, or a
 * refusal */
static int uki_text(struct bls *b, struct ukifile *f,
	const struct uki_span *s, const char *sect, uint8_t *buf, size_t *n)
{
	size_t len = s->len > BLS_UKI_TEXT_MAX ? BLS_UKI_TEXT_MAX :
		(size_t)s->len;

	*n = 0;
	if (s->len > BLS_UKI_TEXT_MAX) {
		bootcfg_note(b->c, "%s: %s of %llu bytes: only its first %d "
			"read", f->name, sect, (unsigned long long)s->len,
			BLS_UKI_TEXT_MAX);
	}
	return len ? uki_pread(b, f, s->off, buf, len, n) : 0;
}

/* KEY's value in an os-release text into out (BLS_UKI_VALUE_MAX bytes),
 * or NULL when it is absent or empty; one that is too long or not
 * printable is noted (once a UKI: *noted) and taken as absent */
static const char *osrel_get(struct bls *b, const char *name,
	const uint8_t *text, size_t n, const char *key, char *out, int *noted)
{
	int r = uki_osrel(text, n, key, out, BLS_UKI_VALUE_MAX);

	if (r == 0 && *out) {
		return out;
	}
	if (r < 0 && r != -ENOENT && !*noted) {
		bootcfg_note(b->c, "%s: %s=: %s, ignored", name, key,
			r == -E2BIG ? "too long" : "not printable text, or an "
			"unterminated quote");
		*noted = 1;
	}
	return NULL;
}

/* *dst = a b c (malloc'd; c may be NULL) */
static int cat3(char **dst, const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
	char *p = malloc(la + lb + lc + 1);

	if (!p) {
		return -ENOMEM;
	}
	memcpy(p, a, la);
	memcpy(p + la, b, lb);
	memcpy(p + la + lb, c ? c : "", lc + 1);
	free(*dst);
	*dst = p;
	return 0;
}

/* the os-release keys systemd's bootspec_pick_name_version_sort_key
 * reads, in its order of preference */
enum {
	OS_PRETTY_NAME, OS_IMAGE_ID, OS_NAME, OS_ID, OS_IMAGE_VERSION,
	OS_VERSION, OS_VERSION_ID, OS_BUILD_ID, OS_NKEYS
};
static const char *const os_keys[OS_NKEYS] = {
	"PRETTY_NAME", "IMAGE_ID", "NAME", "ID", "IMAGE_VERSION", "VERSION",
	"VERSION_ID", "BUILD_ID",
};

#define FIRST3(a, b, c) ((a) ? (a) : (b) ? (b) : (c))

/* profile k (of nprof) of the UKI f as an item, from its .osrel text
 * os[0..osn) and its .profile text pr[0..prn) (pr NULL: none): bytes
 * in, an entry out, as systemd-boot's boot_entry_add_type2 makes it */
static int uki_item(struct bls *b, const struct ukifile *f, size_t k,
	const uint8_t *os, size_t osn, const uint8_t *pr, size_t prn)
{
	char v[OS_NKEYS + 2][BLS_UKI_VALUE_MAX], num[32], *title = NULL;
	const char *val[OS_NKEYS], *name, *version, *key, *pid = NULL,
		*ptitle = NULL, *at;
	struct item *it;
	size_t i;
	int r, noted = 0;

	for (i = 0; i < OS_NKEYS; i++) {
		val[i] = osrel_get(b, f->name, os, osn, os_keys[i], v[i],
			&noted);
	}
	if (pr) {
		pid = osrel_get(b, f->name, pr, prn, "ID", v[OS_NKEYS], &noted);
		ptitle = osrel_get(b, f->name, pr, prn, "TITLE",
			v[OS_NKEYS + 1], &noted);
	}
	/* systemd-boot skips a UKI without a name; the spec adds every
	 * image: its file name then */
	name = FIRST3(val[OS_PRETTY_NAME], val[OS_IMAGE_ID], val[OS_NAME]);
	name = FIRST3(name, val[OS_ID], f->name);
	version = FIRST3(val[OS_IMAGE_VERSION], val[OS_VERSION],
		val[OS_VERSION_ID]);
	version = version ? version : val[OS_BUILD_ID];
	key = val[OS_IMAGE_ID] ? val[OS_IMAGE_ID] : val[OS_ID];

	r = bootcfg_spend(b->c, BOOTCFG_ENTRIES, 1, f->name, 0, NULL);
	it = r ? NULL : realloc(b->it, (b->n + 1) * sizeof(*b->it));
	if (!it) {
		return r ? r : oom(b);
	}
	b->it = it;
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->uki = 1;
	it->profile = k;
	snprintf(num, sizeof(num), "%zu", k);
	/* a profile after the first: "@ID" or "@N" after the id */
	at = k ? (pid ? pid : num) : NULL;
	if (names(it, f->name, 4) < 0 ||
		(at && (cat3(&it->e.label, it->e.label, "@", at) < 0 ||
		cat3(&it->sdid, f->name, "@", at) < 0)) ||
		(!at && bootcfg_set(&it->sdid, f->name) < 0) ||
		bootcfg_set(&it->e.kernel, f->path) < 0 ||
		(k && bootcfg_set(&it->e.sub, num) < 0) ||
		(version && bootcfg_set(&it->version, version) < 0) ||
		(key && bootcfg_set(&it->sort_key, key) < 0)) {
		return oom(b);
	}
	it->e.label_fold = 2;
	/* systemd-boot's title: the name, then the profile's TITLE, its
	 * ID, or its number from 1 */
	if (!ptitle && k && !pid) {
		snprintf(num, sizeof(num), "Profile #%zu", k + 1);
	}
	at = ptitle ? ptitle : k ? (pid ? pid : num) : NULL;
	r = at ? cat3(&title, name, " (", at) : bootcfg_set(&title, name);
	if (r < 0 || (at && cat3(&it->e.title, title, ")", NULL) < 0)) {
		free(title);
		return oom(b);
	}
	if (!at) {
		it->e.title = title;
	} else {
		free(title);
	}
	return 0;
}

/* the section at s into buf as the text of profile k, unless buf holds
 * it already (*at): 0 with *n, 1, or a refusal */
static int uki_section(struct bls *b, struct ukifile *f,
	const struct uki_span *s, const char *sect, uint8_t *buf, size_t *n,
	struct uki_span *at)
{
	int r;

	if (at && at->len && at->off == s->off && at->len == s->len) {
		return 0;
	}
	r = uki_text(b, f, s, sect, buf, n);
	if (at) {
		*at = r == 0 ? *s : (struct uki_span){ 0, 0 };
	}
	return r;
}

/* one file of EFI/Linux: its entries, or nothing (said why); 0 or a
 * refusal */
static int read_uki(struct bls *b, const char *dir, const char *name,
	struct ukifile *f)
{
	struct uki u;
	struct uki_view view;
	char why[200];
	size_t nhead, nprof, k;
	int r, err;

	free((char *)f->path);
	f->path = NULL;
	if (cat3((char **)&f->path, dir, "/", name) < 0) {
		return oom(b);
	}
	f->name = name;
	f->osrel_at = (struct uki_span){ 0, 0 };
	b->file = name;
	r = bootcfg_spend(b->c, BOOTCFG_FILES, 1, name, 0, NULL);
	r = r ? r : uki_pread(b, f, 0, f->head, BLS_UKI_HEAD, &nhead);
	/* a section table past the first read: again, as far as uki.h
	 * looks */
	if (r == 0 && !uki_probe(f->head, nhead) && nhead == BLS_UKI_HEAD &&
		f->size > nhead) {
		r = uki_pread(b, f, 0, f->head, UKI_HEAD_MAX, &nhead);
	}
	if (r) {
		return r < 0 ? r : 0;
	}
	if (!uki_probe(f->head, nhead)) {
		say(b, 0, f->path, "not a Unified Kernel Image (no .linux "
			"section), skipped");
		return 0;
	}
	err = uki_parse(f->head, nhead, f->size, &u, why, sizeof(why));
	if (err < 0) {
		say(b, 1, f->path, "%s, skipped", why);
		return 0;
	}
	if (!pe_native(u.machine)) {
		bootcfg_note(b->c, "%s: PE machine 0x%x, another machine's, "
			"hidden", name, u.machine);
		return 0;
	}
	nprof = u.nprofiles ? u.nprofiles : 1;
	for (k = 0; k < nprof; k++) {
		size_t nos = 0, npr = 0;

		uki_view(&u, k, &view);
		r = uki_section(b, f, &view.s[UKI_OSREL], ".osrel", f->osrel,
			&f->nosrel, &f->osrel_at);
		nos = r == 0 && view.s[UKI_OSREL].len ? f->nosrel : 0;
		if (r == 0 && u.nprofiles && view.s[UKI_PROFILE].len) {
			r = uki_section(b, f, &view.s[UKI_PROFILE], ".profile",
				f->prof, &npr, NULL);
		}
		if (r == 1) {
			return 0;	/* unreadable: noted */
		}
		r = r ? r : uki_item(b, f, k, f->osrel, nos,
			u.nprofiles && view.s[UKI_PROFILE].len ? f->prof :
			NULL, npr);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

static int is_uki_name(const char *name)
{
	size_t n = strlen(name);

	/* "auto-*": systemd-boot's own entries' ids, which it skips */
	return n > 4 && name[0] != '.' && !strchr(name, '/') &&
		!strcasecmp(name + n - 4, ".efi") &&
		strncasecmp(name, "auto-", 5);
}

/* ROOT/EFI/Linux's UKIs, the first BLS_UKI_MAX in name order: 0 (none
 * there too), or a refusal */
static int ukis(struct bls *b)
{
	struct ukifile f;
	char **list = NULL, *dir = NULL;
	size_t n = 0, i, seen = 0;
	int r = -ENOENT;

	for (i = 0; i < sizeof(uki_dirs) / sizeof(uki_dirs[0]) &&
		(r == -ENOENT || r == -ENOTDIR); i++) {
		if (cat3(&dir, b->base, uki_dirs[i], NULL) < 0) {
			return oom(b);
		}
		r = b->io->list(b->io->ctx, dir, &list, &n);
	}
	if (r == -E2BIG) {
		free(dir);
		return bootcfg_spend(b->c, BOOTCFG_LISTED, (size_t)-1,
			"EFI/Linux", 0, NULL);
	}
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR) {
			bootcfg_note(b->c, "%s: %s, not read", dir,
				errname(-r));
		}
		free(dir);
		return 0;
	}
	b->uki_dir = 1;
	memset(&f, 0, sizeof(f));
	f.head = malloc(UKI_HEAD_MAX);
	f.osrel = malloc(BLS_UKI_TEXT_MAX);
	f.prof = malloc(BLS_UKI_TEXT_MAX);
	r = f.head && f.osrel && f.prof ? 0 : oom(b);
	r = r ? r : bootcfg_spend(b->c, BOOTCFG_LISTED, n, dir, 0, NULL);
	for (i = 0; i < n; i++) {
		if (r == 0 && list[i] && is_uki_name(list[i]) &&
			seen++ == BLS_UKI_MAX) {
			bootcfg_note(b->c, "%s: more than %d .efi files: %s "
				"and those after it not looked at", dir,
				BLS_UKI_MAX, list[i]);
		}
		if (r == 0 && list[i] && is_uki_name(list[i]) &&
			seen <= BLS_UKI_MAX) {
			r = read_uki(b, dir, list[i], &f);
		}
	}
	for (i = 0; i < n; i++) {
		free(list[i]);	/* after: f.name and b->file were one */
	}
	free(list);
	free((char *)f.path);
	free(f.head);
	free(f.osrel);
	free(f.prof);
	free(dir);
	return r;
}
#endif

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
#if HOP_FEAT_UKI
	if (r == 0 && io->read_at) {
		r = ukis(&b);
	}
#endif
	if (r == 0 && b.no_type1 && !b.uki_dir) {
		r = bootcfg_refuse(out, b.no_type1, "%s: %s", dir,
			errname(-b.no_type1));
	}
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
