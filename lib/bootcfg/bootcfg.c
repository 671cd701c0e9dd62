/* Boot configurations: the entry list every parser fills, choosing an
 * entry for hop.entry, the version comparison of BLS sorting, and the small
 * string helpers the parsers share. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg.h"

/* What the configurations of one boot may cost together, all of them:
 * the disks hop looks at are anyone's, and a few KB of text can ask for
 * gigabytes (a grub variable doubled to 1 MiB and named by every entry,
 * an extlinux file including one big file hundreds of times). Real
 * configurations are far below: Ubuntu's grub.cfg is about 10 KB with
 * some 20 entries and expands a few KB; Fedora's loader/entries holds
 * tens of files; a Yocto extlinux.conf is a few KB. What the parsers hold
 * at most is about the text read plus twice what expansion made (entries
 * keep a copy, a command line escaped doubles), a few MiB. */
static const struct bootcfg_budget budget_default = {
	/* four configuration files as large as the agent reads one */
	.read = 4 << 20,
	/* four words as long as grub's longest (MAX_WORD) */
	.expand = 4 << 20,
	/* hop.menu lists them and a failing one logs a line: a thousand is
	 * a long menu, and bounds the log */
	.entries = 1024,
	/* BLS entries and extlinux includes of every disk */
	.files = 256,
	/* a /boot/loader/entries of kernels kept for years */
	.listed = 4096,
};

static const struct {
	size_t off;
	const char *what;
} costs[] = {
	[BOOTCFG_READ] = { offsetof(struct bootcfg_budget, read),
		"bytes of configuration text" },
	[BOOTCFG_EXPAND] = { offsetof(struct bootcfg_budget, expand),
		"bytes of variable expansion" },
	[BOOTCFG_ENTRIES] = { offsetof(struct bootcfg_budget, entries),
		"entries" },
	[BOOTCFG_FILES] = { offsetof(struct bootcfg_budget, files),
		"configuration files" },
	[BOOTCFG_LISTED] = { offsetof(struct bootcfg_budget, listed),
		"names listed in folders" },
};

/* bootcfg_init's mark (the ASCII of "hopc") */
#define READY 0x686f7063ul

void bootcfg_budget_default(struct bootcfg_budget *b)
{
	*b = budget_default;
}

void bootcfg_init(struct boot_config *c)
{
	memset(c, 0, sizeof(*c));
	c->def = -1;
	c->timeout_ds = BOOTCFG_NO_TIMEOUT;
	c->ready = READY;
}

void bootcfg_begin(struct boot_config *c, struct bootcfg_budget *own)
{
	/* parsers were handed uninitialised structs before budgets came:
	 * without the mark there is no budget to keep */
	struct bootcfg_budget *b = c->ready == READY ? c->budget : NULL;

	bootcfg_init(c);
	if (!b) {
		bootcfg_budget_default(own);
		b = own;
	}
	c->budget = b;
}

void bootcfg_end(struct boot_config *c, const struct bootcfg_budget *own)
{
	/* own dies with the parser's frame */
	if (c->budget == own) {
		c->budget = NULL;
	}
}

int bootcfg_spend(struct boot_config *c, enum bootcfg_cost k, size_t n,
	const char *file, unsigned line, const char *what)
{
	size_t *left = (size_t *)((char *)c->budget + costs[k].off);
	size_t limit = *(const size_t *)((const char *)&budget_default +
		costs[k].off);
	char tail[sizeof(c->why)];
	int room;

	if (n <= *left) {
		*left -= n;
		return 0;
	}
	/* the table's figure: what a boot's budget starts with */
	snprintf(tail, sizeof(tail), ":%u: more than %zu %s in this boot "
		"(hop's budget)", line, limit, what ? what : costs[k].what);
	/* a long file name is cut, never the limit the sentence names */
	room = (int)(sizeof(c->why) - 1 - strlen(tail));
	return bootcfg_refuse(c, -E2BIG, "%.*s%s", room > 0 ? room : 0, file,
		line ? tail : strchr(tail + 1, ':'));
}

int bootcfg_new_entry(struct boot_config *c, const char *file, unsigned line,
	struct boot_entry **out)
{
	struct boot_entry *e;
	int r = bootcfg_spend(c, BOOTCFG_ENTRIES, 1, file, line, NULL);

	if (r < 0) {
		return r;
	}
	/* grows by one: configurations hold a handful of entries, and the
	 * budget's entries bound the array and the copying */
	e = realloc(c->e, (c->n + 1) * sizeof(*c->e));
	if (!e) {
		return bootcfg_refuse(c, -ENOMEM, "%s:%u: out of memory", file,
			line);
	}
	c->e = e;
	memset(&c->e[c->n], 0, sizeof(*c->e));
	*out = &c->e[c->n++];
	return 0;
}

void bootcfg_entry_free(struct boot_entry *e)
{
	size_t i;

	free(e->label);
	free(e->title);
	free(e->title_raw);
	free(e->kernel);
	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
	}
	free(e->cmdline);
	free(e->dtb);
	free(e->fdtdir);
	free(e->sub);
	free(e->search_label);
	free(e->search_uuid);
	for (i = 0; i < e->nmodule; i++) {
		free(e->module[i]);
		free(e->module_cmdline[i]);
	}
	free(e->module);
	free(e->module_cmdline);
	memset(e, 0, sizeof(*e));
}

