/* hop.* keys: values, defaults, problems reported, the next command line */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "hop.h"
#include "load.h"
#include "test.h"

static const struct {
	const char *cur;	/* /proc/cmdline */
	const char *want;	/* next command line */
} next_cases[] = {
	{ "console=ttyS0 hop.kernel=/k", "console=ttyS0" },
	{ "console=ttyS0 hop.kernel=/k hop.append=\"a=1 b\"",
		"console=ttyS0 a=1 b" },
	{ "hop.cmdline=\"root=/dev/vda\" hop.append=x console=ttyS0",
		"root=/dev/vda x" },
	{ "hop.reuse=0 console=ttyS0 hop.append=only", "only" },
	{ "hop.reuse=0 console=ttyS0", "" },
	{ "rdinit=/init initrd=/x BOOT_IMAGE=/b q hop.kernel=/k", "q" },
	{ "a hop.append=z -- initarg", "a z -- initarg" },
	{ "a -- hop.append=z", "a -- hop.append=z" },
	{ "a hop.append=z --", "a z --" },
	{ "a hop.append=z -- b -- c", "a z -- b -- c" },
	{ "a \"b hop.append=z", "a \"b hop.append=z" },
	{ "hop.append=z a \"b", "a \"b\" z" },
	{ "hop.cmdline=\"a --\" hop.append=z", "a z --" },
	{ "hop.reuse=0 hop.append=z -- b", "z" },
};

/* an entry's command line (from a disk) in place of hop.cmdline, as
 * applet/init.c boot_entry passes it: the owner's hop.append still lands
 * among the kernel's parameters, after the entry's */
static const struct {
	const char *cur, *entry, *want;
} entry_cases[] = {
	{ "hop.append=x=1", "root=/dev/sda1 --", "root=/dev/sda1 x=1 --" },
	{ "hop.append=x=1", "root=/dev/sda1 \"open",
		"root=/dev/sda1 \"open\" x=1" },
	{ "hop.append=\"x=1 y\"", "root=/dev/sda1 -- single hop.x=2",
		"root=/dev/sda1 x=1 y -- single hop.x=2" },
	{ "hop.append=x=1", "a\xa0--", "a\xa0x=1 --" },
	{ "hop.append=x=1", "root=/dev/sda1 quiet", "root=/dev/sda1 quiet x=1" },
	{ "quiet", "root=/dev/sda1 \"open", "root=/dev/sda1 \"open" },
};

static void test_values(void)
{
	struct cmdline c;
	struct config cfg;
	const char *log;
	int bad;

	cmdline_parse("hop.kernel=/boot/k hop.initrd=/a,/b,/c hop.syscall=file "
		"hop.onfail=poweroff hop.debug hop.dryrun=1 hop.timeout=3 "
		"hop.dtb=/d", &c);
	capture_start();
	bad = config_from_cmdline(&c, &cfg);
	log = capture_end();
	CHECK_INT("config_from_cmdline(good keys)", bad, 0);
	CHECK_STR("config_from_cmdline(good keys) log", log, "");
	CHECK_STR("cfg.kernel", cfg.kernel, "/boot/k");
	CHECK_INT("cfg.ninitrd", cfg.ninitrd, 3);
	CHECK_STR("cfg.initrd[2]", cfg.initrd[2], "/c");
	CHECK_INT("cfg.syscall", cfg.syscall, SYSCALL_FILE);
	CHECK_INT("cfg.onfail", cfg.onfail, ONFAIL_POWEROFF);
	CHECK_INT("cfg.debug", cfg.debug, 1);
	CHECK_INT("cfg.dryrun", cfg.dryrun, 1);
	CHECK_INT("cfg.timeout", cfg.timeout, 3);
	CHECK_INT("cfg.reuse", cfg.reuse, 1);
	CHECK_STR("cfg.dtb", cfg.dtb, "/d");
	config_free(&cfg);
	cmdline_free(&c);

	cmdline_parse("quiet", &c);
	config_from_cmdline(&c, &cfg);
	CHECK(cfg.kernel == NULL, "default cfg.kernel = %s; want NULL",
		cfg.kernel);
	CHECK_INT("default cfg.syscall", cfg.syscall, SYSCALL_AUTO);
	CHECK_INT("default cfg.onfail", cfg.onfail, ONFAIL_DEFAULT);
	CHECK_INT("default cfg.timeout", cfg.timeout, 10);
	config_free(&cfg);
	cmdline_free(&c);
}

