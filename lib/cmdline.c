/* Kernel command line splitting with the kernel's own rules (linux
 * lib/cmdline.c next_arg()): words split on whitespace outside double
 * quotes; a quote may open the word ("a b"=c) or the value (k="a b"); the
 * quotes are not part of key or value. "--" ends the kernel's parameters:
 * what follows belongs to init. Each word also keeps its raw form so a
 * reused command line keeps its quoting. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"

static size_t word_end(const char *s, int quoted)
{
	int in_quote = quoted;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (isspace((unsigned char)s[i]) && !in_quote) {
			break;
		}
		if (s[i] == '"') {
			in_quote = !in_quote;
		}
	}
	return i;
}

/* splits one word in place: w[0..len) is the word without a leading quote */
static void split_word(char *w, size_t len, int quoted, struct param *p)
{
	char *eq;

	w[len] = '\0';
	p->key = w;
	p->val = NULL;
	/* like the kernel, '=' at offset 0 does not start a value */
	eq = len > 1 ? strchr(w + 1, '=') : NULL;
	if (eq) {
		*eq = '\0';
		p->val = eq + 1;
		if (*p->val == '"') {
			p->val++;
			if (len > 0 && w[len - 1] == '"' && w + len - 1 >= p->val) {
				w[len - 1] = '\0';
			}
		}
	}
	if (quoted && len > 0 && w[len - 1] == '"') {
		w[len - 1] = '\0';
	}
}

int cmdline_parse(const char *s, struct cmdline *out)
{
	size_t len = strlen(s), cap = 1, i = 0;
	char *parsed, *raw;

	memset(out, 0, sizeof(*out));
	/* worst case every other byte starts a word */
	cap = len / 2 + 1;
	out->p = calloc(cap, sizeof(*out->p));
	out->buf = malloc(2 * (len + 1));
	if (!out->p || !out->buf) {
		cmdline_free(out);
		return -ENOMEM;
	}
	parsed = out->buf;
	raw = out->buf + len + 1;
	memcpy(parsed, s, len + 1);
	memcpy(raw, s, len + 1);
	out->after_dashdash = (size_t)-1;
	while (i < len) {
		struct param *p;
		int quoted;
		size_t start, end;

		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		start = i;
		quoted = s[i] == '"';
		end = start + quoted + word_end(s + start + quoted, quoted);
		p = &out->p[out->n++];
		split_word(parsed + start + quoted, end - start - quoted, quoted,
			p);
		raw[end] = '\0';
		p->raw = raw + start;
		if (out->after_dashdash == (size_t)-1 && !p->val &&
			!strcmp(p->key, "--")) {
			out->after_dashdash = out->n;
		}
		i = end + 1;
	}
	if (out->after_dashdash == (size_t)-1) {
		out->after_dashdash = out->n;
	}
	return 0;
}

void cmdline_free(struct cmdline *c)
{
	free(c->p);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

/* appends b to a (in out) with one space between, never overflowing */
int cmdline_join(char *out, size_t outsz, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), sep = la && lb;

	if (la + sep + lb + 1 > outsz) {
		return -E2BIG;
	}
	if (out != a) {
		memmove(out, a, la);
	}
	if (sep) {
		out[la] = ' ';
	}
	memcpy(out + la + sep, b, lb + 1);
	return 0;
}

/* the words of the current command line that a reused line keeps: every
 * kernel parameter except hop.*, rdinit=, initrd= and BOOT_IMAGE=
 * (spec/interface.md §3, hop.reuse); init's words after "--" are kept */
static int dropped(const struct param *p)
{
	return !strncmp(p->key, "hop.", 4) ||
		(p->val && (!strcmp(p->key, "rdinit") ||
		!strcmp(p->key, "initrd") || !strcmp(p->key, "BOOT_IMAGE")));
}

static int filter(const struct cmdline *c, char *out, size_t outsz,
	const char *const *keys)
{
	size_t i, k;

	if (!outsz) {
		return -E2BIG;
	}
	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		int drop = 0;

		for (k = 0; keys[k] && i < c->after_dashdash; k++) {
			drop |= c->p[i].val && !strcmp(c->p[i].key, keys[k]);
		}
		if (!drop && cmdline_join(out, outsz, out, c->p[i].raw) < 0) {
			return -E2BIG;
		}
	}
	return 0;
}

/* kexec-tools' --reuse-cmdline: the whole line minus the given keys
 * (BOOT_IMAGE=, and crashkernel= for a panic kernel) */
int cmdline_strip_keys(const struct cmdline *c, char *out, size_t outsz,
	const char *const *keys)
{
	return filter(c, out, outsz, keys);
}

int cmdline_strip(const struct cmdline *c, char *out, size_t outsz)
{
	size_t i;

	if (!outsz) {
		return -E2BIG;
	}
	out[0] = '\0';
	for (i = 0; i < c->after_dashdash && i < c->n; i++) {
		if (!strcmp(c->p[i].key, "--") && !c->p[i].val) {
			continue;
		}
		if (!dropped(&c->p[i]) &&
			cmdline_join(out, outsz, out, c->p[i].raw) < 0) {
			return -E2BIG;
		}
	}
	return 0;
}