static void free_entries(struct boot_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		bootcfg_entry_free(&c->e[i]);
	}
	free(c->e);
	c->e = NULL;
	c->n = 0;
	c->def = -1;
}

void bootcfg_free(struct boot_config *c)
{
	free_entries(c);
	bootcfg_init(c);
}

int bootcfg_refuse(struct boot_config *c, int err, const char *fmt, ...)
{
	va_list ap;

	free_entries(c);
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return err;
}

void bootcfg_note(struct boot_config *c, const char *fmt, ...)
{
	va_list ap;

	/* the first one is kept: later ones are often its consequences */
	if (!c->nnotes++) {
		va_start(ap, fmt);
		vsnprintf(c->note, sizeof(c->note), fmt, ap);
		va_end(ap);
	}
}

int bootcfg_setn(char **dst, const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p) {
		return -ENOMEM;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	free(*dst);
	*dst = p;
	return 0;
}

int bootcfg_set(char **dst, const char *s)
{
	return bootcfg_setn(dst, s, strlen(s));
}

int bootcfg_join(char **dst, const char *s)
{
	size_t la = *dst ? strlen(*dst) : 0, lb = strlen(s);
	char *p;

	if (!la) {
		return bootcfg_set(dst, s);
	}
	if (!lb) {
		return 0;
	}
	p = realloc(*dst, la + 1 + lb + 1);
	if (!p) {
		return -ENOMEM;
	}
	p[la] = ' ';
	memcpy(p + la + 1, s, lb + 1);
	*dst = p;
	return 0;
}

int bootcfg_module_slot(struct boot_entry *e)
{
	size_t cap, i;
	char **m, **c;

	if (e->nmodule >= HOP_MAX_MODULES) {
		return -E2BIG;
	}
	if (e->nmodule < e->module_cap) {
		return 0;
	}
	cap = e->module_cap ? 2 * e->module_cap : 8;
	cap = cap < HOP_MAX_MODULES ? cap : HOP_MAX_MODULES;
	m = realloc(e->module, cap * sizeof(*m));
	if (!m) {
		return -ENOMEM;
	}
	e->module = m;	/* kept even when the second fails: freed with e */
	c = realloc(e->module_cmdline, cap * sizeof(*c));
	if (!c) {
		return -ENOMEM;
	}
	e->module_cmdline = c;
	for (i = e->module_cap; i < cap; i++) {
		m[i] = NULL;
		c[i] = NULL;
	}
	e->module_cap = cap;
	return 0;
}

int bootcfg_add_initrd(struct boot_entry *e, const char *s, size_t n)
{
	char *p = NULL;

	if (e->ninitrd >= HOP_MAX_INITRD) {
		return -E2BIG;
	}
	if (bootcfg_setn(&p, s, n) < 0) {
		return -ENOMEM;
	}
	e->initrd[e->ninitrd++] = p;
	return 0;
}

char *bootcfg_line(char **p, unsigned *lineno)
{
	char *s = *p, *nl, *end;

	if (!s) {
		return NULL;
	}
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
		if (!*s) {
			return NULL;
		}
	}
	(*lineno)++;
	/* '\r' counts as a blank: CRLF files from Windows tools */
	while (*s == ' ' || *s == '\t' || *s == '\r') {
		s++;
	}
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
		end[-1] == '\r')) {
		*--end = '\0';
	}
	return s;
}

int bootcfg_finish(struct boot_config *c, const char *name)
{
	size_t i, j = 0, dropped = 0;
	int def = -1;

	for (i = 0; i < c->n; i++) {
		struct boot_entry *e = &c->e[i];

		if (!e->kernel) {
			bootcfg_note(c, "%s: '%s' has no kernel, skipped", name,
				e->label ? e->label : e->title ? e->title : "");
			bootcfg_entry_free(e);
			dropped++;
			continue;
		}
		if ((int)i == c->def) {
			def = (int)j;
		}
		c->e[j++] = *e;
	}
	c->n = j;
	c->def = def;
	if (!c->n) {
		return bootcfg_refuse(c, -ENOENT, dropped ?
			"%s: no entry with a kernel (%zu without)" :
			"%s: no boot entry", name, dropped);
	}
	return 0;
}

long bootcfg_number(const char *s)
{
	long v = 0;

	if (!*s) {
		return -1;
	}
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > (LONG_MAX - 9) / 10) {
			return -1;
		}
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* want names the BLS entry id: systemd-boot's ids are file names with
 * ".conf" (Type #2: ".efi", then "@PROFILE" for a UKI's profile after
 * the first), folded to lower case, and so are the patterns it matches
 * against them (src/boot/efi/boot.c, config_find_entry,
 * boot_entry_add_type2); grub's blscfg ids are the file names without
 * ".conf" (grub-core/commands/blscfg.c). Either is accepted, in any
 * case. fold: the label_fold of the entry, which suffix its file has. */
