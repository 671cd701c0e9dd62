/* Unified Kernel Images (lib/plan/uki.c). The input: 8 bytes that choose
 * the file's length, then the file's first bytes. Every parse that
 * succeeds gives views whose spans lie inside the file and hold a
 * kernel; every refusal says why. The same bytes as an os-release text
 * and as a .cmdline, into buffers of their exact size: the strings come
 * back NUL ended and printable. */
#include <errno.h>

#include "fuzz.h"
#include "plan.h"
#include "uki.h"

/* valid UTF-8, no control byte: what uki.h promises */
static void check_printable(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	if (strlen(s) != n) {
		abort();
	}
	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			abort();
		}
		l = p[i] < 0x80 ? 1 : log_utf8_len(p + i, n - i);
		if (!l) {
			abort();
		}
		i += l;
	}
}

static void check_why(const char *why)
{
	if (!*why) {
		abort();
	}
	check_printable(why, strlen(why));
}

static void check_span(const struct uki_span *s, uint64_t file_len)
{
	if (s->len && (s->off > file_len || s->len > file_len - s->off)) {
		abort();
	}
	if (!s->len && s->off) {
		abort();
	}
}

static void parse(const uint8_t *head, size_t n, uint64_t file_len)
{
	static struct uki u;
	struct uki_view v;
	char why[256];
	size_t k, i, views;
	int err;

	why[0] = '\0';
	err = uki_parse(head, n, file_len, &u, why, sizeof(why));
	if (err) {
		if (err != -EINVAL && err != -ENOEXEC) {
			abort();
		}
		check_why(why);
		/* a refusal leaves nothing behind; not a UKI is not one
		 * for the probe either */
		if (u.nprofiles) {
			abort();
		}
		for (i = 0; i < UKI_NSECT; i++) {
			if (u.base.s[i].len || u.base.s[i].off) {
				abort();
			}
		}
		if (err == -ENOEXEC && uki_probe(head, n > file_len ?
			(size_t)file_len : n)) {
			abort();
		}
		return;
	}
	if (!uki_probe(head, n) || u.nprofiles > UKI_MAX_PROFILES) {
		abort();
	}
	views = u.nprofiles ? u.nprofiles : 1;
	for (k = 0; k < views; k++) {
		if (uki_view(&u, k, &v)) {
			abort();
		}
		for (i = 0; i < UKI_NSECT; i++) {
			check_span(&v.s[i], file_len);
		}
		if (!v.s[UKI_LINUX].len) {
			abort();
		}
	}
	if (uki_view(&u, views, &v) != -ENOENT) {
		abort();
	}
}

/* text into a buffer of exactly outsz bytes, so that ASan sees a byte
 * written past it */
static void texts(const uint8_t *text, size_t n, size_t outsz)
{
	static const char *const keys[] = { "ID", "TITLE", "NAME",
		"PRETTY_NAME", "X" };
	char *out = malloc(outsz);
	size_t i;
	int err;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		err = uki_osrel(text, n, keys[i], out, outsz);
		if (err == 0) {
			check_printable(out, strlen(out));
			if (strlen(out) >= outsz) {
				abort();
			}
		} else if (err != -ENOENT && err != -E2BIG && err != -EINVAL) {
			abort();
		}
	}
	err = uki_cmdline(text, n, out, outsz);
	if (err == 0) {
		check_printable(out, strlen(out));
		if (strlen(out) >= outsz || (*out && out[strlen(out) - 1] == ' ')) {
			abort();
		}
	} else if (err != -E2BIG && err != -EINVAL) {
		abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sel, file_len;
	size_t n;

	fuzz_quiet();
	if (size < 8) {
		return 0;
	}
	sel = le64(data);
	data += 8;
	n = size - 8;
	/* the file: as long as the head, longer by up to 16 MiB, any
	 * length at all, or near 2^64 */
	switch (sel & 3) {
	case 0:
		file_len = n;
		break;
	case 1:
		file_len = n + (sel >> 2 & 0xffffff);
		break;
	case 2:
		file_len = sel >> 2;
		break;
	default:
		file_len = UINT64_MAX - (sel >> 2 & 0xffff);
		break;
	}
	parse(data, n, file_len);
	texts(data, n, 1 + (sel >> 40 & 0xff));
	texts(data, n, n + 1);
	return 0;
}
