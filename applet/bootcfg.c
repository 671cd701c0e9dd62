/* hop bootcfg: what the agent (hop init) would boot (README, "hop
 * bootcfg"), as grubby --info=ALL or bootctl list say it for their boot
 * loaders. The configurations come from the agent's own code
 * (boot_find_configs, bootsel_find, bootsel_want), so that the list and
 * the boot agree by construction; hop init --list prints the same for the
 * keys of a command line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "applet.h"
#include "boot.h"
#include "bootlist.h"
#include "bootsel.h"
#include "source.h"

const char bootcfg_usage[] =
	"usage: hop bootcfg [--json] [--entry=X] [--timeout=S] [--root=DIR]\n"
	"                   [PATH | DEV:/PATH]\n\n"
	"Prints what the agent (hop init) would boot: the boot configurations\n"
	"it finds, their entries numbered as hop.entry=N counts them, the\n"
	"default of each and the entry booted first. Without PATH, every\n"
	"block device as hop.config=auto scans them (mounted read-only, then\n"
	"unmounted: needs root); PATH or DEV:/PATH reads that configuration,\n"
	"as hop.config=PATH does.\n"
	"  --root=DIR    DIR as if it were one disk's file system: the places\n"
	"                the agent looks at under DIR (PATH: inside DIR);\n"
	"                nothing is mounted, no path leaves DIR\n"
	"  --entry=X     the entry hop.entry=X picks\n"
	"  --timeout=S   wait up to S s for a device to appear (hop.timeout; 0)\n"
	"  --json        one JSON document (README has the schema)\n"
	"Exit 0 when a configuration with an entry was found, else 1.\n";

/* the configurations after fc's own on its file system, which the agent
 * does not read, into other[*n..BOOT_MAX_CONFIGS) (all of them from one
 * budget apart from the agent's, so listing them leaves what the agent
 * would read as it reads it; a huge one can crowd out those after it) */
static void others(const struct found_config *fc, const char *dev,
	struct bootcfg_budget *budget, struct found_config *other, size_t *n)
{
	size_t place = fc->place;

	while (place && *n < BOOT_MAX_CONFIGS && bootsel_find_after(
		fc->fsroot, dev, place, budget, &other[*n]) == 0) {
		place = other[(*n)++].place;
	}
}

/* --root DIR: the known places under DIR (PATH given: that one), DIR
 * standing for the device in what is shown; how many (0 or 1) */
static int find_in(const struct config *cfg, const char *dir,
	struct bootcfg_budget *budget, struct found_config *fc)
{
	int fd, err;

	if (strlen(dir) >= sizeof(fc->fsroot)) {
		/* where a file system is seen is kept in fsroot */
		hop_error("--root", "a path of %zu bytes: longer than the %zu "
			"hop keeps", strlen(dir), sizeof(fc->fsroot) - 1);
		return -ENAMETOOLONG;
	}
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		/* else every place would just be missing */
		err = -errno;
		hop_error(dir, "%s (%s)", strerror(-err), errname(err));
		return err;
	}
	close(fd);
	if (!cfg->conf || !strcmp(cfg->conf, "auto")) {
		if (bootsel_find(dir, dir, budget, fc) == 0) {
			return 1;
		}
		hop_error(dir, "no boot configuration with an entry (looked "
			"for %s)", bootsel_looked_for());
		return -ENOENT;
	}
	if (cfg->conf[0] != '/') {
		hop_error(cfg->conf, "with --root, a path inside DIR (/PATH)");
		return -EINVAL;
	}
	if (bootsel_read(dir, dir, cfg->conf, budget, fc) < 0) {
		hop_error(fc->shown, "%s", fc->c.why);
		bootcfg_free(&fc->c);
		return -ENOENT;
	}
	return 1;
}

int bootcfg_show(const struct config *cfg, const char *root, int json)
{
	/* 40 KB, on the heap: bss would count in every build's size */
	struct {
		struct found_config fc[BOOT_MAX_CONFIGS];
		struct found_config other[BOOT_MAX_CONFIGS];
		struct mounts m;
	} *w;
	struct found_config *fc, *other;
	struct bootcfg_budget budget, budget_other;
	struct bootlist l;
	struct outbuf out = { 0 };
	char why[300];
	int n, i;

	memset(&l, 0, sizeof(l));
	if (cfg->kernel) {
		/* the agent's boot_load: the keys win, nothing is read */
		hop_log("hop.kernel is set (%s): the agent boots it and reads "
			"no boot configuration", cfg->kernel);
		if (json) {
			fputs("[]\n", stdout);
		}
		return 0;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		hop_error("bootcfg", "out of memory");
		return 1;
	}
	fc = w->fc;
	other = w->other;
	bootcfg_budget_default(&budget);
	bootcfg_budget_default(&budget_other);
	n = root ? find_in(cfg, root, &budget, fc) :
		boot_find_configs(cfg, &w->m, &budget, fc);
	if (n < 0 && !root && (!cfg->conf || !strcmp(cfg->conf, "auto")) &&
		geteuid() != 0) {
		/* the devices were not opened, let alone mounted */
		hop_log("bootcfg: not root: block devices are read and mounted "
			"by root only (--root=DIR reads a mounted one)");
	}
	for (i = 0; i < n; i++) {
		others(&fc[i], root ? root : fc[i].dev[0] ? fc[i].dev : NULL,
			&budget_other, other, &l.nother);
	}
	l.fc = fc;
	l.n = n > 0 ? (size_t)n : 0;
	l.other = other;
	if (n > 0 && bootsel_want(fc, l.n, cfg->entry, &l.pick_cfg,
		&l.pick_entry) < 0 && cfg->entry) {
		/* the agent's words (boot_configs) */
		hop_warn("hop.entry", "'%s': no entry has that label, title or "
			"number; booting the default", cfg->entry);
	} else if (n > 0 && cfg->entry && cfg->entry[0]) {
		snprintf(why, sizeof(why), "hop.entry=%s", cfg->entry);
		l.pick_why = why;
	}
	if (json) {
		bootlist_json(&out, &l);
	} else {
		bootlist_text(&out, &l);
	}
	if (out.oom) {
		hop_error("bootcfg", "out of memory for the list");
	} else if (out.len && fwrite(out.s, 1, out.len, stdout) != out.len) {
		hop_error("stdout", "write: %s", errname(-errno));
	}
	fflush(stdout);
	n = out.oom ? -ENOMEM : n;
	outbuf_free(&out);
	for (i = 0; i < (int)l.n; i++) {
		bootcfg_free(&fc[i].c);
	}
	for (i = 0; i < (int)l.nother; i++) {
		bootcfg_free(&other[i].c);
	}
	source_unmount_all(&w->m);
	free(w);
	return n > 0 ? 0 : 1;
}

int bootcfg_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "entry", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = NULL;
	struct config cfg;
	int c, json = 0;
	long t;

	memset(&cfg, 0, sizeof(cfg));
	optind = 0;	/* restart getopt (glibc and musl) */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'e':
			cfg.entry = optarg;
			break;
		case 't':
			t = bootcfg_number(optarg);
			if (t < 0 || t > 3600) {
				hop_error("--timeout", "'%s': not a number of "
					"seconds (0-3600)", optarg);
				return 2;
			}
			cfg.timeout = (int)t;
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			fputs(bootcfg_usage, stdout);
			return 0;
		default:
			fputs(bootcfg_usage, stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fputs(bootcfg_usage, stderr);
		return 2;
	}
	cfg.conf = optind < argc ? argv[optind] : NULL;
	return bootcfg_show(&cfg, root, json);
}
