/* A growing text buffer and JSON strings (hop bootcfg --json; README,
 * "hop bootcfg"). Everything here is pure: the caller writes the buffer
 * out, so that the unit tests read exactly what an applet prints. Strings
 * come from disks: a JSON string written here is valid UTF-8 whatever the
 * bytes, and holds no byte a terminal acts on. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"

/* room for n more bytes and the NUL; 0, or -1 with b->oom set */
static int grow(struct outbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom) {
		return -1;
	}
	if (b->len + n + 1 <= b->cap) {
		return 0;
	}
	if (n > OUTBUF_MAX - b->len - 1 || b->len + n + 1 > OUTBUF_MAX) {
		b->oom = 1;
		return -1;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1) {
		cap *= 2;	/* at most 2 * OUTBUF_MAX: no overflow */
	}
	p = realloc(b->s, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->s = p;
	b->cap = cap;
	return 0;
}

void outbuf_add(struct outbuf *b, const char *s, size_t n)
{
	if (grow(b, n) < 0) {
		return;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void outbuf_printf(struct outbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) < 0) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void outbuf_escaped(struct outbuf *b, const char *s)
{
	size_t n = strlen(s);

	/* log_escape writes at most 4 bytes per byte ("\xNN") */
	if (n > OUTBUF_MAX / 4 || grow(b, 4 * n) < 0) {
		b->oom = 1;
		return;
	}
	b->len += log_escape(b->s + b->len, 4 * n + 1, s, n);
}

void outbuf_json(struct outbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, o;
	char *out;

	/* 6 bytes at most per byte ("\u00XX"), and the quotes */
	if (n > OUTBUF_MAX / 6 || grow(b, 6 * n + 2) < 0) {
		b->oom = 1;
		return;
	}
	out = b->s;
	o = b->len;
	out[o++] = '"';
	while (i < n) {
		unsigned c = u[i];
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" :
			c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ?
			"\\r" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;

		if (esc) {
			memcpy(out + o, esc, 2);
			o += 2;
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		k = c >= 0x80 ? log_utf8_len(u + i, n - i) : 0;
		if (k) {
			memcpy(out + o, u + i, k);
			o += k;
			i += k;
			continue;
		}
		/* a C1 control, validly encoded: its code point; any other
		 * byte (a control, DEL, or not valid UTF-8): its value */
		if (c == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
			u[i + 1] <= 0x9f) {
			c = u[++i];
		}
		memcpy(out + o, "\\u00", 4);
		out[o + 4] = hex[c >> 4];
		out[o + 5] = hex[c & 15];
		o += 6;
		i++;
	}
	out[o++] = '"';
	out[o] = '\0';
	b->len = o;
}

void outbuf_json_str(struct outbuf *b, const char *s)
{
	if (s) {
		outbuf_json(b, s, strlen(s));
	} else {
		outbuf_add(b, "null", 4);
	}
}

void outbuf_free(struct outbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
