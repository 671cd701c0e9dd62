/* lib/base/log.c: log_escape's rules, and every hop_log line escaped once with
 * exactly one '\n', however much the escaping grows it. */
#include <string.h>

#include "hop.h"
#include "test.h"


static const struct {
	const char *what, *in;
	size_t inlen;	/* 0: strlen(in) */
	size_t outsz;	/* 0: 256 */
	const char *want;
} esc_cases[] = {
	{ "plain", "Debian GNU/Linux 6.1", 0, 0, "Debian GNU/Linux 6.1" },
	{ "ESC sequences", "\x1b[2J\x1b]0;x\x07t", 0, 0,
		"\\x1b[2J\\x1b]0;x\\x07t" },
	{ "forged line", "a\nhop: loaded via kexec_load", 0, 0,
		"a\\x0ahop: loaded via kexec_load" },
	{ "CR, tab, DEL", "a\rb\tc\x7f", 0, 0, "a\\x0db\\x09c\\x7f" },
	{ "NUL inside", "a\0b", 3, 0, "a\\x00b" },
	{ "backslash", "C:\\x1b", 0, 0, "C:\\\\x1b" },
	{ "accents pass", "D\xc3\xa9" "bian \xc3\xa0 l'\xc3\xa9t\xc3\xa9", 0,
		0, "D\xc3\xa9" "bian \xc3\xa0 l'\xc3\xa9t\xc3\xa9" },
	{ "U+00A0 passes", "a\xc2\xa0" "b", 0, 0, "a\xc2\xa0" "b" },
	{ "C1 CSI in UTF-8", "\xc2\x9b" "2J", 0, 0, "\\xc2\\x9b2J" },
	{ "C1 U+0080", "\xc2\x80", 0, 0, "\\xc2\\x80" },
	{ "raw C1 byte", "\x9b" "2J", 0, 0, "\\x9b2J" },
	{ "overlong '/'", "\xc0\xaf", 0, 0, "\\xc0\\xaf" },
	{ "overlong ESC", "\xc0\x9b", 0, 0, "\\xc0\\x9b" },
	{ "overlong 3 bytes", "\xe0\x80\xaf", 0, 0, "\\xe0\\x80\\xaf" },
	{ "overlong 4 bytes", "\xf0\x80\x80\xaf", 0, 0,
		"\\xf0\\x80\\x80\\xaf" },
	{ "surrogate", "\xed\xa0\x80", 0, 0, "\\xed\\xa0\\x80" },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", 0, 0,
		"\\xf4\\x90\\x80\\x80" },
	{ "0xff", "a\xff" "b", 0, 0, "a\\xffb" },
	{ "lone continuation", "\x80" "a", 0, 0, "\\x80a" },
	{ "truncated 2-byte at the end", "ab\xc3", 0, 0, "ab\\xc3" },
	{ "truncated 4-byte at the end", "ab\xf0\x9f\x98", 0, 0,
		"ab\\xf0\\x9f\\x98" },
	{ "lead byte, then ASCII", "\xe2(x", 0, 0, "\\xe2(x" },
	{ "4-byte emoji passes", "ok \xf0\x9f\x98\x80!", 0, 0,
		"ok \xf0\x9f\x98\x80!" },
	{ "U+10FFFF passes", "\xf4\x8f\xbf\xbf", 0, 0, "\xf4\x8f\xbf\xbf" },
	/* cut to outsz: never half an escape or half a character */
	{ "cut before an escape", "abc\x1b", 0, 7, "abc" },
	{ "escape fits exactly", "abc\x1b", 0, 8, "abc\\x1b" },
	{ "cut before a backslash pair", "ab\\", 0, 4, "ab" },
	{ "cut before an emoji", "a\xf0\x9f\x98\x80", 0, 5, "a" },
	{ "emoji fits exactly", "a\xf0\x9f\x98\x80", 0, 6,
		"a\xf0\x9f\x98\x80" },
	{ "cut before an accent", "ab\xc3\xa9", 0, 4, "ab" },
	{ "outsz 1", "abc", 0, 1, "" },
};