static int id_matches(const char *id, const char *want, int fold)
{
	const char *suf = fold == 2 ? ".efi" : ".conf";
	size_t n = strlen(want), m = strlen(id), k = strlen(suf), a;

	if (n == m) {
		return !strcasecmp(id, want);
	}
	if (n != m + k) {
		return 0;
	}
	/* want is id with the suffix where id ends or its '@' is */
	for (a = 0; a <= m; a++) {
		if ((id[a] == '\0' || (fold == 2 && id[a] == '@')) &&
			!strncasecmp(id, want, a) &&
			!strncasecmp(want + a, suf, k) &&
			!strcasecmp(id + a, want + a + k)) {
			return 1;
		}
	}
	return 0;
}

int bootcfg_choose(const struct boot_config *c, const char *want)
{
	long n;
	size_t i;

	if (!c->n) {
		return -ENOENT;
	}
	if (!want || !*want) {
		return c->def >= 0 && (size_t)c->def < c->n ? c->def : 0;
	}
	/* a number counts the entries as the list holds them (after the
	 * entries without a kernel were dropped), from 0 like grub's default */
	n = bootcfg_number(want);
	if (n >= 0) {
		return (size_t)n < c->n ? (int)n : -ENOENT;
	}
	for (i = 0; i < c->n; i++) {
		if (c->e[i].label && !strcmp(c->e[i].label, want)) {
			return (int)i;
		}
	}
	for (i = 0; i < c->n; i++) {
		if (c->e[i].label_fold && c->e[i].label &&
			id_matches(c->e[i].label, want,
			c->e[i].label_fold)) {
			return (int)i;
		}
	}
	for (i = 0; i < c->n; i++) {
		if (c->e[i].title && !strcmp(c->e[i].title, want)) {
			return (int)i;
		}
	}
	/* the title as written: the newest of entries that share one (BLS
	 * sorts newest first) */
	for (i = 0; i < c->n; i++) {
		if (c->e[i].title_raw && !strcmp(c->e[i].title_raw, want)) {
			return (int)i;
		}
	}
	return -ENOENT;
}

/* ---- version comparison ----
 * UAPI.10 Version Format Specification, "Version Comparison", as systemd
 * implements it (strverscmp_improved, which systemd-analyze
 * compare-versions runs): only a-z A-Z 0-9 ~ - ^ . count, '~' sorts lower
 * than anything, '-' and '.' lower than going on, '^' higher, numbers
 * numerically, letters by ASCII (A < a), a longer string higher. */

static int version_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '~' || c == '-' || c == '^' ||
		c == '.';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int cmp_int(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* one separator rule: the string at sep sorts lower (or higher when
 * higher is set); 2 means neither is at sep */
static int separator(const char **a, const char **b, char sep, int higher)
{
	if (**a != sep && **b != sep) {
		return 2;
	}
	if (**a != sep) {
		return higher ? -1 : 1;
	}
	if (**b != sep) {
		return higher ? 1 : -1;
	}
	(*a)++;
	(*b)++;
	return 0;
}

/* compares the numbers or the words at a and b, moves past them */
static int segment(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb, *aa = a, *bb = b;
	int r;

	if (is_digit(*a) || is_digit(*b)) {
		while (is_digit(*aa)) {
			aa++;
		}
		while (is_digit(*bb)) {
			bb++;
		}
		/* a number is newer than no number */
		r = cmp_int(a != aa, b != bb);
		while (*a == '0') {
			a++;
		}
		while (*b == '0') {
			b++;
		}
		/* without leading zeros, the longer number is bigger */
		if (!r) {
			r = cmp_int(aa - a, bb - b);
		}
		if (!r) {
			r = strncmp(a, b, (size_t)(aa - a));
		}
	} else {
		while (is_alpha(*aa)) {
			aa++;
		}
		while (is_alpha(*bb)) {
			bb++;
		}
		r = strncmp(a, b, (size_t)(aa - a < bb - b ? aa - a : bb - b));
		if (!r) {
			r = cmp_int(aa - a, bb - b);
		}
	}
	*pa = aa;
	*pb = bb;
	return (r > 0) - (r < 0);
}

int bootcfg_vercmp(const char *a, const char *b)
{
	int r;

	if (!a || !*a || !b || !*b) {
		return cmp_int(a && *a, b && *b);
	}
	for (;;) {
		while (*a && !version_char(*a)) {
			a++;
		}
		while (*b && !version_char(*b)) {
			b++;
		}
		/* "~" first: a pre-release (1~rc1) is older even than the end */
		r = separator(&a, &b, '~', 0);
		if (r != 2 && r != 0) {
			return r;
		}
		if (!*a || !*b) {
			return cmp_int(*a != '\0', *b != '\0');
		}
		r = separator(&a, &b, '-', 0);
		if (r == 2 || r == 0) {
			r = separator(&a, &b, '^', 1);
		}
		if (r == 2 || r == 0) {
			r = separator(&a, &b, '.', 0);
		}
		if (r != 2 && r != 0) {
			return r;
		}
		r = segment(&a, &b);
		if (r) {
			return r;
		}
	}
}
