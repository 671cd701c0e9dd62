/* The applet table: each applet lives in its own file and exports a main
 * and a usage text; applet/main.c dispatches (README, "The binary"). */
#ifndef APPLET_H
#define APPLET_H

#include <stdio.h>

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage;
	const char *summary;
	void (*more_help)(FILE *f);	/* after usage, NULL: none */
};

int init_main(int argc, char **argv);
extern const char init_usage[];
int kexec_main(int argc, char **argv);
extern const char kexec_usage[];
int watch_main(int argc, char **argv);
extern const char watch_usage[];
int bootcfg_main(int argc, char **argv);
extern const char bootcfg_usage[];
int eventlog_main(int argc, char **argv);
extern const char eventlog_usage[];
struct config;
/* what the agent would boot for cfg (hop.config, hop.entry,
 * hop.timeout; root: DIR as one disk's file system, NULL: the agent's
 * own search), printed on stdout as text or JSON; hop bootcfg and hop
 * init --list. 0 when a configuration with an entry was found, else 1
 * having said why */
int bootcfg_show(const struct config *cfg, const char *root, int json);

#endif
