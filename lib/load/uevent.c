/* Kernel uevents (docs/kernel-abi.md §5.5): "ACTION@DEVPATH\0" then
 * KEY=VALUE strings, each NUL-terminated. Pure parsing for hop watch. */
#include <errno.h>
#include <string.h>

#include "uevent.h"

int uevent_parse(const char *buf, size_t len, struct uevent *ev)
{
	const char *p = buf, *end = buf + len;

	memset(ev, 0, sizeof(*ev));
	if (!len || !memchr(buf, '\0', len) || !strchr(buf, '@')) {
		return -EINVAL;	/* not a kernel uevent (libudev's have no @) */
	}
	for (p += strlen(p) + 1; p < end; p += strlen(p) + 1) {
		if (!memchr(p, '\0', (size_t)(end - p))) {
			return -EINVAL;
		}
		if (!strncmp(p, "ACTION=", 7)) {
			ev->action = p + 7;
		} else if (!strncmp(p, "SUBSYSTEM=", 10)) {
			ev->subsystem = p + 10;
		} else if (!strncmp(p, "DEVPATH=", 8)) {
			ev->devpath = p + 8;
		}
	}
	return ev->action && ev->subsystem ? 0 : -EINVAL;
}

int uevent_is_memory_change(const struct uevent *ev)
{
	static const char *const actions[] = { "add", "remove", "online",
		"offline" };
	size_t i;

	if (!ev->subsystem || strcmp(ev->subsystem, "memory")) {
		return 0;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!strcmp(ev->action, actions[i])) {
			return 1;
		}
	}
	return 0;
}
