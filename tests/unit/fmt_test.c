/* lib/base/fmt.c: hop's formatter against the host libc's snprintf, on
 * every flag, width, precision and length hop's formats use and their
 * edges; truncation and the returned length; a floating conversion ends
 * the output. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "hop.h"
#include "test.h"

static int fmt(char *buf, size_t size, const char *f, ...)
	__attribute__((format(printf, 3, 4)));
static int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* the same call through both; the host's is the reference */
#define SAME(...) do { \
	char got_[128], want_[128]; \
	int gn_ = fmt(got_, sizeof(got_), __VA_ARGS__); \
	int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__); \
	CHECK(gn_ == wn_ && !strcmp(got_, want_), \
		"fmt(%s) = %d \"%s\"; want %d \"%s\"", #__VA_ARGS__, gn_, \
		got_, wn_, want_); \
} while (0)

void test_fmt(void)
{
	static const char *const strs[] = { "", "a", "hop", "0123456789abc" };
	static const long long ints[] = { 0, 1, -1, 9, 10, -10, 255, 4096,
		INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };
	static const char *const iflags[] = { "%d", "%5d", "%-5d|", "%05d",
		"%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%.0d", "%+05d",
		"%i", "%u", "%x", "%X", "%#x", "%#X", "%08x", "%#08x", "%o",
		"%#o", "%.0o", "%#.0o", "%#.0x", "%4.0x|" };
	char buf[64];
	int n;

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		long long v = ints[i];

		for (size_t j = 0; j < sizeof(iflags) / sizeof(iflags[0]);
			j++) {
			char w[128], g[128], f[16];
			int wn, gn;

			/* as int, long long (the same conversion with ll) */
			wn = snprintf(w, sizeof(w), iflags[j], (int)v);
			gn = fmt(g, sizeof(g), iflags[j], (int)v);
			CHECK(wn == gn && !strcmp(w, g),
				"fmt(\"%s\", %d) = \"%s\"; want \"%s\"",
				iflags[j], (int)v, g, w);
			snprintf(f, sizeof(f), "%.*sll%s",
				(int)strlen(iflags[j]) - 1 -
				(iflags[j][strlen(iflags[j]) - 1] == '|'),
				iflags[j], iflags[j] + strlen(iflags[j]) - 1 -
				(iflags[j][strlen(iflags[j]) - 1] == '|'));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			wn = snprintf(w, sizeof(w), f, v);
			gn = fmt(g, sizeof(g), f, v);
#pragma GCC diagnostic pop
			CHECK(wn == gn && !strcmp(w, g),
				"fmt(\"%s\", %lld) = \"%s\"; want \"%s\"", f, v,
				g, w);
		}
		SAME("%ld|%lu|%lx", (long)v, (unsigned long)v,
			(unsigned long)v);
		SAME("%zu %zx", (size_t)v, (size_t)v);
		SAME("%jd %ju", (intmax_t)v, (uintmax_t)v);
		SAME("%hd %hu %hhd %hhu %hx", (short)v, (unsigned short)v,
			(signed char)v, (unsigned char)v, (unsigned short)v);
		SAME("%llu %llx %#llX", (unsigned long long)v,
			(unsigned long long)v, (unsigned long long)v);
		SAME("%*d|%-*d|%.*d|%*.*d", 6, (int)v, 6, (int)v, 4, (int)v,
			7, 3, (int)v);
		SAME("%*d|", -6, (int)v);
		SAME("%.*d|", -1, (int)v);
	}
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = strs[i];

		SAME("[%s]", s);
		SAME("[%8s]", s);
		SAME("[%-8s]", s);
		SAME("[%.2s]", s);
		SAME("[%8.2s]", s);
		SAME("[%.*s]", 3, s);
		SAME("[%*s]", -5, s);
		SAME("[%.0s]", s);
		SAME("%s=%s%c%%", s, "v", 'x');
	}
	SAME("[%c][%3c][%-3c]", 'a', 'b', 'c');
	SAME("%p", (void *)0x1234);
	SAME("no conversion at all");
	SAME("%%%%");
	SAME("%s:%d: %s (%s)", "/dev/vda1:/boot/grub/grub.cfg", 12,
		"no such entry", "ENOENT");
	SAME("0x%016llx-0x%016llx", 0x100000ULL, 0xffffffffffffffffULL);

	/* truncation: size - 1 characters and a NUL, the whole length back */
	memset(buf, 'Z', sizeof(buf));
	n = fmt(buf, 5, "%s-%d", "abcdef", 42);
	CHECK(n == 9 && !strcmp(buf, "abcd") && buf[5] == 'Z',
		"fmt(5, \"abcdef-42\") = %d \"%s\"; want 9 \"abcd\"", n, buf);
	n = fmt(buf, 1, "%d", 12345);
	CHECK(n == 5 && buf[0] == '\0', "fmt(1, 12345) = %d \"%s\"", n, buf);
	n = fmt(NULL, 0, "%s%08x", "abc", 7u);
	CHECK_INT("fmt(NULL, 0, \"abc%08x\")", n, 11);
	n = fmt(buf, 3, "%-10s|", "a");
	CHECK(n == 11 && !strcmp(buf, "a "), "fmt(3, \"%%-10s|\") = %d \"%s\"",
		n, buf);
	/* a floating conversion: written as is, nothing after it read */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	n = fmt(buf, sizeof(buf), "x=%d y=%f z=%s", 1, 2.0, "never");
#pragma GCC diagnostic pop
	CHECK(n == 13 && !strcmp(buf, "x=1 y=%f z=%s"),
		"fmt(float) = %d \"%s\"; want 13 \"x=1 y=%%f z=%%s\"", n, buf);
}