static const struct {
	const char *in, *log;
} bad_cases[] = {
	{ "hop.kernal=/k", "hop: warning: hop.kernal: unknown key, ignored\n" },
	{ "hop.syscall=both", "hop: warning: hop.syscall: 'both' is not a "
		"valid value, ignored\n" },
	{ "hop.onfail=default", "hop: warning: hop.onfail: 'default' is not "
		"a valid value, ignored\n" },
	{ "hop.debug=2", "hop: warning: hop.debug: '2' is not 0 or 1, "
		"ignored\n" },
	{ "hop.timeout=5s", "hop: warning: hop.timeout: '5s' is not a number "
		"of seconds, ignored\n" },
	{ "hop.kernel", "hop: warning: hop.kernel: needs a value "
		"(hop.kernel=...), ignored\n" },
};

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define U64 "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define I16 "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"
#define M8 "hop.module=a hop.module=b hop.module=c hop.module=d " \
	"hop.module=e hop.module=f hop.module=g hop.module=h "
#define M64 M8 M8 M8 M8 M8 M8 M8 M8
#define M256 M64 M64 M64 M64	/* HOP_MAX_MODULES */

/* security keys: a problem refuses the boot (cfg.refuse), never a
 * warning with the key ignored */
static const struct {
	const char *in, *log;
	int refuse;
} refuse_cases[] = {
	{ "hop.kernel.sha256", "hop: error: hop.kernel.sha256: needs a value "
		"(hop.kernel.sha256=HEX): refusing to boot\n", 1 },
	{ "hop.kernel.sha256=", "hop: error: hop.kernel.sha256: needs a "
		"value (hop.kernel.sha256=HEX): refusing to boot\n", 1 },
	{ "hop.dtb.sha256=abc", "hop: error: hop.dtb.sha256: 'abc' is not "
		"64 hex digits: refusing to boot\n", 1 },
	{ "hop.cmdline.sha256", "hop: error: hop.cmdline.sha256: needs a "
		"value (hop.cmdline.sha256=HEX): refusing to boot\n", 1 },
	{ "hop.cmdline.sha256=" D64 "0", "hop: error: hop.cmdline.sha256: '"
		D64 "0' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.cmdline.sha256=" "g123456789abcdef0123456789abcdef0123456789"
		"abcdef0123456789abcdef", "hop: error: hop.cmdline.sha256: "
		"'g123456789abcdef0123456789abcdef0123456789abcdef0123456789"
		"abcdef' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.kernel.sha256=" D64 "," D64, "hop: error: hop.kernel.sha256: '"
		D64 "," D64 "' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.initrd.sha256=" D64 ",," D64, "hop: error: hop.initrd.sha256: "
		"digest 2 '' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.initrd.sha256=" D64 ",", "hop: error: hop.initrd.sha256: "
		"digest 2 '' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.initrd.sha256=," D64, "hop: error: hop.initrd.sha256: "
		"digest 1 '' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.initrd.sha256=" D64 ",12", "hop: error: hop.initrd.sha256: "
		"digest 2 '12' is not 64 hex digits: refusing to boot\n", 1 },
	{ "hop.initrd.sha256=" D64 "," D64 "," D64 "," D64 "," D64 "," D64 ","
		D64 "," D64 "," D64 "," D64 "," D64 "," D64 "," D64 "," D64 ","
		D64 "," D64 "," D64, "hop: error: hop.initrd.sha256: more than "
		"16 digests: refusing to boot\n", 1 },
	{ "hop.kernel.sha256=" D64 " hop.kernel.sha256=" U64,
		"hop: error: hop.kernel.sha256: given twice: refusing to boot "
		"(the later would replace the first)\n", 1 },
	{ "hop.kernel.sha256 hop.kernel.sha256=" D64,
		"hop: error: hop.kernel.sha256: needs a value "
		"(hop.kernel.sha256=HEX): refusing to boot\n"
		"hop: error: hop.kernel.sha256: given twice: refusing to boot "
		"(the later would replace the first)\n", 2 },
	{ "hop.initrd=" I16 ",17", "hop: error: hop.initrd: more than 16 "
		"files: refusing to boot\n", 1 },
	{ M256 "hop.module=x", "hop: error: hop.module: more than 256 "
		"modules ('x'): refusing to boot\n", 1 },
	{ M256, "", 0 },
	{ "hop.kernel.sha265=" D64, "hop: error: hop.kernel.sha265: unknown "
		"key, not a pin (hop.kernel.sha256, hop.initrd.sha256, "
		"hop.dtb.sha256, hop.cmdline.sha256): refusing to boot\n", 1 },
	{ "hop.initrd.SHA256=" D64, "hop: error: hop.initrd.SHA256: unknown "
		"key, not a pin (hop.kernel.sha256, hop.initrd.sha256, "
		"hop.dtb.sha256, hop.cmdline.sha256): refusing to boot\n", 1 },
	/* signatures and measurements: given once, never misspelt */
	{ "hop.pubkey=/a.pub hop.pubkey=/b.pub", "hop: error: hop.pubkey: "
		"given twice (the later would replace the first): refusing to "
		"boot\n", 1 },
	{ "hop.sig", "hop: error: hop.sig: needs a value: refusing to boot\n",
		1 },
	{ "hop.measure=9 hop.measure=10", "hop: error: hop.measure: given "
		"twice (the later would replace the first): refusing to boot\n",
		1 },
	{ "hop.pubkeys=/a.pub", "hop: error: hop.pubkeys: unknown key, not "
		"hop.pubkey, hop.sig or hop.measure: refusing to boot\n", 1 },
	{ "hop.measured=9", "hop: error: hop.measured: unknown key, not "
		"hop.pubkey, hop.sig or hop.measure: refusing to boot\n", 1 },
	{ "hop.signature=required", "hop: error: hop.signature: unknown key, "
		"not hop.pubkey, hop.sig or hop.measure: refusing to boot\n", 1 },
	/* words after "--" are init's: not ours to refuse */
	{ "a -- hop.kernel.sha256", "", 0 },
	/* ordinary keys still warn and go on */
	{ "hop.kernel hop.initrd.sha256=" D64, "hop: warning: hop.kernel: "
		"needs a value (hop.kernel=...), ignored\n", 0 },
};

