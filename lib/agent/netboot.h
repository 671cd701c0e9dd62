/* The agent's network (lib/agent/netboot.c; README, "Network boot"). */
#ifndef HOP_NETBOOT_H
#define HOP_NETBOOT_H

#include "bootsel.h"
#include "fetch.h"

/* the boot's hop.net (NULL: dhcp), hop.ca (NULL: no https) and
 * hop.timeout; nothing is brought up before the first URL */
void netboot_setup(const char *spec, const char *ca, int timeout_s);
/* the network up as hop.net says, once per boot (later calls return the
 * first's result): 0, or -errno having logged why */
int netboot_up(void);
/* url fetched for what (a key or an entry), hashed as received when hash:
 * 0, or -errno having logged one line */
int netboot_fetch(const char *what, const char *url, int hash,
	struct fetched *f);
/* source_resolve for a URL: *out "/proc/self/fd/N" of the sealed memfd
 * held in *fd; sha (NULL: not wanted) its SHA-256, computed as received */
/* a small text file by URL (a signature next to a file): its bytes (at
 * most max, no NUL inside) in *text (malloc'd, NUL ended), *len; -ENOENT
 * when the server has none (nothing logged), else -errno logged */
int netboot_read(const char *what, const char *url, size_t max,
	char **text, size_t *len);
int netboot_resolve(const char *what, const char *url, char **out, int *fd,
	char sha[65]);
/* hop.config=URL: the configuration there, relative paths against it */
int netboot_config(const char *url, struct bootcfg_budget *budget,
	struct found_config *fc);
/* hop.config=pxe: DHCP's boot file and server, pxelinux.cfg/ names (or
 * option 209) under the boot file's folder or option 210's prefix */
int netboot_pxe(struct bootcfg_budget *budget, struct found_config *fc);

#endif
