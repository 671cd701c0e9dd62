/* hop bootcfg's output (lib/base/json.c, lib/agent/bootlist.c). The
 * first byte picks: even, the rest is one string for outbuf_json, which
 * must be a JSON string of valid UTF-8 without a control byte that reads
 * back to the input (a \u00XX of 0x80-0x9f is the C1 control C2 XX or
 * the byte XX, whichever the input holds); odd, the rest is a grub.cfg
 * (bit 1 clear) or an extlinux.conf (set) whose entries go through
 * bootlist_text (no control byte but '\n') and bootlist_json (a JSON
 * document, checked by the small parser below). */
#include <stdio.h>

#include "bootlist.h"
#include "fuzz.h"

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		c - 'a' + 10 : -1;
}

/* the JSON string at s (its quote), checked: the end after its closing
 * quote; with in (n bytes), what it must read back to */
static const char *string_at(const char *s, const unsigned char *in,
	size_t n)
{
	const unsigned char *u = (const unsigned char *)s + 1;
	size_t i = 0, k;

	if (*s != '"') {
		abort();
	}
	for (;;) {
		if (*u == '"') {
			break;
		}
		if (*u < 0x20 || *u == 0x7f) {
			abort();	/* a raw control byte */
		}
		if (*u == '\\') {
			const char *e = "\"\\ntrbf", *r = "\"\\\n\t\r\b\f";
			const char *p = strchr(e, (char)u[1]);
			int v;

			if (u[1] && p) {
				if (in && (i >= n || in[i] != (unsigned char)
					r[p - e])) {
					abort();
				}
				i++;
				u += 2;
				continue;
			}
			if (u[1] != 'u' || u[2] != '0' || u[3] != '0' ||
				hexval((char)u[4]) < 0 ||
				hexval((char)u[5]) < 0) {
				abort();
			}
			v = hexval((char)u[4]) * 16 + hexval((char)u[5]);
			if (in && v >= 0x80 && v <= 0x9f && i + 1 < n &&
				in[i] == 0xc2 && in[i + 1] == v) {
				i += 2;
			} else if (in && (i >= n || in[i] != v)) {
				abort();
			} else {
				i++;
			}
			u += 6;
			continue;
		}
		k = *u >= 0x80 ? log_utf8_len(u, strlen((const char *)u)) : 1;
		if (!k || (in && (i + k > n || memcmp(in + i, u, k)))) {
			abort();	/* not UTF-8, or not the input */
		}
		i += k;
		u += k;
	}
	if (in && i != n) {
		abort();
	}
	return (const char *)u + 1;
}

static const char *ws(const char *s)
{
	return s + strspn(s, " \n");
}

/* one JSON value at s (after blanks), depth-bounded: its end */
static const char *value_at(const char *s, int depth)
{
	char open;

	s = ws(s);
	if (depth > 8) {
		abort();	/* bootlist nests 4 deep */
	}
	if (*s == '"') {
		return string_at(s, NULL, 0);
	}
	if (*s == '-' || (*s >= '0' && *s <= '9')) {
		s += *s == '-';
		if (!(*s >= '0' && *s <= '9')) {
			abort();
		}
		return s + strspn(s, "0123456789");
	}
	if (!strncmp(s, "null", 4) || !strncmp(s, "true", 4)) {
		return s + 4;
	}
	if (!strncmp(s, "false", 5)) {
		return s + 5;
	}
	if (*s != '[' && *s != '{') {
		abort();
	}
	open = *s;
	s = ws(s + 1);
	if (*s == (open == '[' ? ']' : '}')) {
		return s + 1;
	}
	for (;;) {
		if (open == '{') {
			s = ws(string_at(ws(s), NULL, 0));
			if (*s++ != ':') {
				abort();
			}
		}
		s = ws(value_at(s, depth + 1));
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s != (open == '[' ? ']' : '}')) {
			abort();
		}
		return s + 1;
	}
}

static void check_string(const uint8_t *data, size_t size)
{
	struct outbuf b = { 0 };

	outbuf_json(&b, (const char *)data, size);
	if (b.oom || b.len > 6 * size + 2 || strlen(b.s) != b.len ||
		*string_at(b.s, data, size)) {
		abort();
	}
	outbuf_free(&b);
}

static void check_list(const uint8_t *data, size_t size, int extlinux)
{
	struct found_config fc;
	struct bootlist l;
	struct outbuf b = { 0 };
	char *text = fuzz_string(data, size);
	size_t i;
	int err;

	memset(&fc, 0, sizeof(fc));
	bootcfg_init(&fc.c);
	fc.kind = extlinux ? BOOTCFG_EXTLINUX : BOOTCFG_GRUB;
	snprintf(fc.shown, sizeof(fc.shown), "/dev/vda1:/fuzz");
	err = extlinux ? bootcfg_extlinux(text, "/extlinux.conf", NULL, &fc.c) :
		bootcfg_grub(text, NULL, NULL, &fc.c);
	free(text);
	if (err < 0) {
		return;
	}
	memset(&l, 0, sizeof(l));
	l.fc = &fc;
	l.n = 1;
	if (bootsel_want(&fc, 1, NULL, &l.pick_cfg, &l.pick_entry) < 0) {
		abort();	/* a configuration has an entry */
	}
	/* the same configuration shown as one the agent does not read */
	l.other = &fc;
	l.nother = 1;
	bootlist_text(&b, &l);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f) {
			abort();
		}
	}
	outbuf_free(&b);
	bootlist_json(&b, &l);
	if (b.oom || *ws(value_at(b.s, 0))) {
		abort();
	}
	outbuf_free(&b);
	bootcfg_free(&fc.c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (!size) {
		return 0;
	}
	if (!(data[0] & 1)) {
		check_string(data + 1, size - 1);
	} else {
		check_list(data + 1, size - 1, data[0] & 2);
	}
	return 0;
}