static void test_pins(void)
{
	struct cmdline c;
	struct config cfg;
	const char *log;
	size_t i;
	int bad;

	for (i = 0; i < sizeof(refuse_cases) / sizeof(refuse_cases[0]); i++) {
		cmdline_parse(refuse_cases[i].in, &c);
		capture_start();
		bad = config_from_cmdline(&c, &cfg);
		log = capture_end();
		CHECK(cfg.refuse == refuse_cases[i].refuse && bad >= cfg.refuse,
			"config_from_cmdline(\"%.60s\"): refuse %d, problems %d; "
			"want refuse %d", refuse_cases[i].in, cfg.refuse, bad,
			refuse_cases[i].refuse);
		CHECK(!strcmp(log, refuse_cases[i].log),
			"config_from_cmdline(\"%.60s\") logs \"%s\"; want \"%s\"",
			refuse_cases[i].in, log, refuse_cases[i].log);
		config_free(&cfg);
		cmdline_free(&c);
	}

	/* good pins, either case; hop.cmdline.sha256 kept as written */
	cmdline_parse("hop.kernel.sha256=" D64 " hop.initrd.sha256=" D64 ","
		U64 " hop.dtb.sha256=" U64 " hop.cmdline.sha256=" U64
		" hop.initrd=" I16, &c);
	capture_start();
	bad = config_from_cmdline(&c, &cfg);
	log = capture_end();
	CHECK_INT("config_from_cmdline(good pins)", bad, 0);
	CHECK_INT("config_from_cmdline(good pins) refuse", cfg.refuse, 0);
	CHECK_STR("config_from_cmdline(good pins) log", log, "");
	CHECK_STR("cfg.kernel_sha", cfg.kernel_sha, D64);
	CHECK_STR("cfg.initrd_sha", cfg.initrd_sha, D64 "," U64);
	CHECK_STR("cfg.dtb_sha", cfg.dtb_sha, U64);
	CHECK_STR("cfg.cmdline_sha", cfg.cmdline_sha, U64);
	CHECK_INT("cfg.ninitrd (16)", cfg.ninitrd, 16);
	config_free(&cfg);
	cmdline_free(&c);

	/* a refused pin still leaves something no file matches */
	cmdline_parse("hop.cmdline.sha256 hop.kernel.sha256=x", &c);
	capture_start();
	config_from_cmdline(&c, &cfg);
	capture_end();
	CHECK_STR("cfg.cmdline_sha (no value)", cfg.cmdline_sha, "");
	CHECK_STR("cfg.kernel_sha (bad value)", cfg.kernel_sha, "x");
	CHECK_INT("cfg.refuse (two bad pins)", cfg.refuse, 2);
	config_free(&cfg);
	cmdline_free(&c);

	cmdline_parse("quiet", &c);
	config_from_cmdline(&c, &cfg);
	CHECK(!cfg.cmdline_sha && !cfg.refuse, "default cfg.cmdline_sha = %s, "
		"refuse %d; want NULL, 0", cfg.cmdline_sha, cfg.refuse);
	config_free(&cfg);
	cmdline_free(&c);
}

