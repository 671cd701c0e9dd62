/* hop: one static binary, many applets, chosen busybox-style by the name
 * it was run as or by the first argument. As PID 1 it is always the agent.
 * Exit codes: 0 ok, 1 failure, 2 usage, 127 unknown applet. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "agent.h"
#include "hop.h"

static const struct applet applets[] = {
	{ "init", init_main, init_usage, "the early-boot agent", config_help },
#if HOP_FEAT_KEXEC
	{ "kexec", kexec_main, kexec_usage, "kexec-tools compatible front end",
		NULL },
#endif
#if HOP_FEAT_WATCH
	{ "watch", watch_main, watch_usage, "reloads the image on memory "
		"hotplug", NULL },
#endif
#if HOP_FEAT_BOOTCFG
	{ "bootcfg", bootcfg_main, bootcfg_usage, "what the agent would boot",
		NULL },
#endif
#if HOP_FEAT_MEASURE
	{ "eventlog", eventlog_main, eventlog_usage, "checks a TPM event log "
		"against the PCRs", NULL },
#endif
};
#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

static const struct applet *find(const char *name)
{
	size_t i;

	for (i = 0; i < NAPPLETS; i++) {
		if (!strcmp(applets[i].name, name)) {
			return &applets[i];
		}
	}
	return NULL;
}

static void help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: hop APPLET [ARGS]   (or a link named APPLET)\n"
		"       hop --list | --help | --version | APPLET --help\n\n"
		"hop " HOP_VERSION ": load the next kernel and jump to it.\n\n"
		"applets:\n");
	for (i = 0; i < NAPPLETS; i++) {
		fprintf(f, "  %-8s %s\n", applets[i].name, applets[i].summary);
	}
}

static int run(const struct applet *a, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		fputs(a->usage, stdout);
		if (a->more_help) {
			a->more_help(stdout);
		}
		return 0;
	}
	return a->main(argc, argv);
}

int main(int argc, char **argv)
{
	const struct applet *a;
	const char *base = argv[0] ? argv[0] : "hop";
	size_t i;

	if (strrchr(base, '/')) {
		base = strrchr(base, '/') + 1;
	}
	if (getpid() == 1) {
		return init_main(argc, argv);	/* never returns as PID 1 */
	}
	a = find(base);
	if (a) {
		return run(a, argc, argv);
	}
	if (argc < 2) {
		help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < NAPPLETS; i++) {
			puts(applets[i].name);
		}
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("hop " HOP_VERSION);
		return 0;
	}
	a = find(argv[1]);
	if (!a) {
		hop_error(argv[1], "unknown applet (hop --list shows them)");
		return 127;
	}
	return run(a, argc - 1, argv + 1);
}
