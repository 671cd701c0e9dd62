/* The log: one write() per line so lines from PID 1 and the kernel do not
 * interleave mid-line. As PID 1 the agent also copies each line to
 * /dev/kmsg at debug level (<7>): the console already shows stderr, and
 * level 7 keeps the kernel from printing the line a second time.
 *
 * Labels, titles, paths and configuration lines come from disks anyone can
 * write, and they end up in log lines: every line is escaped once, in
 * emit(), so that no byte of it can move the cursor, recolour or clear the
 * serial console, or end the line and forge a "hop: ..." line of its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hop.h"

static int kmsg_fd = -1;
static int out_fd = 2;
static int debug_on;

void log_init_kmsg(void)
{
	if (kmsg_fd < 0) {
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	}
}

/* only hop's own fixed strings come here (signal names, onfail actions):
 * nothing to escape */
void hop_log_signal_safe(const char *msg)
{
	static const char kmsg_pre[] = "<7>hop: ", pre[] = "hop: ";
	char line[256];
	size_t n = strlen(msg), k = sizeof(kmsg_pre) - 1;
	int saved = errno;

	/* only write(2), memcpy and strlen: a signal handler may call this */
	if (n > sizeof(line) - k - 1) {
		n = sizeof(line) - k - 1;
	}
	memcpy(line, kmsg_pre, k);
	memcpy(line + k, msg, n);
	line[k + n] = '\n';
	if (write(out_fd, line + k - (sizeof(pre) - 1),
		n + sizeof(pre)) < 0) {
		/* nowhere else to say it */
	}
	if (kmsg_fd >= 0 && write(kmsg_fd, line, k + n + 1) < 0) {
		/* the console line is the one that matters */
	}
	errno = saved;
}

void log_set_fd(int fd)
{
	out_fd = fd;
}

void log_set_debug(int on)
{
	debug_on = on;
}

int log_debug_on(void)
{
	return debug_on;
}

/* the length of the UTF-8 sequence at s (n bytes left) if it is valid and
 * safe to print, else 0: overlong forms, surrogates, code points past
 * U+10FFFF and sequences cut short are not valid, and the C1 controls
 * U+0080-U+009F are valid but a terminal may act on them (CSI, ST) */
size_t log_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] == 0xc2) {
		len = 2;
		lo = 0xa0;	/* 0xc2 0x80-0x9f: C1 */
	} else if (s[0] >= 0xc3 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] == 0xe0) {
		len = 3;
		lo = 0xa0;	/* below: overlong */
	} else if (s[0] == 0xed) {
		len = 3;
		hi = 0x9f;	/* above: surrogates */
	} else if (s[0] >= 0xe1 && s[0] <= 0xef) {
		len = 3;
	} else if (s[0] == 0xf0) {
		len = 4;
		lo = 0x90;	/* below: overlong */
	} else if (s[0] >= 0xf1 && s[0] <= 0xf3) {
		len = 4;
	} else if (s[0] == 0xf4) {
		len = 4;
		hi = 0x8f;	/* above: past U+10FFFF */
	} else {
		return 0;	/* ASCII, a continuation byte, 0xc0, 0xc1, 0xf5+ */
	}
	if (n < len || s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (i = 2; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			return 0;
		}
	}
	return len;
}

/* Printable ASCII and valid UTF-8 pass unchanged (accents in a menu title
 * stay readable); every other byte (controls, DEL, C1, invalid UTF-8)
 * becomes \xNN, one per byte. A backslash becomes \\, so that every
 * backslash of a line starts an escape and a title holding the text
 * "\x1b" cannot pass for an escaped ESC: the bytes of a label can always
 * be read back from the log. Units are never cut: what does not fit whole
 * is left out with the rest. */
size_t log_escape(char *out, size_t outsz, const char *in, size_t inlen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, k;

	if (!outsz) {
		return 0;
	}
	while (i < inlen) {
		k = s[i] >= 0x20 && s[i] < 0x7f ? 1 : log_utf8_len(s + i,
			inlen - i);
		if (k && s[i] != '\\') {
			if (o + k >= outsz) {
				break;
			}
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (o + (k ? 2 : 4) >= outsz) {
			break;
		}
		out[o++] = '\\';
		if (k) {
			out[o++] = '\\';
		} else {
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 15];
		}
		i++;
	}
	out[o] = '\0';
	return o;
}

static void emit(const char *tag, const char *what, const char *fmt,
	va_list ap)
{
	static const char pre[] = "<7>hop: ";
	/* the message as formatted, then escaped (up to 4 bytes per byte)
	 * into the line, cut to the line's size */
	char msg[1024], line[1024], link[256];
	size_t n, k = sizeof(pre) - 1;
	int saved = errno, len;
	ssize_t r;

	/* a file held open by the agent (lib/agent/source.c) is named by what it
	 * is, "/run/hop/mnt/vdb1/boot/vmlinuz", not by its fd */
	if (what && !strncmp(what, "/proc/self/fd/", 14) &&
		(r = readlink(what, link, sizeof(link) - 1)) > 0) {
		link[r] = '\0';
		what = link;
	}
	msg[0] = '\0';
	len = snprintf(msg, sizeof(msg), "%s%s%s", tag, what ? what : "",
		what ? ": " : "");
	if (len >= 0 && (size_t)len < sizeof(msg)) {
		vsnprintf(msg + len, sizeof(msg) - (size_t)len, fmt, ap);
	}
	memcpy(line, pre, k);
	/* one byte kept for the '\n' (log_escape puts its NUL there) */
	n = k + log_escape(line + k, sizeof(line) - k - 1, msg,
		strnlen(msg, sizeof(msg)));
	line[n++] = '\n';
	if (write(out_fd, line + 3, n - 3) < 0) {
		/* nowhere else to say it */
	}
	if (kmsg_fd >= 0 && write(kmsg_fd, line, n) < 0) {
		/* the console line above is the one that matters */
	}
	errno = saved;
}

void hop_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", NULL, fmt, ap);
	va_end(ap);
}

void hop_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_on) {
		return;
	}
	va_start(ap, fmt);
	emit("debug: ", NULL, fmt, ap);
	va_end(ap);
}

void hop_error(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error: ", what, fmt, ap);
	va_end(ap);
}

void hop_warn(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("warning: ", what, fmt, ap);
	va_end(ap);
}
