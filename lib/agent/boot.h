/* Boot selection for the agent (applet/init.c keeps PID 1's
 * housekeeping): what the hop.* keys name, or the entries of the boot
 * configurations found (hop.config, hop.entry, hop.menu), resolved on
 * their devices, pinned, and loaded; the next entry while one fails
 * (lib/agent/boot.c). */
#ifndef HOP_BOOT_H
#define HOP_BOOT_H

#include "agent.h"

#define CMDLINE_MAX 4096	/* the kernel's and the next command line */

/* loads the next kernel for cfg (cur: this kernel's command line), with
 * every device it mounted unmounted again: 0 when an image is loaded,
 * else -errno, having logged why */
int boot_load(const struct config *cfg, const struct cmdline *cur);
/* where a loaded request is recorded for hop watch: HOP_RUN_DIR (tests
 * set another) */
extern const char *boot_rundir;

/* configurations read in one boot, and entries tried of each: enough for
 * every real machine, and a bound on the time and the console lines a
 * disk of failing entries can cost (each try is a few lines) */
#define BOOT_MAX_CONFIGS 8

struct bootcfg_budget;
struct found_config;
struct mounts;
/* the configurations the agent reads for cfg, in the order it tries
 * them: hop.config=SRC's, or (auto, or not set) those of the block
 * devices, waiting up to hop.timeout for the first; devices mounted into
 * m, every parse spending from budget. How many (fc[0..n), at most
 * BOOT_MAX_CONFIGS), or -errno having logged why. The agent and hop
 * bootcfg both call it, so that they agree (BOOTCFG builds only) */
int boot_find_configs(const struct config *cfg, struct mounts *m,
	struct bootcfg_budget *budget, struct found_config *fc);

#endif