/* every key of the table is in the README's keys tables, written as
 * `hop.NAME=` or `hop.NAME` (the table is the one declaration; the
 * README may not lose or invent one) */
static void test_keys_in_readme(void)
{
	char *text, want[64], want2[64];
	const char *name;
	size_t i, n = 0;
	long len;
	FILE *f = fopen("README.md", "r");

	CHECK(f != NULL, "README.md: run the unit tests from the repository");
	if (!f) {
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)len + 1);
	if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
		text[0] = '\0';
	}
	fclose(f);
	for (i = 0; text && (name = config_key_name(i)); i++, n++) {
		snprintf(want, sizeof(want), "`hop.%s=", name);
		snprintf(want2, sizeof(want2), "`hop.%s`", name);
		CHECK(strstr(text, want) || strstr(text, want2),
			"README.md: no `hop.%s=` for the key", name);
	}
	CHECK(n >= 20, "config_key_name: %zu keys", n);
	free(text);
}

void test_config(void)
{
	test_keys_in_readme();
	struct cmdline c;
	struct config cfg;
	char out[256];
	const char *log;
	size_t i;
	int bad;

	test_values();
	test_pins();
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		cmdline_parse(bad_cases[i].in, &c);
		capture_start();
		bad = config_from_cmdline(&c, &cfg);
		log = capture_end();
		CHECK(bad == 1, "config_from_cmdline(\"%s\") = %d; want 1",
			bad_cases[i].in, bad);
		CHECK(!strcmp(log, bad_cases[i].log),
			"config_from_cmdline(\"%s\") logs \"%s\"; want \"%s\"",
			bad_cases[i].in, log, bad_cases[i].log);
		config_free(&cfg);
		cmdline_free(&c);
	}
	for (i = 0; i < sizeof(next_cases) / sizeof(next_cases[0]); i++) {
		cmdline_parse(next_cases[i].cur, &c);
		config_from_cmdline(&c, &cfg);
		CHECK_INT("config_next_cmdline()", config_next_cmdline(&cfg, &c,
			out, sizeof(out)), 0);
		CHECK(!strcmp(out, next_cases[i].want),
			"config_next_cmdline(\"%s\") = \"%s\"; want \"%s\"",
			next_cases[i].cur, out, next_cases[i].want);
		config_free(&cfg);
		cmdline_free(&c);
	}
	for (i = 0; i < sizeof(entry_cases) / sizeof(entry_cases[0]); i++) {
		cmdline_parse(entry_cases[i].cur, &c);
		config_from_cmdline(&c, &cfg);
		cfg.cmdline = entry_cases[i].entry;
		CHECK_INT("config_next_cmdline(entry)", config_next_cmdline(&cfg,
			&c, out, sizeof(out)), 0);
		CHECK(!strcmp(out, entry_cases[i].want),
			"config_next_cmdline(\"%s\", entry \"%s\") = \"%s\"; "
			"want \"%s\"", entry_cases[i].cur, entry_cases[i].entry,
			out, entry_cases[i].want);
		/* at the limit: the exact size fits, one byte less does not */
		CHECK_INT("config_next_cmdline(entry, exact size)",
			config_next_cmdline(&cfg, &c, out,
			strlen(entry_cases[i].want) + 1), 0);
		CHECK_INT("config_next_cmdline(entry, one byte short)",
			config_next_cmdline(&cfg, &c, out,
			strlen(entry_cases[i].want)), -E2BIG);
		config_free(&cfg);
		cmdline_free(&c);
	}
	/* the reuse path at the limit, "--" and init's words included */
	cmdline_parse("a hop.append=z -- initarg", &c);
	config_from_cmdline(&c, &cfg);
	CHECK_INT("config_next_cmdline(reuse, exact size)",
		config_next_cmdline(&cfg, &c, out, sizeof("a z -- initarg")), 0);
	CHECK_STR("config_next_cmdline(reuse, exact size)", out,
		"a z -- initarg");
	CHECK_INT("config_next_cmdline(reuse, one byte short)",
		config_next_cmdline(&cfg, &c, out, sizeof("a z -- initarg") - 1),
		-E2BIG);
	config_free(&cfg);
	cmdline_free(&c);
	cmdline_parse("hop.append=0123456789", &c);
	config_from_cmdline(&c, &cfg);
	CHECK_INT("config_next_cmdline(outsz 8)", config_next_cmdline(&cfg, &c,
		out, 8), -E2BIG);
	config_free(&cfg);
	cmdline_free(&c);
}
