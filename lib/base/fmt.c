/* A printf formatter of hop's own, for size: musl's vfprintf is about
 * 10 KB of a static hop (floating point, wide characters, positional
 * arguments), and hop prints integers and strings only. Built for the
 * target (-DHOP_FMT_IS_LIBC), this file also defines the printf family
 * hop calls (snprintf, vsnprintf, fprintf, vfprintf, dprintf, vdprintf),
 * so every call site keeps the C name and the compiler's format checks,
 * and the linker takes these before libc's (README, "Build
 * configurations"). The unit tests compare fmt_vsnprintf with the host
 * libc's on the same formats.
 *
 * What it does: flags - + space # 0, width and precision (digits or *),
 * lengths hh h l ll z j t, conversions d i u o x X c s p %. A floating or
 * unknown conversion is copied as written and ends the output (its
 * argument's type is not known, so nothing after it can be read). */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "hop.h"

struct out {
	char *buf;
	size_t size;	/* buf's size: at most size - 1 characters and a NUL */
	size_t n;	/* characters the whole output has */
};

static void put(struct out *o, const char *s, size_t len)
{
	size_t room = o->n + 1 < o->size ? o->size - 1 - o->n : 0;

	if (room) {
		memcpy(o->buf + o->n, s, len < room ? len : room);
	}
	o->n += len;
}

static void pad(struct out *o, char c, size_t len)
{
	while (len--) {
		put(o, &c, 1);
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = { buf, size, 0 };

	while (*f) {
		const char *start = f, *s;
		char tmp[3 * sizeof(uintmax_t) + 1], *d = tmp + sizeof(tmp);
		char pre[2];
		int left = 0, plus = 0, space = 0, alt = 0, zero = 0, len = 0;
		size_t width = 0, n, npre = 0, zeros = 0;
		long prec = -1;
		uintmax_t u = 0;
		unsigned base = 10;

		if (*f != '%') {
			for (s = f; *s && *s != '%'; s++) {
			}
			put(&o, f, (size_t)(s - f));
			f = s;
			continue;
		}
		for (f++;; f++) {
			if (*f == '-') {
				left = 1;
			} else if (*f == '+') {
				plus = 1;
			} else if (*f == ' ') {
				space = 1;
			} else if (*f == '#') {
				alt = 1;
			} else if (*f == '0') {
				zero = 1;
			} else {
				break;
			}
		}
		if (*f == '*') {
			int w = va_arg(ap, int);

			left |= w < 0;
			width = w < 0 ? -(size_t)w : (size_t)w;
			f++;
		} else {
			while (*f >= '0' && *f <= '9') {
				width = width * 10 + (size_t)(*f++ - '0');
			}
		}
		if (*f == '.') {
			f++;
			if (*f == '*') {
				int p = va_arg(ap, int);

				prec = p < 0 ? -1 : p;
				f++;
			} else {
				for (prec = 0; *f >= '0' && *f <= '9'; f++) {
					if (prec < INT_MAX / 10) {
						prec = prec * 10 + (*f - '0');
					}
				}
			}
		}
		/* len: -2 hh, -1 h, 0 int, 1 long, 2 long long; z j t are
		 * long (LP64 and ILP32 Linux alike) or intmax_t */
		for (;; f++) {
			if (*f == 'h') {
				len--;
			} else if (*f == 'l') {
				len++;
			} else if (*f == 'z' || *f == 't') {
				len = 1;
			} else if (*f == 'j') {
				len = 3;
			} else {
				break;
			}
		}
		switch (*f) {
		case '%':
			put(&o, "%", 1);
			f++;
			continue;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			s = tmp;
			n = 1;
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s) {
				s = "(null)";
			}
			n = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
			break;
		case 'd':
		case 'i': {
			intmax_t v = len == 3 ? va_arg(ap, intmax_t) :
				len == 2 ? va_arg(ap, long long) :
				len == 1 ? va_arg(ap, long) : va_arg(ap, int);

			if (len == -1) {
				v = (short)v;
			} else if (len <= -2) {
				v = (signed char)v;
			}
			u = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
			if (v < 0 || plus || space) {
				pre[npre++] = v < 0 ? '-' : plus ? '+' : ' ';
			}
			goto digits;
		}
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			alt = 1;
			base = 16;
			goto hex;
		case 'o':
		case 'u':
		case 'x':
		case 'X':
			u = len == 3 ? va_arg(ap, uintmax_t) :
				len == 2 ? va_arg(ap, unsigned long long) :
				len == 1 ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned);
			if (len == -1) {
				u = (unsigned short)u;
			} else if (len <= -2) {
				u = (unsigned char)u;
			}
			base = *f == 'o' ? 8 : *f == 'u' ? 10 : 16;
hex:
			if (base == 16 && alt && u) {
				pre[npre++] = '0';
				pre[npre++] = *f == 'X' ? 'X' : 'x';
			}
digits:
			for (uintmax_t v = u; v; v /= base) {
				*--d = "0123456789abcdef"[v % base] -
					(*f == 'X' && v % base > 9 ? 32 : 0);
			}
			n = (size_t)(tmp + sizeof(tmp) - d);
			/* the precision is the fewest digits; "%.0d" of 0
			 * is nothing, "%#o" starts with a 0 */
			if (prec < 0 && !n) {
				*--d = '0';
				n = 1;
			} else if (prec >= 0 && (size_t)prec > n) {
				zeros = (size_t)prec - n;
			}
			if (base == 8 && alt && !zeros && (!n || *d != '0')) {
				zeros = 1;
			}
			if (zero && !left && prec < 0 &&
				width > npre + n) {
				zeros = width - npre - n;
			}
			s = d;
			break;
		default:
			/* floating point or unknown: see the top */
			put(&o, start, strlen(start));
			goto done;
		}
		f++;
		if (!left && width > npre + zeros + n) {
			pad(&o, ' ', width - npre - zeros - n);
		}
		put(&o, pre, npre);
		pad(&o, '0', zeros);
		put(&o, s, n);
		if (left && width > npre + zeros + n) {
			pad(&o, ' ', width - npre - zeros - n);
		}
	}
