/* Kernel uevent parsing for hop watch (lib/load/uevent.c). */
#ifndef HOP_UEVENT_H
#define HOP_UEVENT_H

#include <stddef.h>

struct uevent {
	const char *action, *subsystem, *devpath;	/* point into buf */
};

/* 0, or -EINVAL for anything but a well-formed kernel uevent */
int uevent_parse(const char *buf, size_t len, struct uevent *ev);
/* a memory block was added, removed, onlined or offlined */
int uevent_is_memory_change(const struct uevent *ev);

#endif
