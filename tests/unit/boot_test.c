/* lib/agent/boot.c, the agent's boot selection, end to end against the
 * fake syscall layer of load_test.c: which entry of a configuration is
 * loaded and with which command line, the next entry while one fails
 * (a missing kernel, a FIFO that must not block), the cap on entries
 * tried, and the pins that refuse before anything is loaded. The
 * configuration is a file of the "initramfs" (the test's /tmp). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "hop.h"
#include "request.h"
#include "test.h"

static char dir[] = "/tmp/hop-boot-XXXXXX";

/* boot_load for the hop.* words of line */
static int boot(const char *line, const char **log)
{
	struct cmdline cur;
	struct config cfg;
	int err;

	if (cmdline_parse(line, &cur) < 0) {
		return -ENOMEM;
	}
	capture_start();
	config_from_cmdline(&cur, &cfg);
	err = cfg.refuse ? -EINVAL : boot_load(&cfg, &cur);
	*log = capture_end();
	config_free(&cfg);
	cmdline_free(&cur);
	return err;
}

void test_boot(void)
{
	char line[512], conf[2048], rundir[64], path[128];
	const char *log;
	int err, i, n;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(rundir, sizeof(rundir), "%s/run", dir);
	boot_rundir = rundir;
	fixture_put(dir, "/k", "FAKE kernel", 11);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK_INT("mkfifo", mkfifo(path, 0600), 0);

	/* the default's kernel is missing, the next one is a FIFO, the third
	 * boots with its append and the owner's hop.append before its "--" */
	n = snprintf(conf, sizeof(conf), "default gone\n"
		"label gone\n kernel %s/missing\n"
		"label fifo\n kernel %s/fifo\n"
		"label good\n kernel %s/k\n append root=/dev/x --\n", dir, dir,
		dir);
	fixture_put(dir, "/a.conf", conf, (size_t)n);
	fake_err = 0;
	fake_calls = 0;
	snprintf(line, sizeof(line), "hop.config=%s/a.conf hop.append=owner=1",
		dir);
	err = boot(line, &log);
	CHECK_INT("boot_load(third entry)", err, 0);
	CHECK_INT("kexec_file_load calls", fake_calls, 1);
	CHECK_STR("the next command line", fake_cmdline,
		"root=/dev/x owner=1 --");
	CHECK(strstr(log, "entry \"gone\" failed (ENOENT); trying the next") &&
		strstr(log, "/fifo: open: EINVAL (not a regular file)") &&
		strstr(log, "entry \"fifo\" failed (EINVAL); trying the next") &&
		strstr(log, "hop: loaded via kexec_file_load"),
		"boot_load(third entry) log:\n%s", log);

	/* ten failing entries: eight tried, the rest said, one summary */
	n = snprintf(conf, sizeof(conf), "default e0\n");
	for (i = 0; i < 10; i++) {
		n += snprintf(conf + n, sizeof(conf) - (size_t)n,
			"label e%d\n kernel %s/none%d\n", i, dir, i);
	}
	fixture_put(dir, "/ten.conf", conf, (size_t)n);
	fake_calls = 0;
	snprintf(line, sizeof(line), "hop.config=%s/ten.conf", dir);
	err = boot(line, &log);
	CHECK_INT("boot_load(ten failing entries)", err, -ENOENT);
	CHECK_INT("kexec_file_load calls (none loads)", fake_calls, 0);
	CHECK(strstr(log, "/ten.conf: 2 more entries not tried (hop tries at "
		"most 8 of one configuration)") && strstr(log, "hop: error: "
		"hop.config: none of the 8 entries tried could be loaded") &&
		!strstr(log, "entry \"e8\" of"), "boot_load(ten failing "
		"entries) log:\n%s", log);

	/* pins refuse before anything is loaded */
	fake_calls = 0;
	snprintf(line, sizeof(line), "hop.kernel=%s/k hop.cmdline=x "
		"hop.cmdline.sha256=%064d", dir, 0);
	err = boot(line, &log);
	CHECK_INT("boot_load(cmdline pin mismatch)", err, -EBADMSG);
	CHECK_INT("kexec_file_load calls (pin mismatch)", fake_calls, 0);
	CHECK(strstr(log, "hop: error: hop.cmdline.sha256: SHA-256 mismatch: "
		"the command line \"x\" has 2d711642b726b04401627ca9fbac32f5c853"
		"0fb1903cc4db02258717921a4881") != NULL,
		"boot_load(cmdline pin mismatch) log:\n%s", log);
	snprintf(line, sizeof(line), "hop.kernel=%s/fifo hop.kernel.sha256="
		"%064d", dir, 0);
	err = boot(line, &log);
	CHECK_INT("boot_load(pinned FIFO)", err, -EINVAL);
	CHECK(strstr(log, "not a regular file") != NULL,
		"boot_load(pinned FIFO) log:\n%s", log);
	/* a pin without a digest: nothing is even tried */
	snprintf(line, sizeof(line), "hop.kernel=%s/k hop.kernel.sha256", dir);
	err = boot(line, &log);
	CHECK_INT("boot(pin without a digest)", err, -EINVAL);
	CHECK_INT("kexec_file_load calls (refused)", fake_calls, 0);

	boot_rundir = HOP_RUN_DIR;
	snprintf(line, sizeof(line), "rm -rf %s", dir);
	CHECK_INT("rm -rf", system(line), 0);
}
