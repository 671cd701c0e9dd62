/* the kernel command line splitter, reuse stripping, hop.* keys; that
 * hop.append inserted into any line is a kernel parameter of its own
 * before "--"; that log_escape leaves no control byte and reads back to
 * its input */
#include "agent.h"
#include "fuzz.h"

#define MARK "hop_fuzz_mark=1"

/* the words MARK of s before its "--" */
static size_t marks(const char *s)
{
	struct cmdline c;
	size_t i, n = 0;

	if (cmdline_parse(s, &c) < 0) {
		abort();
	}
	for (i = 0; i < c.after_dashdash && i < c.n; i++) {
		n += !strcmp(c.p[i].raw, MARK);
	}
	cmdline_free(&c);
	return n;
}

static void check_insert(const char *s)
{
	size_t sz = strlen(s) + sizeof(MARK) + 2;
	char *out = malloc(sz);

	/* MARK, a space and maybe a '"' always fit */
	if (cmdline_insert(out, sz, s, MARK) < 0 ||
		marks(out) != marks(s) + 1) {
		abort();
	}
	free(out);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		c - 'a' + 10 : -1;
}

static void check_escape(const uint8_t *data, size_t size)
{
	size_t sz = 4 * size + 1, n, i, k = 0;
	char *out = malloc(sz), *back = malloc(size + 1);

	n = log_escape(out, sz, (const char *)data, size);
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)out[i];

		if (b < 0x20 || b == 0x7f || (b == 0xc2 && i + 1 < n &&
			(unsigned char)out[i + 1] < 0xa0)) {
			abort();
		}
		/* read it back: \\ and \xNN */
		if (b == '\\' && out[i + 1] == '\\') {
			back[k++] = '\\';
			i++;
		} else if (b == '\\' && out[i + 1] == 'x' &&
			hexval(out[i + 2]) >= 0 && hexval(out[i + 3]) >= 0) {
			back[k++] = (char)(hexval(out[i + 2]) * 16 +
				hexval(out[i + 3]));
			i += 3;
		} else if (b == '\\') {
			abort();
		} else {
			back[k++] = (char)b;
		}
	}
	if (k != size || memcmp(back, data, size)) {
		abort();
	}
	/* a short buffer: never past it */
	if (size) {
		n = log_escape(out, size % 13 + 1, (const char *)data, size);
		if (n > size % 13) {
			abort();
		}
	}
	free(out);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), out[4096];
	struct cmdline c;
	struct config cfg;

	fuzz_quiet();
	if (cmdline_parse(s, &c) == 0) {
		config_from_cmdline(&c, &cfg);
		config_next_cmdline(&cfg, &c, out, sizeof(out));
		cmdline_strip(&c, out, sizeof(out));
		config_free(&cfg);
		cmdline_free(&c);
	}
	check_insert(s);
	check_escape(data, size);
	free(s);
	return 0;
}
