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

#endif
