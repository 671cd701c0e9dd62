/* cmdline_parse against the kernel's next_arg() rules, cmdline_strip for
 * hop.reuse, cmdline_join's bounds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"
#include "test.h"

/* renders a parse as "key|val|raw;..." with "-" for a NULL value */
static const char *render(const char *in, size_t *dd)
{
	static char out[1024];
	struct cmdline c;
	size_t i;

	out[0] = '\0';
	*dd = 0;	/* set on the ENOMEM path too (gcc -O1 on arm warns) */
	if (cmdline_parse(in, &c) < 0) {
		return "ENOMEM";
	}
	for (i = 0; i < c.n; i++) {
		size_t n = strlen(out);

		snprintf(out + n, sizeof(out) - n, "%s%s|%s|%s", i ? ";" : "",
			c.p[i].key, c.p[i].val ? c.p[i].val : "-", c.p[i].raw);
	}
	*dd = c.after_dashdash;
	cmdline_free(&c);
	return out;
}

static const struct {
	const char *in, *want;
	size_t dashdash;
} parse_cases[] = {
	{ "", "", 0 },
	{ "   ", "", 0 },
	{ "quiet", "quiet|-|quiet", 1 },
	{ "a=1 b=2", "a|1|a=1;b|2|b=2", 2 },
	{ "  a=1\t\tb  ", "a|1|a=1;b|-|b", 2 },
	{ "hop.append=\"root=/dev/vda1 ro\" x",
		"hop.append|root=/dev/vda1 ro|hop.append=\"root=/dev/vda1 ro\";"
		"x|-|x", 2 },
	{ "\"a b=c d\" e", "a b|c d|\"a b=c d\";e|-|e", 2 },
	{ "k=\"\"", "k||k=\"\"", 1 },
	{ "k=a=b", "k|a=b|k=a=b", 1 },
	{ "=x", "=x|-|=x", 1 },
	{ "k=\"unterminated value", "k|unterminated value|k=\"unterminated "
		"value", 1 },
	{ "a -- b=1 c", "a|-|a;--|-|--;b|1|b=1;c|-|c", 2 },
	{ "a=\"--\" b", "a|--|a=\"--\";b|-|b", 2 },
	/* an odd quote swallows the rest, as in the kernel */
	{ "x=\"a\"b\" y", "x|a\"b\" y|x=\"a\"b\" y", 1 },
	/* the kernel's isspace() has 0xa0 */
	{ "a\xa0--\xa0" "b", "a|-|a;--|-|--;b|-|b", 2 },
	{ "\"--\" b", "--|-|\"--\";b|-|b", 1 },
};

/* hop.append (add) into a line a disk may have written (base) */
static const struct {
	const char *base, *add, *want;
} insert_cases[] = {
	{ "root=/dev/sda1 --", "x=1", "root=/dev/sda1 x=1 --" },
	{ "root=/dev/sda1 -- single x=2", "x=1",
		"root=/dev/sda1 x=1 -- single x=2" },
	{ "-- init", "x=1", "x=1 -- init" },
	{ "--", "x", "x --" },
	{ "a  \t-- b", "x", "a  \tx -- b" },
	{ "a -- b -- c", "x", "a x -- b -- c" },
	{ "root=/dev/sda1 \"open", "x=1", "root=/dev/sda1 \"open\" x=1" },
	{ "k=\"a b", "x", "k=\"a b\" x" },
	{ "x=\"a\"b\" y", "z", "x=\"a\"b\" y\" z" },
	{ "a -- \"open", "x", "a x -- \"open" },
	/* "--" in quotes is the kernel's "--" too, closed or not */
	{ "\"--\" init", "x", "x \"--\" init" },
	{ "a \"--", "x", "a x \"--" },
	/* not a "--" word */
	{ "a b=\"--\" c", "x", "a b=\"--\" c x" },
	{ "a --=1", "x", "a --=1 x" },
	{ "a --\"x y\" b", "x", "a --\"x y\" b x" },
	{ "a \"-- b\"", "x", "a \"-- b\" x" },
	/* a no-break space is a space to the kernel */
	{ "a\xa0--\xa0init", "x", "a\xa0x --\xa0init" },
	/* nothing to add: base as it is, open quote and all */
	{ "a \"open", "", "a \"open" },
	{ "a -- b", "", "a -- b" },
	{ "", "x", "x" },
	{ "a", "b", "a b" },
	/* the owner's own "--" is the owner's choice */
	{ "a", "y -- z", "a y -- z" },
};

/* cmdline_insert into a heap buffer of exactly sz bytes (ASan sees any
 * write past it), separate from base or base itself */
