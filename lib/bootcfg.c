/* Boot configurations: the entry list every parser fills, choosing an
 * entry for hop.entry, the version comparison of BLS sorting, and the small
 * string helpers the parsers share. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

void bootcfg_init(struct boot_config *c)
{
	memset(c, 0, sizeof(*c));
	c->def = -1;
	c->timeout_ds = BOOTCFG_NO_TIMEOUT;
}

struct boot_entry *bootcfg_new_entry(struct boot_config *c)
{
	struct boot_entry *e;

	/* grows by one: configurations hold a handful of entries */
	e = realloc(c->e, (c->n + 1) * sizeof(*c->e));
	if (!e) {
		return NULL;
	}
	c->e = e;
	memset(&c->e[c->n], 0, sizeof(*c->e));
	return &c->e[c->n++];
}

void bootcfg_entry_free(struct boot_entry *e)
{
	size_t i;

	free(e->label);
	free(e->title);
	free(e->kernel);
	for (i = 0; i < e->ninitrd; i++) {
		free(e->initrd[i]);
	}
	free(e->cmdline);
	free(e->dtb);
	free(e->fdtdir);
	free(e->search_label);
	free(e->search_uuid);
	for (i = 0; i < e->nmodule; i++) {
		free(e->module[i]);
		free(e->module_cmdline[i]);
	}
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
		if (c->e[i].title && !strcmp(c->e[i].title, want)) {
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
