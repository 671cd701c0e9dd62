/* The log: one write() per line so lines from PID 1 and the kernel do not
 * interleave mid-line. As PID 1 the agent also copies each line to
 * /dev/kmsg at debug level (<7>): the console already shows stderr, and
 * level 7 keeps the kernel from printing the line a second time. */
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

static void emit(const char *tag, const char *what, const char *fmt,
	va_list ap)
{
	char line[1024];
	size_t n;
	int saved = errno;

	n = (size_t)snprintf(line, sizeof(line), "<7>hop: %s%s%s", tag,
		what ? what : "", what ? ": " : "");
	if (n < sizeof(line)) {
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	}
	n = strlen(line);
	if (n > sizeof(line) - 2) {
		n = sizeof(line) - 2;
	}
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
