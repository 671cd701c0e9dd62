/* hop.* keys: values, defaults, problems reported, the next command line */
#include <errno.h>
#include <string.h>

#include "hop.h"
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

void test_config(void)
{
	struct cmdline c;
	struct config cfg;
	char out[256];
	const char *log;
	size_t i;
	int bad;

	test_values();
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
	cmdline_parse("hop.append=0123456789", &c);
	config_from_cmdline(&c, &cfg);
	CHECK_INT("config_next_cmdline(outsz 8)", config_next_cmdline(&cfg, &c,
		out, 8), -E2BIG);
	config_free(&cfg);
	cmdline_free(&c);
}