done:
	if (size) {
		buf[o.n < size ? o.n : size - 1] = '\0';
	}
	return o.n > INT_MAX ? -1 : (int)o.n;
}

#ifdef HOP_FMT_IS_LIBC
int vsnprintf(char *restrict buf, size_t size, const char *restrict f,
	va_list ap)
{
	return fmt_vsnprintf(buf, size, f, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* the output in a buffer: on the stack when it fits, else allocated;
 * NULL when it cannot be */
static char *format(char *small, size_t size, int *n, const char *f,
	va_list ap)
{
	va_list aq;
	char *p;

	va_copy(aq, ap);
	*n = fmt_vsnprintf(small, size, f, aq);
	va_end(aq);
	if (*n < 0 || (size_t)*n < size) {
		return *n < 0 ? NULL : small;
	}
	p = malloc((size_t)*n + 1);
	if (p) {
		fmt_vsnprintf(p, (size_t)*n + 1, f, ap);
	}
	return p;
}

int vfprintf(FILE *restrict out, const char *restrict f, va_list ap)
{
	char small[256], *p;
	int n;
	size_t w;

	p = format(small, sizeof(small), &n, f, ap);
	if (!p) {
		return -1;
	}
	w = fwrite(p, 1, (size_t)n, out);
	if (p != small) {
		free(p);
	}
	return w == (size_t)n ? n : -1;
}

int fprintf(FILE *restrict out, const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfprintf(out, f, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *restrict f, va_list ap)
{
	char small[256], *p;
	int n;
	size_t done = 0;

	p = format(small, sizeof(small), &n, f, ap);
	if (!p) {
		return -1;
	}
	while (done < (size_t)n) {
		ssize_t w = write(fd, p + done, (size_t)n - done);

		if (w <= 0) {
			break;
		}
		done += (size_t)w;
	}
	if (p != small) {
		free(p);
	}
	return done == (size_t)n ? n : -1;
}

int dprintf(int fd, const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vdprintf(fd, f, ap);
	va_end(ap);
	return n;
}
#endif
