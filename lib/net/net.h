/* What the network's pure parts share (lib/net/): how a refusal is worded
 * and how a hex digit is read. */
#ifndef HOP_NET_H
#define HOP_NET_H

#include <stddef.h>

/* the reason into why (when not NULL), then -EINVAL */
int net_fail(char *why, size_t whysz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* c as a hex digit, -1 when it is not one */
int net_hexval(int c);

#endif
