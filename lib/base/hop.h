/* hop: shared declarations. lib/ never exits and never owns global policy;
 * functions return 0 (or a count) on success and -errno on failure. */
#ifndef HOP_H
#define HOP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HOP_VERSION "0.1.0"

/* ---- log.c: every line starts with "hop: " (README.md, log lines) ---- */
void log_init_kmsg(void);	/* also copy lines to /dev/kmsg (PID 1) */
void log_set_debug(int on);
void log_set_fd(int fd);	/* where lines go; stderr by default */
int log_debug_on(void);
/* "hop: MSG" with write(2) alone, for signal handlers */
void hop_log_signal_safe(const char *msg);
void hop_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hop_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hop: error: WHAT: WHY" */
void hop_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a pure parser's refusal: why (when not NULL) gets the sentence, err is
 * returned */
int hop_why(char *why, size_t whysz, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void hop_warn(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* in[0..inlen) made safe for the console, as every log line is: printable
 * ASCII and valid UTF-8 as they are, a backslash as \\, any other byte
 * (controls, DEL, C1 controls, invalid UTF-8) as \xNN; at most outsz - 1
 * bytes and a NUL, never cutting an escape or a character. Returns the
 * length written. */
size_t log_escape(char *out, size_t outsz, const char *in, size_t inlen);
/* the length of the UTF-8 sequence at s (n bytes left, n > 0) when it is
 * valid and not a C1 control (U+0080-U+009F), else 0; ASCII is 0 too */
size_t log_utf8_len(const unsigned char *s, size_t n);

/* ---- json.c: a growing text buffer, for what an applet prints (built
 * in memory, so that tests read it), and JSON strings ---- */
#define OUTBUF_MAX (64u << 20)	/* more is refused: oom set */
struct outbuf {
	char *s;	/* NUL ended once anything was added; NULL before */
	size_t len, cap;
	int oom;	/* an add failed (memory, or OUTBUF_MAX): s holds what
			 * came before it, the rest is left out */
};
void outbuf_add(struct outbuf *b, const char *s, size_t n);
void outbuf_printf(struct outbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s as log lines show it (log_escape: controls as \xNN) */
void outbuf_escaped(struct outbuf *b, const char *s);
/* s[0..n) as a JSON string, quotes included (RFC 8259): '"' and '\\'
 * escaped, controls and DEL as \n \t \r \b \f or \u00XX, valid UTF-8 as
 * it is but the C1 controls (U+0080-U+009F) as \u00XX, and a byte that is
 * not valid UTF-8 as \u00XX of its value (its Latin-1 reading); the
 * output is valid UTF-8 and holds no control byte */
void outbuf_json(struct outbuf *b, const char *s, size_t n);
/* outbuf_json of a C string, null for NULL */
void outbuf_json_str(struct outbuf *b, const char *s);
void outbuf_free(struct outbuf *b);

/* ---- fmt.c: hop's printf formatter (integers and strings; the target
 * build's snprintf, fprintf, dprintf and their v-forms) ---- */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* ---- clock.c ---- */
long long mono_ms(void);	/* CLOCK_MONOTONIC in ms: deadlines */

/* ---- errname.c ---- */
const char *errname(int err);	/* 5 -> "EIO"; unknown -> "E%d" */

/* ---- cmdline.c: the kernel's command line rules (lib/base/cmdline.c next_arg) */
struct param {
	char *key;	/* unquoted key ("hop.append") */
	char *val;	/* unquoted value, or NULL for a bare word */
	char *raw;	/* the token as written, quotes kept, for reuse */
};
struct cmdline {
	struct param *p;
	size_t n;
	size_t after_dashdash;	/* index of first param after "--", or n */
	char *buf;		/* owns every string above */
};
int cmdline_parse(const char *s, struct cmdline *out);
void cmdline_free(struct cmdline *c);
/* a value for a new command line: quoted if it holds whitespace */
int cmdline_strip(const struct cmdline *c, char *out, size_t outsz);
/* the whole line minus the params KEY=... for each KEY of keys (NULL
 * ended); words after "--" are kept */
int cmdline_strip_keys(const struct cmdline *c, char *out, size_t outsz,
	const char *const *keys);
int cmdline_join(char *out, size_t outsz, const char *a, const char *b);
/* base with add where the kernel takes it as parameters: before base's
 * first "--" word, else at the end, after a '"' closing a quote base
 * leaves open; add "" leaves base as it is. out may be base. 0 or -E2BIG */
int cmdline_insert(char *out, size_t outsz, const char *base,
	const char *add);

/* ---- limits every layer shares ---- */
#define HOP_MAX_INITRD 16
/* multiboot modules of one kernel: ESXi 7/8 lists 30 to 130 in boot.cfg.
 * The multiboot planner packs them all into one kexec_load segment
 * (arch/x86_64/multiboot.c), so kexec_load's 16 do not bound them; the
 * arrays that hold them are allocated (struct boot_entry) or small */
#define HOP_MAX_MODULES 256

/* ---- file.c ---- */
/* open path for reading; with several paths, concatenate into a memfd
 * (each part padded to 4 bytes, which the initramfs unpacker skips) */
int open_concat(const char *const *paths, size_t n, const char **failed);
/* path read-only, regular files only (-EISDIR, -EINVAL for a FIFO, a
 * device, a socket), without blocking on open: an fd or -errno */
int file_open(const char *path);
/* path inside the file system whose root directory is root: ".." that
 * climbs above the root is -EXDEV; symlinks resolve as if root were "/"
 * and never leave it, nor its device, nor use /proc's magic links
 * (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS).
 * Without openat2 (Linux < 5.6) a symlink anywhere is -ELOOP. flags as
 * for open(2); an fd or -errno */
int file_open_at(int root, const char *path, int flags);
/* file_open_at, read-only, regular files only, as file_open */
int file_open_in(int root, const char *path);
extern int file_no_openat2;	/* 1: openat2 is missing (tests set it) */
/* 0 when path's ".." never climbs above its start, else -EXDEV (pure) */
int path_confined(const char *path);
/* the reason for a file_open* error, for a log line */
const char *file_strerror(int err);
/* can hop hold size more bytes in RAM? 0, or -ENOMEM; *avail is what it
 * may take (half of the free memory) */
int file_fits_memory(uint64_t size, uint64_t *avail);
/* buf[0..len) written whole (short writes and EINTR retried): 0 or
 * -errno (-EIO when the file takes no more) */
int file_write_all(int fd, const void *buf, size_t len);
/* path (opened as file_open does) copied into a sealed memfd called
 * name, each chunk handed to each(arg) as it is copied (NULL: none), so
 * that what is checked is what is loaded: the fd, or -errno (-EFBIG: more
 * than half the free memory, file_fits_memory) */
int file_sealed_copy(const char *path, const char *name,
	void (*each)(void *arg, const void *buf, size_t n), void *arg);
/* "/proc/self/fd/FD", the name a memfd is loaded by (malloc'd; NULL when
 * memory is short) */
char *file_fd_path(int fd);
/* the seals that make a memfd's bytes final */
#define FILE_SEALS (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)
/* 1 when fd's bytes can no longer change (a memfd with FILE_SEALS: a
 * URL's download, a pinned or signed copy), else 0 */
int file_is_sealed(int fd);
/* a small file of /proc or /sys (a number, a flag, a name) into buf,
 * NUL-terminated, at most sz - 1 bytes: its length, or -errno */
int file_read_small(const char *path, char *buf, size_t sz);

/* ---- cpio.c: newc writer (initramfs builder, tests) ---- */
struct cpio {
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	uint64_t off;
	uint32_t ino;
	uint32_t mtime;
};
int cpio_entry(struct cpio *c, const char *name, uint32_t mode,
	uint32_t rmajor, uint32_t rminor, const void *data, size_t len);
int cpio_trailer(struct cpio *c);

#endif