static int insert_sized(const char *base, const char *add, size_t sz,
	int inplace, char *got, size_t gotsz)
{
	char *out = malloc(sz), *in = NULL;
	int err;

	if (inplace) {
		if (strlen(base) + 1 > sz) {
			free(out);
			return -999;
		}
		strcpy(out, base);
		in = out;
	}
	err = cmdline_insert(out, sz, in ? in : base, add);
	snprintf(got, gotsz, "%s", err == 0 || inplace ? out : "");
	free(out);
	return err;
}

static void test_insert(void)
{
	char got[256];
	size_t i, need;
	int inplace, err;

	for (i = 0; i < sizeof(insert_cases) / sizeof(insert_cases[0]); i++) {
		const char *b = insert_cases[i].base, *a = insert_cases[i].add;

		need = strlen(insert_cases[i].want) + 1;
		for (inplace = 0; inplace < 2; inplace++) {
			err = insert_sized(b, a, need, inplace, got, sizeof(got));
			CHECK(err == 0 && !strcmp(got, insert_cases[i].want),
				"cmdline_insert(\"%s\", \"%s\", %zu%s) = %d \"%s\"; "
				"want \"%s\"", b, a, need, inplace ? ", in place" :
				"", err, got, insert_cases[i].want);
			/* one byte short: E2BIG, base untouched in place */
			err = insert_sized(b, a, need - 1, inplace, got,
				sizeof(got));
			if (err == -999) {
				continue;	/* base alone does not fit */
			}
			CHECK(err == -E2BIG && (!inplace || !strcmp(got, b)),
				"cmdline_insert(\"%s\", \"%s\", %zu%s) = %d \"%s\"; "
				"want -E2BIG", b, a, need - 1, inplace ?
				", in place" : "", err, got);
		}
	}
}

static const struct {
	const char *in, *want;
} strip_cases[] = {
	{ "console=ttyS0 hop.kernel=/k quiet", "console=ttyS0 quiet" },
	{ "BOOT_IMAGE=/vmlinuz initrd=/i rdinit=/init root=/dev/sda",
		"root=/dev/sda" },
	{ "hop.append=\"a b\" x=\"1 2\"", "x=\"1 2\"" },
	{ "initrd rdinit", "initrd rdinit" },
	{ "a -- hop.kernel=/k", "a" },
	{ "", "" },
};

void test_cmdline(void)
{
	char buf[64], out[256];
	struct cmdline c;
	size_t i, dd;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const char *got = render(parse_cases[i].in, &dd);

		CHECK(!strcmp(got, parse_cases[i].want),
			"cmdline_parse(\"%s\") = \"%s\"; want \"%s\"",
			parse_cases[i].in, got, parse_cases[i].want);
		CHECK(dd == parse_cases[i].dashdash,
			"cmdline_parse(\"%s\").after_dashdash = %zu; want %zu",
			parse_cases[i].in, dd, parse_cases[i].dashdash);
	}
	test_insert();
	for (i = 0; i < sizeof(strip_cases) / sizeof(strip_cases[0]); i++) {
		cmdline_parse(strip_cases[i].in, &c);
		CHECK_INT("cmdline_strip()", cmdline_strip(&c, out,
			sizeof(out)), 0);
		CHECK(!strcmp(out, strip_cases[i].want),
			"cmdline_strip(\"%s\") = \"%s\"; want \"%s\"",
			strip_cases[i].in, out, strip_cases[i].want);
		cmdline_free(&c);
	}
	CHECK_INT("cmdline_join(8, \"abc\", \"def\")",
		cmdline_join(buf, 8, "abc", "def"), 0);
	CHECK_STR("cmdline_join(8, \"abc\", \"def\")", buf, "abc def");
	CHECK_INT("cmdline_join(7, \"abc\", \"def\")",
		cmdline_join(buf, 7, "abc", "def"), -E2BIG);
	CHECK_INT("cmdline_join(4, \"\", \"abc\")",
		cmdline_join(buf, 4, "", "abc"), 0);
	CHECK_STR("cmdline_join(4, \"\", \"abc\")", buf, "abc");
	strcpy(buf, "a");
	cmdline_join(buf, sizeof(buf), buf, "b");
	CHECK_STR("cmdline_join(buf=\"a\", buf, \"b\")", buf, "a b");
	/* a long line: every byte a word start */
	{
		char *big = malloc(8193);
		size_t k;

		for (k = 0; k < 8192; k++) {
			big[k] = k & 1 ? ' ' : 'x';
		}
		big[8192] = '\0';
		CHECK_INT("cmdline_parse(4096 words)", cmdline_parse(big, &c), 0);
		CHECK_INT("cmdline_parse(4096 words).n", c.n, 4096);
		cmdline_free(&c);
		free(big);
	}
}
