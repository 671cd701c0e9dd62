/* What hop bootcfg and hop init --list print: the configurations the
 * agent found, their entries and what it boots first, as text or JSON
 * (lib/agent/bootlist.c; README, "hop bootcfg"). Pure: the text goes
 * into a buffer the caller writes out. */
#ifndef HOP_BOOTLIST_H
#define HOP_BOOTLIST_H

#include <stddef.h>

#include "bootsel.h"

struct bootlist {
	/* the agent's configurations, in the order it reads them */
	const struct found_config *fc;
	size_t n;
	/* the entry it boots first (bootsel_want), and why: "hop.entry=x",
	 * NULL for the first configuration's default */
	size_t pick_cfg, pick_entry;
	const char *pick_why;
	/* configurations on the same file systems that the agent does not
	 * read (it reads the first of the known places): shown apart,
	 * without hop.entry numbers */
	const struct found_config *other;
	size_t nother;
};

/* the text (every string from a disk through log_escape) */
void bootlist_text(struct outbuf *b, const struct bootlist *l);
/* one JSON document: an array of configurations (README has the
 * schema) */
void bootlist_json(struct outbuf *b, const struct bootlist *l);

#endif