static void test_escape_cases(void)
{
	char out[256];
	size_t i, n, inlen, outsz;

	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		inlen = esc_cases[i].inlen ? esc_cases[i].inlen :
			strlen(esc_cases[i].in);
		outsz = esc_cases[i].outsz ? esc_cases[i].outsz : sizeof(out);
		memset(out, 'Z', sizeof(out));
		n = log_escape(out, outsz, esc_cases[i].in, inlen);
		CHECK(!strcmp(out, esc_cases[i].want),
			"log_escape(%s) = \"%s\"; want \"%s\"",
			esc_cases[i].what, out, esc_cases[i].want);
		CHECK(n == strlen(esc_cases[i].want),
			"log_escape(%s) returns %zu; want %zu",
			esc_cases[i].what, n, strlen(esc_cases[i].want));
		CHECK(outsz == sizeof(out) || out[outsz] == 'Z',
			"log_escape(%s) wrote past outsz %zu",
			esc_cases[i].what, outsz);
	}
	CHECK_INT("log_escape(outsz 0)", log_escape(out, 0, "abc", 3), 0);
}

/* 1024 bytes of ESC: 4 output bytes each, cut on an escape boundary */
static void test_escape_worst(void)
{
	char in[1024], out[1015];
	size_t n, i;
	int ok = 1;

	memset(in, 0x1b, sizeof(in));
	n = log_escape(out, sizeof(out), in, sizeof(in));
	CHECK_INT("log_escape(1024 x ESC, 1015) length", n, 1012);
	for (i = 0; i < n; i += 4) {
		ok &= !memcmp(out + i, "\\x1b", 4);
	}
	CHECK(ok && out[n] == '\0', "log_escape(1024 x ESC) = \"%.40s...\"; "
		"want \\x1b only", out);
}

/* a whole line as it reaches the console */
static void test_emit(void)
{
	char big[2000];
	const char *log;
	size_t len;

	capture_start();
	hop_log("config: entry \"%s\"", "t\x1b[31m\nhop: loaded via "
		"kexec_load");
	log = capture_end();
	CHECK_STR("hop_log(title with ESC and newline)", log,
		"hop: config: entry \"t\\x1b[31m\\x0ahop: loaded via "
		"kexec_load\"\n");

	capture_start();
	hop_error("/dev/vda1:/x\ty", "bad\r");
	log = capture_end();
	CHECK_STR("hop_error(what and why escaped)", log,
		"hop: error: /dev/vda1:/x\\x09y: bad\\x0d\n");

	/* longer than a line, every byte escaped: one line, cut whole */
	memset(big, 0x1b, sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	capture_start();
	hop_log("%s", big);
	log = capture_end();
	len = strlen(log);
	CHECK(len <= 1020 && len > 1000 && log[len - 1] == '\n' &&
		strchr(log, '\n') == log + len - 1 &&
		!memcmp(log + len - 5, "\\x1b\n", 5),
		"hop_log(2000 x ESC) = %zu bytes ending \"%s\"; want one line "
		"ending in a whole \\x1b", len, len > 8 ? log + len - 8 : log);

	/* a character across the end of the line is left out whole: the
	 * line holds "hop: " and 1014 bytes of message */
	memset(big, 'a', 1030);
	memcpy(big + 1013, "\xc3\xa9", 2);
	big[1030] = '\0';
	capture_start();
	hop_log("%s", big);
	log = capture_end();
	len = strlen(log);
	CHECK(len == 5 + 1013 + 1 && log[len - 1] == '\n' &&
		log[len - 2] == 'a',
		"hop_log(long, UTF-8 at the cut) = %zu bytes ending \"%s\"; "
		"want 1019, no half character", len,
		len > 12 ? log + len - 12 : log);
}

void test_log(void)
{
	test_escape_cases();
	test_escape_worst();
	test_emit();
}
