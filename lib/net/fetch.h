/* Fetching one URL into memory (lib/net/fetch.c; docs/network.md,
 * "Transfers"): TFTP and HTTP, straight into a sealed memfd, hashed
 * while received, inside net.h's bounds. */
#ifndef HOP_FETCH_H
#define HOP_FETCH_H

#include <stdint.h>

#include "url.h"

struct fetched {
	int fd;			/* a sealed memfd holding the bytes */
	uint64_t size;
	char sha256[65];	/* of exactly those bytes; "" unless asked */
	/* where they came from after redirects: what relative references
	 * in them resolve against */
	char url[URL_MAX + 1];
};

/* url into *f, at most max bytes (0: half of the free memory, which
 * bounds every fetch anyway), hashed (SHA-256) as received when hash (https verified against ca, hop.ca's value: tls.h), with retries (NET_TRIES, backoff) while the failure may
 * pass (a timeout, a reset, a 5xx), redirects (NET_REDIRECTS), a progress
 * line every NET_PROGRESS_MS; 0, or -errno with why set to one line
 * naming the server and the reason ("10.0.2.2:80: HTTP 404 Not Found") */
int net_fetch(const char *url, const char *ca, int hash, uint64_t max,
	struct fetched *f, char *why, size_t whysz);

#endif
