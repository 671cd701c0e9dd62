/* Kernel command line splitting with the kernel's own rules (linux
 * lib/base/cmdline.c next_arg()): words split on whitespace outside double
 * quotes; a quote may open the word ("a b"=c) or the value (k="a b"); the
 * quotes are not part of key or value; every '"' toggles quoting, and an
 * unclosed quote runs to the end of the line. "--" ends the kernel's
 * parameters: what follows belongs to init. Each word also keeps its raw
 * form so a reused command line keeps its quoting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"

/* the kernel's isspace(), not the C locale's: its ctype table also has
 * 0xa0 (Latin-1 no-break space), and a word boundary hop does not see is
 * one a command line from a disk could hide a "--" behind */
static int kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static size_t word_end(const char *s, int quoted)
{
	int in_quote = quoted;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (kspace((unsigned char)s[i]) && !in_quote) {
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

		if (kspace((unsigned char)s[i])) {
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

/* where the kernel's parameters of s end: the offset of its first "--"
 * word, or strlen(s). As in next_arg(), a leading quote is not part of
 * the word and a closing one is dropped: the word "--" in quotes, even
 * with the closing quote missing, ends them too. */
static size_t params_end(const char *s)
{
	size_t i = 0, end, n;
	int quoted;

	for (;;) {
		while (kspace((unsigned char)s[i])) {
			i++;
		}
		if (!s[i]) {
			return i;
		}
		quoted = s[i] == '"';
		end = i + quoted + word_end(s + i + quoted, quoted);
		n = end - i - quoted;
		if (quoted && n && s[end - 1] == '"') {
			n--;
		}
		if (n == 2 && s[i + quoted] == '-' && s[i + quoted + 1] == '-') {
			return i;
		}
		i = end;
	}
}

/* The base line may come from a disk (an entry's append, options or linux
 * arguments) and add is the owner's hop.append: add must land where the
 * kernel reads it as parameters, after base's own (the last of a repeated
 * parameter wins, so the owner's words win). With a "--" word, add goes
 * right before it (base's spacing kept, one space after add): what follows
 * "--" is init's. Without one, add goes at the end, after a '"' that
 * closes a quote base leaves open (every '"' toggles quoting, so an odd
 * count is open), else the quote would swallow it into base's last value.
 * The quote is closed only when there is something to add; base's bytes
 * are otherwise kept as they are, so the result is predictable for
 * hop.cmdline.sha256. */
int cmdline_insert(char *out, size_t outsz, const char *base,
	const char *add)
{
	size_t lb = strlen(base), la = strlen(add), at, i;
	int open = 0;

	if (!la) {
		return cmdline_join(out, outsz, base, "");
	}
	at = params_end(base);
	if (at < lb) {
		/* base[0..at) is empty or ends in a space */
		if (lb + la + 2 > outsz) {
			return -E2BIG;
		}
		memmove(out + at + la + 1, base + at, lb - at + 1);
		memmove(out, base, at);
		memcpy(out + at, add, la);
		out[at + la] = ' ';
		return 0;
	}
	for (i = 0; i < lb; i++) {
		open ^= base[i] == '"';
	}
	if (!open) {
		return cmdline_join(out, outsz, base, add);
	}
	if (lb + 2 + la + 1 > outsz) {
		return -E2BIG;
	}
	memmove(out, base, lb);
	out[lb] = '"';
	out[lb + 1] = ' ';
	memcpy(out + lb + 2, add, la + 1);
	return 0;
}

/* the words of the current command line that a reused line keeps: every
 * kernel parameter except hop.*, rdinit=, initrd= and BOOT_IMAGE=
 * (README.md, hop.reuse); init's words after "--" are kept */
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
